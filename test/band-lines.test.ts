/**
 * Line pieces put on the line of their own band (src/fit/band-lines.ts, docs/design.md §18.44) on
 * polygons rendered from a known outline (a pixel is ink iff its centre is inside), the step
 * switched off by mocking its module (no option exists): stars and parallelograms at several sizes
 * and rotations, every side a sloped line.
 * - No more pixel centres on the wrong side on any shape; the same knots (indices and kinds), each
 *   moved at most LINE_MOVE (0.75 px); every piece within its bounds as measured from the data (§12).
 * - Lines move, and the shapes' summed mean distance to the truth falls.
 * Anti-aliased contours are left alone.
 */
import { describe, expect, it, vi } from 'vitest';
import { type Bitmap, type FittedContour } from '../src/index.js';
import { centresOffSide, expectFitsWithinBounds, fitWithPass, placePolygon, stepEffect, polygonBitmap, starPolygon, type Polygon } from './helpers.js';

const step = vi.hoisted(() => ({ lines: true }));
vi.mock('../src/fit/band-lines.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/band-lines.js')>();
  return { ...original, linesInBand: (...args: Parameters<typeof original.linesInBand>) => (step.lines ? original.linesInBand(...args) : undefined) };
});

/** Every contour of the bitmap fitted in conic mode, with the step on or off. */
function fitAll(bm: Bitmap, on: boolean): FittedContour[] {
  return fitWithPass(step, 'lines', bm, on);
}

/** A parallelogram (a slanted bar): width w, height 1, slant s. */
function parallelogram(w: number, s: number): Polygon {
  return [0, 0, w, 0, w + s, 1, s, 1];
}

const SHAPES = [
  ...[
    [4, 0.45],
    [5, 0.45],
  ].flatMap(([tips, inner]) =>
    [48, 100].flatMap((size) => [11, 23].map((deg) => ({ name: `${tips}-tip star ${size} px at ${deg}°`, poly: starPolygon(tips, inner), size, deg }))),
  ),
  ...[40, 90].flatMap((size) => [9, 31].map((deg) => ({ name: `slanted bar ${size} px at ${deg}°`, poly: parallelogram(3, 0.8), size, deg }))),
].map(({ name, poly, size, deg }) => {
  const placed = placePolygon(poly, size, deg);
  return { name, bitmap: polygonBitmap(placed.canvas, placed.canvas, [placed.poly], true), poly: Float64Array.from(placed.poly) };
});

/** Bilevel defaults: tolerance 1 px, rmsTolerance 0.5 px (docs/design.md §9.4). */
describe('line pieces on the line of their own band (bilevel)', () => {
  it('no more pixel centres on the wrong side, the same knots moved at most 0.75 px, pieces within bounds', () => {
    for (const { bitmap } of SHAPES) {
      const before = fitAll(bitmap, false);
      const after = fitAll(bitmap, true);
      expect(centresOffSide(bitmap, after)).toBeLessThanOrEqual(centresOffSide(bitmap, before));
      after.forEach((f, c) => {
        expect(f.knots.map((k) => [k.index, k.kind])).toEqual(before[c].knots.map((k) => [k.index, k.kind]));
        f.knots.forEach((k, i) => expect(Math.hypot(k.x - before[c].knots[i].x, k.y - before[c].knots[i].y)).toBeLessThanOrEqual(0.75 + 1e-9));
      });
      expectFitsWithinBounds(after, bitmap);
    }
  });

  it('moves lines and lowers the summed mean distance to the truth', () => {
    const { moved, before, after } = stepEffect(SHAPES, fitAll);
    expect(moved).toBeGreaterThan(0);
    expect(after).toBeLessThan(before);
  });

  it('leaves anti-aliased contours alone', () => {
    const { poly, canvas } = placePolygon(starPolygon(5, 0.45), 64, 23);
    const bitmap = polygonBitmap(canvas, canvas, [poly], false);
    expect(fitAll(bitmap, true)).toEqual(fitAll(bitmap, false));
  });
});
