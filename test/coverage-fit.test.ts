/**
 * The coverage fit (src/fit/coverage-fit.ts, docs/design.md §11.7) on small anti-aliased shapes
 * rendered from a known, finely flattened outline (exact-area or 16 × 16 supersampled coverage):
 * with the step the fit lies closer to the true outline, every piece stays within its bounds as
 * measured from the data (§12) and smooth knots keep one tangent; bilevel contours are left alone.
 * The step is switched off by mocking its module (no option exists).
 */
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FONT_FILES, glyphOutline, layoutPath, loadOpentypeFont, parsePath, type OtGlyphFont } from '../scripts/svg-tools.js';
import { extractContours, type Bitmap, type FittedContour } from '../src/index.js';
import {
  bitmapFromShape,
  closedPolylineDistance,
  diskBitmap,
  expectOutlineKeepsData,
  flattenSegs,
  meanDistanceToTruth,
  polygonBitmap,
  rotatedEllipse,
  fitWithPass,
} from './helpers.js';

const step = vi.hoisted(() => ({ on: true }));
vi.mock('../src/fit/coverage-fit.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/coverage-fit.js')>();
  return { ...original, fitCoverage: (...args: Parameters<typeof original.fitCoverage>) => (step.on ? original.fitCoverage(...args) : undefined) };
});

/** Every contour of the bitmap fitted in conic mode, with the coverage step on or off. */
const fitAll = (bm: Bitmap, on: boolean): FittedContour[] => fitWithPass(step, 'on', bm, on);

/** A glyph of Libre Baskerville laid out at `size` px and finely flattened: its bitmap and the truth's distance. */
function glyph(ch: string, size: number): { bitmap: Bitmap; truth: (x: number, y: number) => number } {
  const font = loadOpentypeFont<OtGlyphFont>(join(resolve(import.meta.dirname, '..'), FONT_FILES['Libre Baskerville']));
  const { d, width, height } = layoutPath(glyphOutline(font, ch).segs, size, () => {
    throw new Error('a glyph outline has no arcs');
  });
  const polys = flattenSegs(parsePath(d)).map((p) => Float64Array.from(p));
  const bitmap = polygonBitmap(width, height, flattenSegs(parsePath(d)));
  return { bitmap, truth: (x, y) => Math.min(...polys.map((p) => closedPolylineDistance(p, x, y))) };
}

const disk = { cx: 24.3, cy: 23.8, r: 17.6 };
const oval = rotatedEllipse(30.2, 22.7, 24.5, 12.3, 28);
const CASES: Array<{ name: string; bitmap: Bitmap; truth: (x: number, y: number) => number }> = [
  { name: 'disk', bitmap: diskBitmap(48, disk.cx, disk.cy, disk.r), truth: (x, y) => Math.abs(Math.hypot(x - disk.cx, y - disk.cy) - disk.r) },
  { name: 'rotated ellipse', bitmap: bitmapFromShape(60, 46, oval.inside), truth: (x, y) => closedPolylineDistance(oval.poly, x, y) },
  { name: 'Baskerville "S" at 64 px', ...glyph('S', 64) },
];

describe('coverage fit on anti-aliased shapes', () => {
  for (const { name, bitmap, truth } of CASES) {
    it(`${name}: closer to the true outline`, () => {
      const before = meanDistanceToTruth(fitAll(bitmap, false), truth);
      const after = meanDistanceToTruth(fitAll(bitmap, true), truth);
      console.log(`${name}: mean distance to the truth ${before.toFixed(4)} → ${after.toFixed(4)} px`);
      expect(after).toBeLessThan(before);
    });

    it(`${name}: every piece the step moves within its bounds, measured from the data; smooth knots keep one tangent`, () => {
      const contours = extractContours(bitmap);
      const before = fitAll(bitmap, false);
      const fits = fitAll(bitmap, true);
      fits.forEach((fit, c) => {
        // Anti-aliased defaults: tolerance 1 px, rmsTolerance max(0.18 × 1, 0.08) = 0.18 px (docs/design.md §9.4).
        // A piece the step left as it was may be over them already (flagged by the knot loop).
        const kept = new Set(before[c].pieces.map((p) => JSON.stringify(p)));
        let moved = 0;
        for (const piece of fit.pieces) {
          if (kept.has(JSON.stringify(piece))) continue;
          moved++;
          expect(piece.report.maxDeviation).toBeLessThanOrEqual(1);
          expect(piece.report.rms).toBeLessThanOrEqual(0.18);
        }
        if (c === 0) expect(moved, 'the step moves some piece of the outer contour').toBeGreaterThan(0);
        // Independently of the report: the data within tolerance of the outline, G¹ at smooth knots.
        expectOutlineKeepsData(fit, contours[c].points);
      });
    });
  }

  it('leaves bilevel contours alone', () => {
    const bm = diskBitmap(48, disk.cx, disk.cy, disk.r, true);
    expect(fitAll(bm, true)).toEqual(fitAll(bm, false));
  });
});
