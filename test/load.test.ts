import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { Jimp } from 'jimp';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ConicfitError } from '../src/errors.js';
import { measureCoverage } from '../src/load/levels.js';
import { LOAD_DEFAULTS, loadBitmap, otsuThreshold, readImageSize, sniffFormat, type RawImage } from '../src/node.js';

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const MIMES = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  bmp: 'image/bmp',
  gif: 'image/gif',
  tiff: 'image/tiff',
} as const;
type Fmt = keyof typeof MIMES;

/** W×H white image with a black rectangle [x0, x1) × [y0, y1). */
const W = 40;
const H = 30;
const RECT = { x0: 8, y0: 6, x1: 27, y1: 21 };
const inRect = (x: number, y: number) => x >= RECT.x0 && x < RECT.x1 && y >= RECT.y0 && y < RECT.y1;

function squareImage() {
  const img = new Jimp({ width: W, height: H, color: 0xffffffff });
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (inRect(x, y)) img.setPixelColor(0x000000ff, x, y);
  return img;
}

async function encode(fmt: Fmt): Promise<Buffer> {
  return squareImage().getBuffer(MIMES[fmt]);
}

/** Resolve to the ConicfitError the promise rejects with (fails the test otherwise). */
async function rejection(p: Promise<unknown>): Promise<ConicfitError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ConicfitError);
    return e as ConicfitError;
  }
  throw new Error('expected a rejection');
}

function u32be(v: number): number[] {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

function pngChunk(type: string, data: number[]): number[] {
  const typeAndData = Buffer.from([...Buffer.from(type, 'latin1'), ...data]);
  return [...u32be(data.length), ...typeAndData, ...u32be(crc32(typeAndData))];
}

/** A PNG with only a (valid, CRC-correct) IHDR and IEND: the header claims width × height. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const ihdr = pngChunk('IHDR', [...u32be(width), ...u32be(height), 8, 6, 0, 0, 0]);
  return Uint8Array.from([...sig, ...ihdr, ...pngChunk('IEND', [])]);
}

/** A deterministic byte sequence (xorshift32), never starting with an image signature. */
function pseudoRandomBytes(n: number, seed = 12345): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 255;
  }
  out[0] = 0x00;
  return out;
}

const count = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);

// ---------------------------------------------------------------------------------------------
// decoding real files
// ---------------------------------------------------------------------------------------------

describe('loadBitmap: encoded images', () => {
  it.each(['png', 'bmp', 'gif', 'tiff'] as const)('%s: a black square on white comes back as exactly that square', async (fmt) => {
    const bm = await loadBitmap(await encode(fmt));
    expect(bm.width).toBe(W);
    expect(bm.height).toBe(H);
    expect(bm.ink).toHaveLength(W * H);
    expect(bm.coverage).toBeInstanceOf(Float32Array);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        expect(bm.ink[y * W + x], `ink at ${x},${y}`).toBe(inRect(x, y) ? 1 : 0);
      }
    }
    // Otsu between the two modes (GIF's black comes back as a dark grey, not 0).
    expect(bm.threshold).toBeGreaterThan(30);
    expect(bm.threshold).toBeLessThan(250);
  });

  // ImageMagick 6.9 (`convert sq.png -colorspace Gray -compress JPEG -quality 95` and
  // `-define tiff:tile-geometry=16x16 -compress LZW`): a 24 × 20 white image, black square x 6..17, y 4..15.
  const TIFF_GREY_JPEG =
    'SUkqAN4AAAD/2P/AAAsIABQAGAEBEQD/2gAIAQEAAD8A/X3/AIKj/tz/APDtf9hPxz+2t/wq7/hNP+EL/sz/AIpn+2/7O+2fbNUtLD/j48ify9n2rzP9W27Zt43bh+QH/Ec5/wBYuv8AzNn/AN5a/X//AIJcftz/APDyj9hPwN+2t/wq7/hC/wDhNP7T/wCKZ/tv+0fsf2PVLuw/4+PIg8zf9l8z/Vrt37edu4/P/wDwdHf8oKPjn/3LP/qT6TX8gVf1+/8ABrj/AMoKPgZ/3M3/AKk+rV9/0UV//9kAEAAAAQMAAQAAABgAAAABAQMAAQAAABQAAAACAQMAAQAAAAgAAAADAQMAAQAAAAcAAAAGAQMAAQAAAAEAAAAKAQMAAQAAAAEAAAARAQQAAQAAAAgAAAASAQMAAQAAAAEAAAAVAQMAAQAAAAEAAAAWAQMAAQAAABQAAAAXAQQAAQAAANUAAAAcAQMAAQAAAAEAAAApAQMAAgAAAAAAAQA+AQUAAgAAAPYCAAA/AQUABgAAAMYCAABbAQcAIQEAAKQBAAAAAAAA/9j/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/xAAfAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgv/xAC1EAACAQMDAgQDBQUEBAAAAX0BAgMABBEFEiExQQYTUWEHInEUMoGRoQgjQrHBFVLR8CQzYnKCCQoWFxgZGiUmJygpKjQ1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4eLj5OXm5+jp6vHy8/T19vf4+fr/2QCF61EAAACAAMP1qAAAAAACzcxMAAAAAAHNzEwAAACAAM3MTAAAAAACj8L1AAAAABA3GqAAAAAAAiuHCgAAACAA';
  const TIFF_TILED =
    'SUkqAOAAAACAP8AQOCQWDQKDQmCQiFQmGQ2Cw8AAGIRKKQ2LRWDReFRmMRuNQWOQ6QR+RSGCSODyWOyyEwGAP8AQOCQWDQKDQmCQiFQmGQ2HQYAxCHgCJw2KxeFRmKRKOwWNRGQR+CSGDx6MSiNyqRSWFQGAP8AQOCQWDQKDQmCQiFQmGQ2HQYAxCHgCJw2KxeFRmKRKOwWNRGQR+CSGDx6MSiNyqRSWFQGAP8AQOCQWDQKDQmCQiFQmGQ2HQYAxCHgCJw2KxeFRmKRKOwWNRGQR+CSGDx6MSiNyqRSWFQERAAABAwABAAAAGAAAAAEBAwABAAAAFAAAAAIBAwABAAAACAAAAAMBAwABAAAABQAAAAYBAwABAAAAAQAAAAoBAwABAAAAAQAAABIBAwABAAAAAQAAABUBAwABAAAAAQAAABwBAwABAAAAAQAAACkBAwACAAAAAAABAD0BAwABAAAAAgAAAD4BBQACAAAA+gEAAD8BBQAGAAAAygEAAEIBAwABAAAAEAAAAEMBAwABAAAAEAAAAEQBBAAEAAAAugEAAEUBAwAEAAAAsgEAAAAAAAA2ADYANgA2AAgAAAA+AAAAdAAAAKoAAACF61EAAACAAMP1qAAAAAACzcxMAAAAAAHNzEwAAACAAM3MTAAAAAACj8L1AAAAABA3GqAAAAAAAiuHCgAAACAA';
  const squareMask = () =>
    Array.from({ length: 20 * 24 }, (_, q) => (q % 24 >= 6 && q % 24 < 18 && Math.floor(q / 24) >= 4 && Math.floor(q / 24) < 16 ? 1 : 0));

  it('tiff: a greyscale JPEG-compressed page (scanners, ImageMagick) comes back as its square (was: garbage rows)', async () => {
    const bm = await loadBitmap(Buffer.from(TIFF_GREY_JPEG, 'base64'));
    expect([bm.width, bm.height]).toEqual([24, 20]);
    expect(Array.from(bm.ink)).toEqual(squareMask());
  });

  it('tiff: a tiled page decodes without printing on stdout (was: "==== 2 2" from the decoder)', async () => {
    const log = vi.spyOn(console, 'log');
    try {
      const bm = await loadBitmap(Buffer.from(TIFF_TILED, 'base64'));
      expect(Array.from(bm.ink)).toEqual(squareMask());
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  it('png: exact coverage 0/1 and grey = false for a bilevel image', async () => {
    const bm = await loadBitmap(await encode('png'));
    const values = new Set(bm.coverage);
    expect([...values].sort()).toEqual([0, 1]);
    expect(bm.grey).toBe(false);
    expect(bm.threshold).toBe(128); // black and white only: middle of the tied Otsu range
  });

  it('jpeg (lossy): a black square on white comes back as that square, up to edge noise', async () => {
    const bm = await loadBitmap(await encode('jpeg'));
    expect([bm.width, bm.height]).toEqual([W, H]);
    let wrong = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const want = inRect(x, y) ? 1 : 0;
        if (bm.ink[y * W + x] !== want) wrong++;
        // Pixels 2+ px from the square's edge must be right.
        const far =
          Math.min(Math.abs(x - RECT.x0), Math.abs(x - (RECT.x1 - 1)), Math.abs(y - RECT.y0), Math.abs(y - (RECT.y1 - 1))) >= 2 ||
          !(x >= RECT.x0 - 2 && x < RECT.x1 + 2 && y >= RECT.y0 - 2 && y < RECT.y1 + 2);
        if (far) expect(bm.ink[y * W + x], `ink at ${x},${y}`).toBe(want);
      }
    }
    expect(wrong).toBeLessThanOrEqual(4);
    expect(count(bm.ink)).toBeGreaterThan(0.95 * (RECT.x1 - RECT.x0) * (RECT.y1 - RECT.y0));
  });

  it('accepts Buffer, Uint8Array view at an offset, and ArrayBuffer alike', async () => {
    const buf = await encode('png');
    const padded = new Uint8Array(buf.length + 7);
    padded.set(buf, 5);
    const view = padded.subarray(5, 5 + buf.length);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    const a = await loadBitmap(buf);
    const b = await loadBitmap(view);
    const c = await loadBitmap(ab);
    expect(b.ink).toEqual(a.ink);
    expect(c.ink).toEqual(a.ink);
    expect(count(a.ink)).toBe((RECT.x1 - RECT.x0) * (RECT.y1 - RECT.y0));
  });

  it('reads a file path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conicfit-load-'));
    try {
      const path = join(dir, 'square.png');
      await writeFile(path, await encode('png'));
      const bm = await loadBitmap(path);
      expect(count(bm.ink)).toBe((RECT.x1 - RECT.x0) * (RECT.y1 - RECT.y0));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('png with transparency: transparent pixels are background, even when their colour is black', async () => {
    const img = new Jimp({ width: 4, height: 1, color: 0x00000000 }); // transparent black
    img.setPixelColor(0x000000ff, 1, 0); // opaque black
    img.setPixelColor(0x00000080, 2, 0); // half-transparent black
    const bm = await loadBitmap(await img.getBuffer('image/png'), { threshold: 128 });
    expect(Array.from(bm.ink)).toEqual([0, 1, 1, 0]);
    expect(bm.coverage[0]).toBe(0);
    expect(bm.coverage[1]).toBe(1);
    expect(bm.coverage[2]).toBeCloseTo(128 / 255, 6);
    expect(bm.grey).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// raw input, compositing, invert, thresholds
// ---------------------------------------------------------------------------------------------

describe('loadBitmap: raw pixels', () => {
  it('RGBA: transparent pixels are background whatever their colour; alpha scales coverage', async () => {
    // black opaque, black transparent, red opaque, white opaque, black 25 % alpha
    const data = Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 64]);
    const bm = await loadBitmap({ width: 5, height: 1, data }, { threshold: 128 });
    expect(bm.coverage[0]).toBe(1);
    expect(bm.coverage[1]).toBe(0);
    expect(bm.coverage[2]).toBeCloseTo(1 - 0.299, 6); // L(red) = 0.299·255
    expect(bm.coverage[3]).toBe(0);
    expect(bm.coverage[4]).toBeCloseTo(64 / 255, 6);
    expect(Array.from(bm.ink)).toEqual([1, 0, 1, 0, 0]);
    expect(bm.grey).toBe(true);
  });

  it('infers channels from the data length: grey, grey+alpha, RGB, RGBA give the same result', async () => {
    const grey = [0, 255, 100, 255];
    const ga = grey.flatMap((v) => [v, 255]);
    const rgb = grey.flatMap((v) => [v, v, v]);
    const rgba = grey.flatMap((v) => [v, v, v, 255]);
    const results = await Promise.all([grey, ga, rgb, rgba].map((data) => loadBitmap({ width: 2, height: 2, data }, { threshold: 128 })));
    for (const r of results) {
      expect(Array.from(r.ink)).toEqual([1, 0, 1, 0]);
      expect(r.coverage[2]).toBeCloseTo(155 / 255, 6);
    }
  });

  it('grey+alpha: a fully transparent black pixel is background', async () => {
    const bm = await loadBitmap({ width: 2, height: 1, data: [0, 0, 0, 255] });
    expect(Array.from(bm.ink)).toEqual([0, 1]);
    expect(Array.from(bm.coverage)).toEqual([0, 1]);
  });

  it('explicit channels must match the data length', async () => {
    const e = await rejection(loadBitmap({ width: 2, height: 2, data: new Uint8Array(12), channels: 4 }));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(/12/);
    const e2 = await rejection(loadBitmap({ width: 2, height: 2, data: new Uint8Array(20) }));
    expect(e2.code).toBe('BAD_INPUT');
    const e3 = await rejection(loadBitmap({ width: 1, height: 1, data: [0], channels: 5 as 1 }));
    expect(e3.code).toBe('BAD_INPUT');
  });

  it('rejects number[] data with values outside 0..255', async () => {
    for (const bad of [256, -1, Number.NaN]) {
      const e = await rejection(loadBitmap({ width: 2, height: 1, data: [0, bad] }));
      expect(e.code).toBe('BAD_INPUT');
    }
  });

  it('invert: light ink on dark ground; transparent stays background', async () => {
    // white, black, white-transparent, black-transparent, mid grey (RGBA)
    const data = Uint8ClampedArray.from([255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 0, 200, 200, 200, 255]);
    const bm = await loadBitmap({ width: 5, height: 1, data }, { invert: true, threshold: 128 });
    // Composited over black; coverage between the image's own levels (paper the dark class).
    const { paper, ink, inverted } = bm.levels!;
    expect(inverted).toBe(true);
    expect(Array.from(bm.coverage.slice(0, 4))).toEqual([1, 0, 0, 0]);
    expect(bm.coverage[4]).toBeCloseTo(Math.min(1, (paper - 200) / (paper - ink)), 6);
    expect(Array.from(bm.ink)).toEqual([1, 0, 0, 0, 1]);
    const plain = await loadBitmap({ width: 5, height: 1, data }, { threshold: 128 });
    expect(Array.from(plain.ink)).toEqual([0, 1, 0, 0, 0]);
  });

  it('invert with auto threshold: a white square on black comes back as the square', async () => {
    const img = new Jimp({ width: W, height: H, color: 0x000000ff });
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (inRect(x, y)) img.setPixelColor(0xffffffff, x, y);
    const bm = await loadBitmap(await img.getBuffer('image/png'), { invert: true });
    for (let i = 0; i < W * H; i++) expect(bm.ink[i]).toBe(inRect(i % W, Math.floor(i / W)) ? 1 : 0);
  });

  it('numeric threshold t: ink is exactly the grey levels < t (ramp 0..255)', async () => {
    const data = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const t of [0, 1, 64, 127, 128, 129, 200, 255]) {
      const bm = await loadBitmap({ width: 256, height: 1, data }, { threshold: t });
      expect(bm.threshold).toBe(t);
      expect(count(bm.ink)).toBe(t);
      expect(bm.ink[0]).toBe(t > 0 ? 1 : 0);
      expect(bm.ink[255]).toBe(0);
      if (t > 0) expect(bm.ink[t - 1]).toBe(1);
      if (t < 256) expect(bm.ink[t]).toBe(0);
    }
  });

  it('threshold 128 splits a 50 % grey on the 0.5 coverage level: 127 is ink, 128 is not', async () => {
    // Black and white are the image's levels (most pixels), so the two greys sit either side of 0.5.
    const data = [...Array(8).fill(0), 127, 128, ...Array(8).fill(255)];
    const bm = await loadBitmap({ width: 18, height: 1, data }, { threshold: 128 });
    expect(bm.levels).toMatchObject({ paper: 255, ink: 0 });
    expect(Array.from(bm.ink)).toEqual(data.map((v) => (v < 128 ? 1 : 0)));
    expect(bm.coverage[8]).toBeGreaterThan(0.5);
    expect(bm.coverage[9]).toBeLessThan(0.5);
    // ink ⇔ coverage > 0.5 for every 8-bit grey level at threshold 128
    const ramp = await loadBitmap({ width: 256, height: 1, data: Uint8Array.from({ length: 256 }, (_, i) => i) }, { threshold: 128 });
    for (let i = 0; i < 256; i++) expect(ramp.ink[i]).toBe(ramp.coverage[i] > 0.5 ? 1 : 0);
  });

  it("'auto' (Otsu) picks a level between two grey modes", async () => {
    // Two noisy modes around 60 and 200 (deterministic noise ±10); dark mode in the left half.
    const w = 50;
    const h = 20;
    const noise = pseudoRandomBytes(w * h, 99);
    const data = new Uint8Array(w * h);
    for (let i = 0; i < w * h; i++) data[i] = (i % w < 20 ? 60 : 200) + (noise[i] % 21) - 10;
    const bm = await loadBitmap({ width: w, height: h, data });
    expect(bm.threshold).toBeGreaterThan(70);
    expect(bm.threshold).toBeLessThanOrEqual(190);
    for (let i = 0; i < w * h; i++) expect(bm.ink[i]).toBe(i % w < 20 ? 1 : 0);
    // Noise of ±10 levels on a contrast of ~140 (coverage ±0.07) at a pixel-aligned edge is not
    // anti-aliasing (docs/design.md §2.6 step 7): the edge stays on pixel corners.
    expect(bm.grey).toBe(false);
  });

  it('a flat light tint is not anti-aliasing: a bilevel drawing with one stays on pixel corners (§2.6 step 7)', async () => {
    // A 40 × 40 black square on white with a 12 × 12 patch of 249 inside the paper and one
    // touching the square: coverage 0.024, partial, yet the image is bilevel.
    const w = 40;
    const data = new Uint8Array(w * w).fill(255);
    const set = (x0: number, y0: number, x1: number, y1: number, v: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * w + x] = v;
    };
    set(10, 10, 30, 30, 0);
    set(1, 1, 9, 9, 249);
    set(30, 12, 38, 24, 249);
    const tinted = await loadBitmap({ width: w, height: w, data });
    expect(tinted.coverage.some((v) => v > 0 && v < 1)).toBe(true);
    expect(tinted.grey).toBe(false);
    // The same square with an anti-aliased edge (a column of 50 % grey) is anti-aliased.
    set(30, 10, 31, 30, 128);
    expect((await loadBitmap({ width: w, height: w, data })).grey).toBe(true);
  });

  it("'auto' on a uniform image uses 128: all white → no ink, all black → all ink", async () => {
    const white = await loadBitmap({ width: 3, height: 3, data: new Uint8Array(9).fill(255) });
    expect(white.threshold).toBe(128);
    expect(count(white.ink)).toBe(0);
    const black = await loadBitmap({ width: 3, height: 3, data: new Uint8Array(9) });
    expect(black.threshold).toBe(128);
    expect(count(black.ink)).toBe(9);
    const clear = await loadBitmap({ width: 2, height: 1, data: new Uint8Array(8) }); // transparent RGBA
    expect(count(clear.ink)).toBe(0);
  });

  it('property: coverage lies between the reported levels; a numeric threshold t makes ink exactly the grey levels < t', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constant('auto' as const)),
        fc.infiniteStream(fc.integer({ min: 0, max: 255 })),
        async (w, h, threshold, stream) => {
          const data = Uint8Array.from(stream.take(w * h));
          const bm = await loadBitmap({ width: w, height: h, data }, { threshold });
          if (threshold !== 'auto') expect(bm.threshold).toBe(threshold);
          const t = bm.threshold;
          expect(Number.isInteger(t) && t >= 0 && t <= 255).toBe(true);
          const { paper, ink, inverted, flattened } = bm.levels!;
          expect(flattened).toBe(false); // too small for a background estimate
          expect(inverted ? paper <= ink : paper >= ink).toBe(true);
          for (let i = 0; i < w * h; i++) {
            const c = paper === ink ? 0 : Math.min(1, Math.max(0, (paper - data[i]) / (paper - ink)));
            expect(bm.coverage[i]).toBeCloseTo(c, 6);
            if (threshold !== 'auto') expect(bm.ink[i]).toBe((inverted ? 255 - data[i] : data[i]) < t ? 1 : 0);
          }
          // Anti-aliased (§2.6 step 7): of the 4-neighbour pairs on either side of coverage ½, at
          // least one and at least 5 % have a pixel with coverage in [0.1, 0.9].
          let pairs = 0,
            soft = 0;
          const c = (x: number, y: number) => bm.coverage[y * w + x];
          const isSoft = (v: number) => v >= 0.1 && v <= 0.9;
          for (let y = 0; y < h; y++)
            for (let x = 0; x < w; x++)
              for (const [x2, y2] of [
                [x + 1, y],
                [x, y + 1],
              ]) {
                if (x2 >= w || y2 >= h || c(x, y) >= 0.5 === c(x2, y2) >= 0.5) continue;
                pairs++;
                if (isSoft(c(x, y)) || isSoft(c(x2, y2))) soft++;
              }
          expect(bm.grey).toBe(soft > 0 && soft >= 0.05 * pairs);
          if (threshold === 'auto') {
            // Otsu on the normalised grey: full coverage is ink, none is not.
            for (let i = 0; i < w * h; i++) {
              if (bm.coverage[i] === 1 && bm.coverage.some((c) => c < 1)) expect(bm.ink[i]).toBe(1);
              if (bm.coverage[i] === 0 && bm.coverage.some((c) => c > 0)) expect(bm.ink[i]).toBe(0);
            }
          }
        },
      ),
      { numRuns: 150, seed: 20240601 },
    );
  });
});

describe('measureCoverage: the integer-level table', () => {
  // Integer luminances take a 256-entry table (docs/design.md §18.25); a value off the integers
  // takes the per-pixel formula. Moving one pixel by a quarter level keeps every histogram (so
  // every level), so all other pixels must come out the same both ways.
  const disk = (w: number, paper: number, ink: number, light: (x: number) => number) =>
    Float64Array.from({ length: w * w }, (_, i) => {
      const x = (i % w) + 0.5,
        y = Math.floor(i / w) + 0.5;
      const c = Math.min(1, Math.max(0, (w / 3 - Math.hypot(x - w / 2, y - w / 2)) / 6 + 0.5)); // a soft edge: many grey levels
      return Math.round(Math.min(255, (paper - c * (paper - ink)) * light(x)));
    });
  const cases: [string, Float64Array][] = [
    ['black on white', disk(40, 255, 0, () => 1)],
    ['grey levels', disk(40, 232, 35, () => 1)],
    ['uneven light (flattened)', disk(64, 250, 20, (x) => 0.55 + 0.45 * (x / 64))],
  ];
  for (const [name, lum] of cases) {
    it(name, () => {
      const w = Math.sqrt(lum.length);
      const k = (w / 2) * w + 3; // inside the image, off the border
      const moved = Float64Array.from(lum);
      moved[k] += 0.25;
      const a = measureCoverage(lum, null, w, w, 'auto');
      const b = measureCoverage(moved, null, w, w, 'auto');
      expect(b.levels).toEqual(a.levels);
      expect(a.coverage.some((c) => c > 0 && c < 1)).toBe(a.partial);
      for (let i = 0; i < lum.length; i++) {
        if (i === k) continue;
        expect(b.coverage[i]).toBe(a.coverage[i]);
        expect(b.grey[i]).toBe(a.grey[i]);
      }
      const histogram = (grey: Uint8Array) => grey.reduce((h, g) => (h[g]++, h), new Uint32Array(256));
      expect(Array.from(a.greyHistogram)).toEqual(Array.from(histogram(a.grey)));
      expect(Array.from(b.greyHistogram)).toEqual(Array.from(histogram(b.grey)));
    });
  }
});

describe('measureCoverage: byte luminance, block histograms and the mask in the same pass', () => {
  // A grey image's bytes are read as they are, their blocks' histograms counted in the histogram's
  // pass when the blocks are ≥ 16 px, and Otsu's mask made in the coverage pass (docs/design.md
  // §18.33): the same numbers as the same values as Float64 through the general path.
  const scene = (w: number, h: number, light: (x: number, y: number) => number) =>
    Uint8Array.from({ length: w * h }, (_, i) => {
      const x = (i % w) + 0.5,
        y = Math.floor(i / w) + 0.5;
      const c = Math.min(1, Math.max(0, (Math.min(w, h) / 3 - Math.hypot(x - w / 2, y - h / 2)) / 4 + 0.5));
      return Math.round(Math.min(255, (240 - c * 210) * light(x, y)));
    });
  const cases: [string, number, number, (x: number, y: number) => number][] = [
    ['small, even light', 40, 30, () => 1],
    ['large blocks, even light', 230, 190, () => 1],
    ['large blocks, uneven light (flattened)', 240, 200, (x, y) => 0.5 + (0.5 * (x + y)) / 440],
    ['one block row', 300, 20, () => 1],
  ];
  for (const [name, w, h, light] of cases) {
    for (const polarity of ['auto', true, false] as const) {
      it(`${name}, polarity ${String(polarity)}`, () => {
        const bytes = scene(w, h, light);
        const general = measureCoverage(Float64Array.from(bytes), null, w, h, polarity);
        const own = measureCoverage(bytes, null, w, h, polarity);
        expect(own.levels).toEqual(general.levels);
        expect(Array.from(own.greyHistogram)).toEqual(Array.from(general.greyHistogram));
        expect(own.coverage).toEqual(general.coverage);
        expect(own.grey).toEqual(general.grey);
        expect(own.inkThreshold).toBeUndefined();
        const masked = measureCoverage(bytes, null, w, h, polarity, true);
        const t = otsuThreshold(general.greyHistogram);
        if (general.levels.flattened)
          expect(masked.inkThreshold).toBeUndefined(); // not integers: the caller thresholds
        else {
          expect(masked.inkThreshold).toBe(t);
          expect(masked.grey).toEqual(general.grey.map((g) => (g < t ? 1 : 0)));
        }
      });
    }
  }
});

describe('otsuThreshold', () => {
  const hist = (pairs: [number, number][]) => {
    const h = new Uint32Array(256);
    for (const [q, n] of pairs) h[q] = n;
    return h;
  };

  it('two spikes: the middle of the empty range between them', () => {
    expect(
      otsuThreshold(
        hist([
          [0, 10],
          [255, 30],
        ]),
      ),
    ).toBe(128);
    expect(
      otsuThreshold(
        hist([
          [60, 5],
          [200, 5],
        ]),
      ),
    ).toBe(130);
  });

  it('separates a tight dark cluster from a wide light one', () => {
    const h = new Uint32Array(256);
    for (let q = 20; q <= 30; q++) h[q] = 100;
    for (let q = 150; q <= 250; q++) h[q] = 30;
    const t = otsuThreshold(h);
    expect(t).toBeGreaterThan(30);
    expect(t).toBeLessThanOrEqual(150);
  });

  it('empty or single-level histograms give 128', () => {
    expect(otsuThreshold(new Uint32Array(256))).toBe(128);
    expect(otsuThreshold(hist([[17, 1000]]))).toBe(128);
  });

  it('rejects a histogram that is not 256 Uint32 bins', () => {
    expect(() => otsuThreshold(new Uint32Array(10))).toThrow(ConicfitError);
    expect(() => otsuThreshold([1, 2, 3] as unknown as Uint32Array)).toThrow(/256/);
  });
});

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

describe('loadBitmap: errors', () => {
  it('random bytes → NOT_AN_IMAGE; empty bytes and text → NOT_AN_IMAGE', async () => {
    for (const bytes of [pseudoRandomBytes(1000), new Uint8Array(0), Buffer.from('BMW is a car maker, not a bitmap')]) {
      const e = await rejection(loadBitmap(bytes));
      expect(e.code).toBe('NOT_AN_IMAGE');
      expect(e.message).toMatch(/PNG, JPEG, BMP, GIF or TIFF/);
    }
  });

  it("bytes after a PNG's IEND (as older tools leave them) are ignored, as libpng and browsers do; a cut IEND is still TRUNCATED", async () => {
    const png = await encode('png');
    const clean = await loadBitmap(png);
    for (const tail of [Buffer.from([0, 0]), Buffer.from('\nsaved by an old tool\n'), Buffer.alloc(4096)]) {
      const bm = await loadBitmap(Buffer.concat([png, tail]));
      expect(Array.from(bm.ink)).toEqual(Array.from(clean.ink));
      expect(Array.from(bm.coverage)).toEqual(Array.from(clean.coverage));
    }
    // The IEND chunk itself cut short: the file really is broken.
    const e = await rejection(loadBitmap(png.subarray(0, png.length - 2)));
    expect(e.code).toBe('TRUNCATED');
  });

  it('a PNG cut in half → TRUNCATED, with the decoder error kept as cause', async () => {
    const png = await encode('png');
    const e = await rejection(loadBitmap(png.subarray(0, png.length >> 1)));
    expect(e.code).toBe('TRUNCATED');
    expect(e.cause).toBeInstanceOf(Error);
  });

  it.each(['png', 'jpeg', 'bmp', 'gif', 'tiff'] as const)('%s cut at 60 %% → TRUNCATED', async (fmt) => {
    const bytes = await encode(fmt);
    const e = await rejection(loadBitmap(bytes.subarray(0, Math.floor(bytes.length * 0.6))));
    expect(e.code).toBe('TRUNCATED');
  });

  it('a signature without a complete header → TRUNCATED', async () => {
    for (const head of [
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0xff, 0xd8, 0xff],
      [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1],
      [0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0],
      [0x42, 0x4d, 0, 0],
    ]) {
      const e = await rejection(loadBitmap(Uint8Array.from(head)));
      expect(e.code, head.join(',')).toBe('TRUNCATED');
    }
  });

  it('a PNG with a corrupted data byte → TRUNCATED (corrupt), not a raw decoder exception', async () => {
    const png = Buffer.from(await encode('png'));
    const idat = png.indexOf('IDAT');
    png[idat + 10] ^= 0xff; // breaks the chunk CRC / zlib stream
    const e = await rejection(loadBitmap(png));
    expect(e.code).toBe('TRUNCATED');
  });

  it('a PNG header claiming 100000×100000 → TOO_MANY_PIXELS, quickly and without decoding', async () => {
    const spy = vi.spyOn(Jimp, 'fromBuffer');
    try {
      const t0 = performance.now();
      const e = await rejection(loadBitmap(pngHeaderOnly(100000, 100000)));
      const ms = performance.now() - t0;
      expect(e.code).toBe('TOO_MANY_PIXELS');
      expect(e.message).toMatch(/100000×100000/);
      expect(ms).toBeLessThan(250);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('maxPixels applies to real files and raw input (limit inclusive)', async () => {
    const png = await encode('png');
    expect((await rejection(loadBitmap(png, { maxPixels: W * H - 1 }))).code).toBe('TOO_MANY_PIXELS');
    await expect(loadBitmap(png, { maxPixels: W * H })).resolves.toMatchObject({ width: W, height: H });
    const raw: RawImage = { width: 10, height: 10, data: new Uint8Array(100) };
    expect((await rejection(loadBitmap(raw, { maxPixels: 99 }))).code).toBe('TOO_MANY_PIXELS');
    await expect(loadBitmap(raw, { maxPixels: 100 })).resolves.toMatchObject({ width: 10 });
  });

  it('zero-size images → EMPTY_IMAGE (raw and header)', async () => {
    for (const [width, height] of [
      [0, 5],
      [5, 0],
      [0, 0],
    ]) {
      const e = await rejection(loadBitmap({ width, height, data: new Uint8Array(0) }));
      expect(e.code).toBe('EMPTY_IMAGE');
    }
    expect((await rejection(loadBitmap(pngHeaderOnly(0, 10)))).code).toBe('EMPTY_IMAGE');
  });

  it('raw width/height negative or non-integer → BAD_INPUT', async () => {
    for (const [width, height] of [
      [-1, 5],
      [2.5, 2],
      [2, Number.NaN],
      [Infinity, 1],
      ['3', 1],
    ] as [number, number][]) {
      const e = await rejection(loadBitmap({ width, height, data: new Uint8Array(6) }));
      expect(e.code).toBe('BAD_INPUT');
    }
  });

  it('inputs of the wrong type → BAD_INPUT', async () => {
    for (const input of [42, null, undefined, {}, { width: 2 }, [1, 2, 3], new Uint16Array(4), true]) {
      const e = await rejection(loadBitmap(input as never));
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toMatch(/file path|raw image/);
    }
    const e = await rejection(loadBitmap({ width: 1, height: 1, data: 'x' } as never));
    expect(e.code).toBe('BAD_INPUT');
  });

  it('bad options → BAD_OPTION naming the option, the value and what is allowed', async () => {
    const raw: RawImage = { width: 1, height: 1, data: [0] };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ threshold: 300 }, 'threshold', /300/],
      [{ threshold: -1 }, 'threshold', /-1/],
      [{ threshold: Number.NaN }, 'threshold', /NaN/],
      [{ threshold: 'x' }, 'threshold', /"x"/],
      [{ threshold: 12.5 }, 'threshold', /12\.5/],
      [{ maxPixels: 0 }, 'maxPixels', /got 0/],
      [{ maxPixels: -5 }, 'maxPixels', /-5/],
      [{ maxPixels: 1.5 }, 'maxPixels', /1\.5/],
      [{ maxPixels: '100' }, 'maxPixels', /"100"/],
      [{ invert: 'yes' }, 'invert', /"yes"/],
      [{ invert: 1 }, 'invert', /1/],
    ];
    for (const [opts, name, value] of cases) {
      const e = await rejection(loadBitmap(raw, opts as never));
      expect(e.code, JSON.stringify(opts)).toBe('BAD_OPTION');
      expect(e.message).toContain(name);
      expect(e.message).toMatch(value);
      expect(e.message).toMatch(/must be/);
    }
    expect((await rejection(loadBitmap(raw, { threshold: 300 }))).message).toMatch(/0\.\.255 or 'auto'/);
  });

  it('non-object options and unknown keys → BAD_OPTION; undefined values are fine', async () => {
    const raw: RawImage = { width: 1, height: 1, data: [0] };
    for (const opts of ['x', 5, null, [], true]) {
      expect((await rejection(loadBitmap(raw, opts as never))).code).toBe('BAD_OPTION');
    }
    const e = await rejection(loadBitmap(raw, { threshold: undefined, mode: 'conic' } as never));
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toBe('loadBitmap: unknown option "mode"; known options: threshold, invert, blur, maxPixels');
    const bm = await loadBitmap(raw, { threshold: undefined, blur: undefined });
    expect(bm.ink[0]).toBe(1);
  });

  it('options are validated before the input is read', async () => {
    const e = await rejection(loadBitmap('/definitely/not/here.png', { threshold: 999 }));
    expect(e.code).toBe('BAD_OPTION');
  });

  it('a missing path → FILE_NOT_FOUND naming the path; so does a directory', async () => {
    const path = join(tmpdir(), 'conicfit-no-such-dir', 'missing.png');
    const e = await rejection(loadBitmap(path));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain(path);
    expect(e.cause).toBeDefined();
    const e2 = await rejection(loadBitmap(tmpdir()));
    expect(e2.code).toBe('FILE_NOT_FOUND');
  });

  it('a file that is not an image → NOT_AN_IMAGE naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conicfit-load-'));
    try {
      const path = join(dir, 'notes.txt');
      await writeFile(path, 'hello, not an image\n');
      const e = await rejection(loadBitmap(path));
      expect(e.code).toBe('NOT_AN_IMAGE');
      expect(e.message).toContain(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// header sniffers
// ---------------------------------------------------------------------------------------------

describe('readImageSize / sniffFormat', () => {
  const files: Partial<Record<Fmt, Buffer>> = {};
  beforeAll(async () => {
    const img = new Jimp({ width: 37, height: 23, color: 0xffffffff });
    img.setPixelColor(0x000000ff, 3, 4);
    for (const fmt of Object.keys(MIMES) as Fmt[]) files[fmt] = await img.getBuffer(MIMES[fmt]);
  });

  it.each(Object.keys(MIMES) as Fmt[])('%s written by jimp: format and size', (fmt) => {
    const bytes = files[fmt]!;
    expect(sniffFormat(bytes)).toBe(fmt);
    expect(readImageSize(bytes)).toEqual({ format: fmt, width: 37, height: 23 });
  });

  it('hand-made PNG IHDR with large values (unsigned 32-bit)', () => {
    expect(readImageSize(pngHeaderOnly(100000, 3000000000))).toEqual({ format: 'png', width: 100000, height: 3000000000 });
  });

  it('BMP with a negative (top-down) height reports its absolute value', () => {
    const bmp = Buffer.from(files.bmp!);
    bmp.writeInt32LE(-23, 22);
    expect(readImageSize(bmp)).toEqual({ format: 'bmp', width: 37, height: 23 });
  });

  it('JPEG: skips APPn and DHT (0xC4, not a frame header) to find SOF', () => {
    const jpeg = Uint8Array.from([
      0xff,
      0xd8, // SOI
      0xff,
      0xe1,
      0x00,
      0x06,
      0x45,
      0x78,
      0x69,
      0x66, // APP1, 4 bytes
      0xff,
      0xc4,
      0x00,
      0x07,
      0x08,
      0x11,
      0x11,
      0x22,
      0x22, // DHT whose body looks like a size
      0xff,
      0xff, // fill bytes
      0xc2,
      0x00,
      0x0b,
      0x08,
      0x01,
      0x2c,
      0x02,
      0x58,
      0x01,
      0x01,
      0x11,
      0x00, // SOF2: 300 high, 600 wide
    ]);
    expect(readImageSize(jpeg)).toEqual({ format: 'jpeg', width: 600, height: 300 });
    expect(readImageSize(jpeg.subarray(0, 20))).toBeNull();
  });

  it('TIFF: little-endian, SHORT and LONG tags', () => {
    const tiff = (le: boolean, wType: 3 | 4, hType: 3 | 4) => {
      const b = Buffer.alloc(8 + 2 + 2 * 12 + 4);
      if (le) b.write('II*\0', 0, 'latin1');
      else b.write('MM\0*', 0, 'latin1');
      const u16 = (v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
      const u32 = (v: number, o: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
      u32(8, 4);
      u16(2, 8);
      const entry = (o: number, tag: number, type: 3 | 4, value: number) => {
        u16(tag, o);
        u16(type, o + 2);
        u32(1, o + 4);
        if (type === 3) u16(value, o + 8);
        else u32(value, o + 8);
      };
      entry(10, 256, wType, 1234);
      entry(22, 257, hType, 567);
      return b;
    };
    for (const le of [true, false]) {
      for (const [w, h] of [
        [3, 3],
        [4, 4],
        [3, 4],
        [4, 3],
      ] as const) {
        expect(readImageSize(tiff(le, w, h)), `le=${le} ${w}/${h}`).toEqual({ format: 'tiff', width: 1234, height: 567 });
      }
    }
  });

  it('unrecognised or truncated headers → null', () => {
    expect(sniffFormat(pseudoRandomBytes(64))).toBeNull();
    expect(readImageSize(pseudoRandomBytes(64))).toBeNull();
    expect(readImageSize(files.png!.subarray(0, 20))).toBeNull();
    expect(sniffFormat(files.png!.subarray(0, 20))).toBe('png');
    expect(readImageSize(files.gif!.subarray(0, 9))).toBeNull();
    expect(readImageSize(files.tiff!.subarray(0, 12))).toBeNull();
  });
});

describe('LOAD_DEFAULTS', () => {
  it('documents the defaults that loadBitmap applies', async () => {
    expect(LOAD_DEFAULTS).toEqual({ threshold: 'auto', invert: 'auto', blur: 0, maxPixels: 50_000_000 });
    expect(Object.isFrozen(LOAD_DEFAULTS)).toBe(true);
    // 'auto' by default: two grey modes far from 128 are still separated.
    const bm = await loadBitmap({ width: 2, height: 1, data: [200, 240] });
    expect(Array.from(bm.ink)).toEqual([1, 0]);
  });
});
