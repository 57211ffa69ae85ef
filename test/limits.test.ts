/**
 * Resource limits against hostile files: decompression bombs and headers that make a decoder
 * allocate, loop or hang. Each is refused with a ConicfitError quickly, and memory (RSS and
 * ArrayBuffers, sampled while the call runs) grows by less than 50 MB.
 */
import { deflateSync } from 'node:zlib';
import { Jimp } from 'jimp';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli/core.js';
import { ConicfitError, loadBitmap, toJson, toSvg, traceImage, type TraceResult } from '../src/node.js';
import { gifFile, jpegFile, pngFile, tiffFile, tiffWithNikonMakerNote } from './fuzz/images.js';
import { checkTraceResult } from './invariants.js';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MB = 1024 * 1024;

interface Measured {
  value?: unknown;
  error?: unknown;
  ms: number;
  /** Largest growth over the starting value seen while the call ran, bytes. */
  rss: number;
  arrayBuffers: number;
}

/** Runs `fn`, sampling process.memoryUsage() every millisecond (and at the end). */
async function measure(fn: () => Promise<unknown>): Promise<Measured> {
  const before = process.memoryUsage();
  let rss = before.rss;
  let ab = before.arrayBuffers;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    ab = Math.max(ab, m.arrayBuffers);
  };
  const timer = setInterval(sample, 1);
  const t0 = performance.now();
  const out: Measured = { ms: 0, rss: 0, arrayBuffers: 0 };
  try {
    out.value = await fn();
  } catch (e) {
    out.error = e;
  } finally {
    out.ms = performance.now() - t0;
    clearInterval(timer);
    sample();
  }
  out.rss = rss - before.rss;
  out.arrayBuffers = ab - before.arrayBuffers;
  return out;
}

async function refused(bytes: Uint8Array, code: string, opts?: Parameters<typeof loadBitmap>[1]): Promise<Measured> {
  const m = await measure(() => loadBitmap(bytes, opts));
  expect(m.error, `expected ${code}, got ${m.error === undefined ? 'a result' : String(m.error)}`).toBeInstanceOf(ConicfitError);
  expect((m.error as ConicfitError).code).toBe(code);
  expect(m.rss).toBeLessThan(50 * MB);
  expect(m.arrayBuffers).toBeLessThan(50 * MB);
  return m;
}

describe('decompression bombs are refused before anything large is allocated', () => {
  it('PNG: IHDR claiming 50000×50000 with a tiny IDAT → TOO_MANY_PIXELS, quickly, no decode, < 50 MB', async () => {
    const bomb = pngFile({ width: 50_000, height: 50_000, idat: deflateSync(Buffer.alloc(64)) });
    expect(bomb.length).toBeLessThan(100);
    const spy = vi.spyOn(Jimp, 'fromBuffer');
    try {
      const m = await refused(bomb, 'TOO_MANY_PIXELS');
      expect(m.ms).toBeLessThan(250);
      expect((m.error as Error).message).toMatch(/50000×50000/);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('PNG: a real zlib bomb (20 MB of zeros in ~20 KB) behind a 50000×50000 header → TOO_MANY_PIXELS, < 50 MB', async () => {
    const bomb = pngFile({ width: 50_000, height: 50_000, idat: deflateSync(Buffer.alloc(20 * MB)) });
    expect(bomb.length).toBeLessThan(100_000);
    const m = await refused(bomb, 'TOO_MANY_PIXELS');
    expect(m.ms).toBeLessThan(250);
  });

  it('PNG just under maxPixels (7071×7071) with 16 bytes of data → TRUNCATED, < 50 MB (was: a 7071² image of zeros, 540 MB, 2 s)', async () => {
    const m = await refused(pngFile({ width: 7071, height: 7071 }), 'TRUNCATED');
    expect(m.ms).toBeLessThan(500);
  });

  it('PNG under maxPixels whose IDAT inflates to 20 MB instead of 200 MB → TRUNCATED, streamed (< 50 MB)', async () => {
    const m = await refused(pngFile({ width: 7071, height: 7071, idat: deflateSync(Buffer.alloc(20 * MB)) }), 'TRUNCATED');
    expect(m.ms).toBeLessThan(1500);
  });

  it('JPEG: a 100-byte file claiming 7071×7071 → TRUNCATED without allocating (was: ~900 MB, 2 s)', async () => {
    for (const components of [1, 3]) {
      const m = await refused(jpegFile({ width: 7071, height: 7071, components }), 'TRUNCATED');
      expect(m.ms).toBeLessThan(250);
    }
  });

  it('JPEG: a frame header claiming 255 components → TRUNCATED (was: seconds of per-component allocation)', async () => {
    const m = await refused(jpegFile({ width: 3, height: 65535, components: 255, scanBytes: 40_000 }), 'TRUNCATED');
    expect((m.error as Error).message).toMatch(/255 components/);
  });

  it('GIF: a 3×35 screen with a 65535×65535 frame → TRUNCATED (was: minutes in the decoder)', async () => {
    const m = await refused(gifFile({ width: 3, height: 35, frameWidth: 65535, frameHeight: 65535 }), 'TRUNCATED');
    expect(m.ms).toBeLessThan(250);
  });

  it('GIF: LZW data whose code table refers to itself → TRUNCATED (was: an endless loop in the decoder)', async () => {
    // Found by the fuzzer: 40 bytes that hung the process.
    const hang = Buffer.from('R0lGODlhDgD//4AAAAAAAP///ywAAAAABAAAAQACBxl/f8NSpO0AOw==', 'base64');
    const m = await refused(hang, 'TRUNCATED');
    expect(m.ms).toBeLessThan(250);
    expect((m.error as Error).message).toMatch(/LZW/);
  });

  it('TIFF: an IFD chain that loops back → TRUNCATED (the decoder would follow it forever)', async () => {
    const m = await refused(tiffFile({ width: 4, height: 4, lastNext: 8 }), 'TRUNCATED');
    expect((m.error as Error).message).toMatch(/loops/);
  });

  it('TIFF: a small first page and a huge second page → TOO_MANY_PIXELS (the decoder decodes every page)', async () => {
    const m = await refused(tiffFile({ width: 4, height: 4, compression: 5, pages: [{ width: 7072, height: 7071 }] }), 'TOO_MANY_PIXELS');
    expect(m.ms).toBeLessThan(250);
  });

  it('TIFF: uncompressed 7071×7071 with 16 bytes of strip data → TRUNCATED (was: a 7071² image of zeros)', async () => {
    await refused(tiffFile({ width: 7071, height: 7071 }), 'TRUNCATED');
  });

  it('TIFF: a tag claiming 33 million values past the end of the file → TRUNCATED (was: 2 s in the decoder)', async () => {
    const tiff = tiffFile({ width: 2, height: 2, dataBytes: 4 });
    // Entry 5 (tag 262, SHORT): count 0x02000001 and an offset past the end.
    const entry = 8 + 2 + 12 * 4;
    tiff.set([0x01, 0x00, 0x00, 0x02], entry + 4);
    tiff.set([0x00, 0x00, 0x02, 0x00], entry + 8);
    const m = await refused(tiff, 'TRUNCATED');
    expect(m.ms).toBeLessThan(250);
  });

  it('TIFF: a maker note holding a TIFF whose IFD chain loops is not followed (was: an endless loop); the pixels still load', async () => {
    const m = await measure(() => loadBitmap(tiffWithNikonMakerNote(true)));
    expect(m.error).toBeUndefined();
    expect(m.value).toMatchObject({ width: 2, height: 2 });
    expect(m.ms).toBeLessThan(1000);
    expect(m.rss).toBeLessThan(50 * MB);
    const plain = await loadBitmap(tiffWithNikonMakerNote(false));
    expect(Array.from((m.value as { coverage: Float32Array }).coverage)).toEqual(Array.from(plain.coverage));
  });

  it('traceImage and the command line refuse the PNG bomb the same way', async () => {
    const bomb = pngFile({ width: 50_000, height: 50_000 });
    const m = await measure(() => traceImage(bomb));
    expect((m.error as ConicfitError).code).toBe('TOO_MANY_PIXELS');
    expect(m.rss).toBeLessThan(50 * MB);
    const dir = mkdtempSync(join(tmpdir(), 'conicfit-limits-'));
    try {
      writeFileSync(join(dir, 'bomb.png'), bomb);
      let stderr = '';
      const code = await runCli(['trace', 'bomb.png', '-o', 'out'], {
        stdout: { write: () => true },
        stderr: { write: (s) => ((stderr += s), true) },
        cwd: dir,
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(/bomb\.png: TOO_MANY_PIXELS: /);
      expect(readdirSync(join(dir, 'out'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('decoder misbehaviour kept out of results and output', () => {
  it('a PNG whose image data is one byte short → TRUNCATED every time (was: pixels read from uninitialised memory)', async () => {
    const short = pngFile({ width: 4, height: 4, idat: deflateSync(Buffer.alloc(4 * 17 - 1)) });
    for (let i = 0; i < 5; i++) expect((await refused(short, 'TRUNCATED')).error).toBeInstanceOf(ConicfitError);
    const exact = pngFile({ width: 4, height: 4, idat: deflateSync(Buffer.alloc(4 * 17)) });
    await expect(loadBitmap(exact)).resolves.toMatchObject({ width: 4, height: 4 });
  });

  it("the GIF decoder's stream warnings do not reach console.log (the CLI's stdout), and console.log is never replaced", async () => {
    const log = console.log;
    const spy = vi.fn();
    console.log = spy;
    try {
      const short = gifFile({ width: 20, height: 20 }); // 2 codes of data for 400 pixels
      await loadBitmap(short).catch(() => undefined);
      expect(spy).not.toHaveBeenCalled();
      expect(console.log).toBe(spy);
      console.log('other output still passes');
      expect(spy).toHaveBeenCalledWith('other output still passes');
    } finally {
      console.log = log;
    }
  });
});

describe('output limits', () => {
  /** A traced anti-aliased disk (each test traces its own: no state shared between tests). */
  async function diskResult(): Promise<TraceResult> {
    const w = 40;
    const data = new Uint8Array(w * w);
    for (let y = 0; y < w; y++) {
      for (let x = 0; x < w; x++) data[y * w + x] = Math.round(255 * Math.min(1, Math.max(0, Math.hypot(x + 0.5 - 20, y + 0.5 - 20) - 13.5)));
    }
    const result = await traceImage({ width: w, height: w, data }, { mode: 'conic' });
    checkTraceResult(result, { width: w, height: w });
    return result;
  }

  it('toSvg: cubicTolerance below 1e-6 px → BAD_OPTION (1e-300 took 40 s and 10 MB per disk); 1e-6 is fast', async () => {
    const result = await diskResult();
    for (const t of [1e-300, 5e-324, 1e-9, 9.99e-7]) {
      expect(() => toSvg(result, { cubicTolerance: t, ellipse: 'cubic' })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    }
    const t0 = performance.now();
    const svg = toSvg(result, { cubicTolerance: 1e-6, ellipse: 'cubic' });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(svg.length).toBeLessThan(100_000);
  });

  it('toJson: a BigInt in the model → BAD_MODEL, not a bare TypeError', async () => {
    const result = await diskResult();
    expect(() => toJson({ ...result, seed: 10n as unknown as number })).toThrow(expect.objectContaining({ code: 'BAD_MODEL' }));
  });
});

describe('a raised maxPixels', () => {
  it('holds for every stage: a 50.4 MP image traced with maxPixels 60 MP gets its raster compare (was: TOO_MANY_PIXELS from the compare, at 50 MP)', async () => {
    const [w, h] = [8000, 6300];
    const data = new Uint8Array(w * h).fill(255);
    for (let y = 3000; y < 3300; y++) data.fill(0, y * w + 4000, y * w + 4400);
    await expect(traceImage({ width: w, height: h, data, channels: 1 }, { mode: 'linear' })).rejects.toMatchObject({ code: 'TOO_MANY_PIXELS' });
    const result = await traceImage({ width: w, height: h, data, channels: 1 }, { mode: 'linear', maxPixels: 60_000_000 });
    expect(result.report.totals.contours).toBe(1);
    expect(result.report.raster?.iou).toBe(1);
    expect(result.report.raster?.inkArea).toBe(400 * 300);
  }, 30_000);
});
