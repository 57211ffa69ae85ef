/**
 * Stage 1 on decoded pixels (docs/design.md §16.1): raw pixels → `Bitmap`, an ink mask plus per-pixel ink
 * coverage. Browser-safe: this is all the browser build loads.
 *
 * Reads: decoded pixels — a raw image `{ width, height, data, channels? }` (grey, grey+alpha, RGB
 * or RGBA), an `ImageData` (RGBA), or a `Bitmap` (passed through). Produces: `Bitmap`
 * (src/types.ts) — `coverage` (0..1 per pixel, composited over the background), `ink` (coverage
 * thresholded), the threshold actually used, and whether the image has grey levels. File paths
 * and image bytes are the Node entry's (decode-node.ts), which decodes and then comes here.
 */
import { antialiasedEdges } from './edges.js';
import { ConicfitError, describeValue } from '../errors.js';
import type { Bitmap } from '../types.js';
import { gaussianBlur } from './blur.js';
import { isNoiseOnly, measureCoverage, otsuThreshold, type Luminance } from './levels.js';
import { resolveLoadOptions, type LoadOptions, type ResolvedLoadOptions } from './options.js';

export { otsuThreshold };

/** Raw pixels, row-major, 8 bits per channel. */
export interface RawImage {
  width: number;
  height: number;
  /** w·h (grey), 2·w·h (grey + alpha), 3·w·h (RGB) or 4·w·h (RGBA) values 0..255. */
  data: Uint8Array | Uint8ClampedArray | number[];
  /** Channels per pixel; inferred from `data.length` when omitted. */
  channels?: 1 | 2 | 3 | 4;
}

/** A canvas `ImageData` (or anything shaped like one): RGBA, 4·w·h values. */
export interface ImageDataLike {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Decoded pixels, what both entries accept: a raw image, an `ImageData`, or a `Bitmap` already made. */
export type PixelInput = RawImage | ImageDataLike | Bitmap;

/**
 * Load decoded pixels as a `Bitmap` (a `Bitmap` comes back as it is).
 *
 * Grey level and coverage (docs/design.md §2.6). Each pixel's luminance L = 0.299 R + 0.587 G +
 * 0.114 B is composited by its alpha over the ground — white, or black with `invert: true` — so
 * transparent pixels are ground (`blur` > 0 smooths it with a Gaussian of that σ in px). Coverage
 * (ink amount, 0..1) is measured between the image's own paper and ink levels (`levels.ts`):
 * `d = clamp((paper − L)/(paper − ink), 0, 1)`; one colour on transparency uses its alpha. The
 * polarity (light ink on a dark ground) is found from the image's border unless `invert` forces
 * it. A clean black-on-white image has paper 255 and ink 0: `d = 1 − L/255`.
 *
 * Threshold convention: let `q` be the pixel's grey level in the dark-ink-on-light-ground view —
 * for a number t, the image's own grey level (L, or 255 − L for light ink), as Potrace reads its
 * threshold; for 'auto', `round(255·(1 − d))` between the image's levels (q = L for a clean
 * black-on-white image).
 * A pixel is ink when `q < t`: ink is strictly darker than t. So t = 0 gives no ink, t = 255
 * makes everything but pure white ink, and t = 128 makes ink exactly the pixels with
 * coverage > 0.5 (q ≤ 127), matching the 50 % level that sub-pixel contours follow; a 50 %
 * grey of 127 is ink and 128 is not. `'auto'` computes t with `otsuThreshold` on the histogram
 * of q. The t used is stored in `bitmap.threshold`.
 *
 * File paths and image bytes: this function in the Node entry (`conicfit` in Node) reads them;
 * here they are refused with BAD_INPUT (decode first, e.g. with a canvas's `getImageData`).
 *
 * @throws ConicfitError BAD_OPTION, BAD_INPUT, EMPTY_IMAGE, TOO_MANY_PIXELS.
 */
export async function loadBitmap(input: PixelInput, options?: LoadOptions): Promise<Bitmap> {
  const opts = resolveLoadOptions(options);
  const bitmap = pixelsToBitmap(input, opts);
  if (bitmap) return bitmap;
  const what = typeof input === 'string' ? 'a file path' : input instanceof Uint8Array || isArrayBuffer(input) ? 'image bytes' : describeValue(input);
  throw new ConicfitError(
    'BAD_INPUT',
    `loadBitmap: input must be decoded pixels (a raw image { width, height, data }, an ImageData or a Bitmap), got ${what}; ` +
      `decode the image first (e.g. a canvas's getImageData) or use conicfit's Node entry, which reads files and bytes`,
  );
}

/** The `Bitmap` of decoded pixels; null when `input` is not pixels (the caller says what it takes). */
export function pixelsToBitmap(input: unknown, opts: ResolvedLoadOptions): Bitmap | null {
  if (isBitmap(input)) return checkBitmap(input, opts.maxPixels);
  if (isRawImageLike(input)) return fromRaw(input, opts);
  return null;
}

function fromRaw(raw: RawImage, opts: ResolvedLoadOptions): Bitmap {
  const { width, height, data, channels } = raw;
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new ConicfitError('BAD_INPUT', `loadBitmap: raw image ${name} must be a non-negative integer, got ${describeValue(v)}`);
    }
  }
  checkSize(width, height, opts.maxPixels, 'raw image');

  const isBytes = data instanceof Uint8Array || data instanceof Uint8ClampedArray;
  if (!isBytes && !Array.isArray(data)) {
    throw new ConicfitError('BAD_INPUT', `loadBitmap: raw image data must be a Uint8Array, Uint8ClampedArray or number[], got ${describeValue(data)}`);
  }
  const n = width * height;
  let ch: number;
  if (channels === undefined) {
    ch = data.length / n;
    if (!(ch === 1 || ch === 2 || ch === 3 || ch === 4)) {
      throw new ConicfitError(
        'BAD_INPUT',
        `loadBitmap: raw image data has ${data.length} values; a ${width}×${height} image needs ` +
          `${n} (grey), ${2 * n} (grey+alpha), ${3 * n} (RGB) or ${4 * n} (RGBA)`,
      );
    }
  } else {
    if (!(channels === 1 || channels === 2 || channels === 3 || channels === 4)) {
      throw new ConicfitError('BAD_INPUT', `loadBitmap: raw image channels must be 1, 2, 3 or 4, got ${describeValue(channels)}`);
    }
    ch = channels;
    if (data.length !== n * ch) {
      throw new ConicfitError('BAD_INPUT', `loadBitmap: raw image data has ${data.length} values; ${width}×${height} with ${ch} channel(s) needs ${n * ch}`);
    }
  }
  if (!isBytes) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 255)) {
        throw new ConicfitError('BAD_INPUT', `loadBitmap: raw image data[${i}] must be a number 0..255, got ${describeValue(v)}`);
      }
    }
  }
  return toBitmap(width, height, data, ch, opts);
}

export function checkSize(width: number, height: number, maxPixels: number, where: string): void {
  if (width === 0 || height === 0) {
    throw new ConicfitError('EMPTY_IMAGE', `loadBitmap: ${where} is empty (${width}×${height})`);
  }
  if (width * height > maxPixels) {
    throw new ConicfitError('TOO_MANY_PIXELS', `loadBitmap: ${where} is ${width}×${height} = ${width * height} pixels, more than maxPixels = ${maxPixels}`);
  }
}

/** Pixels → luminance → coverage between the image's levels → threshold → ink (the conventions are documented on `loadBitmap`). */
export function toBitmap(width: number, height: number, data: ArrayLike<number>, channels: number, opts: ResolvedLoadOptions): Bitmap {
  const n = width * height;
  const overBlack = opts.invert === true;
  const hasAlpha = channels === 2 || channels === 4;
  const alpha = hasAlpha ? new Uint8Array(n) : null;
  // Opaque grey: the composite below is the grey level itself (255 − (255 − l)·255/255 = l exactly
  // for an integer l), so the bytes themselves are the luminance (read only; docs/design.md §18.25);
  // the blur needs them as numbers.
  const greyBytes = channels === 1 && data instanceof Uint8Array && !(opts.blur > 0);
  const composite = greyBytes ? null : new Float64Array(n);
  if (composite !== null && channels === 1 && ArrayBuffer.isView(data)) composite.set(data as Uint8Array);
  else if (composite !== null)
    for (let i = 0, p = 0; i < n; i++, p += channels) {
      // 299 + 587 + 114 = 1000, so R = G = B = v gives exactly v.
      const l = channels <= 2 ? data[p] : (299 * data[p] + 587 * data[p + 1] + 114 * data[p + 2]) / 1000;
      const a = hasAlpha ? data[p + channels - 1] : 255;
      if (alpha) alpha[i] = a;
      // Composite over the ground (white, or black with invert: true) so transparent pixels are
      // ground; opaque pixels keep their luminance exactly.
      composite[i] = overBlack ? (l * a) / 255 : 255 - ((255 - l) * a) / 255;
    }
  const smoothed: Luminance =
    composite === null ? (data as Uint8Array) : opts.blur > 0 ? gaussianBlur(composite, width, height, opts.blur, 'clamp') : composite;
  const smoothedAlpha = alpha && opts.blur > 0 ? blurAlpha(alpha, width, height, opts.blur) : alpha;
  const auto = opts.threshold === 'auto';
  const measured = measureCoverage(smoothed, smoothedAlpha, width, height, opts.invert, auto);
  const { coverage, grey: q, greyHistogram: hist, levels } = measured;
  // Anti-aliased: partial coverage where ink meets paper, not merely somewhere (src/load/edges.ts).
  const grey = measured.partial && antialiasedEdges(coverage, width, height);
  // A blank, noisy page has no ink to threshold: Otsu would split its noise into ~1000 specks
  // (docs/design.md §2.6); a numeric threshold still traces what it says.
  if (auto && isNoiseOnly(levels)) return { width, height, ink: q.fill(0), coverage, threshold: measured.inkThreshold ?? otsuThreshold(hist), grey, levels };
  // Otsu's mask already made in the coverage pass (a value table: docs/design.md §18.25).
  if (measured.inkThreshold !== undefined) return { width, height, ink: q, coverage, threshold: measured.inkThreshold, grey, levels };
  // A numeric threshold is a grey level of the image itself, as Potrace's is (in the dark-ink
  // view: 255 − L for light ink); 'auto' is Otsu's on the levels-normalised grey. One colour on
  // transparency keeps its alpha view (255 − alpha) for both.
  if (!auto && levels.source === 'luminance') {
    for (let i = 0; i < n; i++) q[i] = Math.round(levels.inverted ? 255 - smoothed[i] : smoothed[i]);
  }
  const t = auto ? otsuThreshold(hist) : (opts.threshold as number);
  const ink = q; // reused: the grey levels become the ink mask
  for (let i = 0; i < n; i++) ink[i] = ink[i] < t ? 1 : 0;
  return { width, height, ink, coverage, threshold: t, grey, levels };
}

/** The alpha channel blurred like the luminance (zero beyond the image: transparent). */
function blurAlpha(alpha: Uint8Array, width: number, height: number, sigma: number): Uint8Array {
  const blurred = gaussianBlur(Float64Array.from(alpha), width, height, sigma, 'zero');
  return Uint8Array.from(blurred, (v) => Math.round(v));
}

export function isArrayBuffer(x: unknown): x is ArrayBuffer {
  return x instanceof ArrayBuffer || Object.prototype.toString.call(x) === '[object ArrayBuffer]';
}

function isRawImageLike(x: unknown): x is RawImage {
  return typeof x === 'object' && x !== null && 'width' in x && 'height' in x && 'data' in x;
}

/** A Bitmap made elsewhere, checked as the loader would make it: sizes, array lengths, coverage 0..1, ink 0/1. */
function checkBitmap(b: Bitmap, maxPixels: number): Bitmap {
  const bad = (why: string) => new ConicfitError('BAD_INPUT', `loadBitmap: bitmap ${why}`);
  for (const [name, v] of [
    ['width', b.width],
    ['height', b.height],
  ] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(`${name} must be a non-negative integer, got ${describeValue(v)}`);
  }
  checkSize(b.width, b.height, maxPixels, 'bitmap');
  const n = b.width * b.height;
  if (b.ink.length !== n || b.coverage.length !== n)
    throw bad(`ink and coverage must hold width·height = ${n} values, got ${b.ink.length} and ${b.coverage.length}`);
  for (let i = 0; i < n; i++) {
    const c = b.coverage[i];
    if (!(c >= 0 && c <= 1)) throw bad(`coverage[${i}] must be 0..1, got ${describeValue(c)}`);
    if (b.ink[i] > 1) throw bad(`ink[${i}] must be 0 or 1, got ${b.ink[i]}`);
  }
  return b;
}

function isBitmap(x: unknown): x is Bitmap {
  return typeof x === 'object' && x !== null && (x as Bitmap).ink instanceof Uint8Array && (x as Bitmap).coverage instanceof Float32Array;
}
