/**
 * Run-end knots (src/fit/run-knots.ts, docs/design.md §9.2, §18.37) on bilevel renders of rounded
 * rectangles and stadiums (a pixel is ink iff its centre lies inside the finely flattened outline),
 * at several sizes, radii and sub-pixel offsets. With the step, where the rounds are free (radius
 * ≥ 10 px): the straight sides of ≥ 12 px are traced within 0.1 px of the pixel edge nearest the
 * true side along all of it, with a line piece on that edge in its middle (a bilevel axis edge is
 * known only to that edge, §11.6), and the Hausdorff distance to the truth is lower overall; the
 * step adds knots on no anti-aliased render. The same shapes as holes (concave rounds, §18.45):
 * their sides too are lines on their pixel edge. The step is switched off by mocking
 * its module (no option exists).
 */
import { describe, expect, it, vi } from 'vitest';
import type { Bitmap, FittedContour } from '../src/index.js';
import { bitmapFromShape, fitWithPass, outlineHausdorff, pointInPolygon, roundedRectCases, sidesAsLines } from './helpers.js';

const step = vi.hoisted(() => ({ on: true }));
vi.mock('../src/fit/run-knots.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/run-knots.js')>();
  return {
    ...original,
    withRunEndKnots: (...args: Parameters<typeof original.withRunEndKnots>) =>
      step.on ? original.withRunEndKnots(...args) : { knots: args[1], held: new Set<number>() },
  };
});

/** Every contour of the bitmap fitted in conic mode, with the step on or off. */
const fitAll = (bm: Bitmap, on: boolean): FittedContour[] => fitWithPass(step, 'on', bm, on);

const CASES = roundedRectCases(
  [
    { w: 30, h: 16, r: 4 },
    { w: 44, h: 26, r: 7 },
    { w: 60, h: 34, r: 12 },
    { w: 36, h: 14, r: 7 },
    { w: 52, h: 20, r: 10 },
    { w: 70, h: 28, r: 14 },
  ],
  [
    [3.3, 4.1],
    [4.05, 3.45],
    [3.8, 3.25],
  ],
);

describe('run-end knots (bilevel rounded rectangles and stadiums)', () => {
  // Rounds of radius 4 and 7 px read as corners at these sizes (§18.36) unless their staircase
  // shows a round (§3.5, §18.38: test/corners-pixel-round.test.ts); the properties are about radius ≥ 10.
  const FREE = CASES.filter((c) => c.r >= 10);

  it('traces the straight sides as lines on their pixel edge, where without the step none is', () => {
    let on = 0,
      off = 0,
      total = 0;
    for (const c of FREE) {
      const withStep = sidesAsLines(fitAll(c.bm, true), c.x0, c.y0, c.w, c.h, c.r);
      on += withStep.lines;
      total += withStep.sides;
      off += sidesAsLines(fitAll(c.bm, false), c.x0, c.y0, c.w, c.h, c.r).lines;
    }
    // Measured: 16 of 18 sides with the step, 0 without (the other two leave the edge early where
    // the tangent-point estimate falls past the true one, §18.37).
    expect(on).toBeGreaterThanOrEqual(0.85 * total);
    expect(off).toBeLessThanOrEqual(0.15 * total);
  });

  it('Hausdorff distance to the truth: lower summed over the shapes, and no shape more than 0.07 px worse', () => {
    let sumOn = 0,
      sumOff = 0;
    for (const c of FREE) {
      const [on, off] = [outlineHausdorff(fitAll(c.bm, true), c.truth), outlineHausdorff(fitAll(c.bm, false), c.truth)];
      expect(on, c.name).toBeLessThanOrEqual(off + 0.07);
      sumOn += on;
      sumOff += off;
    }
    // Measured: 3.33 against 3.66 px; 7 of 9 shapes lower, 2 higher by 0.05 and 0.06 px.
    expect(sumOn).toBeLessThanOrEqual(0.95 * sumOff);
  });

  it('traces the straight sides of holes (concave run ends, §18.45) as lines on their pixel edge, where without the step few are', () => {
    let on = 0,
      off = 0,
      total = 0;
    for (const c of FREE) {
      // The same rounded rectangle cut out of a 1 px-inset ink block: its rounds are concave.
      const hole = bitmapFromShape(
        c.bm.width,
        c.bm.height,
        (x, y) => x > 1 && y > 1 && x < c.bm.width - 1 && y < c.bm.height - 1 && !pointInPolygon(x, y, c.truth),
        {
          bilevel: true,
        },
      );
      const withStep = sidesAsLines(fitAll(hole, true), c.x0, c.y0, c.w, c.h, c.r);
      on += withStep.lines;
      total += withStep.sides;
      off += sidesAsLines(fitAll(hole, false), c.x0, c.y0, c.w, c.h, c.r).lines;
    }
    // Measured: 16 of 18 sides with the step, 0 without (before §18.45, concave ends had no knots: 0 with it too).
    expect(on).toBeGreaterThanOrEqual(0.85 * total);
    expect(off).toBeLessThanOrEqual(0.15 * total);
  });

  it('adds no knot on anti-aliased renders', () => {
    for (const c of CASES.slice(0, 6)) {
      const bm = bitmapFromShape(c.bm.width, c.bm.height, (x, y) => pointInPolygon(x, y, c.truth));
      const [a, b] = [fitAll(bm, true), fitAll(bm, false)];
      expect(a.map((f) => f.knots)).toEqual(b.map((f) => f.knots));
    }
  });
});
