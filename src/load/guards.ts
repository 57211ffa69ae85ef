/**
 * Hostile-header guards: what the decoders cannot be trusted with, checked before they run.
 *
 * Reads: image bytes whose format and size are already known (sniff.ts). Produces: a problem
 * (error code and reason) or null, and for TIFF a copy the decoder can read safely. Why: the
 * decoders allocate for, or loop over, whatever a header claims — a few bytes could take minutes
 * or gigabytes (docs/design.md §16.3 names what each cost). Browser-safe; the PNG check, which
 * needs node:zlib, is with the Node decoder (decode-node.ts).
 */

import { gifLzw } from './gif.js';
import { gifFirstFrameSize, jpegFrameHeader, readTiffIfdAt, u16be, u16le, u32be, u32le, type ImageFormat, type ImageSize, type TiffIfdRead } from './sniff.js';

/** Why the decoder must not see a file: the error code and the reason, after "loadBitmap: <where>: ". */
export interface HeaderProblem {
  code: 'TRUNCATED' | 'TOO_MANY_PIXELS';
  why: string;
}

/**
 * The guard for the bytes' format (JPEG, GIF, TIFF; PNG's needs zlib and BMP's decoder needs
 * none), run after the header size passed `maxPixels`; null when the decoder may run.
 */
export function headerProblem(format: ImageFormat, bytes: Uint8Array, size: ImageSize, maxPixels: number): HeaderProblem | null {
  if (format === 'tiff') {
    const problem = tiffProblem(bytes, maxPixels);
    return problem && { code: problem.code, why: `TIFF ${problem.why}` };
  }
  if (format === 'jpeg') return jpegProblem(bytes, size);
  if (format === 'gif') return gifProblem(bytes, size);
  return null;
}

function jpegProblem(bytes: Uint8Array, size: ImageSize): HeaderProblem | null {
  // The decoder allocates per component before it looks at the data, and converts 1–4 only (docs/design.md §16.3).
  const frame = jpegFrameHeader(bytes);
  const c = frame?.components ?? -1;
  if (!(c >= 1 && c <= 4)) {
    return { code: 'TRUNCATED', why: `JPEG frame header claims ${c < 0 ? 'no' : c} components (1 to 4 are supported)` };
  }
  // Huffman coding spends at least one bit (the DC difference) on every 8×8 block, so a shorter file
  // cannot hold the image; arithmetic-coded frames (SOF9–15) are exempt (docs/design.md §16.3).
  const blocks = Math.ceil(size.width / 8) * Math.ceil(size.height / 8);
  if (frame && frame.marker <= 0xc7 && bytes.length * 8 < blocks) {
    return {
      code: 'TRUNCATED',
      why: `${bytes.length} bytes of JPEG cannot hold ${size.width}×${size.height} pixels (at least ${Math.ceil(blocks / 8)} bytes)`,
    };
  }
  return null;
}

function gifProblem(bytes: Uint8Array, size: ImageSize): HeaderProblem | null {
  // The decoder allocates and loops over the first frame's own size, not the screen's; a frame
  // outside its screen cannot be decoded faithfully anyway, so it is a corrupt file (docs/design.md §16.3).
  const frame = gifFirstFrameSize(bytes);
  if (frame === null) return { code: 'TRUNCATED', why: 'GIF has no complete image descriptor' };
  if (frame.x + frame.width > size.width || frame.y + frame.height > size.height) {
    return {
      code: 'TRUNCATED',
      why: `GIF frame ${frame.width}×${frame.height} at (${frame.x}, ${frame.y}) lies outside its ${size.width}×${size.height} screen`,
    };
  }
  if (gifLzw(bytes, frame.dataOffset, frame.width * frame.height) === 'loops') {
    return { code: 'TRUNCATED', why: 'GIF image data is corrupt (its LZW code table refers to itself)' };
  }
  return null;
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
const TIFF_NESTED_TAGS: readonly number[] = [330, 34665, 34853, 37500, 50740, 61440];
/** A private tag number the decoder keeps as plain data. */
const TIFF_INERT_TAG = 65000;

/**
 * A copy of a (checked) TIFF whose top-level IFDs no longer point into nested IFDs or maker notes
 * (those tags are renumbered to an inert private tag), so the decoder reads exactly the chain
 * `tiffProblem` checked. Pixels are unaffected.
 */
export function tiffWithoutNestedIfds(b: Uint8Array): Uint8Array {
  const chain = readTiffChain(b);
  if (typeof chain === 'string') return b;
  const le = b[0] === 0x49;
  let copy: Uint8Array | null = null;
  for (const { offset } of chain) {
    const count = le ? u16le(b, offset) : u16be(b, offset);
    for (let e = 0; e < count; e++) {
      const o = offset + 2 + 12 * e;
      if (!TIFF_NESTED_TAGS.includes(le ? u16le(b, o) : u16be(b, o))) continue;
      copy ??= Uint8Array.from(b);
      copy[o] = le ? TIFF_INERT_TAG & 0xff : TIFF_INERT_TAG >> 8;
      copy[o + 1] = le ? TIFF_INERT_TAG >> 8 : TIFF_INERT_TAG & 0xff;
    }
  }
  return copy ?? b;
}

/**
 * What the TIFF decoder cannot be trusted with, checked before it runs; null if nothing. It
 * follows the whole IFD chain and decodes every page (not only the first, which is the one
 * returned), reads each entry's `count` values wherever they point, and reads past a truncated
 * file without complaint (it decodes zeros). So: the chain must end (TRUNCATED), every entry and
 * every strip (273/279) or tile (324/325) must lie inside the file, uncompressed strips must hold
 * every row (TRUNCATED), and all pages together must stay within maxPixels (TOO_MANY_PIXELS).
 */
function tiffProblem(b: Uint8Array, maxPixels: number): HeaderProblem | null {
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
    const w = tags.get(256)?.[0],
      h = tags.get(257)?.[0];
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
    return {
      code: 'TOO_MANY_PIXELS',
      why: `${chain.length} pages hold ${pixels} pixels in all (the decoder reads every page), more than maxPixels = ${maxPixels}`,
    };
  }
  return null;
}
