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
import { Jimp } from 'jimp';
import { ConicfitError } from './errors.js';
import type { Bitmap } from './types.js';

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
  if (format === 'tiff' && !tiffDataInBounds(bytes)) {
    throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: TIFF image data lies past the end of the file`);
  }

  let rgba: Uint8Array;
  let width: number;
  let height: number;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const image = await Jimp.fromBuffer(buffer);
    ({ width, height } = image.bitmap);
    rgba = image.bitmap.data;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
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
      return { width: u16be(b, p + 5), height: u16be(b, p + 3) };
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

/** Tag → values of a TIFF IFD entry (SHORT or LONG only); null if the entry's data is out of bounds. */
type TiffIfd = Map<number, number[] | null>;

function readTiffIfd(b: Uint8Array): TiffIfd | null {
  if (b.length < 8) return null;
  const le = b[0] === 0x49;
  const u16 = (o: number) => (le ? u16le(b, o) : u16be(b, o));
  const u32 = (o: number) => (le ? u32le(b, o) : u32be(b, o));
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > b.length) return null;
  const count = u16(ifd);
  if (ifd + 2 + 12 * count > b.length) return null;
  const tags: TiffIfd = new Map();
  for (let e = 0; e < count; e++) {
    const o = ifd + 2 + 12 * e;
    const tag = u16(o);
    const type = u16(o + 2);
    const num = u32(o + 4);
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
  return tags;
}

function tiffSize(b: Uint8Array): { width: number; height: number } | null {
  const tags = readTiffIfd(b);
  const w = tags?.get(256);
  const h = tags?.get(257);
  if (!w || !h) return null;
  return { width: w[0], height: h[0] };
}

/**
 * The TIFF decoder reads past a truncated file without complaint (it decodes zeros), so check
 * that every strip (273/279) or tile (324/325) of the first image lies inside the file.
 */
function tiffDataInBounds(b: Uint8Array): boolean {
  const tags = readTiffIfd(b);
  if (!tags) return false;
  for (const [offTag, lenTag] of [
    [273, 279],
    [324, 325],
  ]) {
    const offs = tags.get(offTag);
    const lens = tags.get(lenTag);
    if (offs === undefined && lens === undefined) continue;
    if (!offs || !lens || offs.length !== lens.length) return false;
    for (let i = 0; i < offs.length; i++) if (offs[i] + lens[i] > b.length) return false;
  }
  return true;
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
