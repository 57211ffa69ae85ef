/**
 * Corners drawn back towards their data point where a piece beside them is over tolerance
 * (src/fit/corner-retreat.ts, docs/design.md §18.50), switched off by mocking its module (no option
 * exists): on fields of anti-aliased specks 2–5 px long (a scan's dust), where a corner's arms are
 * as long as the contour and meet up to 1.4 px off it, the intervals over tolerance fall and none
 * appears; every moved corner lies on the segment from where it was to its data point, its pieces
 * within the tolerance as measured on their data (§12); the other knots and every piece of a
 * contour with nothing over tolerance are as before.
 */
import { describe, expect, it, vi } from 'vitest';
import { FIT_DEFAULTS } from '../src/fit/options.js';
import { extractContours, type Bitmap } from '../src/index.js';
import { mulberry32 } from '../src/random.js';
import { expectOutlineKeepsData, fitWithPass, rotatedEllipse } from './helpers.js';

const step = vi.hoisted(() => ({ retreat: true }));
vi.mock('../src/fit/corner-retreat.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/corner-retreat.js')>();
  return {
    ...original,
    retreatCorners: (...args: Parameters<typeof original.retreatCorners>) => (step.retreat ? original.retreatCorners(...args) : undefined),
  };
});

/** 16 small rotated ellipses (semi-axes 1.2–2.5 by 0.6–1.2 px) on a 36 px field, anti-aliased (8 × 8 samples a pixel). */
function specks(seed: number): Bitmap {
  const rnd = mulberry32(seed);
  const W = 36,
    S = 8;
  const coverage = new Float32Array(W * W);
  for (let k = 0; k < 16; k++) {
    const cx = 4 + (k % 4) * 8 + rnd() * 2,
      cy = 4 + Math.floor(k / 4) * 8 + rnd() * 2;
    const { inside } = rotatedEllipse(cx, cy, 1.2 + rnd() * 1.3, 0.6 + rnd() * 0.6, rnd() * 180);
    // Each speck within 3 px of its centre, the specks 8 px apart: no pixel is shared.
    for (let y = Math.floor(cy) - 3; y <= Math.floor(cy) + 3; y++)
      for (let x = Math.floor(cx) - 3; x <= Math.floor(cx) + 3; x++) {
        let count = 0;
        for (let b = 0; b < S; b++) for (let a = 0; a < S; a++) if (inside(x + (a + 0.5) / S, y + (b + 0.5) / S)) count++;
        coverage[y * W + x] = count / (S * S);
      }
  }
  const ink = Uint8Array.from(coverage, (c) => (c >= 0.5 ? 1 : 0));
  return { width: W, height: W, ink, coverage, threshold: 128, grey: true };
}

describe('corner retreat (corner-retreat.ts)', () => {
  it('brings the pieces beside a far-off corner on a speck within tolerance, moving only that corner back towards its data point', () => {
    let before = 0,
      after = 0,
      moved = 0,
      changed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const bm = specks(seed);
      const off = fitWithPass(step, 'retreat', bm, false);
      const on = fitWithPass(step, 'retreat', bm, true);
      const contours = extractContours(bm);
      expect(on.length).toBe(off.length);
      on.forEach((fit, c) => {
        const old = off[c];
        before += old.report.failedIntervals;
        after += fit.report.failedIntervals;
        // No interval newly over tolerance, and a contour with none is untouched.
        expect(fit.report.failedIntervals).toBeLessThanOrEqual(old.report.failedIntervals);
        if (old.report.failedIntervals === 0) {
          expect(fit).toEqual(old);
          return;
        }
        expect(fit.knots.map((k) => [k.index, k.kind])).toEqual(old.knots.map((k) => [k.index, k.kind]));
        fit.knots.forEach((k, i) => {
          const o = old.knots[i];
          if (k.x === o.x && k.y === o.y) return;
          // Only a corner moves, and only along the segment from where it was to its data point.
          expect(k.kind).toBe('corner');
          moved++;
          const dx = contours[c].points[2 * k.index] - o.x,
            dy = contours[c].points[2 * k.index + 1] - o.y;
          const mx = k.x - o.x,
            my = k.y - o.y;
          expect(Math.abs(mx * dy - my * dx)).toBeLessThan(1e-9);
          expect(mx * dx + my * dy).toBeGreaterThan(0);
          expect(Math.hypot(mx, my)).toBeLessThanOrEqual(Math.hypot(dx, dy) + 1e-9);
        });
        for (const p of fit.pieces) if (p.report.withinTolerance) expect(p.report.maxDeviation).toBeLessThanOrEqual(FIT_DEFAULTS.tolerance);
        // Checked apart from the report: every data point within the tolerance of the outline, G¹ at smooth knots.
        if (fit.report.failedIntervals === 0) expectOutlineKeepsData(fit, contours[c].points);
        changed++;
      });
    }
    // Measured: 12 intervals over tolerance without the pass over the 40 fields (7 contours), none with it.
    expect(before).toBeGreaterThanOrEqual(8);
    expect(after).toBe(0);
    expect(moved).toBeGreaterThan(0);
    expect(changed).toBeGreaterThan(0);
  });
});
