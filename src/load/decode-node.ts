/**
 * Stage 1 from files and bytes (docs/design.md §16), Node only: the decoder adapter behind the Node
 * entry's `loadBitmap` (src/node.ts).
 *
 * Reads: a file path, or the bytes of a PNG, JPEG, BMP, GIF or TIFF file (or decoded pixels, which
 * go straight to pixels.ts). Produces: a `Bitmap`, by way of the pixels the decoders give — png.ts
 * for the common PNGs (one inflate), else jimp's PNG codec (pngjs), jimp for JPEG and BMP, tiff.ts for TIFF,
 * gif.ts for GIF.
 *
 * Bad input never leaks a decoder exception: every failure is a `ConicfitError` with a code.
 * Image sizes are read from the file header and checked against `maxPixels` *before* the
 * decoder allocates anything, and the guards (guards.ts, and the PNG data check here, which
 * needs node:zlib) run before the decoder, so a hostile header cannot exhaust memory or hang.
 */
import { readFileSync } from 'node:fs';
import { constants as zlibConstants, createInflate, inflateSync } from 'node:zlib';
import { ConicfitError, describeValue } from '../errors.js';
import type { Bitmap } from '../types.js';
import { decodeGif } from './gif.js';
import { headerProblem, tiffWithoutNestedIfds } from './guards.js';
import { resolveLoadOptions, type LoadOptions, type ResolvedLoadOptions } from './options.js';
import { decodePng, PNG_SAMPLES } from './png.js';
import { checkSize, isArrayBuffer, pixelsToBitmap, toBitmap, type PixelInput } from './pixels.js';
import { readImageSize, sniffFormat, u32be } from './sniff.js';
import { decodeTiff } from './tiff.js';

/** What the Node entry's `loadBitmap` and `traceImage` accept: a path, image bytes or decoded pixels. */
export type LoadInput = string | Uint8Array | ArrayBuffer | Buffer | PixelInput;

/**
 * jimp's PNG decoder (pngjs), used directly: faster than Jimp.fromBuffer (docs/design.md §18.25). Imported
 * when first needed (most PNGs take png.ts; importing jimp costs ~0.2 s of CPU per process or
 * worker thread, §8.4). Under CommonJS interop the default export may be the module object,
 * whose `default` is the codec factory.
 */
async function decodeWithPngjs(buffer: Buffer): Promise<{ width: number; height: number; data: Uint8Array }> {
  const mod = (await import('@jimp/js-png')).default;
  const factory = typeof mod === 'function' ? mod : (mod as unknown as { default: typeof mod }).default;
  return factory().decode(buffer);
}

/** Jimp for JPEG and BMP, imported when first needed (see decodeWithPngjs). */
async function decodeWithJimp(buffer: Buffer): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { Jimp } = await import('jimp');
  return (await Jimp.fromBuffer(buffer)).bitmap;
}

/**
 * Load an image as a `Bitmap`: a file path, image bytes (Uint8Array/Buffer/ArrayBuffer) or decoded
 * pixels. Grey levels, coverage and the threshold convention are as documented on the browser
 * entry's `loadBitmap` (src/load/pixels.ts), which this calls once the pixels are decoded.
 *
 * @throws ConicfitError BAD_OPTION, BAD_INPUT, FILE_NOT_FOUND, NOT_AN_IMAGE, TRUNCATED,
 *   EMPTY_IMAGE, TOO_MANY_PIXELS.
 */
export async function loadBitmap(input: LoadInput, options?: LoadOptions): Promise<Bitmap> {
  const opts = resolveLoadOptions(options);

  if (typeof input === 'string') {
    return fromBytes(readPath(input), opts, input);
  }
  if (input instanceof Uint8Array) return fromBytes(input, opts);
  if (isArrayBuffer(input)) return fromBytes(new Uint8Array(input), opts);
  const bitmap = pixelsToBitmap(input, opts);
  if (bitmap) return bitmap;
  throw new ConicfitError(
    'BAD_INPUT',
    `loadBitmap: input must be a file path, image bytes (Uint8Array/Buffer/ArrayBuffer) or a raw image ` +
      `{ width, height, data }, got ${describeValue(input)}`,
  );
}

/** Read synchronously: one call, no thread-pool round trip (docs/design.md §18.25). */
function readPath(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException)?.code ?? 'read error';
    throw new ConicfitError('FILE_NOT_FOUND', `loadBitmap: cannot read image file "${path}" (${why})`, { cause: e });
  }
}

/** Bytes → sniff → header size → guards → decoder → `Bitmap`. */
async function fromBytes(bytes: Uint8Array, opts: ResolvedLoadOptions, path?: string): Promise<Bitmap> {
  const { width, height, data, channels } = await decodePixels(bytes, opts.maxPixels, opts.blur > 0, path);
  return toBitmap(width, height, data, channels, opts);
}

/**
 * A path or image bytes decoded to RGBA pixels, with every check `loadBitmap` makes (the colour
 * pipeline's Node entry, src/node.ts, reads colour through it).
 */
export async function decodeRgba(input: string | Uint8Array, maxPixels: number, path?: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  if (typeof input === 'string') return decodeRgba(readPath(input), maxPixels, input);
  const { width, height, data, channels } = await decodePixels(input, maxPixels, true, path);
  return { width, height, data: channels === 4 ? data : toRgba(data, channels, width * height) };
}

/** Grey, grey + alpha or RGB samples (the PNG fast path keeps them so) as RGBA. */
function toRgba(data: Uint8Array, channels: 1 | 2 | 3, pixels: number): Uint8Array {
  const out = new Uint8Array(4 * pixels);
  for (let i = 0; i < pixels; i++) {
    const o = 4 * i,
      k = channels * i;
    out[o] = data[k];
    out[o + 1] = channels === 3 ? data[k + 1] : data[k];
    out[o + 2] = channels === 3 ? data[k + 2] : data[k];
    out[o + 3] = channels === 2 ? data[k + 1] : 255;
  }
  return out;
}

/**
 * Sniff → header size → guards → decoder: the pixels and their samples per pixel (the PNG fast
 * path keeps grey as one channel; `opaqueAlpha` as decodePng's), every failure a ConicfitError.
 */
async function decodePixels(
  bytes: Uint8Array,
  maxPixels: number,
  opaqueAlpha: boolean,
  path?: string,
): Promise<{ width: number; height: number; data: Uint8Array; channels: 1 | 2 | 3 | 4 }> {
  const where = path === undefined ? 'input bytes' : `"${path}"`;
  const format = sniffFormat(bytes);
  if (format === null) {
    throw new ConicfitError('NOT_AN_IMAGE', `loadBitmap: ${where} (${bytes.length} bytes) are not a PNG, JPEG, BMP, GIF or TIFF image`);
  }
  const size = readImageSize(bytes);
  if (size === null) {
    throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: ${format.toUpperCase()} header is truncated or corrupt`);
  }
  checkSize(size.width, size.height, maxPixels, where);
  const problem = headerProblem(format, bytes, size, maxPixels);
  if (problem) throw new ConicfitError(problem.code, `loadBitmap: ${where}: ${problem.why}`);
  const decodeBytes = format === 'tiff' ? tiffWithoutNestedIfds(bytes) : format === 'png' ? pngThroughIend(bytes) : bytes;
  if (format === 'png') {
    // One inflate for the common files up to SYNC_INFLATE_BYTES of image data (png.ts); larger
    // ones once the data is counted (a short stream must not cost what its header claims);
    // anything else, or anything wrong, takes pngjs, and errors read as before (docs/design.md §16.4).
    const small = decodePng(decodeBytes, opaqueAlpha, SYNC_INFLATE_BYTES);
    if (small) return small;
    const short = await pngDataShortfall(bytes);
    if (short !== null) {
      throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: PNG image data ends early or is corrupt (too little for ${size.width}×${size.height})`, {
        cause: short,
      });
    }
    const large = decodePng(decodeBytes, opaqueAlpha);
    if (large) return large;
  }

  let rgba: Uint8Array;
  let width: number;
  let height: number;
  try {
    const buffer = Buffer.from(decodeBytes.buffer, decodeBytes.byteOffset, decodeBytes.byteLength);
    // PNG goes straight to jimp's own PNG codec, skipping Jimp.fromBuffer's MIME sniffing (done
    // above), EXIF pass and image object (docs/design.md §18.25).
    // GIF has its own decoder (gif.ts): jimp's prints to console.log.
    // TIFF through tiff.ts: UTIF as jimp calls it, first page only, two faults worked around.
    const image =
      format === 'png'
        ? await decodeWithPngjs(buffer)
        : format === 'gif'
          ? decodeGif(buffer)
          : format === 'tiff'
            ? await decodeTiff(buffer)
            : await decodeWithJimp(buffer);
    ({ width, height } = image);
    rgba = image.data;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/maxMemoryUsageInMB|maxResolutionInMP/.test(msg)) {
      // jpeg-js has its own (smaller) memory budget: a large colour JPEG under maxPixels can
      // exceed it. That is a size limit, not a corrupt file.
      throw new ConicfitError(
        'TOO_MANY_PIXELS',
        `loadBitmap: ${where}: ${size.width}×${size.height} ${format.toUpperCase()} is too large for the decoder (${msg})`,
        {
          cause: e,
        },
      );
    }
    throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: cannot decode ${format.toUpperCase()} data (${msg})`, {
      cause: e,
    });
  }
  // The decoder may rotate by EXIF orientation; re-check what it actually produced.
  checkSize(width, height, maxPixels, where);
  if (rgba.length < width * height * 4) {
    throw new ConicfitError('TRUNCATED', `loadBitmap: ${where}: decoder returned too few pixels`);
  }
  return { width, height, data: rgba, channels: 4 };
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
  const width = u32be(b, 16),
    height = u32be(b, 20);
  const bitDepth = b[24],
    colorType = b[25],
    interlace = b[28];
  const channels = PNG_SAMPLES[colorType];
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
  for (let p = 8; p + 8 <= b.length;) {
    const len = u32be(b, p);
    const type = String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
    if (type === 'IDAT') idat.push(b.subarray(p + 8, Math.min(b.length, p + 8 + len)));
    if (type === 'IEND') break;
    p += 12 + len;
  }
  // Small images: one synchronous inflate capped at `need` bytes (ERR_BUFFER_TOO_LARGE = enough data);
  // large ones and failures are counted by streaming, which keeps no output (docs/design.md §16.3, §18.25).
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

/**
 * The PNG up to the end of its IEND chunk. Bytes after IEND (padding, or junk that older tools
 * append) are ignored by libpng and by browsers, but pngjs refuses the file ("unrecognised
 * content at end of stream"); a PNG without a complete IEND is returned whole, for the decoder
 * to judge.
 */
export function pngThroughIend(b: Uint8Array): Uint8Array {
  let off = 8;
  while (off + 12 <= b.length) {
    const length = u32be(b, off);
    const end = off + 12 + length;
    if (end > b.length) return b;
    if (b[off + 4] === 0x49 && b[off + 5] === 0x45 && b[off + 6] === 0x4e && b[off + 7] === 0x44) return end === b.length ? b : b.subarray(0, end);
    off = end;
  }
  return b;
}

/** Largest filtered image data checked by a synchronous inflate (pngDataShortfall): 4 MiB, ~2 megapixels grey (docs/design.md §18.25). */
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
