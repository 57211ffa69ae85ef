/**
 * Acute bilevel tips: the corner knot moved out to where its straight arms meet
 * (src/fit/band-tips.ts, docs/design.md §18.46), the step switched off by mocking its module (no
 * option exists). Straight-armed wedges (a triangle with one acute vertex) rendered as the bench
 * corpus renders bilevel input (exact coverage ≥ ½), ink tips and paper tips (the same wedge
 * inverted), three angles, seven rotations, two sub-pixel offsets:
 * - no tip knot ends farther from the true vertex, their summed distance falls, and each tip knot the
 *   step moves ends within 1 px of the vertex at 20° and 30° (2.1 px at 15°, where the contour
 *   stops up to 3.8 px short and the tip may go only 0.95 px past it, TIP_DEFAULTS.reach);
 * - no more pixel centres on the wrong side, every piece within its bounds;
 * - a truncated wedge (a flat of 3 or 4 px across its tip) is not extended: no knot moves.
 * Anti-aliased contours are left alone.
 */
import { describe, expect, it, vi } from 'vitest';
import { type Bitmap, type FittedContour } from '../src/index.js';
import { bitmapFromInk, centresOffSide, expectFitsWithinBounds, fitWithPass } from './helpers.js';
import { coverageBitmap } from './model-helpers.js';

const step = vi.hoisted(() => ({ tips: true }));
vi.mock('../src/fit/band-tips.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/band-tips.js')>();
  return { ...original, tipsInBand: (...args: Parameters<typeof original.tipsInBand>) => (step.tips ? original.tipsInBand(...args) : undefined) };
});

const SIZE = 56;
const ANGLES = [15, 20, 30];
const ROTATIONS = [0, 17, 45, 73, 110, 200, 290];
const OFFSETS = [
  [0.13, 0.41],
  [0.77, 0.06],
] as const;

/** Every contour of the bitmap fitted in conic mode, with the step on or off. */
function fitAll(bm: Bitmap, on: boolean): FittedContour[] {
  return fitWithPass(step, 'tips', bm, on);
}

/**
 * A wedge of angle `alpha` (degrees) with 30 px arms, its tip pointing against `rot`: the triangle,
 * or with `flat` > 0 the tip cut off by a flat that long across the bisector; and the vertex.
 */
function wedge(alpha: number, rot: number, [ox, oy]: readonly [number, number], flat = 0): { pts: number[][]; vertex: number[] } {
  const t = (rot * Math.PI) / 180,
    a = (alpha * Math.PI) / 360,
    L = 30;
  const ux = Math.cos(t),
    uy = Math.sin(t);
  const vx = SIZE / 2 + ox - 12 * ux,
    vy = SIZE / 2 + oy - 12 * uy;
  const p1 = [vx + L * Math.cos(t - a), vy + L * Math.sin(t - a)],
    p2 = [vx + L * Math.cos(t + a), vy + L * Math.sin(t + a)];
  const d = flat / 2 / Math.tan(a);
  const tip =
    flat > 0
      ? [
          [vx + d * ux - (flat / 2) * uy, vy + d * uy + (flat / 2) * ux],
          [vx + d * ux + (flat / 2) * uy, vy + d * uy - (flat / 2) * ux],
        ]
      : [[vx, vy]];
  return { pts: [tip[tip.length - 1], p1, p2, ...tip.slice(0, -1)], vertex: [vx, vy] };
}

/** The wedge rendered bilevel, as ink (`paper` false) or as a paper wedge in ink (inverted). */
function render(pts: number[][], paper: boolean): Bitmap {
  const { ink } = coverageBitmap(pts, SIZE);
  return bitmapFromInk(SIZE, SIZE, paper ? ink.map((v) => 1 - v) : ink);
}

/** Distance from the vertex to the nearest knot. */
function tipDistance(fits: FittedContour[], [vx, vy]: number[]): number {
  let d = Infinity;
  for (const f of fits) for (const k of f.knots) d = Math.min(d, Math.hypot(k.x - vx, k.y - vy));
  return d;
}

const cases = [false, true].flatMap((paper) => ANGLES.flatMap((alpha) => ROTATIONS.flatMap((rot) => OFFSETS.map((off) => ({ paper, alpha, rot, off })))));

describe('acute bilevel tips: the corner knot where the straight arms meet (§18.46)', () => {
  it('tip knots no farther from the vertex, nearer in sum, each moved one within 1 px (2.1 px at 15°); no more centres on the wrong side, pieces within bounds', () => {
    let before = 0,
      after = 0,
      moved = 0;
    for (const { paper, alpha, rot, off } of cases) {
      const { pts, vertex } = wedge(alpha, rot, off);
      const bitmap = render(pts, paper);
      const offFits = fitAll(bitmap, false);
      const onFits = fitAll(bitmap, true);
      const d0 = tipDistance(offFits, vertex),
        d1 = tipDistance(onFits, vertex);
      const name = `${paper ? 'paper' : 'ink'} ${alpha}° at ${rot}°, ${off}`;
      expect(d1, name).toBeLessThanOrEqual(d0 + 1e-9);
      if (d1 < d0 - 1e-9) {
        moved++;
        expect(d1, name).toBeLessThanOrEqual(alpha >= 20 ? 1 : 2.1);
      }
      before += d0;
      after += d1;
      expect(centresOffSide(bitmap, onFits), name).toBeLessThanOrEqual(centresOffSide(bitmap, offFits));
      expectFitsWithinBounds(onFits, bitmap);
    }
    expect(moved).toBeGreaterThanOrEqual(10);
    expect(after).toBeLessThan(before - 2);
  });

  it('a truncated wedge (a 3 or 4 px flat across the tip) is not extended', () => {
    for (const flat of [3, 4]) {
      for (const { paper, alpha, rot, off } of cases) {
        const bitmap = render(wedge(alpha, rot, off, flat).pts, paper);
        expect(fitAll(bitmap, true), `flat ${flat}, ${paper ? 'paper' : 'ink'} ${alpha}° at ${rot}°, ${off}`).toEqual(fitAll(bitmap, false));
      }
    }
  });

  it('leaves anti-aliased contours alone', () => {
    const bitmap = coverageBitmap(wedge(20, 17, OFFSETS[0]).pts, SIZE);
    expect(fitAll(bitmap, true)).toEqual(fitAll(bitmap, false));
  });
});
