/**
 * The PNG fast path (src/load/png.ts, docs/design.md §16.4): the same pixels as pngjs for every
 * type it takes, with every filter type; null (the checked path) for what it does not take.
 */
import * as zlib from 'node:zlib';
import pngCodec from '@jimp/js-png';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../src/load/png.js';

function chunk(type: string, data: Uint8Array): Buffer {
  const b = Buffer.alloc(12 + data.length);
  b.writeUInt32BE(data.length, 0);
  b.write(type, 4, 'latin1');
  Buffer.from(data).copy(b, 8);
  b.writeUInt32BE(zlib.crc32(b.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return b;
}

/** A 29×17 PNG of pseudo-random filtered rows, every filter type used (row y has filter (y + filterOffset) mod 5). */
function makePng(colourType: number, depth: number, extra: Buffer[] = [], filterOffset = 0): Buffer {
  const w = 29,
    h = 17,
    samples = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colourType]!;
  const rowBytes = Math.ceil((w * samples * depth) / 8);
  const raw = Buffer.alloc(h * (rowBytes + 1));
  let s = 12345;
  for (let y = 0; y < h; y++) {
    raw[y * (rowBytes + 1)] = (y + filterOffset) % 5;
    for (let i = 0; i < rowBytes; i++) raw[y * (rowBytes + 1) + 1 + i] = (s = (s * 1103515245 + 12345) & 0x7fffffff) >> 8;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = depth;
  ihdr[9] = colourType;
  const parts = [Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr)];
  if (colourType === 3) parts.push(chunk('PLTE', Buffer.from(Array.from({ length: 3 << depth }, (_, i) => (i * 37) & 255))));
  parts.push(...extra, chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** RGBA of the fast path's pixels, for comparison with pngjs's. */
function rgba(d: NonNullable<ReturnType<typeof decodePng>>): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.width * d.height; i++) {
    const c = d.channels,
      p = i * c;
    if (c <= 2) out.push(d.data[p], d.data[p], d.data[p], c === 2 ? d.data[p + 1] : 255);
    else out.push(d.data[p], d.data[p + 1], d.data[p + 2], c === 4 ? d.data[p + 3] : 255);
  }
  return out;
}

describe('decodePng (the PNG fast path)', () => {
  const types: [number, number][] = [
    [0, 1],
    [0, 2],
    [0, 4],
    [0, 8],
    [2, 8],
    [3, 1],
    [3, 2],
    [3, 4],
    [3, 8],
    [4, 8],
    [6, 8],
  ];
  it.each(types)('colour type %i, depth %i: the pixels pngjs gives, with and without an added opaque alpha', (colourType, depth) => {
    for (let filterOffset = 0; filterOffset < 5; filterOffset++) {
      // Every filter type on the first row too (no row above) as the offset turns.
      const png = makePng(colourType, depth, [], filterOffset);
      const ref = [...pngCodec().decode(png).data];
      for (const opaqueAlpha of [false, true]) {
        const d = decodePng(png, opaqueAlpha);
        expect(d).not.toBeNull();
        expect(rgba(d!)).toEqual(ref);
      }
    }
  });
  it('leaves 16-bit, tRNS, bad CRCs and short data to the checked path', () => {
    expect(decodePng(makePng(0, 16), false)).toBeNull();
    expect(decodePng(makePng(3, 8, [chunk('tRNS', new Uint8Array([0]))]), false)).toBeNull();
    const badCrc = makePng(0, 8);
    badCrc[30] ^= 1; // inside IHDR's CRC
    expect(decodePng(badCrc, false)).toBeNull();
    const png = makePng(0, 8);
    expect(decodePng(png.subarray(0, png.length - 40), false)).toBeNull();
  });
});
