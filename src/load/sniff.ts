/**
 * Header sniffers: an image's format and size read from its first bytes, without decoding.
 *
 * Reads: the bytes of a file (any bytes: they may be hostile). Produces: the format (PNG, JPEG,
 * BMP, GIF, TIFF) by signature, the width × height its header claims, and the header details the
 * guards (guards.ts) and the decoder adapter (decode-node.ts) need: the JPEG frame header, the
 * GIF's first image descriptor, TIFF IFDs. Why: sizes are checked against `maxPixels` before any
 * decoder allocates. Browser-safe (pure byte reading).
 */

export type ImageFormat = 'png' | 'jpeg' | 'bmp' | 'gif' | 'tiff';

export interface ImageSize {
  format: ImageFormat;
  width: number;
  height: number;
}

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
  if (format === null) return null;
  const size = SIZE_READERS[format](bytes);
  return size && { format: format, ...size };
}

type SizeReader = (b: Uint8Array) => { width: number; height: number } | null;

/** The header size reader of each format; the functions are declared below. */
const SIZE_READERS: Record<ImageFormat, SizeReader> = { png: pngSize, jpeg: jpegSize, bmp: bmpSize, gif: gifSize, tiff: tiffSize };

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
export function jpegFrameHeader(b: Uint8Array): { marker: number; width: number; height: number; components: number } | null {
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
export function gifFirstFrameSize(b: Uint8Array): { x: number; y: number; width: number; height: number; dataOffset: number } | null {
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

/** Tag → values of a TIFF IFD entry (SHORT or LONG only); null if the entry's data is out of bounds. */
export type TiffIfd = Map<number, number[] | null>;

/** Bytes per value of each TIFF field type (TIFF 6.0 types 1–12, and IFD = 13). */
const TIFF_TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };

export interface TiffIfdRead {
  /** Offset of the IFD in the file. */
  offset: number;
  tags: TiffIfd;
  /** Offset of the next IFD (0 = none). */
  next: number;
  /** False when some entry's values lie (partly) past the end of the file. */
  entriesInBounds: boolean;
}

export function readTiffIfdAt(b: Uint8Array, ifd: number): TiffIfdRead | null {
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

function tiffSize(b: Uint8Array): { width: number; height: number } | null {
  const tags = readTiffIfd(b);
  const w = tags?.get(256);
  const h = tags?.get(257);
  if (!w || !h) return null;
  return { width: w[0], height: h[0] };
}

// ---------------------------------------------------------------------------------------------
// Byte readers
// ---------------------------------------------------------------------------------------------

export function u16be(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
export function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
export function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
export function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
export function i32le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}
