/**
 * Determinism (docs/design.md §17.1): the same input, options and seed give byte-identical SVG and JSON —
 * run after run, whatever was traced in between, in a fresh process, and through the command line
 * (whose output equals the library's with the same options).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Jimp } from 'jimp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/core.js';
import { toJson, toSvg, traceImage, type RawImage, type TraceOptions } from '../src/node.js';
import { buildRaw } from './fuzz/harness.js';
import { checkTraceResult } from './invariants.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** A grey (anti-aliased) glyph-like image: a ring with a bar through it. */
function glyph(): RawImage {
  const w = 48,
    h = 40;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = x + 0.5,
        py = y + 0.5;
      const ring = 5 - Math.abs(Math.hypot((px - 20) / 1.2, py - 20) - 11);
      const bar = Math.min(3 - Math.abs(py - 20), 44 - px, px - 24);
      const d = Math.max(ring, bar);
      data[y * w + x] = Math.round(255 * (1 - Math.min(1, Math.max(0, d + 0.5))));
    }
  }
  return { width: w, height: h, data };
}

let base: string;
let pngPath: string;
let png: Buffer;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'conicfit-determinism-'));
  const img = new Jimp({ width: 48, height: 40, color: 0xffffffff });
  const g = glyph();
  for (let i = 0; i < g.data.length; i++) {
    const v = g.data[i] as number;
    img.bitmap.data[4 * i] = img.bitmap.data[4 * i + 1] = img.bitmap.data[4 * i + 2] = v;
  }
  png = await img.getBuffer('image/png');
  mkdirSync(join(base, 'in'));
  pngPath = join(base, 'in', 'glyph.png');
  writeFileSync(pngPath, png);
  writeFileSync(join(base, 'in', 'blob.png'), await new Jimp({ width: 8, height: 8, color: 0x000000ff }).getBuffer('image/png'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const OPTION_SETS: TraceOptions[] = [
  { mode: 'conic', seed: 7 },
  { mode: 'conic', seed: 7, tolerance: 0.3, annealTangents: true },
  { mode: 'linear', seed: 7, tolerance: 0.5 },
  { mode: 'conic', seed: -123456789, subpixel: false },
];

async function outputs(input: () => RawImage | Uint8Array | string, options: TraceOptions) {
  const r = await traceImage(input(), { ...options });
  checkTraceResult(r);
  return {
    svg: toSvg(r),
    svgLayers: toSvg(r, { layers: { source: true, corners: true, intermediate: true, knots: true }, ellipse: 'cubic' }),
    json: toJson(r),
  };
}

describe('same input, options and seed → byte-identical SVG and JSON', () => {
  it.each(OPTION_SETS.map((o) => [JSON.stringify(o), o] as const))('in one process, run after run, whatever ran in between: %s', async (_name, options) => {
    const inputs = [() => glyph(), () => new Uint8Array(png), () => pngPath];
    for (const input of inputs) {
      const first = await outputs(input, options);
      // Something else in between (other seeds, other images, the other mode).
      await traceImage(buildRaw({ width: 16, height: 16, pattern: 'blob', density: 0.7, seed: 1, channels: 1 }), { mode: 'conic', seed: 99 });
      await traceImage(glyph(), { ...options, seed: (options.seed ?? 1) + 1, mode: options.mode === 'linear' ? 'conic' : 'linear' });
      const second = await outputs(input, options);
      expect(second.svg).toBe(first.svg);
      expect(second.svgLayers).toBe(first.svgLayers);
      expect(second.json).toBe(first.json);
    }
  });

  it('the JSON leaves timings out (they differ run to run) unless asked for', async () => {
    const r = await traceImage(glyph(), { seed: 7 });
    checkTraceResult(r, { width: 48, height: 40 });
    expect(JSON.parse(toJson(r)).report.timings).toEqual({});
    expect(Object.keys(JSON.parse(toJson(r, { timings: true })).report.timings)).toContain('total');
  });

  it('in a fresh process: the same bytes as here', async () => {
    const script = join(base, 'child.mts'); // .mts: ESM outside the package
    writeFileSync(
      script,
      `import { createHash } from 'node:crypto';
import { toJson, toSvg, traceImage } from ${JSON.stringify(join(ROOT, 'src', 'node.ts'))};
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const out: string[] = [];
for (const options of ${JSON.stringify(OPTION_SETS)}) {
  const r = await traceImage(${JSON.stringify(pngPath)}, options);
  out.push(sha(toSvg(r)), sha(toJson(r)));
}
console.log(JSON.stringify(out));
`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, timeout: 60_000 });
    const here: string[] = [];
    for (const options of OPTION_SETS) {
      const r = await traceImage(pngPath, options);
      checkTraceResult(r);
      here.push(sha(toSvg(r)), sha(toJson(r)));
    }
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual(here);
  }, 60_000);
});

describe('through the command line', () => {
  const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };

  it('two runs write byte-identical SVG and JSON (both modes, a seed, a folder)', async () => {
    const outs = ['out1', 'out2'].map((o) => join(base, o));
    for (const out of outs) {
      expect(await runCli(['trace', 'in', '-o', out, '--mode', 'both', '--json', '--seed', '42', '--tolerance', '0.4'], { ...quiet, cwd: base })).toBe(0);
    }
    const files = readdirSync(outs[0]).sort();
    expect(files).toEqual([
      'blob.conic.json',
      'blob.conic.svg',
      'blob.linear.json',
      'blob.linear.svg',
      'glyph.conic.json',
      'glyph.conic.svg',
      'glyph.linear.json',
      'glyph.linear.svg',
    ]);
    expect(readdirSync(outs[1]).sort()).toEqual(files);
    for (const f of files) expect(sha(readFileSync(join(outs[1], f))), f).toBe(sha(readFileSync(join(outs[0], f))));
  });

  it('the command line writes what the library returns for the same options', async () => {
    const out = join(base, 'out-lib');
    expect(await runCli(['trace', pngPath, '-o', out, '--json', '--seed', '5'], { ...quiet, cwd: base })).toBe(0);
    const r = await traceImage(pngPath, { mode: 'conic', seed: 5 });
    checkTraceResult(r);
    expect(readFileSync(join(out, 'glyph.svg'), 'utf8')).toBe(toSvg(r));
    expect(readFileSync(join(out, 'glyph.json'), 'utf8')).toBe(toJson(r));
  });
});
