/**
 * The band fit (src/fit/band.ts, docs/design.md §11.6) on small bilevel shapes rendered from a
 * known outline (a pixel is ink iff its centre is inside): with the step the fit lies closer to
 * the true outline, leaves no more pixel centres on the wrong side, keeps every piece within its
 * bounds as measured from the data (§12) and the shared tangents at smooth knots; anti-aliased
 * contours are left alone. The step is switched off by mocking its module (no option exists).
 */
import { describe, expect, it, vi } from 'vitest';
import { detectCorners, extractContours, fitConic, type Bitmap, type FittedContour } from '../src/index.js';
import {
  bitmapFromShape,
  closedPolylineDistance,
  diskBitmap,
  expectOutlineKeepsData,
  fittedOutline,
  meanDistanceToTruth,
  pointInPolygon,
  rotatedEllipse,
} from './helpers.js';

const band = vi.hoisted(() => ({ on: true }));
vi.mock('../src/fit/band.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/band.js')>();
  return { ...original, centreInBand: (...args: Parameters<typeof original.centreInBand>) => (band.on ? original.centreInBand(...args) : undefined) };
});

/** Every contour of the bitmap fitted in conic mode, with the band step on or off. */
function fitAll(bm: Bitmap, on: boolean): FittedContour[] {
  band.on = on;
  try {
    return extractContours(bm).map((c) => fitConic(c, detectCorners(c)));
  } finally {
    band.on = true;
  }
}

/** Pixel centres whose side of the fitted outline (even-odd) differs from their ink. */
function centresOffSide(bm: Bitmap, fits: FittedContour[]): number {
  const polys = fittedOutline(fits);
  let off = 0;
  for (let j = 0; j < bm.height; j++) {
    for (let i = 0; i < bm.width; i++) {
      let inside = false;
      for (const poly of polys) if (pointInPolygon(i + 0.5, j + 0.5, poly)) inside = !inside;
      if (inside !== (bm.ink[j * bm.width + i] === 1)) off++;
    }
  }
  return off;
}

const disk = { cx: 24.3, cy: 23.8, r: 17.6 };
const oval = rotatedEllipse(30.2, 22.7, 24.5, 12.3, 28);
const CASES: Array<{ name: string; bitmap: Bitmap; truth: (x: number, y: number) => number }> = [
  { name: 'disk', bitmap: diskBitmap(48, disk.cx, disk.cy, disk.r, true), truth: (x, y) => Math.abs(Math.hypot(x - disk.cx, y - disk.cy) - disk.r) },
  { name: 'rotated ellipse', bitmap: bitmapFromShape(60, 46, oval.inside, { bilevel: true }), truth: (x, y) => closedPolylineDistance(oval.poly, x, y) },
];

describe('band fit on bilevel shapes', () => {
  for (const { name, bitmap, truth } of CASES) {
    it(`${name}: closer to the true outline, no more pixel centres on the wrong side`, () => {
      const before = fitAll(bitmap, false);
      const after = fitAll(bitmap, true);
      expect(meanDistanceToTruth(after, truth)).toBeLessThan(meanDistanceToTruth(before, truth));
      expect(centresOffSide(bitmap, after)).toBeLessThanOrEqual(centresOffSide(bitmap, before));
    });

    it(`${name}: every piece within its bounds, measured from the data; smooth knots keep one tangent`, () => {
      const contours = extractContours(bitmap);
      const fits = fitAll(bitmap, true);
      fits.forEach((fit, c) => {
        // Bilevel defaults: tolerance 1 px, rmsTolerance max(0.5 × 1, 0.45) = 0.5 px (docs/design.md §9.4).
        for (const piece of fit.pieces) {
          expect(piece.report.maxDeviation).toBeLessThanOrEqual(1);
          expect(piece.report.rms).toBeLessThanOrEqual(0.5);
        }
        // Independently of the report: the data within tolerance of the outline, G¹ at smooth knots.
        expectOutlineKeepsData(fit, contours[c].points);
      });
    });
  }

  it('leaves anti-aliased contours alone', () => {
    const bm = diskBitmap(48, disk.cx, disk.cy, disk.r);
    expect(fitAll(bm, true)).toEqual(fitAll(bm, false));
  });
});
