/**
 * The raster compare: the fitted model re-rendered at the bitmap's size (raster.ts) against the
 * input's ink mask and coverage (docs/design.md §14.3; report fields §7.3).
 *
 * Reads: `FittedContour[]` (src/model.ts) and a `Bitmap` (src/types.ts).
 * Produces: `RasterFidelity` { iou, iouBeyondEdge, differingPixels, meanCoverageError, inkArea, fitArea,
 * inkPixels, missedInkPixels, missedInk }.
 */
import { isFlat } from '../coverage.js';
import { ConicfitError } from '../errors.js';
import type { FittedContour, RasterFidelity } from '../model.js';
import type { Bitmap } from '../types.js';
import { renderAtImageSize, type RasterOptions } from './raster.js';

/** A pixel of the input's ink counts as missed when the fit covers it under ½ and by this much less (≈ 0.1 px of edge). */
const MISS_MARGIN = 0.1;

/**
 * Re-render the fit at the bitmap's size and compare: IoU of the ink masks (render coverage ≥ 0.5
 * vs `bitmap.ink`; 1 when both are empty), pixels whose ink differs, and the mean absolute
 * coverage difference against `bitmap.coverage`. `options.maxPixels` never refuses the bitmap's
 * own size (it exists already).
 *
 * @example compareRaster(result.fits, bitmap).iou // 0.998
 */
export function compareRaster(fits: FittedContour[], bitmap: Bitmap, options?: RasterOptions): RasterFidelity {
  const { width, height, ink, coverage } = bitmap;
  const n = width * height;
  if (!(ink instanceof Uint8Array) || ink.length !== n || !(coverage instanceof Float32Array) || coverage.length !== n) {
    throw new ConicfitError('BAD_INPUT', `compareRaster: bitmap ink and coverage must hold width·height = ${n} values`);
  }
  // The bitmap already holds that many pixels: an image loaded under a raised maxPixels needs no second limit here.
  const cov = renderAtImageSize(fits, width, height, options);
  // Coverage below the paper's noise floor is not ink, nor is a flat tint (docs/design.md §14.3).
  const noise = bitmap.levels?.noise ?? 0;
  const floor = 0.02 + 3 * noise;
  const flat = Math.max(0.01, 2 * noise);
  const [both, either, bandBoth, bandEither, differing, err, inkArea, fitArea, halfInk, halfInkMissed] = pixelCounts(cov, bitmap, floor, flat);
  return {
    iou: either === 0 ? 1 : both / either,
    iouBeyondEdge: bandEither === 0 ? 1 : bandBoth / bandEither,
    differingPixels: differing,
    meanCoverageError: n === 0 ? 0 : err / n,
    inkArea,
    fitArea,
    inkPixels: halfInk,
    missedInkPixels: halfInkMissed,
    missedInk: halfInk === 0 ? 0 : halfInkMissed / halfInk,
  };
}

/**
 * The compare's counts and sums over every pixel: both, either, both and either beyond the one-pixel
 * band, differing, Σ|f − c|, ink area, fit area, pixels at least half ink, and those of them the fit
 * covers less than half. A function of its own (not compareRaster's loop):
 * the loop runs on-stack-replaced code, which deoptimised at compareRaster's result literal once per
 * image (72–96 times over the bench corpus, docs/design.md §8.4).
 */
type Counts = [number, number, number, number, number, number, number, number, number, number];
function pixelCounts(cov: Float32Array, bitmap: Bitmap, floor: number, flat: number): Counts {
  const { width, height, ink, coverage } = bitmap;
  const n = width * height;
  const fitInk = (q: number) => cov[q] >= 0.5;
  let both = 0,
    either = 0,
    bandBoth = 0,
    bandEither = 0,
    differing = 0,
    err = 0,
    inkArea = 0,
    fitArea = 0,
    halfInk = 0,
    halfInkMissed = 0;
  // Two neighbouring pixels read as one 8-byte word of each coverage and 2 bytes of the mask, where
  // the arrays' offsets allow: a word equal to 0 holds two coverages of ±0 (either byte order), so
  // a pair of empty pixels is passed over with one test instead of two.
  const pairs = coverage.byteOffset % 8 === 0 && ink.byteOffset % 2 === 0;
  const half = pairs ? n >> 1 : 0;
  const cov2 = new Float64Array(cov.buffer, 0, half),
    coverage2 = new Float64Array(coverage.buffer, pairs ? coverage.byteOffset : 0, half),
    ink2 = new Uint16Array(ink.buffer, pairs ? ink.byteOffset : 0, half);
  for (let y = 0, q = 0; y < height; y++) {
    for (let x = 0; x < width; x++, q++) {
      if (pairs && (q & 1) === 0 && x + 1 < width && cov2[q >> 1] === 0 && coverage2[q >> 1] === 0 && ink2[q >> 1] === 0) {
        x++;
        q++;
        continue;
      }
      const f = cov[q],
        c = coverage[q];
      // Empty in the fit, the coverage and the mask (most pixels): adds 0 to every count and sum.
      if (f === 0 && c === 0 && ink[q] === 0) continue;
      const a = f >= 0.5,
        b = ink[q] !== 0;
      if (a || b) {
        either++;
        if (a && b) both++;
        if (a !== b) differing++;
        // The same outside the one-pixel band either side of the fit's outline.
        // Inside the image's border, the four neighbours compared without branches (most inked pixels).
        const band =
          x > 0 && x + 1 < width && y > 0 && y + 1 < height
            ? (+(cov[q - 1] >= 0.5) | (+(cov[q + 1] >= 0.5) << 1) | (+(cov[q - width] >= 0.5) << 2) | (+(cov[q + width] >= 0.5) << 3)) !== (a ? 15 : 0)
            : (x > 0 && fitInk(q - 1) !== a) ||
              (x + 1 < width && fitInk(q + 1) !== a) ||
              (y > 0 && fitInk(q - width) !== a) ||
              (y + 1 < height && fitInk(q + width) !== a);
        if (!band) {
          if (a && b) bandBoth++;
          bandEither++;
        }
      }
      err += Math.abs(f - c);
      // Ink the fit leaves out, counted where the coverage itself says ink (≥ ½), not at the load
      // threshold: on anti-aliased edges that sits off 50 %, and a blur's tail below ½ is not ink
      // a fit of the 50 % contour can keep; MISS_MARGIN spares an edge through a half-covered
      // pixel that the fit passes a few hundredths of a pixel inside (docs/design.md §14.3).
      if (c >= 0.5) {
        halfInk++;
        if (f < 0.5 && c - f >= MISS_MARGIN) halfInkMissed++;
      }
      // A flat region under 50 % is a light tint (a second ink), not the edge of this one.
      if (c > floor && (c >= 0.5 || !isFlat(coverage, width, height, x, y, flat))) inkArea += c;
      fitArea += f;
    }
  }
  return [both, either, bandBoth, bandEither, differing, err, inkArea, fitArea, halfInk, halfInkMissed];
}
