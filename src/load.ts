/**
 * Stage 1 of the pipeline (design.md §1): read an image and produce a `Bitmap` — an ink mask
 * plus per-pixel ink coverage.
 *
 * Reads: a file path; the bytes of a PNG, JPEG, BMP, GIF or TIFF file (decoded with jimp); or a
 * raw pixel buffer `{ width, height, data, channels? }` (grey, grey+alpha, RGB or RGBA).
 * Produces: `Bitmap` (src/types.ts) — `coverage` (0..1 per pixel, composited over the
 * background), `ink` (coverage thresholded), the threshold actually used, and whether the
 * image has grey levels.
 *
 * Bad input never leaks a decoder exception: every failure is a `ConicfitError` with a code.
 * Image sizes are read from the file header and checked against `maxPixels` *before* the
 * decoder allocates anything, so a hostile header cannot exhaust memory.
 */
import { readFile } from 'node:fs/promises';
import { constants as zlibConstants, createInflate, inflateSync } from 'node:zlib';
import pngCodec from '@jimp/js-png';
import { Jimp } from 'jimp';
import { ConicfitError } from './errors.js';
import type { Bitmap } from './types.js';

/** jimp's PNG decoder (pngjs), the one Jimp.fromBuffer uses for image/png. */
const PNG_CODEC = pngCodec();

// ---------------------------------------------------------------------------------------------
// Public types and defaults
// ---------------------------------------------------------------------------------------------

/** Raw pixels, row-major, 8 bits per channel. */
export interface RawImage {
  width: number;
  height: number;
  /** w·h (grey), 2·w·h (grey + alpha), 3·w·h (RGB) or 4·w·h (RGBA) values 0..255. */
  data: Uint8Array | Uint8ClampedArray | number[];
  /** Channels per pixel; inferred from `data.length` when omitted. */
  channels?: 1 | 2 | 3 | 4;
}

export type LoadInput = string | Uint8Array | ArrayBuffer | Buffer | RawImage;

export interface LoadOptions {
  /**
   * Grey level t (integer 0..255) or 'auto' (Otsu). A pixel is ink when its grey level, as seen
   * in the dark-ink-on-light-ground view, is strictly darker than t: `q < t` (see `loadBitmap`).
   */
  threshold?: number | 'auto';
  /** Light ink on a dark ground: ink is where the image is bright. */
  invert?: boolean;
  /** Largest width·height accepted; checked from the file header before decoding. */
  maxPixels?: number;
}

/** The one place for `loadBitmap`'s defaults. */
export const LOAD_DEFAULTS: Readonly<{ threshold: number | 'auto'; invert: boolean; maxPixels: number }> =
  Object.freeze({
    /**
     * 'auto' = Otsu's method on the grey-level histogram. Scans and renders of glyphs/logos are
     * rarely pure black on pure white (paper tint, JPEG noise, grey ink), so a fixed 128 would
     * misplace edges; Otsu finds the valley between the ink and ground modes, and for a clean
     * black/white image it lands in the middle (128) anyway.
     */
    threshold: 'auto',
    /** Dark ink on a light ground, the usual case for glyphs and printed logos. */
    invert: false,
    /**
     * 50 megapixels (~7000 × 7000): above an A4 page scanned at 600 dpi (~35 MP), far above
     * any glyph or logo. Loading needs ~9 bytes per pixel (RGBA decode + Float32 coverage +
     * mask), i.e. ~450 MB at the limit; past it, a corrupt or hostile header ("decompression
     * bomb") would exhaust memory before anything useful happens.
     */
    maxPixels: 50_000_000,
  });

export type ImageFormat = 'png' | 'jpeg' | 'bmp' | 'gif' | 'tiff';

export interface ImageSize {
  format: ImageFormat;
  width: number;
  height: number;
}

// ---------------------------------------------------------------------------------------------
// loadBitmap
// ---------------------------------------------------------------------------------------------

/**
 * Load an image as a `Bitmap`.
 *
 * Grey level and coverage. Each pixel's luminance L = 0.299 R + 0.587 G + 0.114 B is
 * composited by its alpha over the background — white normally, black with `invert` — so
 * transparent pixels are always background. Coverage (ink amount, 0..1) is
 * `d = 1 − Lc/255`, or `d = Lc/255` with `invert`.
 *
 * Threshold convention (one rule for numbers and 'auto'): let `q = round(255·(1 − d))`, the
 * pixel's grey level in the dark-ink-on-light-ground view (q = Lc normally, 255 − Lc inverted).
 * A pixel is ink when `q < t`: ink is strictly darker than t. So t = 0 gives no ink, t = 255
 * makes everything but pure white ink, and t = 128 makes ink exactly the pixels with
 * coverage > 0.5 (q ≤ 127), matching the 50 % level that sub-pixel contours follow; a 50 %
 * grey of 127 is ink and 128 is not. `'auto'` computes t with `otsuThreshold` on the histogram
 * of q. The t used is stored in `bitmap.threshold`.
 *
 * @throws ConicfitError BAD_OPTION, BAD_INPUT, FILE_NOT_FOUND, NOT_AN_IMAGE, TRUNCATED,
 *   EMPTY_IMAGE, TOO_MANY_PIXELS.
 */
export async function loadBitmap(input: LoadInput, options?: LoadOptions): Promise<Bitmap> {
  const opts = resolveLoadOptions(options);

  if (typeof input === 'string') {
    return fromBytes(await readPath(input), opts, input);
  }
  if (input instanceof Uint8Array) return fromBytes(input, opts);
  if (isArrayBuffer(input)) return fromBytes(new Uint8Array(input), opts);
  if (isRawImageLike(input)) return fromRaw(input, opts);
  throw new ConicfitError(
    'BAD_INPUT',
    `loadBitmap: input must be a file path, image bytes (Uint8Array/Buffer/ArrayBuffer) or a raw image ` +
      `{ width, height, data }, got ${describe(input)}`,
  );
}

type ResolvedOptions = { threshold: number | 'auto'; invert: boolean; maxPixels: number };

/** Validate options at the boundary and fill in `LOAD_DEFAULTS`. Unknown keys are ignored. */
export function resolveLoadOptions(options: unknown): ResolvedOptions {
  if (options === undefined) return { ...LOAD_DEFAULTS };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConicfitError('BAD_OPTION', `loadBitmap: options must be an object, got ${describe(options)}`);
  }
  const o = options as Record<string, unknown>;
  const out: ResolvedOptions = { ...LOAD_DEFAULTS };

  if (o.threshold !== undefined) {
    const t = o.threshold;
    if (t !== 'auto' && !(typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 255)) {
      throw badOption('threshold', t, "an integer 0..255 or 'auto'");
    }
    out.threshold = t;
  }
  if (o.invert !== undefined) {
    if (typeof o.invert !== 'boolean') throw badOption('invert', o.invert, 'true or false');
    out.invert = o.invert;
  }
  if (o.maxPixels !== undefined) {
    const m = o.maxPixels;
    if (!(typeof m === 'number' && Number.isSafeInteger(m) && m > 0)) {
      throw badOption('maxPixels', m, 'a positive integer');
    }
    out.maxPixels = m;
  }
  return out;
}

function badOption(name: string, value: unknown, allowed: string): ConicfitError {
  return new ConicfitError('BAD_OPTION', `loadBitmap: option ${name} must be ${allowed}, got ${describe(value)}`);
}

async function readPath(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException)?.code ?? 'read error';
    throw new ConicfitError('FILE_NOT_FOUND', `loadBitmap: cannot read image file "${path}" (${why})`, { cause: e });
  }
}

async function fromBytes(bytes: Uint8Array, opts: ResolvedOptions, path?: string): Promise<Bitmap> {
  const where = path === undefined ? 'input bytes' : `"${path}"`;
  const format = sniffFormat(bytes);
  if (format === null) {
    throw new ConicfitError(
      'NOT_AN_IMAGE',
      `loadBitmap: ${where} (${bytes.length} bytes) are not a PNG, JPEG, BMP, GIF or TIFF image`,
    );
  }
  const size = readImageSize(bytes);
  if (size === null) {
    throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: ${format.toUpperCase()} header is truncated or corrupt`);
  }
  checkSize(size.width, size.height, opts.maxPixels, where);
  let decodeBytes = bytes;
  if (format === 'tiff') {
    const problem = tiffProblem(bytes, opts.maxPixels);
    if (problem) throw new ConicfitError(problem.code, `loadBitmap: ${where}: TIFF ${problem.why}`);
    decodeBytes = tiffWithoutNestedIfds(bytes);
  }
  if (format === 'png') {
    const short = await pngDataShortfall(bytes);
    if (short !== null) {
      throw new ConicfitError(
        'TRUNCATED',
        `loadBitmap: ${where}: PNG image data ends early or is corrupt (too little for ${size.width}×${size.height})`,
        { cause: short },
      );
    }
  }
  if (format === 'jpeg') {
    // The JPEG decoder allocates per component before it looks at the data; a frame header
    // claiming 255 components took seconds and hundreds of MB. It can only convert 1–4.
    const frame = jpegFrameHeader(bytes);
    const c = frame?.components ?? -1;
    if (!(c >= 1 && c <= 4)) {
      throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: JPEG frame header claims ${c < 0 ? 'no' : c} components (1 to 4 are supported)`);
    }
    // Huffman coding spends at least one bit on every 8×8 block of the full-resolution
    // component (its DC difference), so a file shorter than blocks/8 bytes cannot hold the
    // image; the decoder would still allocate for the whole frame first (~1 s and ~900 MB for a
    // 134-byte file claiming 7071×7071). Arithmetic-coded frames (SOF9–15) are exempt.
    const blocks = Math.ceil(size.width / 8) * Math.ceil(size.height / 8);
    if (frame && frame.marker <= 0xc7 && bytes.length * 8 < blocks) {
      throw new ConicfitError(
        'TRUNCATED',
        `loadBitmap: ${where}: ${bytes.length} bytes of JPEG cannot hold ${size.width}×${size.height} pixels (at least ${Math.ceil(blocks / 8)} bytes)`,
      );
    }
  }
  if (format === 'gif') {
    // The GIF decoder allocates and loops over the first frame's own size (its image
    // descriptor), not the logical screen's: a 35-byte file with a 3×35 screen and a
    // 65535×65535 frame ran for minutes. A frame that does not fit in the screen cannot be
    // decoded faithfully anyway (it wraps or is cut), so it is a corrupt file.
    const frame = gifFirstFrameSize(bytes);
    if (frame === null) {
      throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: GIF has no complete image descriptor`);
    }
    if (frame.x + frame.width > size.width || frame.y + frame.height > size.height) {
      throw new ConicfitError(
        'TRUNCATED',
        `loadBitmap: ${where}: GIF frame ${frame.width}×${frame.height} at (${frame.x}, ${frame.y}) lies outside its ${size.width}×${size.height} screen`,
      );
    }
    if (gifLzwLoops(bytes, frame.dataOffset, frame.width * frame.height)) {
      throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: GIF image data is corrupt (its LZW code table refers to itself)`);
    }
  }

  let rgba: Uint8Array;
  let width: number;
  let height: number;
  try {
    const buffer = Buffer.from(decodeBytes.buffer, decodeBytes.byteOffset, decodeBytes.byteLength);
    // PNG goes straight to jimp's own PNG codec: Jimp.fromBuffer adds MIME sniffing (done above),
    // an EXIF pass (JPEG only) and its image object, 1.4 of its 2.1 ms per bench corpus case.
    const image = format === 'png' ? PNG_CODEC.decode(buffer) : format === 'gif' ? (await withoutGifWarnings(() => Jimp.fromBuffer(buffer))).bitmap : (await Jimp.fromBuffer(buffer)).bitmap;
    ({ width, height } = image);
    rgba = image.data;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/maxMemoryUsageInMB|maxResolutionInMP/.test(msg)) {
      // jpeg-js has its own (smaller) memory budget: a large colour JPEG under maxPixels can
      // exceed it. That is a size limit, not a corrupt file.
      throw new ConicfitError('TOO_MANY_PIXELS', `loadBitmap: ${where}: ${size.width}×${size.height} ${format.toUpperCase()} is too large for the decoder (${msg})`, {
        cause: e,
      });
    }
    throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: cannot decode ${format.toUpperCase()} data (${msg})`, {
      cause: e,
    });
  }
  // The decoder may rotate by EXIF orientation; re-check what it actually produced.
  checkSize(width, height, opts.maxPixels, where);
  if (rgba.length < width * height * 4) {
    throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: decoder returned too few pixels`);
  }
  return toBitmap(width, height, rgba, 4, opts);
}

/**
 * jimp's GIF decoder (omggif) reports an LZW stream shorter or longer than the frame with
 * `console.log`, which would land in the caller's stdout (and in the command line's `--report`
 * output). While a GIF decodes, exactly those two messages are dropped; everything else passes.
 */
const GIF_WARNING = /^Warning, gif stream (shorter|longer) than expected\.$/;
let gifDecodes = 0;
let consoleLog: typeof console.log | undefined;
async function withoutGifWarnings<T>(decode: () => Promise<T>): Promise<T> {
  if (gifDecodes++ === 0) {
    const log = (consoleLog = console.log);
    console.log = (...args: unknown[]) => {
      if (args.length === 1 && typeof args[0] === 'string' && GIF_WARNING.test(args[0])) return;
      log.apply(console, args);
    };
  }
  try {
    return await decode();
  } finally {
    if (--gifDecodes === 0 && consoleLog) {
      console.log = consoleLog;
      consoleLog = undefined;
    }
  }
}

function fromRaw(raw: RawImage, opts: ResolvedOptions): Bitmap {
  const { width, height, data, channels } = raw;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new ConicfitError('BAD_INPUT', `loadBitmap: raw image ${name} must be a non-negative integer, got ${describe(v)}`);
    }
  }
  checkSize(width, height, opts.maxPixels, 'raw image');

  const isBytes = data instanceof Uint8Array || data instanceof Uint8ClampedArray;
  if (!isBytes && !Array.isArray(data)) {
    throw new ConicfitError(
      'BAD_INPUT',
      `loadBitmap: raw image data must be a Uint8Array, Uint8ClampedArray or number[], got ${describe(data)}`,
    );
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
      throw new ConicfitError('BAD_INPUT', `loadBitmap: raw image channels must be 1, 2, 3 or 4, got ${describe(channels)}`);
    }
    ch = channels;
    if (data.length !== n * ch) {
      throw new ConicfitError(
        'BAD_INPUT',
        `loadBitmap: raw image data has ${data.length} values; ${width}×${height} with ${ch} channel(s) needs ${n * ch}`,
      );
    }
  }
  if (!isBytes) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 255)) {
        throw new ConicfitError('BAD_INPUT', `loadBitmap: raw image data[${i}] must be a number 0..255, got ${describe(v)}`);
      }
    }
  }
  return toBitmap(width, height, data, ch, opts);
}

function checkSize(width: number, height: number, maxPixels: number, where: string): void {
  if (width === 0 || height === 0) {
    throw new ConicfitError('EMPTY_IMAGE', `loadBitmap: ${where} is empty (${width}×${height})`);
  }
  if (width * height > maxPixels) {
    throw new ConicfitError(
      'TOO_MANY_PIXELS',
      `loadBitmap: ${where} is ${width}×${height} = ${width * height} pixels, more than maxPixels = ${maxPixels}`,
    );
  }
}

/** Pixels → coverage, grey levels, threshold, ink (the convention is documented on `loadBitmap`). */
function toBitmap(
  width: number,
  height: number,
  data: ArrayLike<number>,
  channels: number,
  opts: ResolvedOptions,
): Bitmap {
  const n = width * height;
  const coverage = new Float32Array(n);
  const ink = new Uint8Array(n); // holds the grey level q until the threshold is known
  const hist = new Uint32Array(256);
  const invert = opts.invert;
  let grey = false;

  for (let i = 0, p = 0; i < n; i++, p += channels) {
    let lum: number;
    let alpha = 255;
    if (channels <= 2) {
      lum = data[p];
      if (channels === 2) alpha = data[p + 1];
    } else {
      // 299 + 587 + 114 = 1000, so R = G = B = v gives exactly v.
      lum = (299 * data[p] + 587 * data[p + 1] + 114 * data[p + 2]) / 1000;
      if (channels === 4) alpha = data[p + 3];
    }
    // Composite over the background (white, or black when inverted) and express the result
    // as g, the grey level in the dark-ink-on-light view: g = Lc, or 255 − Lc when inverted.
    // Opaque pixels give g = lum exactly, so coverage 0 and 1 are exact.
    const g = invert ? 255 - (lum * alpha) / 255 : 255 - ((255 - lum) * alpha) / 255;
    coverage[i] = (255 - g) / 255;
    const c = coverage[i]; // the stored float32 value
    if (c > 0 && c < 1) grey = true;
    const q = Math.round(g);
    ink[i] = q;
    hist[q]++;
  }

  const t = opts.threshold === 'auto' ? otsuThreshold(hist) : opts.threshold;
  for (let i = 0; i < n; i++) ink[i] = ink[i] < t ? 1 : 0;

  return { width, height, ink, coverage, threshold: t, grey };
}

/**
 * Otsu's threshold on a 256-bin grey-level histogram, in `loadBitmap`'s convention: returns t
 * such that levels `q < t` form the dark class (ink) and `q ≥ t` the light one, chosen to
 * maximise the between-class variance. When several splits tie (empty bins between the two
 * modes), t is the middle of the tied range, so black on white gives 128. A histogram with
 * fewer than two occupied levels has no split; then t = 128, so an all-white image has no ink
 * and an all-black image is all ink.
 */
export function otsuThreshold(hist: Uint32Array): number {
  if (!(hist instanceof Uint32Array) || hist.length !== 256) {
    throw new ConicfitError('BAD_INPUT', `otsuThreshold: expected a Uint32Array of 256 bins, got ${describe(hist)}`);
  }
  let total = 0;
  let sumAll = 0;
  for (let q = 0; q < 256; q++) {
    total += hist[q];
    sumAll += q * hist[q];
  }
  let best = -1;
  let bestK = -1;
  let w0 = 0;
  let sum0 = 0;
  // Split after level k: dark class 0..k, light class k+1..255.
  for (let k = 0; k < 255; k++) {
    w0 += hist[k];
    sum0 += k * hist[k];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const diff = sum0 / w0 - (sumAll - sum0) / w1;
    const between = w0 * w1 * diff * diff;
    if (between > best) {
      best = between;
      bestK = k;
    }
  }
  if (bestK < 0) return 128;
  // Every k' with empty bins k+1..k' gives the same split: take the middle of that range.
  let lastK = bestK;
  while (lastK + 1 < 255 && hist[lastK + 1] === 0) lastK++;
  return Math.floor((bestK + lastK) / 2) + 1;
}

// ---------------------------------------------------------------------------------------------
// Header sniffers: format and size without decoding
// ---------------------------------------------------------------------------------------------

/** Which supported format the bytes start with (by signature), or null. Does not validate further. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  const b = bytes;
  const n = b.length;
  if (n >= 4 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (n >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (n >= 4 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'gif'; // "GIF8"
  if (n >= 4 && b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) return 'tiff'; // "II*\0"
  if (n >= 4 && b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a) return 'tiff'; // "MM\0*"
  if (n >= 2 && b[0] === 0x42 && b[1] === 0x4d) {
    // "BM" alone is weak evidence (text can start with it): also require a known DIB header size.
    if (n < 18) return 'bmp'; // too short to tell: treat as a truncated BMP
    const dib = u32le(b, 14);
    if (dib === 12 || dib === 16 || dib === 40 || dib === 52 || dib === 56 || dib === 64 || dib === 108 || dib === 124) {
      return 'bmp';
    }
  }
  return null;
}

/**
 * Read format, width and height from an image header without decoding pixels. Returns null
 * when the format is not recognised or the header is truncated/corrupt.
 *
 * PNG: IHDR. JPEG: the first SOF0..SOF15 marker (not DHT 0xC4, JPG 0xC8, DAC 0xCC). BMP:
 * BITMAPCOREHEADER or BITMAPINFOHEADER (negative height = top-down). GIF: logical screen.
 * TIFF: tags 256/257 of the first IFD, either byte order, SHORT or LONG.
 */
export function readImageSize(bytes: Uint8Array): ImageSize | null {
  const format = sniffFormat(bytes);
  let size: { width: number; height: number } | null = null;
  switch (format) {
    case 'png':
      size = pngSize(bytes);
      break;
    case 'jpeg':
      size = jpegSize(bytes);
      break;
    case 'bmp':
      size = bmpSize(bytes);
      break;
    case 'gif':
      size = gifSize(bytes);
      break;
    case 'tiff':
      size = tiffSize(bytes);
      break;
    default:
      return null;
  }
  return size && { format: format, ...size };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 24) return null;
  for (let i = 0; i < 8; i++) if (b[i] !== PNG_SIGNATURE[i]) return null;
  // First chunk must be IHDR: length(4) "IHDR" width(4) height(4), big-endian.
  if (b[12] !== 0x49 || b[13] !== 0x48 || b[14] !== 0x44 || b[15] !== 0x52) return null;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  const f = jpegFrameHeader(b);
  return f && { width: f.width, height: f.height };
}

/** The first SOFn frame header: its marker, size and number of components (−1 when the file ends before it). */
function jpegFrameHeader(b: Uint8Array): { marker: number; width: number; height: number; components: number } | null {
  const n = b.length;
  let p = 2; // after SOI
  while (p < n) {
    if (b[p] !== 0xff) return null;
    while (p < n && b[p] === 0xff) p++; // fill bytes
    if (p >= n) return null;
    const m = b[p++];
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd8)) continue; // TEM, RSTn, SOI: no length
    if (m === 0x00 || m === 0xd9 || m === 0xda) return null; // no frame header before EOI/SOS
    if (p + 2 > n) return null;
    const len = u16be(b, p);
    if (len < 2) return null;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      // SOFn: length(2) precision(1) height(2) width(2)
      if (len < 7 || p + 7 > n) return null;
      return { marker: m, width: u16be(b, p + 5), height: u16be(b, p + 3), components: p + 7 < n ? b[p + 7] : -1 };
    }
    p += len;
  }
  return null;
}

function bmpSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 18) return null;
  const dib = u32le(b, 14);
  if (dib === 12) {
    if (b.length < 22) return null;
    return { width: u16le(b, 18), height: u16le(b, 20) };
  }
  if (b.length < 26) return null;
  const width = i32le(b, 18);
  const height = i32le(b, 22);
  if (width < 0) return null;
  return { width, height: Math.abs(height) };
}

function gifSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 10) return null;
  // "GIF87a" / "GIF89a"
  if (!(b[4] === 0x37 || b[4] === 0x39) || b[5] !== 0x61) return null;
  return { width: u16le(b, 6), height: u16le(b, 8) };
}

/**
 * Size of the first image descriptor of a GIF (the frame the decoder reads), skipping the global
 * colour table and any extension blocks; null if the file ends or is corrupt before one.
 */
function gifFirstFrameSize(b: Uint8Array): { x: number; y: number; width: number; height: number; dataOffset: number } | null {
  if (b.length < 13) return null;
  let p = 13;
  if (b[10] & 0x80) p += 3 * (1 << ((b[10] & 7) + 1)); // global colour table
  while (p < b.length) {
    const block = b[p];
    if (block === 0x2c) {
      if (p + 9 >= b.length) return null;
      const flags = b[p + 9];
      const localTable = flags & 0x80 ? 3 * (1 << ((flags & 7) + 1)) : 0;
      return { x: u16le(b, p + 1), y: u16le(b, p + 3), width: u16le(b, p + 5), height: u16le(b, p + 7), dataOffset: p + 10 + localTable };
    }
    if (block !== 0x21) return null; // trailer (no frame) or garbage
    p += 2; // introducer and label, then data sub-blocks up to a zero-length one
    while (p < b.length && b[p] !== 0) p += b[p] + 1;
    p++;
  }
  return null;
}

/**
 * True when the decoder (omggif) would loop forever on this frame's LZW data. It keeps its code
 * table as prefix links and follows them until it reaches a root code; a malformed stream (a code
 * beyond the next free one, or right after a clear code) makes it store an entry whose prefix is
 * itself, and then the next use of that entry never ends (a 40-byte file hung the process). This
 * replays the decoder's table updates exactly, without writing pixels, and reports a link chain
 * longer than the table (a cycle). Cost: one pass over the frame's codes.
 */
function gifLzwLoops(stream: Uint8Array, start: number, outputLength: number): boolean {
  const at = (i: number): number => stream[i]; // undefined past the end, as in the decoder
  let p = start;
  const minCodeSize = at(p++);
  const clearCode = 1 << minCodeSize;
  const eoiCode = clearCode + 1;
  let nextCode = eoiCode + 1;
  let codeSize = minCodeSize + 1;
  let codeMask = (1 << codeSize) - 1;
  let shift = 0;
  let cur = 0;
  let op = 0;
  let subblock = at(p++);
  const table = new Int32Array(4096);
  let prev: number | null = null;
  for (;;) {
    while (shift < 16) {
      if (subblock === 0) break;
      cur |= at(p++) << shift;
      shift += 8;
      if (subblock === 1) subblock = at(p++);
      else --subblock;
    }
    if (shift < codeSize) return false;
    const code = cur & codeMask;
    cur >>= codeSize;
    shift -= codeSize;
    if (code === clearCode) {
      nextCode = eoiCode + 1;
      codeSize = minCodeSize + 1;
      codeMask = (1 << codeSize) - 1;
      prev = null;
      continue;
    } else if (code === eoiCode) {
      return false;
    }
    const chaseCode = code < nextCode ? code : (prev as number);
    let length = 0;
    let chase = chaseCode;
    while (chase > clearCode) {
      chase = table[chase] >> 8;
      if (++length > 4096) return true;
    }
    const k = chase;
    const end = op + length + (chaseCode !== code ? 1 : 0);
    if (end > outputLength) return false; // the decoder stops here ("stream longer than expected")
    op = end + 1;
    if (prev !== null && nextCode < 4096) {
      table[nextCode++] = (prev << 8) | k;
      if (nextCode >= codeMask + 1 && codeSize < 12) {
        ++codeSize;
        codeMask = (codeMask << 1) | 1;
      }
    }
    prev = code;
  }
}

/**
 * Null unless the PNG's image data (IDAT) inflates to fewer bytes than its header needs; then an
 * Error saying how far it got (the zlib error, if the stream is corrupt). The decoder does not
 * check this: it filters past the end of the inflated data, into whatever memory follows, so a
 * short stream gave nondeterministic pixels (or, with a large header and a few bytes of data, a
 * huge image of zeros). Inflates without keeping the output, and stops as soon as enough has
 * come out; unusual headers are left to the decoder.
 */
async function pngDataShortfall(b: Uint8Array): Promise<Error | null> {
  if (b.length < 33) return null; // no complete IHDR: the decoder reports it
  const width = u32be(b, 16), height = u32be(b, 20);
  const bitDepth = b[24], colorType = b[25], interlace = b[28];
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(bitDepth) || interlace > 1) return null;
  const bits = channels * bitDepth;
  // Filtered scanlines: one filter byte per row of each (Adam7) pass.
  const passes = interlace === 1 ? ADAM7 : [[0, 0, 1, 1]];
  let need = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const cols = width > x0 ? Math.ceil((width - x0) / dx) : 0;
    const rows = height > y0 ? Math.ceil((height - y0) / dy) : 0;
    if (cols > 0 && rows > 0) need += rows * (1 + Math.ceil((cols * bits) / 8));
  }
  const idat: Uint8Array[] = [];
  for (let p = 8; p + 8 <= b.length; ) {
    const len = u32be(b, p);
    const type = String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
    if (type === 'IDAT') idat.push(b.subarray(p + 8, Math.min(b.length, p + 8 + len)));
    if (type === 'IEND') break;
    p += 12 + len;
  }
  // Small images: one synchronous inflate, capped at `need` bytes (a stream that would give more
  // throws ERR_BUFFER_TOO_LARGE: enough data). It saves 0.2–0.3 ms of stream set-up and thread
  // hand-off per bench case. Large ones, and any failure, are counted by streaming, which keeps
  // no output (memory stays small) and says how far a corrupt stream got.
  if (need <= SYNC_INFLATE_BYTES) {
    try {
      const got = inflateSync(Buffer.concat(idat), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, need) });
      if (got.length >= need) return null;
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE') return null;
    }
  }
  const { length, error } = await inflatedLength(idat, need);
  if (length >= need) return null;
  return error ?? new Error(`IDAT inflates to ${length} bytes, the header needs ${need}`);
}

/** Largest filtered image data checked by a synchronous inflate (pngDataShortfall): 4 MiB, ~2 megapixels grey. */
const SYNC_INFLATE_BYTES = 1 << 22;

/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** Bytes a zlib stream inflates to, counted up to `limit` (then it stops); a corrupt stream counts what came out before the error. */
function inflatedLength(chunks: Uint8Array[], limit: number): Promise<{ length: number; error?: Error }> {
  return new Promise((resolve) => {
    const inflate = createInflate({ chunkSize: 1 << 18 });
    let total = 0;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      inflate.destroy();
      resolve({ length: total, error });
    };
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total >= limit) finish();
    });
    inflate.on('end', () => finish());
    inflate.on('error', (e: Error) => finish(e));
    if (limit <= 0) return finish();
    for (const c of chunks) inflate.write(c);
    inflate.end();
  });
}

/** Tag → values of a TIFF IFD entry (SHORT or LONG only); null if the entry's data is out of bounds. */
type TiffIfd = Map<number, number[] | null>;

/** Bytes per value of each TIFF field type (TIFF 6.0 types 1–12, and IFD = 13). */
const TIFF_TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };

interface TiffIfdRead {
  /** Offset of the IFD in the file. */
  offset: number;
  tags: TiffIfd;
  /** Offset of the next IFD (0 = none). */
  next: number;
  /** False when some entry's values lie (partly) past the end of the file. */
  entriesInBounds: boolean;
}

function readTiffIfdAt(b: Uint8Array, ifd: number): TiffIfdRead | null {
  const le = b[0] === 0x49;
  const u16 = (o: number) => (le ? u16le(b, o) : u16be(b, o));
  const u32 = (o: number) => (le ? u32le(b, o) : u32be(b, o));
  if (ifd < 8 || ifd + 2 > b.length) return null;
  const count = u16(ifd);
  if (ifd + 2 + 12 * count > b.length) return null;
  const tags: TiffIfd = new Map();
  let entriesInBounds = true;
  for (let e = 0; e < count; e++) {
    const o = ifd + 2 + 12 * e;
    const tag = u16(o);
    const type = u16(o + 2);
    const num = u32(o + 4);
    const bytes = num * (TIFF_TYPE_SIZE[type] ?? 0);
    if (bytes > 4 && u32(o + 8) + bytes > b.length) entriesInBounds = false;
    if (type !== 3 && type !== 4) continue; // only SHORT / LONG are needed here
    const size = type === 3 ? 2 : 4;
    const at = num * size <= 4 ? o + 8 : u32(o + 8);
    if (num === 0 || at + num * size > b.length) {
      tags.set(tag, null);
      continue;
    }
    const values = new Array<number>(num);
    for (let i = 0; i < num; i++) values[i] = size === 2 ? u16(at + 2 * i) : u32(at + 4 * i);
    tags.set(tag, values);
  }
  const nextAt = ifd + 2 + 12 * count;
  return { offset: ifd, tags, next: nextAt + 4 <= b.length ? u32(nextAt) : 0, entriesInBounds };
}

function readTiffIfd(b: Uint8Array): TiffIfd | null {
  if (b.length < 8) return null;
  const first = b[0] === 0x49 ? u32le(b, 4) : u32be(b, 4);
  return readTiffIfdAt(b, first)?.tags ?? null;
}

/**
 * Every IFD of the chain (the decoder reads, and decodes, them all), or a reason why the chain is
 * corrupt: an IFD out of bounds, or a next-IFD offset that loops back (the decoder would follow
 * it forever).
 */
function readTiffChain(b: Uint8Array): TiffIfdRead[] | string {
  const out: TiffIfdRead[] = [];
  const seen = new Set<number>();
  let at = b[0] === 0x49 ? u32le(b, 4) : u32be(b, 4);
  while (at !== 0) {
    if (seen.has(at)) return `IFD chain loops back to offset ${at}`;
    seen.add(at);
    const ifd = readTiffIfdAt(b, at);
    if (ifd === null) return out.length === 0 ? 'first IFD lies past the end of the file' : `IFD ${out.length + 1} lies past the end of the file`;
    out.push(ifd);
    at = ifd.next;
  }
  return out;
}

/**
 * Tags whose values the TIFF decoder follows into further IFDs (SubIFDs 330, EXIF 34665, GPS
 * 34853, DNG private 50740, Fuji 61440) or parses as another TIFF (the MakerNote 37500: a Nikon
 * maker note is decoded as a whole TIFF, IFD chain and all — a maker note whose chain loops hung
 * the process). None of them holds the pixels of the first page.
 */
const TIFF_NESTED_TAGS = new Set([330, 34665, 34853, 37500, 50740, 61440]);
/** A private tag number the decoder keeps as plain data. */
const TIFF_INERT_TAG = 65000;

/**
 * A copy of a (checked) TIFF whose top-level IFDs no longer point into nested IFDs or maker notes
 * (those tags are renumbered to an inert private tag), so the decoder reads exactly the chain
 * `tiffProblem` checked. Pixels are unaffected.
 */
function tiffWithoutNestedIfds(b: Uint8Array): Uint8Array {
  const chain = readTiffChain(b);
  if (typeof chain === 'string') return b;
  const le = b[0] === 0x49;
  let copy: Uint8Array | null = null;
  for (const { offset } of chain) {
    const count = le ? u16le(b, offset) : u16be(b, offset);
    for (let e = 0; e < count; e++) {
      const o = offset + 2 + 12 * e;
      if (!TIFF_NESTED_TAGS.has(le ? u16le(b, o) : u16be(b, o))) continue;
      copy ??= Uint8Array.from(b);
      copy[o] = le ? TIFF_INERT_TAG & 0xff : TIFF_INERT_TAG >> 8;
      copy[o + 1] = le ? TIFF_INERT_TAG >> 8 : TIFF_INERT_TAG & 0xff;
    }
  }
  return copy ?? b;
}

function tiffSize(b: Uint8Array): { width: number; height: number } | null {
  const tags = readTiffIfd(b);
  const w = tags?.get(256);
  const h = tags?.get(257);
  if (!w || !h) return null;
  return { width: w[0], height: h[0] };
}

/**
 * What the TIFF decoder cannot be trusted with, checked before it runs; null if nothing. It
 * follows the whole IFD chain and decodes every page (not only the first, which is the one
 * returned), reads each entry's `count` values wherever they point, and reads past a truncated
 * file without complaint (it decodes zeros). So: the chain must end (TRUNCATED), every entry and
 * every strip (273/279) or tile (324/325) must lie inside the file, uncompressed strips must hold
 * every row (TRUNCATED), and all pages together must stay within maxPixels (TOO_MANY_PIXELS).
 */
function tiffProblem(b: Uint8Array, maxPixels: number): { code: 'TRUNCATED' | 'TOO_MANY_PIXELS'; why: string } | null {
  const chain = readTiffChain(b);
  if (typeof chain === 'string') return { code: 'TRUNCATED', why: chain };
  let pixels = 0;
  for (let page = 0; page < chain.length; page++) {
    const { tags, entriesInBounds } = chain[page];
    const which = chain.length > 1 ? ` (page ${page + 1})` : '';
    if (!entriesInBounds) return { code: 'TRUNCATED', why: `tag values lie past the end of the file${which}` };
    for (const [offTag, lenTag] of [
      [273, 279],
      [324, 325],
    ]) {
      const offs = tags.get(offTag);
      const lens = tags.get(lenTag);
      if (offs === undefined && lens === undefined) continue;
      if (!offs || !lens || offs.length !== lens.length) return { code: 'TRUNCATED', why: `strip or tile table is incomplete${which}` };
      for (let i = 0; i < offs.length; i++) {
        if (offs[i] + lens[i] > b.length) return { code: 'TRUNCATED', why: `image data lies past the end of the file${which}` };
      }
    }
    const w = tags.get(256)?.[0], h = tags.get(257)?.[0];
    if (w === undefined || h === undefined) continue;
    pixels += w * h;
    // Uncompressed strips must hold every row (the decoder fills what is missing with zeros).
    const compression = tags.get(259)?.[0] ?? 1;
    const counts = tags.get(279);
    if (compression === 1 && counts) {
      const spp = tags.get(277)?.[0] ?? 1;
      const bps = tags.get(258) ?? [1];
      const bitsPerPixel = bps.length === spp ? bps.reduce((a, v) => a + v, 0) : bps[0] * spp;
      const have = counts.reduce((a, v) => a + v, 0);
      if (have < h * Math.ceil((w * bitsPerPixel) / 8)) return { code: 'TRUNCATED', why: `image data is too short for ${w}×${h}${which}` };
    }
  }
  if (pixels > maxPixels) {
    return { code: 'TOO_MANY_PIXELS', why: `${chain.length} pages hold ${pixels} pixels in all (the decoder reads every page), more than maxPixels = ${maxPixels}` };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function u16be(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
function i32le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

function isArrayBuffer(x: unknown): x is ArrayBuffer {
  return x instanceof ArrayBuffer || Object.prototype.toString.call(x) === '[object ArrayBuffer]';
}

function isRawImageLike(x: unknown): x is RawImage {
  return typeof x === 'object' && x !== null && 'width' in x && 'height' in x && 'data' in x;
}

/** A short, safe description of a received value for error messages. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return String(v); // keeps NaN, Infinity, -0 visible
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${String(v)}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') {
    const name = (v as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return typeof v;
}
