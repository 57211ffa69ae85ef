/**
 * The band fit (src/fit/band.ts, docs/design.md §11.6) on small bilevel shapes rendered from a
 * known outline (a pixel is ink iff its centre is inside): with the step the fit lies closer to
 * the true outline, leaves no more pixel centres on the wrong side, keeps every piece within its
 * bounds as measured from the data (§12) and the shared tangents at smooth knots; anti-aliased
 * contours are left alone. The step is switched off by mocking its module (no option exists).
 */
import { describe, expect, it, vi } from 'vitest';
import { pieceEvaluator } from '../src/geometry/curves.js';
import { detectCorners, extractContours, fitConic, type Bitmap, type FittedContour } from '../src/index.js';
import { bitmapFromShape, closedPolylineDistance, diskBitmap, pointInPolygon } from './helpers.js';

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

/** The fitted outline flattened, one closed polygon per contour (64 samples per piece). */
function outline(fits: FittedContour[]): Float64Array[] {
  const p = new Float64Array(2);
  return fits.map((f) => {
    const pts: number[] = [];
    for (const piece of f.pieces) {
      const at = pieceEvaluator(piece);
      for (let s = 0; s < 64; s++) {
        at(s / 64, p);
        pts.push(p[0], p[1]);
      }
    }
    return Float64Array.from(pts);
  });
}

/** Mean distance from the fitted outline's samples to the truth. */
function meanDistance(fits: FittedContour[], truth: (x: number, y: number) => number): number {
  let sum = 0,
    count = 0;
  for (const poly of outline(fits)) {
    for (let i = 0; i < poly.length; i += 2) {
      sum += truth(poly[i], poly[i + 1]);
      count++;
    }
  }
  return sum / count;
}

/** Pixel centres whose side of the fitted outline (even-odd) differs from their ink. */
function centresOffSide(bm: Bitmap, fits: FittedContour[]): number {
  const polys = outline(fits);
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

/** A rotated ellipse, finely flattened: the truth polygon and an inside test. */
function ellipse(cx: number, cy: number, a: number, b: number, deg: number): { poly: Float64Array; inside: (x: number, y: number) => boolean } {
  const r = (deg * Math.PI) / 180;
  const c = Math.cos(r),
    s = Math.sin(r);
  const poly = new Float64Array(2 * 4096);
  for (let k = 0; k < 4096; k++) {
    const t = (2 * Math.PI * k) / 4096;
    poly[2 * k] = cx + a * Math.cos(t) * c - b * Math.sin(t) * s;
    poly[2 * k + 1] = cy + a * Math.cos(t) * s + b * Math.sin(t) * c;
  }
  const inside = (x: number, y: number) => {
    const u = (x - cx) * c + (y - cy) * s,
      v = -(x - cx) * s + (y - cy) * c;
    return (u / a) ** 2 + (v / b) ** 2 <= 1;
  };
  return { poly, inside };
}

const disk = { cx: 24.3, cy: 23.8, r: 17.6 };
const oval = ellipse(30.2, 22.7, 24.5, 12.3, 28);
const CASES: Array<{ name: string; bitmap: Bitmap; truth: (x: number, y: number) => number }> = [
  { name: 'disk', bitmap: diskBitmap(48, disk.cx, disk.cy, disk.r, true), truth: (x, y) => Math.abs(Math.hypot(x - disk.cx, y - disk.cy) - disk.r) },
  { name: 'rotated ellipse', bitmap: bitmapFromShape(60, 46, oval.inside, { bilevel: true }), truth: (x, y) => closedPolylineDistance(oval.poly, x, y) },
];

describe('band fit on bilevel shapes', () => {
  for (const { name, bitmap, truth } of CASES) {
    it(`${name}: closer to the true outline, no more pixel centres on the wrong side`, () => {
      const before = fitAll(bitmap, false);
      const after = fitAll(bitmap, true);
      expect(meanDistance(after, truth)).toBeLessThan(meanDistance(before, truth));
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
        // Independently of the report: every contour point within the tolerance of the outline (+ flattening).
        const poly = outline([fit])[0];
        const pts = contours[c].points;
        for (let i = 0; i < pts.length; i += 2) expect(closedPolylineDistance(poly, pts[i], pts[i + 1])).toBeLessThanOrEqual(1.02);
        fit.knots.forEach((k, i) => {
          const into = fit.pieces[(i - 1 + fit.pieces.length) % fit.pieces.length];
          const out = fit.pieces[i];
          if (k.kind === 'corner' || into.kind !== 'conic' || out.kind !== 'conic') return;
          expect(into.d1.x * out.d0.y - into.d1.y * out.d0.x).toBeCloseTo(0, 12);
          expect(into.d1.x * out.d0.x + into.d1.y * out.d0.y).toBeGreaterThan(0);
          expect([into.p1.x, into.p1.y]).toEqual([out.p0.x, out.p0.y]);
        });
      });
    });
  }

  it('leaves anti-aliased contours alone', () => {
    const bm = diskBitmap(48, disk.cx, disk.cy, disk.r);
    expect(fitAll(bm, true)).toEqual(fitAll(bm, false));
  });
});
