/**
 * src/load/gif.ts against jimp's GIF codec (omggif's decodeAndBlitFrameRGBA), which it replaces:
 * the same RGBA pixels, or both failing, on random GIFs (palettes, transparency, sub-frames,
 * interlacing, damaged LZW data), and `gifLzw`'s verdict is exactly omggif's warning.
 */
import fc from 'fast-check';
import { Jimp } from 'jimp';
import omggif from 'omggif';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeGif, gifLzw } from '../src/load/gif.js';

interface GifCase {
  width: number;
  height: number;
  frame: { x: number; y: number; w: number; h: number };
  colours: number;
  local: boolean;
  transparent: number | null;
  interlaced: boolean;
  seed: number;
  flips: [number, number][];
}

function makeGif(c: GifCase): Uint8Array {
  const palette = Array.from({ length: c.colours }, (_, i) => (i * 0x9e3779b1) & 0xffffff);
  const buf = new Uint8Array(1024 + c.width * c.height * 3);
  const writer = new omggif.GifWriter(buf, c.width, c.height, c.local ? {} : { palette });
  let s = c.seed;
  const indices = Array.from({ length: c.frame.w * c.frame.h }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) % c.colours);
  const opts: { palette?: number[]; transparent?: number } = c.local ? { palette } : {};
  if (c.transparent !== null) opts.transparent = c.transparent % c.colours;
  writer.addFrame(c.frame.x, c.frame.y, c.frame.w, c.frame.h, indices, opts);
  const bytes = buf.slice(0, writer.end());
  const info = new omggif.GifReader(bytes).frameInfo(0);
  if (c.interlaced) bytes[info.data_offset - 1 - (c.local ? 3 * c.colours : 0)] |= 0x40;
  for (const [at, value] of c.flips) {
    const p = info.data_offset + 1 + (at % Math.max(1, bytes.length - info.data_offset - 2));
    if (p < bytes.length - 1) bytes[p] = value;
  }
  return bytes;
}

const gifCase: fc.Arbitrary<GifCase> = fc
  .record({ width: fc.integer({ min: 1, max: 24 }), height: fc.integer({ min: 1, max: 24 }) })
  .chain(({ width, height }) =>
    fc.record({
      width: fc.constant(width),
      height: fc.constant(height),
      frame: fc
        .record({ x: fc.integer({ min: 0, max: width - 1 }), y: fc.integer({ min: 0, max: height - 1 }) })
        .chain(({ x, y }) =>
          fc.record({ x: fc.constant(x), y: fc.constant(y), w: fc.integer({ min: 1, max: width - x }), h: fc.integer({ min: 1, max: height - y }) }),
        ),
      colours: fc.constantFrom(2, 4, 16, 256),
      local: fc.boolean(),
      transparent: fc.option(fc.integer({ min: 0, max: 255 })),
      interlaced: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1e9 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
    }),
  );

afterEach(() => vi.restoreAllMocks());

describe('decodeGif = jimp GIF codec', () => {
  it('same pixels (or both fail) on random GIFs; gifLzw says exactly when omggif warns', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(gifCase, async (c) => {
        const bytes = makeGif(c);
        let offset: number;
        let frameSize: number;
        try {
          const info = new omggif.GifReader(bytes).frameInfo(0);
          offset = info.data_offset;
          frameSize = info.width * info.height;
        } catch {
          expect(() => decodeGif(bytes)).toThrow();
          return;
        }
        const verdict = gifLzw(bytes, offset, frameSize);
        seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
        if (verdict === 'loops') return; // jimp's decoder would hang (the guards refuse these files)
        log.mockClear();
        const theirs = await Jimp.fromBuffer(Buffer.from(bytes)).then(
          (j) => Uint8Array.from(j.bitmap.data),
          () => 'error',
        );
        const warned = log.mock.calls.map((a) => String(a[0]));
        expect(warned).toEqual(
          verdict === 'short' ? ['Warning, gif stream shorter than expected.'] : verdict === 'long' ? ['Warning, gif stream longer than expected.'] : [],
        );
        let ours: Uint8Array | string;
        try {
          ours = decodeGif(bytes).data;
        } catch {
          ours = 'error';
        }
        expect(ours).toEqual(theirs);
        if (typeof ours !== 'string') seen.set('decoded', (seen.get('decoded') ?? 0) + 1);
      }),
      { numRuns: 300, seed: 20261206 },
    );
    // The runs covered every ending, and most decoded.
    for (const k of ['exact', 'short', 'long']) expect(seen.get(k) ?? 0, `${k}: ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
    expect(seen.get('decoded')).toBeGreaterThan(150);
  });
});
