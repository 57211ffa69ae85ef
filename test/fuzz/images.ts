/**
 * Image bytes for the fuzzer: seed files written in memory by jimp (small images with shapes, in
 * every supported format), mutations of them (truncation, bit flips, overwritten runs, …), and
 * hand-made headers of each format claiming arbitrary sizes (0×N, 65535×65535, 2³¹, negative
 * BMP heights, …), with or without (tiny) pixel data.
 */
import { deflateSync, crc32 } from 'node:zlib';
import fc from 'fast-check';
import { Jimp } from 'jimp';

export type Format = 'png' | 'jpeg' | 'bmp' | 'gif' | 'tiff';
export const FORMATS: readonly Format[] = ['png', 'jpeg', 'bmp', 'gif', 'tiff'];
const MIME: Record<Format, 'image/png' | 'image/jpeg' | 'image/bmp' | 'image/gif' | 'image/tiff'> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  bmp: 'image/bmp',
  gif: 'image/gif',
  tiff: 'image/tiff',
};
export const EXTENSION: Record<Format, string> = { png: '.png', jpeg: '.jpg', bmp: '.bmp', gif: '.gif', tiff: '.tif' };

export interface SeedFile {
  name: string;
  format: Format;
  bytes: Uint8Array;
}

/** Grey level 0..255 (0 = ink) of the seed scenes at pixel (x, y). */
type Scene = { name: string; width: number; height: number; grey: (x: number, y: number) => number };

const SCENES: Scene[] = [
  {
    // A bar and an anti-aliased disk: grey edges, two components.
    name: 'shapes',
    width: 26,
    height: 18,
    grey: (x, y) => {
      if (x >= 2 && x < 8 && y >= 3 && y < 15) return 0;
      const d = Math.hypot(x + 0.5 - 17, y + 0.5 - 9) - 6;
      return Math.round(255 * Math.min(1, Math.max(0, d + 0.5)));
    },
  },
  {
    // A bilevel "L" with a hole: corners and a hierarchy.
    name: 'ell',
    width: 11,
    height: 9,
    grey: (x, y) => {
      const ink = (x >= 1 && x < 4 && y >= 1 && y < 8) || (x >= 1 && x < 10 && y >= 5 && y < 8);
      const hole = x === 2 && y === 6;
      return ink && !hole ? 0 : 255;
    },
  },
  { name: 'dot', width: 1, height: 1, grey: () => 0 },
];

/** The seed files: every scene in every format, written by jimp. */
export async function makeSeedFiles(): Promise<SeedFile[]> {
  const out: SeedFile[] = [];
  for (const s of SCENES) {
    const img = new Jimp({ width: s.width, height: s.height, color: 0xffffffff });
    const d = img.bitmap.data;
    for (let y = 0; y < s.height; y++) {
      for (let x = 0; x < s.width; x++) {
        const g = s.grey(x, y);
        const i = (y * s.width + x) * 4;
        d[i] = d[i + 1] = d[i + 2] = g;
      }
    }
    for (const format of FORMATS) {
      const buf = await img.getBuffer(MIME[format]);
      out.push({ name: `${s.name}${EXTENSION[format]}`, format, bytes: new Uint8Array(buf) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

export type Mutation =
  | { op: 'truncate'; at: number } // keep the first `at`·len bytes (at ∈ [0, 1))
  | { op: 'flip'; at: number; bit: number } // flip one bit at position at·len
  | { op: 'headerFlip'; pos: number; bit: number } // flip a bit in the first 64 bytes
  | { op: 'overwrite'; at: number; bytes: number[] } // overwrite a run
  | { op: 'delete'; at: number; count: number }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'append'; bytes: number[] };

export const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('headerFlip' as const), pos: fc.integer({ min: 0, max: 63 }), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    op: fc.constant('overwrite' as const),
    at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    bytes: fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0xff)), { minLength: 1, maxLength: 16 }),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), count: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }),
  }),
  fc.record({ op: fc.constant('append' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }) }),
);

export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(bytes);
  for (const m of mutations) {
    const pos = (at: number) => Math.min(b.length, Math.floor(at * b.length));
    switch (m.op) {
      case 'truncate':
        b = b.slice(0, pos(m.at));
        break;
      case 'flip':
        if (b.length > 0) b[Math.min(b.length - 1, pos(m.at))] ^= 1 << m.bit;
        break;
      case 'headerFlip':
        if (m.pos < b.length) b[m.pos] ^= 1 << m.bit;
        break;
      case 'overwrite': {
        const p = pos(m.at);
        for (let i = 0; i < m.bytes.length && p + i < b.length; i++) b[p + i] = m.bytes[i];
        break;
      }
      case 'delete': {
        const p = pos(m.at);
        b = Uint8Array.from([...b.subarray(0, p), ...b.subarray(p + m.count)]);
        break;
      }
      case 'insert': {
        const p = pos(m.at);
        b = Uint8Array.from([...b.subarray(0, p), ...m.bytes, ...b.subarray(p)]);
        break;
      }
      case 'append':
        b = Uint8Array.from([...b, ...m.bytes]);
        break;
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Hand-made headers
// ---------------------------------------------------------------------------------------------

const u16le = (v: number) => [v & 255, (v >>> 8) & 255];
const u16be = (v: number) => [(v >>> 8) & 255, v & 255];
const u32le = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
const u32be = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

function pngChunk(type: string, data: ArrayLike<number>, badCrc = false): number[] {
  const td = Buffer.from([...Buffer.from(type, 'latin1'), ...Array.from(data)]);
  const crc = (crc32(td) ^ (badCrc ? 1 : 0)) >>> 0;
  return [...u32be(data.length), ...td, ...u32be(crc)];
}

export interface PngHeader {
  width: number;
  height: number;
  bitDepth?: number;
  colorType?: number;
  interlace?: number;
  /** IDAT payload (already compressed); default: deflate of 16 zero bytes. */
  idat?: Uint8Array;
  badCrc?: boolean;
}

/** A PNG with the given IHDR (CRC correct unless badCrc), a small IDAT and IEND. */
export function pngFile(h: PngHeader): Uint8Array {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const ihdr = pngChunk('IHDR', [...u32be(h.width >>> 0), ...u32be(h.height >>> 0), h.bitDepth ?? 8, h.colorType ?? 6, 0, 0, h.interlace ?? 0], h.badCrc);
  const idat = pngChunk('IDAT', h.idat ?? deflateSync(Buffer.alloc(16)));
  return Uint8Array.from([...sig, ...ihdr, ...idat, ...pngChunk('IEND', [])]);
}

export interface BmpHeader {
  width: number; // signed 32-bit (info header) or unsigned 16-bit (core header)
  height: number;
  core?: boolean;
  bpp?: number;
  compression?: number;
  dataBytes?: number;
}

export function bmpFile(h: BmpHeader): Uint8Array {
  const data = new Array<number>(h.dataBytes ?? 8).fill(0x55);
  const bpp = h.bpp ?? 24;
  const palette = bpp <= 8 ? [0, 0, 0, 0, 255, 255, 255, 0] : [];
  const dib = h.core
    ? [...u32le(12), ...u16le(h.width & 0xffff), ...u16le(h.height & 0xffff), ...u16le(1), ...u16le(bpp)]
    : [
        ...u32le(40),
        ...u32le(h.width | 0),
        ...u32le(h.height | 0),
        ...u16le(1),
        ...u16le(bpp),
        ...u32le(h.compression ?? 0),
        ...u32le(data.length),
        ...u32le(2835),
        ...u32le(2835),
        ...u32le(0),
        ...u32le(0),
      ];
  const offset = 14 + dib.length + palette.length;
  return Uint8Array.from([0x42, 0x4d, ...u32le(offset + data.length), 0, 0, 0, 0, ...u32le(offset), ...dib, ...palette, ...data]);
}

export interface GifHeader {
  width: number;
  height: number;
  /** Image descriptor size; default = the logical screen size. */
  frameWidth?: number;
  frameHeight?: number;
  lzw?: number[];
}

export function gifFile(h: GifHeader): Uint8Array {
  const lzw = h.lzw ?? [0x44, 0x01]; // clear, one pixel, end (roughly)
  return Uint8Array.from([
    ...Buffer.from('GIF89a', 'latin1'),
    ...u16le(h.width & 0xffff),
    ...u16le(h.height & 0xffff),
    0x80, // global colour table, 2 entries
    0,
    0,
    0,
    0,
    0,
    255,
    255,
    255,
    0x2c,
    ...u16le(0),
    ...u16le(0),
    ...u16le((h.frameWidth ?? h.width) & 0xffff),
    ...u16le((h.frameHeight ?? h.height) & 0xffff),
    0,
    2,
    lzw.length,
    ...lzw,
    0,
    0x3b,
  ]);
}

export interface JpegHeader {
  width: number; // 16-bit
  height: number;
  /** SOF marker: 0xC0 baseline, 0xC1, 0xC2 progressive, … */
  sof?: number;
  components?: number;
  scanBytes?: number;
}

/** SOI, a DQT, a frame header, a scan header with a few bytes of entropy data, EOI (no DHT: a decoder must fail). */
export function jpegFile(h: JpegHeader): Uint8Array {
  const nc = h.components ?? 1;
  const dqt = [0xff, 0xdb, ...u16be(67), 0, ...new Array<number>(64).fill(1)];
  const comps: number[] = [];
  for (let i = 0; i < nc; i++) comps.push(i + 1, 0x11, 0);
  const sof = [0xff, h.sof ?? 0xc0, ...u16be(8 + 3 * nc), 8, ...u16be(h.height & 0xffff), ...u16be(h.width & 0xffff), nc, ...comps];
  const scomps: number[] = [];
  for (let i = 0; i < nc; i++) scomps.push(i + 1, 0);
  const sos = [0xff, 0xda, ...u16be(6 + 2 * nc), nc, ...scomps, 0, 63, 0];
  const scan = new Array<number>(h.scanBytes ?? 4).fill(0x12);
  return Uint8Array.from([0xff, 0xd8, ...dqt, ...sof, ...sos, ...scan, 0xff, 0xd9]);
}

export interface TiffHeader {
  width: number;
  height: number;
  bigEndian?: boolean;
  /** SHORT (3) or LONG (4) for the size tags. */
  sizeType?: 3 | 4;
  compression?: number;
  bitsPerSample?: number;
  dataBytes?: number;
  /** Claimed strip byte count (default: the real data length). */
  stripBytes?: number;
  /** Further pages (IFDs) after the first, each claiming its own size and sharing the data. */
  pages?: Array<{ width: number; height: number }>;
  /** The last IFD's next-IFD offset (default 0); 8 points back at the first IFD (a loop). */
  lastNext?: number;
}

export function tiffFile(h: TiffHeader): Uint8Array {
  const be = h.bigEndian ?? false;
  const w16 = be ? u16be : u16le;
  const w32 = be ? u32be : u32le;
  const data = new Array<number>(h.dataBytes ?? 16).fill(0x80);
  const pages = [{ width: h.width, height: h.height }, ...(h.pages ?? [])];
  const ENTRIES = 9;
  const ifdSize = 2 + 12 * ENTRIES + 4;
  const dataOffset = 8 + ifdSize * pages.length;
  const ifds: number[] = [];
  pages.forEach((page, i) => {
    const entries: Array<[number, number, number]> = [
      [256, h.sizeType ?? 4, page.width >>> 0],
      [257, h.sizeType ?? 4, page.height >>> 0],
      [258, 3, h.bitsPerSample ?? 8],
      [259, 3, h.compression ?? 1],
      [262, 3, 1],
      [273, 4, dataOffset],
      [277, 3, 1],
      [278, 4, page.height >>> 0],
      [279, 4, h.stripBytes ?? data.length],
    ];
    ifds.push(...w16(entries.length));
    for (const [tag, type, value] of entries) {
      // A SHORT value sits in the first two bytes of the value field, whatever the byte order.
      const v = type === 3 ? [...w16(value & 0xffff), 0, 0] : w32(value);
      ifds.push(...w16(tag), ...w16(type), ...w32(1), ...v);
    }
    const last = i === pages.length - 1;
    ifds.push(...w32(last ? (h.lastNext ?? 0) : 8 + ifdSize * (i + 1)));
  });
  const head = be ? [0x4d, 0x4d, 0, 0x2a, ...u32be(8)] : [0x49, 0x49, 0x2a, 0, ...u32le(8)];
  return Uint8Array.from([...head, ...ifds, ...data]);
}

/**
 * A 2×2 TIFF whose first IFD carries a Nikon MakerNote (tag 37500): an embedded TIFF, which the
 * decoder parses as a whole — here one whose IFD chain points back at itself (`loop`) or ends.
 */
export function tiffWithNikonMakerNote(loop: boolean): Uint8Array {
  const inner = [0x49, 0x49, 0x2a, 0, ...u32le(8), ...u16le(1), ...u16le(256), ...u16le(3), ...u32le(1), ...u16le(1), 0, 0, ...u32le(loop ? 8 : 0)];
  const note = [...Array.from(Buffer.from('Nikon\0\x02\x10\0\0', 'latin1')), ...inner];
  const entries: Array<[number, number, number, number]> = [
    [256, 3, 1, 2],
    [257, 3, 1, 2],
    [258, 3, 1, 8],
    [259, 3, 1, 1],
    [262, 3, 1, 1],
    [273, 4, 1, 0],
    [277, 3, 1, 1],
    [278, 4, 1, 2],
    [279, 4, 1, 4],
    [37500, 7, note.length, 0],
  ];
  const dataOffset = 8 + 2 + 12 * entries.length + 4;
  entries[5][3] = dataOffset;
  entries[9][3] = dataOffset + 4;
  const ifd = [...u16le(entries.length)];
  for (const [tag, type, count, value] of entries)
    ifd.push(...u16le(tag), ...u16le(type), ...u32le(count), ...(type === 3 ? [...u16le(value), 0, 0] : u32le(value)));
  ifd.push(...u32le(0));
  return Uint8Array.from([0x49, 0x49, 0x2a, 0, ...u32le(8), ...ifd, 0x10, 0x60, 0xa0, 0xf0, ...note]);
}

// ---------------------------------------------------------------------------------------------
// Patching the size of a real file
// ---------------------------------------------------------------------------------------------

/** A copy of a real file whose header claims width × height (format-specific field widths). */
export function patchSize(file: SeedFile, width: number, height: number): Uint8Array {
  const b = Uint8Array.from(file.bytes);
  const put = (o: number, bytes: number[]) => bytes.forEach((v, i) => o + i < b.length && (b[o + i] = v));
  switch (file.format) {
    case 'png': {
      put(16, [...u32be(width >>> 0), ...u32be(height >>> 0)]);
      put(29, u32be(crc32(Buffer.from(b.subarray(12, 29)))));
      break;
    }
    case 'bmp':
      put(18, [...u32le(width | 0), ...u32le(height | 0)]);
      break;
    case 'gif':
      put(6, [...u16le(width & 0xffff), ...u16le(height & 0xffff)]);
      break;
    case 'jpeg': {
      let p = 2;
      while (p + 4 < b.length && b[p] === 0xff) {
        const m = b[p + 1];
        const len = (b[p + 2] << 8) | b[p + 3];
        if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
          put(p + 5, [...u16be(height & 0xffff), ...u16be(width & 0xffff)]);
          break;
        }
        p += 2 + len;
      }
      break;
    }
    case 'tiff': {
      const le = b[0] === 0x49;
      const r16 = (o: number) => (le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1]);
      const r32 = (o: number) =>
        le ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0 : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
      const ifd = r32(4);
      if (ifd + 2 > b.length) break;
      const n = r16(ifd);
      for (let e = 0; e < n && ifd + 2 + 12 * e + 12 <= b.length; e++) {
        const o = ifd + 2 + 12 * e;
        const tag = r16(o);
        const type = r16(o + 2);
        if (tag !== 256 && tag !== 257) continue;
        const v = tag === 256 ? width : height;
        if (type === 3) put(o + 8, le ? u16le(v & 0xffff) : u16be(v & 0xffff));
        else put(o + 8, le ? u32le(v >>> 0) : u32be(v >>> 0));
      }
      break;
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** Sizes a header may claim: edge values of 16/32-bit fields, "just under 50 MP", small ones. */
export const arbDim: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0, 1, 2, 3, 7, 255, 256, 7071, 7072, 32767, 32768, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 32 - 1 }) },
);
/** Signed 32-bit (BMP). */
export const arbSignedDim: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: arbDim.map((v) => v | 0) },
  { weight: 1, arbitrary: fc.constantFrom(-1, -2, -7, -7071, -65535, -(2 ** 31)) },
  { weight: 1, arbitrary: fc.integer({ min: -40, max: -1 }) },
);

export interface HeaderCase {
  kind: string;
  bytes: Uint8Array;
}

/** Hand-made headers of every format, and real files patched to claim another size. */
export function arbHeaderCase(seeds: readonly SeedFile[]): fc.Arbitrary<HeaderCase> {
  const small = fc.integer({ min: 0, max: 64 });
  return fc.oneof(
    fc
      .record({
        width: arbDim,
        height: arbDim,
        bitDepth: fc.constantFrom(1, 2, 4, 8, 16, 0, 3, 255),
        colorType: fc.constantFrom(0, 2, 3, 4, 6, 1, 7),
        interlace: fc.constantFrom(0, 1, 2),
        idatZeros: fc.constantFrom(0, 1, 16, 1000, 100_000),
        badCrc: fc.boolean(),
      })
      .map((h) => ({ kind: 'png', bytes: pngFile({ ...h, idat: deflateSync(Buffer.alloc(h.idatZeros)) }) })),
    fc
      .record({
        width: arbSignedDim,
        height: arbSignedDim,
        core: fc.boolean(),
        bpp: fc.constantFrom(1, 4, 8, 16, 24, 32, 0, 7, 64),
        compression: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 99),
        dataBytes: small,
      })
      .map((h) => ({ kind: 'bmp', bytes: bmpFile(h) })),
    fc
      .record({
        width: arbDim,
        height: arbDim,
        frameWidth: fc.option(arbDim, { nil: undefined }),
        frameHeight: fc.option(arbDim, { nil: undefined }),
        lzw: fc.option(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 24 }), { nil: undefined }),
      })
      .map((h) => ({ kind: 'gif', bytes: gifFile(h) })),
    fc
      .record({
        width: arbDim,
        height: arbDim,
        sof: fc.constantFrom(0xc0, 0xc1, 0xc2, 0xc3, 0xc9, 0xcf),
        components: fc.constantFrom(1, 3, 0, 4, 255),
        scanBytes: small,
      })
      .map((h) => ({ kind: 'jpeg', bytes: jpegFile(h) })),
    fc
      .record({
        width: arbDim,
        height: arbDim,
        bigEndian: fc.boolean(),
        sizeType: fc.constantFrom(3 as const, 4 as const),
        compression: fc.constantFrom(1, 5, 7, 8, 32773, 2, 99),
        bitsPerSample: fc.constantFrom(1, 8, 16, 0, 32),
        dataBytes: small,
        stripBytes: fc.option(fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1), { nil: undefined }),
        pages: fc.option(fc.array(fc.record({ width: arbDim, height: arbDim }), { maxLength: 2 }), { nil: undefined }),
        lastNext: fc.option(fc.constantFrom(8, 9, 1000, 2 ** 32 - 1), { nil: undefined }),
      })
      .map((h) => ({ kind: 'tiff', bytes: tiffFile(h) })),
    fc.boolean().map((loop) => ({ kind: 'tiff-makernote', bytes: tiffWithNikonMakerNote(loop) })),
    fc
      .record({ seed: fc.constantFrom(...seeds), width: arbSignedDim, height: arbSignedDim })
      .map(({ seed, width, height }) => ({ kind: `patched-${seed.format}`, bytes: patchSize(seed, width, height) })),
  );
}

const SIGNATURES: number[][] = [
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [0xff, 0xd8, 0xff],
  [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  [0x49, 0x49, 0x2a, 0x00],
  [0x4d, 0x4d, 0x00, 0x2a],
  [0x42, 0x4d],
];

/** Random bytes: plain, and behind each format's signature (so they get past sniffing). */
export const arbRandomBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.uint8Array({ maxLength: 2048 }),
  fc.tuple(fc.constantFrom(...SIGNATURES), fc.uint8Array({ maxLength: 512 })).map(([sig, tail]) => Uint8Array.from([...sig, ...tail])),
);
