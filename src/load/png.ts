/**
 * The PNG fast path of the Node loader (docs/design.md §16.4), Node only (node:zlib).
 *
 * Reads: PNG bytes. Produces: the pixels as pngjs would give them, but in as few channels as
 * carry them (grey, grey + alpha, RGB or RGBA, 8 bits), from a single inflate — or null, and the
 * caller takes the checked pngjs path, which then reports any error exactly as before.
 *
 * Taken here (the common glyph and logo files): not interlaced, no tRNS, 8-bit grey, RGB, grey +
 * alpha and RGBA, and 1/2/4/8-bit grey and palette. Everything else, and any irregularity (a bad
 * CRC, an unknown critical chunk, a filter type over 4, a palette index out of range, image data
 * of any length but the header's), goes to pngjs. Filters as in the PNG specification (ISO/IEC
 * 15948 §9.2); sub-byte grey scaled as pngjs does (v·255/(2^depth − 1), exact integers).
 */
import * as zlib from 'node:zlib';
import { u32be } from './sniff.js';

export interface DecodedPng {
  width: number;
  height: number;
  /** Row-major, `channels` bytes per pixel. */
  data: Uint8Array;
  channels: 1 | 2 | 3 | 4;
}

/** Samples per pixel by PNG colour type (also read by the loader's image-data check); bit depths taken here for each. */
export const PNG_SAMPLES: Readonly<Record<number, number>> = Object.freeze({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 });
const DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8], 2: [8], 3: [1, 2, 4, 8], 4: [8], 6: [8] };

/**
 * PNG bytes → pixels, or null when the file is not one this path takes (see the banner).
 * `opaqueAlpha`: give an opaque image an alpha channel of 255 (what pngjs's RGBA carried; the
 * loader's blur treats an alpha channel as such, docs/design.md §16.4). `maxBytes`: null, without
 * inflating, when the filtered image data would be larger.
 */
export function decodePng(b: Uint8Array, opaqueAlpha: boolean, maxBytes = Infinity): DecodedPng | null {
  const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  if (typeof crc32 !== 'function' || b.length < 33 || u32be(b, 8) !== 13 || !isType(b, 12, 'IHDR')) return null;
  const width = u32be(b, 16),
    height = u32be(b, 20),
    depth = b[24],
    colourType = b[25];
  if (b[26] !== 0 || b[27] !== 0 || b[28] !== 0 || !DEPTHS[colourType]?.includes(depth) || width === 0 || height === 0) return null;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let p = 8; p + 12 <= b.length && !ended;) {
    const len = u32be(b, p);
    const end = p + 12 + len;
    if (end > b.length || crc32(b.subarray(p + 4, p + 8 + len)) >>> 0 !== u32be(b, p + 8 + len)) return null;
    const data = b.subarray(p + 8, p + 8 + len);
    if (isType(b, p + 4, 'IDAT')) idat.push(data);
    else if (isType(b, p + 4, 'PLTE')) palette = data;
    else if (isType(b, p + 4, 'IEND')) ended = true;
    else if (isType(b, p + 4, 'tRNS') || ((b[p + 4] & 0x20) === 0 && !isType(b, p + 4, 'IHDR')))
      return null; // transparency, or an unknown critical chunk
    else if (isType(b, p + 4, 'IHDR') && p !== 8) return null;
    p = end;
  }
  if (!ended || idat.length === 0 || (colourType === 3 && (palette === null || palette.length % 3 !== 0))) return null;

  const samples = PNG_SAMPLES[colourType];
  const bpp = Math.max(1, (samples * depth) >> 3); // bytes per complete pixel, for the filters
  const rowBytes = Math.ceil((width * samples * depth) / 8);
  const need = height * (rowBytes + 1);
  if (need > maxBytes) return null; // the caller counts the data first (a short stream must not cost its claimed size)
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat), { maxOutputLength: need });
  } catch {
    return null; // corrupt, short or long: the checked path says which
  }
  if (raw.length !== need || !unfilter(raw, height, rowBytes, bpp)) return null;

  if (depth === 8 && colourType !== 3) {
    const packed = packRows(raw, height, rowBytes);
    if (opaqueAlpha && (colourType === 0 || colourType === 2)) return { width, height, data: withAlpha(packed, samples), channels: colourType === 0 ? 2 : 4 };
    return { width, height, data: packed, channels: samples as 1 | 2 | 3 | 4 };
  }
  // Sub-byte grey, or a palette: one value per pixel, then mapped.
  const levels = colourType === 0 ? greyScale(depth) : palette!;
  const entries = colourType === 0 ? 1 << depth : palette!.length / 3;
  const grey = colourType === 0 || isGreyPalette(palette!);
  const channels = (grey ? 1 : 3) + (opaqueAlpha ? 1 : 0);
  const out = new Uint8Array(width * height * channels);
  const mask = (1 << depth) - 1;
  for (let y = 0, o = 0; y < height; y++) {
    const row = y * (rowBytes + 1) + 1;
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const v = (raw[row + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
      if (v >= entries) return null; // pngjs: "index not in palette"
      if (colourType === 0) out[o++] = levels[v];
      else if (grey) out[o++] = levels[3 * v];
      else {
        out[o++] = levels[3 * v];
        out[o++] = levels[3 * v + 1];
        out[o++] = levels[3 * v + 2];
      }
      if (opaqueAlpha) out[o++] = 255;
    }
  }
  return { width, height, data: out, channels: channels as 1 | 2 | 3 | 4 };
}

function isType(b: Uint8Array, o: number, type: string): boolean {
  return b[o] === type.charCodeAt(0) && b[o + 1] === type.charCodeAt(1) && b[o + 2] === type.charCodeAt(2) && b[o + 3] === type.charCodeAt(3);
}

/** Undoes the per-row filters in place (PNG spec §9.2: None, Sub, Up, Average, Paeth); false on a filter type over 4. One loop per filter type (no test per byte). */
function unfilter(raw: Uint8Array, height: number, rowBytes: number, bpp: number): boolean {
  const stride = rowBytes + 1;
  for (let y = 0; y < height; y++) {
    const row = y * stride + 1;
    const prev = row - stride; // the row above (y > 0)
    const type = raw[row - 1];
    if (type > 4) return false;
    if (type === 1) {
      for (let i = bpp; i < rowBytes; i++) raw[row + i] = (raw[row + i] + raw[row + i - bpp]) & 255;
    } else if (y === 0) {
      // No row above: Up is None, Average halves the left byte, Paeth picks the left byte.
      if (type === 3) for (let i = bpp; i < rowBytes; i++) raw[row + i] = (raw[row + i] + (raw[row + i - bpp] >> 1)) & 255;
      else if (type === 4) for (let i = bpp; i < rowBytes; i++) raw[row + i] = (raw[row + i] + raw[row + i - bpp]) & 255;
    } else if (type === 2) {
      for (let i = 0; i < rowBytes; i++) raw[row + i] = (raw[row + i] + raw[prev + i]) & 255;
    } else if (type === 3) {
      for (let i = 0; i < bpp; i++) raw[row + i] = (raw[row + i] + (raw[prev + i] >> 1)) & 255;
      for (let i = bpp; i < rowBytes; i++) raw[row + i] = (raw[row + i] + ((raw[row + i - bpp] + raw[prev + i]) >> 1)) & 255;
    } else if (type === 4) {
      for (let i = 0; i < bpp; i++) raw[row + i] = (raw[row + i] + raw[prev + i]) & 255; // a = c = 0: Paeth picks up
      for (let i = bpp; i < rowBytes; i++) {
        const a = raw[row + i - bpp],
          up = raw[prev + i],
          c = raw[prev + i - bpp];
        const pa = Math.abs(up - c),
          pb = Math.abs(a - c),
          pc = Math.abs(a + up - 2 * c);
        raw[row + i] = (raw[row + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? up : c)) & 255;
      }
    }
  }
  return true;
}

/** The rows without their filter bytes. */
function packRows(raw: Uint8Array, height: number, rowBytes: number): Uint8Array {
  const out = new Uint8Array(height * rowBytes);
  for (let y = 0; y < height; y++) out.set(raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1)), y * rowBytes);
  return out;
}

/** `samples`-channel pixels with an alpha of 255 appended to each. */
function withAlpha(data: Uint8Array, samples: number): Uint8Array {
  const n = data.length / samples;
  const out = new Uint8Array(n * (samples + 1));
  for (let i = 0, p = 0, o = 0; i < n; i++) {
    for (let s = 0; s < samples; s++) out[o++] = data[p++];
    out[o++] = 255;
  }
  return out;
}

/** Sub-byte grey levels as pngjs scales them: floor(v·255/(2^depth − 1) + 0.5), as an RGB-free table. */
function greyScale(depth: number): Uint8Array {
  const max = (1 << depth) - 1;
  return Uint8Array.from({ length: max + 1 }, (_, v) => Math.floor((v * 255) / max + 0.5));
}

function isGreyPalette(p: Uint8Array): boolean {
  for (let i = 0; i < p.length; i += 3) if (p[i] !== p[i + 1] || p[i] !== p[i + 2]) return false;
  return true;
}
