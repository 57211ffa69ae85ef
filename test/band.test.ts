/**
 * The band fit (src/fit/band.ts, docs/design.md §11.6) on small bilevel shapes rendered from a
 * known outline (a pixel is ink iff its centre is inside): with the step the fit lies closer to
 * the true outline, leaves no more pixel centres on the wrong side, keeps every piece within its
 * bounds as measured from the data (§12) and the shared tangents at smooth knots; anti-aliased
 * contours are left alone. The step is switched off by mocking its module (no option exists).
 *
 * Its corner step (src/fit/band-corners.ts, §11.8) on a "D" with its counter and a rotated slab
 * with two sharp and two rounded corners: the same properties, corners moved by at most
 * BAND_DEFAULTS.cornerShift in x and y, knots neither added nor removed; a contour without corners
 * is left alone.
 */
import { describe, expect, it, vi } from 'vitest';
import { BAND_DEFAULTS } from '../src/fit/band-loss.js';
import { extractContours, type Bitmap, type FittedContour } from '../src/index.js';
import {
  bitmapFromShape,
  centresOffSide,
  closedPolylineDistance,
  diskBitmap,
  expectOutlineKeepsData,
  fitWithPass,
  meanDistanceToTruth,
  rotatedEllipse,
} from './helpers.js';

const band = vi.hoisted(() => ({ on: true, corners: true, axis: false }));
vi.mock('../src/fit/band.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/band.js')>();
  return { ...original, centreInBand: (...args: Parameters<typeof original.centreInBand>) => (band.on ? original.centreInBand(...args) : undefined) };
});
// The corner step on the same loss (band-corners.ts, §11.8) is part of the band fit switched off,
// and can be switched off alone.
vi.mock('../src/fit/band-corners.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/band-corners.js')>();
  return {
    ...original,
    cornersInBand: (...args: Parameters<typeof original.cornersInBand>) => (band.on && band.corners ? original.cornersInBand(...args) : undefined),
  };
});

// The axis-corner step (axis-corners.ts, §18.47) runs after the band passes and moves a corner between
// two axis runs to its pixel vertex whatever they did: off here, so that these tests see the band
// passes' own placement (its own test: test/axis-corners.test.ts).
vi.mock('../src/fit/axis-corners.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/axis-corners.js')>();
  return { ...original, axisCorners: (...args: Parameters<typeof original.axisCorners>) => (band.axis ? original.axisCorners(...args) : undefined) };
});

/** Every contour of the bitmap fitted in conic mode, with the band fit (or only its corner step, §11.8) on or off. */
function fitAll(bm: Bitmap, on: boolean, step: 'band' | 'corners' = 'band'): FittedContour[] {
  return fitWithPass(band, step === 'band' ? 'on' : 'corners', bm, on);
}

/** Every piece within the bilevel bounds by its report; independently of it, the data within tolerance of the outline, G¹ at smooth knots. */
function expectWithinBounds(fit: FittedContour, points: Float64Array): void {
  // Bilevel defaults: tolerance 1 px, rmsTolerance max(0.5 × 1, 0.45) = 0.5 px (docs/design.md §9.4).
  for (const piece of fit.pieces) {
    expect(piece.report.maxDeviation).toBeLessThanOrEqual(1);
    expect(piece.report.rms).toBeLessThanOrEqual(0.5);
  }
  expectOutlineKeepsData(fit, points);
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
        expectWithinBounds(fit, contours[c].points);
      });
    });
  }

  it('leaves anti-aliased contours alone', () => {
    const bm = diskBitmap(48, disk.cx, disk.cy, disk.r);
    expect(fitAll(bm, true)).toEqual(fitAll(bm, false));
  });
});

/** Distance to the nearest of the truth polygons. */
function nearest(truth: Float64Array[]): (x: number, y: number) => number {
  return (x, y) => Math.min(...truth.map((t) => closedPolylineDistance(t, x, y)));
}

/** A "D" (stem edge at x0, flat top and bottom to xm, then a half-ellipse): its boundary polygon and an inside test. */
function dShape(x0: number, y0: number, y1: number, xm: number, rx: number): { poly: Float64Array; inside: (x: number, y: number) => boolean } {
  const yc = (y0 + y1) / 2,
    ry = (y1 - y0) / 2;
  const pts: number[] = [x0, y1, x0, y0];
  for (let k = 0; k <= 512; k++) {
    const t = -Math.PI / 2 + (Math.PI * k) / 512;
    pts.push(xm + rx * Math.cos(t), yc + ry * Math.sin(t));
  }
  const inside = (x: number, y: number) => y >= y0 && y <= y1 && x >= x0 && (x <= xm || ((x - xm) / rx) ** 2 + ((y - yc) / ry) ** 2 <= 1);
  return { poly: Float64Array.from(pts), inside };
}

/** A slab rotated by `deg` about (cx, cy): half-sizes hw × hh, the two right corners rounded with radius r. */
function slab(cx: number, cy: number, hw: number, hh: number, r: number, deg: number): { poly: Float64Array; inside: (x: number, y: number) => boolean } {
  const c = Math.cos((deg * Math.PI) / 180),
    s = Math.sin((deg * Math.PI) / 180);
  const local: number[] = [-hw, hh, -hw, -hh];
  for (const [ox, oy, t0] of [
    [hw - r, -hh + r, -Math.PI / 2],
    [hw - r, hh - r, 0],
  ]) {
    for (let k = 0; k <= 128; k++) {
      const t = t0 + (Math.PI / 2) * (k / 128);
      local.push(ox + r * Math.cos(t), oy + r * Math.sin(t));
    }
  }
  const pts: number[] = [];
  for (let k = 0; k < local.length; k += 2) pts.push(cx + local[k] * c - local[k + 1] * s, cy + local[k] * s + local[k + 1] * c);
  const inside = (x: number, y: number) => {
    const u = (x - cx) * c + (y - cy) * s,
      v = -(x - cx) * s + (y - cy) * c;
    if (Math.abs(u) > hw || Math.abs(v) > hh) return false;
    if (u <= hw - r || Math.abs(v) <= hh - r) return true;
    return (u - (hw - r)) ** 2 + (Math.abs(v) - (hh - r)) ** 2 <= r * r;
  };
  return { poly: Float64Array.from(pts), inside };
}

const outer = dShape(6.3, 5.7, 52.4, 20.6, 19.2);
const counter = dShape(15.8, 13.35, 44.6, 20.6, 10.4);
const bar = slab(31.3, 22.6, 22.4, 9.3, 6.1, 9);
const CORNER_CASES: Array<{ name: string; bitmap: Bitmap; truth: Float64Array[] }> = [
  {
    name: '"D" with its counter',
    bitmap: bitmapFromShape(46, 58, (x, y) => outer.inside(x, y) && !counter.inside(x, y), { bilevel: true }),
    truth: [outer.poly, counter.poly],
  },
  { name: 'rotated slab, two sharp and two rounded corners', bitmap: bitmapFromShape(62, 46, bar.inside, { bilevel: true }), truth: [bar.poly] },
];

describe('corners placed on the band loss (bilevel)', () => {
  for (const { name, bitmap, truth } of CORNER_CASES) {
    it(`${name}: closer to the true outline, no more pixel centres on the wrong side`, () => {
      const before = fitAll(bitmap, false, 'corners');
      const after = fitAll(bitmap, true);
      expect(meanDistanceToTruth(after, nearest(truth))).toBeLessThan(meanDistanceToTruth(before, nearest(truth)));
      expect(centresOffSide(bitmap, after)).toBeLessThanOrEqual(centresOffSide(bitmap, before));
    });

    it(`${name}: every piece within its bounds, measured from the data; corners move at most cornerShift`, () => {
      const contours = extractContours(bitmap);
      const before = fitAll(bitmap, false, 'corners');
      const fits = fitAll(bitmap, true);
      fits.forEach((fit, c) => {
        expectWithinBounds(fit, contours[c].points);
        // The same knots (the step moves, never adds or removes); each corner within its box.
        expect(fit.knots.map((k) => [k.kind, k.index])).toEqual(before[c].knots.map((k) => [k.kind, k.index]));
        fit.knots.forEach((k, i) => {
          if (k.kind !== 'corner') return;
          expect(Math.abs(k.x - before[c].knots[i].x)).toBeLessThanOrEqual(BAND_DEFAULTS.cornerShift + 1e-12);
          expect(Math.abs(k.y - before[c].knots[i].y)).toBeLessThanOrEqual(BAND_DEFAULTS.cornerShift + 1e-12);
        });
      });
    });
  }

  it('moves some corner on each shape', () => {
    for (const { bitmap } of CORNER_CASES) {
      const before = fitAll(bitmap, false, 'corners').flatMap((f) => f.knots.filter((k) => k.kind === 'corner'));
      const after = fitAll(bitmap, true).flatMap((f) => f.knots.filter((k) => k.kind === 'corner'));
      expect(after.some((k, i) => k.x !== before[i].x || k.y !== before[i].y)).toBe(true);
    }
  });

  it('leaves a contour without corners, and anti-aliased contours, alone', () => {
    const bilevelDisk = diskBitmap(48, 24.3, 23.8, 17.6, true);
    const disk = fitAll(bilevelDisk, true);
    expect(disk.flatMap((f) => f.knots).filter((k) => k.kind === 'corner')).toHaveLength(0);
    expect(disk).toEqual(fitAll(bilevelDisk, false, 'corners'));
    const aa = bitmapFromShape(62, 46, bar.inside);
    expect(fitAll(aa, true)).toEqual(fitAll(aa, false, 'corners'));
  });
});
