/**
 * The line-end search (src/fit/band-runs.ts, docs/design.md §11.9) on bilevel shapes rendered from
 * a known outline (a pixel is ink iff its centre is inside): boxes whose straight sides run from
 * sharp corners tangentially into one large rounded corner, upright and rotated. With the step the
 * fit lies closer to the true outline, leaves no more pixel centres on the wrong side, keeps every
 * piece within its bounds as measured from the data (§12), neither adds nor removes knots, and moves
 * knots only back along the line pieces; anti-aliased contours are left alone. The step is
 * switched off by mocking its module (no option exists).
 */
import { describe, expect, it, vi } from 'vitest';
import { extractContours, type Bitmap, type FittedContour } from '../src/index.js';
import { bitmapFromShape, centresOffSide, closedPolylineDistance, expectOutlineKeepsData, fitWithPass, meanDistanceToTruth } from './helpers.js';

const step = vi.hoisted(() => ({ on: true }));
vi.mock('../src/fit/band-runs.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/band-runs.js')>();
  return { ...original, lineEndsInBand: (...args: Parameters<typeof original.lineEndsInBand>) => (step.on ? original.lineEndsInBand(...args) : undefined) };
});

/** Every contour of the bitmap fitted in conic mode, with the step on or off. */
const fitAll = (bm: Bitmap, on: boolean): FittedContour[] => fitWithPass(step, 'on', bm, on);

/**
 * A box [x0, x1] × [y0, y1] with its lower right corner rounded (radius r), rotated by `deg` about its
 * centre: the boundary polygon and an inside test.
 */
function roundedBox(x0: number, y0: number, x1: number, y1: number, r: number, deg: number): { poly: Float64Array; inside: (x: number, y: number) => boolean } {
  const cx = (x0 + x1) / 2,
    cy = (y0 + y1) / 2;
  const c = Math.cos((deg * Math.PI) / 180),
    s = Math.sin((deg * Math.PI) / 180);
  const local: number[] = [x0, y0, x1, y0];
  for (let k = 0; k <= 256; k++) {
    const t = (Math.PI / 2) * (k / 256);
    local.push(x1 - r + r * Math.cos(t), y1 - r + r * Math.sin(t));
  }
  local.push(x0, y1);
  const pts: number[] = [];
  for (let k = 0; k < local.length; k += 2) pts.push(cx + (local[k] - cx) * c - (local[k + 1] - cy) * s, cy + (local[k] - cx) * s + (local[k + 1] - cy) * c);
  const inside = (x: number, y: number) => {
    const u = cx + (x - cx) * c + (y - cy) * s,
      v = cy - (x - cx) * s + (y - cy) * c;
    if (u < x0 || u > x1 || v < y0 || v > y1) return false;
    return u <= x1 - r || v <= y1 - r || (u - (x1 - r)) ** 2 + (v - (y1 - r)) ** 2 <= r * r;
  };
  return { poly: Float64Array.from(pts), inside };
}

// Sizes at which the fit has a line piece from a smooth knot to a corner (a shorter side is one conic with the arc).
const CASES = [
  { w: 158, h: 150, r: 57.5, deg: 0 },
  { w: 110, h: 100, r: 37.5, deg: -7 },
  { w: 110, h: 100, r: 37.5, deg: 3 },
].map(({ w, h, r, deg }) => {
  const box = roundedBox(6.3, 5.7, w - 8.4, h - 8.8, r, deg);
  return { name: `${w} × ${h} box rotated ${deg}°`, bitmap: bitmapFromShape(w, h, box.inside, { bilevel: true }), box };
});

describe('line ends placed on the band loss (bilevel)', () => {
  for (const { name, bitmap, box } of CASES) {
    const truth = (x: number, y: number) => closedPolylineDistance(box.poly, x, y);

    it(`${name}: closer to the true outline, no more pixel centres on the wrong side`, () => {
      const before = fitAll(bitmap, false);
      const after = fitAll(bitmap, true);
      expect(meanDistanceToTruth(after, truth)).toBeLessThanOrEqual(meanDistanceToTruth(before, truth));
      expect(centresOffSide(bitmap, after)).toBeLessThanOrEqual(centresOffSide(bitmap, before));
    });

    it(`${name}: every piece within its bounds, the same knots, moved only back along their lines`, () => {
      const contours = extractContours(bitmap);
      const before = fitAll(bitmap, false);
      fitAll(bitmap, true).forEach((fit, c) => {
        // Bilevel defaults: tolerance 1 px, rmsTolerance 0.5 px (docs/design.md §9.4).
        for (const piece of fit.pieces) {
          expect(piece.report.maxDeviation).toBeLessThanOrEqual(1);
          expect(piece.report.rms).toBeLessThanOrEqual(0.5);
        }
        expectOutlineKeepsData(fit, contours[c].points);
        expect(fit.knots.map((k) => k.kind)).toEqual(before[c].knots.map((k) => k.kind));
        fit.knots.forEach((k, i) => {
          if (k.index === before[c].knots[i].index) return;
          // A moved knot is a smooth one, now inside the line piece it ended.
          expect(k.kind).not.toBe('corner');
          const n = contours[c].points.length / 2;
          const lineBefore = before[c].pieces[i - 1 >= 0 ? i - 1 : before[c].pieces.length - 1].kind === 'line';
          const back = lineBefore ? (before[c].knots[i].index - k.index + n) % n : (k.index - before[c].knots[i].index + n) % n;
          expect(back).toBeGreaterThan(0);
          expect(back).toBeLessThanOrEqual(32);
        });
      });
    });
  }

  it('moves some knot and lowers the mean distance on the boxes together', () => {
    let moved = 0,
      sumBefore = 0,
      sumAfter = 0;
    for (const { bitmap, box } of CASES) {
      const truth = (x: number, y: number) => closedPolylineDistance(box.poly, x, y);
      const before = fitAll(bitmap, false);
      const after = fitAll(bitmap, true);
      moved += after.flatMap((f, c) => f.knots.filter((k, i) => k.index !== before[c].knots[i].index)).length;
      sumBefore += meanDistanceToTruth(before, truth);
      sumAfter += meanDistanceToTruth(after, truth);
    }
    expect(moved).toBeGreaterThan(0);
    expect(sumAfter).toBeLessThan(sumBefore);
  });

  it('leaves anti-aliased contours alone', () => {
    const box = roundedBox(6.3, 5.7, 101.6, 91.2, 37.5, -7);
    const aa = bitmapFromShape(110, 100, box.inside);
    expect(fitAll(aa, true)).toEqual(fitAll(aa, false));
  });
});
