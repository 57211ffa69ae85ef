/** The command line, run in-process through runCli (and, when dist/cli.js is built, once as a subprocess). */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Jimp } from 'jimp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, writeAtomic, type CliIo } from '../src/cli/core.js';
import { fromJson } from '../src/output/json.js';
import { parsePath } from '../scripts/svg-tools.js';
import { listFiles, tmpFiles } from './fs-helpers.js';
import { checkTraceResult } from './invariants.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = (createRequire(import.meta.url)(join(ROOT, 'package.json')) as { version: string }).version;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], extra: { tty?: boolean; cwd?: string } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: extra.tty ?? false },
    cwd: extra.cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A white w×h PNG with black where `inside(x, y)` (pixel centres). */
async function drawPng(w: number, h: number, inside: (x: number, y: number) => boolean, mime: 'image/png' | 'image/jpeg' = 'image/png') {
  const img = new Jimp({ width: w, height: h, color: 0xffffffff });
  const d = img.bitmap.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!inside(x + 0.5, y + 0.5)) continue;
      const i = (y * w + x) * 4;
      d[i] = d[i + 1] = d[i + 2] = 0;
    }
  }
  return mime === 'image/png' ? img.getBuffer('image/png') : img.getBuffer('image/jpeg');
}

const disk = (x: number, y: number) => (x - 20) ** 2 + (y - 20) ** 2 <= 12 ** 2;
const square = (x: number, y: number) => x >= 8 && x <= 30 && y >= 10 && y <= 32;
const ring = (x: number, y: number) => {
  const r2 = (x - 20) ** 2 + (y - 20) ** 2;
  return r2 <= 14 ** 2 && r2 >= 7 ** 2;
};

let base: string;
let images: string; // disk.png, square.png, ring.png, half.png (truncated), notes.png (text)
let counter = 0;
const freshDir = (name: string) => {
  const d = join(base, `${name}-${++counter}`);
  mkdirSync(d, { recursive: true });
  return d;
};

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'conicfit-cli-'));
  images = join(base, 'images');
  mkdirSync(images);
  const diskPng = await drawPng(40, 40, disk);
  writeFileSync(join(images, 'disk.png'), diskPng);
  writeFileSync(join(images, 'square.png'), await drawPng(40, 40, square));
  writeFileSync(join(images, 'ring.png'), await drawPng(40, 40, ring));
  writeFileSync(join(images, 'half.png'), diskPng.subarray(0, Math.floor(diskPng.length / 2)));
  writeFileSync(join(images, 'notes.png'), 'this is not an image, just some text\n');
  writeFileSync(join(images, 'readme.txt'), 'not picked up: wrong extension\n');
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('conicfit trace <folder>', () => {
  let out: string;
  let r: Run;
  beforeAll(async () => {
    out = join(freshDir('folder'), 'out');
    r = await run(['trace', images, '-o', out]);
  });

  it('exits 1 because some files failed', () => {
    expect(r.code).toBe(1);
  });

  it('writes an SVG for every good image', () => {
    for (const name of ['disk', 'square', 'ring']) {
      const svg = readFileSync(join(out, `${name}.svg`), 'utf8');
      expect(svg).toContain('<svg');
      expect(svg).toMatch(/<path[^>]*\sd="M/);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    }
    expect(readdirSync(out).sort()).toEqual(['disk.svg', 'ring.svg', 'square.svg']);
  });

  it('names each bad file with its error code and message, and carries on', () => {
    expect(r.stderr).toMatch(/conicfit: \S*half\.png: TRUNCATED: \S/);
    expect(r.stderr).toMatch(/conicfit: \S*notes\.png: NOT_AN_IMAGE: \S/);
    expect(r.stderr).not.toContain('readme.txt');
    expect(r.stderr).toMatch(/3 of 5 inputs traced, 2 failed/);
  });

  it('prints plain per-file lines (no progress bar) when stderr is not a terminal', () => {
    expect(r.stderr).toMatch(/disk\.png → \S*disk\.svg/);
    // eslint-disable-next-line no-control-regex -- the escape that starts a terminal control sequence
    expect(r.stderr).not.toMatch(/\u001b\[|░|█/);
    expect(r.stdout).toBe('');
  });

  it('leaves no temporary files', () => {
    expect(tmpFiles(out)).toEqual([]);
  });

  it('processes files sorted by name', () => {
    const order = [...r.stderr.matchAll(/(\w+)\.png[: ]/g)].map((m) => m[1]);
    expect(order).toEqual(['disk', 'half', 'notes', 'ring', 'square']);
  });
});

describe('conicfit trace options', () => {
  const disk = () => join(images, 'disk.png');
  const ring = () => join(images, 'ring.png');

  it('traces a single file with exit code 0', async () => {
    const out = freshDir('single');
    const r = await run(['trace', disk(), '-o', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual(['disk.svg']);
  });

  it('-o name.svg with one image writes that file (and name.json); with several inputs or a folder it is a usage error', async () => {
    const out = freshDir('named');
    const single = await run(['trace', disk(), '-o', join(out, 'shape.svg'), '--json']);
    expect(single.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['shape.json', 'shape.svg']);
    const folderRun = freshDir('named-folder');
    await run(['trace', disk(), '-o', folderRun]);
    expect(readFileSync(join(out, 'shape.svg'), 'utf8')).toBe(readFileSync(join(folderRun, 'disk.svg'), 'utf8'));
    const both = await run(['trace', disk(), '--mode', 'both', '-o', join(out, 'm.SVG')]);
    expect(both.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['m.conic.svg', 'm.linear.svg', 'shape.json', 'shape.svg']);
    for (const argv of [[disk(), ring()], [images]]) {
      const r = await run(['trace', ...argv, '-o', join(out, 'many.svg')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/names one output file/);
    }
    expect(readdirSync(out).sort()).toEqual(['m.conic.svg', 'm.linear.svg', 'shape.json', 'shape.svg']);
  });

  it('-o name.json (or .png, .pdf, …) is a usage error, not a folder of that name (was: a folder "out.json" holding out.json/disk.svg)', async () => {
    const out = freshDir('named-other');
    for (const name of ['out.json', 'out.PNG', 'out.pdf']) {
      const r = await run(['trace', disk(), '-o', join(out, name), '--json']);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toMatch(/-o takes an output folder or a file name ending in \.svg/);
    }
    expect(readdirSync(out)).toEqual([]);
    // A folder whose name has a dot is still a folder.
    const r = await run(['trace', disk(), '-o', join(out, 'v1.2')]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(out, 'v1.2'))).toEqual(['disk.svg']);
  });

  it('--colors with a flag colour traces do not read (--blur, --threshold, …) is a usage error (was: silently ignored)', async () => {
    const out = freshDir('colour-flags');
    for (const flags of [
      ['--blur', '1'],
      ['--threshold', '100'],
      ['--invert'],
      ['--no-invert'],
      ['--turn-policy', 'black'],
      ['--no-join-arcs'],
      ['--min-iou', '0.5'],
    ]) {
      const r = await run(['trace', disk(), '-o', out, '--colors', '2', ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toContain(`${flags[0]} does not apply to colour traces (--colors)`);
    }
    expect(readdirSync(out)).toEqual([]);
    // The flags colour traces do read still work, and so do the others without --colors.
    expect((await run(['trace', disk(), '-o', out, '--colors', '2', '--min-area', '5', '--no-refine', '--precision', '1'])).code).toBe(0);
    expect((await run(['trace', disk(), '-o', out, '--blur', '1', '--threshold', '100', '--no-join-arcs'])).code).toBe(0);
  });

  it("--max-pixels sets the image size limit, for grey and colour traces (was: 50 MP, out of the CLI's reach)", async () => {
    const out = freshDir('max-pixels');
    // disk.png is 40 × 40 = 1600 pixels.
    for (const colour of [[], ['--colors', '2']]) {
      const refused = await run(['trace', disk(), '-o', out, '--max-pixels', '1599', ...colour]);
      expect(refused.code, colour.join(' ')).toBe(1);
      expect(refused.stderr).toMatch(/disk\.png: TOO_MANY_PIXELS: .*1600 pixels, more than maxPixels = 1599 \(raise the limit with --max-pixels\)/);
      expect((await run(['trace', disk(), '-o', out, '--max-pixels', '1600', ...colour])).code, colour.join(' ')).toBe(0);
    }
    for (const bad of ['0', '-5', '1.5', 'lots']) {
      const r = await run(['trace', disk(), '-o', out, '--max-pixels', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('Expected a positive whole number of pixels');
    }
  });

  it('--invert with --no-invert is a usage error (was: the last one won without a word)', async () => {
    const out = freshDir('invert-both');
    for (const flags of [
      ['--invert', '--no-invert'],
      ['--no-invert', '--invert'],
    ]) {
      const r = await run(['trace', disk(), '-o', out, ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toContain('--invert and --no-invert cannot both be given');
    }
    expect(readdirSync(out)).toEqual([]);
  });

  it('--mode both writes name.linear.svg and name.conic.svg', async () => {
    const out = freshDir('both');
    const r = await run(['trace', disk(), ring(), '-o', out, '--mode', 'both']);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['disk.conic.svg', 'disk.linear.svg', 'ring.conic.svg', 'ring.linear.svg']);
    const linear = readFileSync(join(out, 'disk.linear.svg'), 'utf8');
    const conic = readFileSync(join(out, 'disk.conic.svg'), 'utf8');
    expect(linear).toMatch(/d="M/);
    expect(conic).toMatch(/d="M/);
    expect(linear).not.toBe(conic);
  });

  it('--json writes the model next to the SVG, and it parses with fits', async () => {
    const out = freshDir('json');
    const r = await run(['trace', ring(), '-o', out, '--json', '--mode', 'both']);
    expect(r.code).toBe(0);
    for (const mode of ['linear', 'conic'] as const) {
      const text = readFileSync(join(out, `ring.${mode}.json`), 'utf8');
      const data = JSON.parse(text);
      expect(Array.isArray(data.fits)).toBe(true);
      expect(data.fits.length).toBe(2); // outer boundary and hole
      expect(data.mode).toBe(mode);
      const model = fromJson(text);
      checkTraceResult(model);
      expect(model.fits[0].pieces.length).toBeGreaterThan(0);
    }
    const single = freshDir('json1');
    expect((await run(['trace', ring(), '-o', single, '--json'])).code).toBe(0);
    expect(readdirSync(single).sort()).toEqual(['ring.json', 'ring.svg']);
  });

  it('running twice gives byte-identical SVG and JSON', async () => {
    const a = freshDir('det-a');
    const b = freshDir('det-b');
    const args = ['--mode', 'both', '--json', '--seed', '7', '--tolerance', '0.5'];
    expect((await run(['trace', images, '-o', a, ...args])).code).toBe(1);
    expect((await run(['trace', images, '-o', b, ...args])).code).toBe(1);
    const files = readdirSync(a).sort();
    expect(files.length).toBe(12); // 3 good images × 2 modes × (svg + json)
    expect(readdirSync(b).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it('--jobs 1 and --jobs 3 (worker threads) write the same files and print the same messages', async () => {
    const a = freshDir('jobs-1');
    const b = freshDir('jobs-3');
    const args = ['--mode', 'both', '--json'];
    const one = await run(['trace', images, '-o', a, '--jobs', '1', ...args]);
    const three = await run(['trace', images, '-o', b, '--jobs', '3', ...args]);
    expect(three.code).toBe(one.code);
    expect(three.stderr.replaceAll(b, a)).toBe(one.stderr);
    const files = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    expect((await run(['trace', images, '--jobs', '0'])).code).toBe(2);
  });

  it('--turn-policy decides diagonal connectivity: two squares touching at a corner are one shape (black) or two (white)', async () => {
    const dir = freshDir('turn');
    const png = join(dir, 'diagonal.png');
    writeFileSync(png, await drawPng(40, 40, (x, y) => (x >= 8 && x < 20 && y >= 8 && y < 20) || (x >= 20 && x < 32 && y >= 20 && y < 32)));
    const contours = async (policy: string) => {
      const out = freshDir(`turn-${policy}`);
      expect((await run(['trace', png, '-o', out, '--json', '--turn-policy', policy])).code).toBe(0);
      return (JSON.parse(readFileSync(join(out, 'diagonal.json'), 'utf8')) as { contours: unknown[] }).contours.length;
    };
    expect(await contours('black')).toBe(1);
    expect(await contours('white')).toBe(2);
    const bad = await run(['trace', png, '-o', dir, '--turn-policy', 'sideways']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/turn-policy/);
  });

  it('passes options through: --precision, --tolerance, --rms-tolerance, --seed, --threshold, --invert, --min-area', async () => {
    const p0 = freshDir('prec0');
    const p5 = freshDir('prec5');
    expect((await run(['trace', disk(), '-o', p0, '--precision', '0'])).code).toBe(0);
    expect((await run(['trace', disk(), '-o', p5, '--precision', '5'])).code).toBe(0);
    const d0 = readFileSync(join(p0, 'disk.svg'), 'utf8').match(/\sd="([^"]*)"/)![1];
    const d5 = readFileSync(join(p5, 'disk.svg'), 'utf8').match(/\sd="([^"]*)"/)![1];
    expect(d0).toMatch(/^M-?\d+ -?\d+[A-Za-z]/); // coordinates rounded to integers
    expect(d5).not.toBe(d0);
    expect(d5.length).toBeGreaterThan(d0.length);

    const loose = freshDir('loose');
    const tight = freshDir('tight');
    // An 8 px tolerance on a 12 px disk leaves a triangle (IoU 0.79 beyond the outline's pixels):
    // traced, but exit 3 with the warning, unless --min-iou allows it. 3 px gives a pentagon within a
    // pixel of the disk (0.997): exit 0.
    const coarse = await run(['trace', disk(), '-o', freshDir('coarse'), '--tolerance', '8', '--mode', 'linear']);
    expect(coarse.code).toBe(3);
    expect(coarse.stderr).toMatch(
      /disk\.png \[linear\]: warning LOW_FIDELITY: the fit does not match the input's ink: IoU 0\.\d{3} beyond the outline's own pixels \(< 0\.9/,
    );
    expect(coarse.stderr).toMatch(/1 trace below --min-iou 0\.9/);
    expect((await run(['trace', disk(), '-o', freshDir('coarse-allowed'), '--tolerance', '8', '--mode', 'linear', '--min-iou', '0.5'])).code).toBe(0);
    expect((await run(['trace', disk(), '-o', loose, '--json', '--tolerance', '3', '--mode', 'linear'])).code).toBe(0);
    expect((await run(['trace', disk(), '-o', tight, '--json', '--tolerance', '0.2', '--mode', 'linear'])).code).toBe(0);
    const nl = JSON.parse(readFileSync(join(loose, 'disk.json'), 'utf8'));
    const nt = JSON.parse(readFileSync(join(tight, 'disk.json'), 'utf8'));
    expect(nl.tolerance).toBe(3);
    expect(nt.tolerance).toBe(0.2);
    expect(nt.report.totals.intervals).toBeGreaterThan(nl.report.totals.intervals);

    const seeded = freshDir('seeded');
    expect((await run(['trace', disk(), '-o', seeded, '--json', '--seed', '42'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(seeded, 'disk.json'), 'utf8')).seed).toBe(42);

    // --invert: the white ground becomes ink, so the disk is a hole in a full-image outline.
    const inv = freshDir('invert');
    expect((await run(['trace', disk(), '-o', inv, '--json', '--invert', '--threshold', '128'])).code).toBe(0);
    const ni = JSON.parse(readFileSync(join(inv, 'disk.json'), 'utf8'));
    expect(ni.fits.map((f: { hole: boolean }) => f.hole)).toEqual([false, true]);

    // --no-refine: the paper's pieces, tangent lengths fixed (|V − P₀| = h/(4u)); refined ones differ.
    const lambdaOf = (file: string) =>
      JSON.parse(readFileSync(file, 'utf8')).fits.flatMap(
        (f: { pieces: Array<{ kind: string; p0: { x: number; y: number }; v: { x: number; y: number }; p1: { x: number; y: number }; u: number }> }) =>
          f.pieces
            .filter((q) => q.kind === 'conic')
            .map((q) => Math.hypot(q.v.x - q.p0.x, q.v.y - q.p0.y) / (Math.hypot(q.p1.x - q.p0.x, q.p1.y - q.p0.y) / (4 * q.u))),
      ) as number[];
    const paper = freshDir('norefine');
    expect((await run(['trace', disk(), '-o', paper, '--json', '--no-refine'])).code).toBe(0);
    const paperLambdas = lambdaOf(join(paper, 'disk.json'));
    expect(paperLambdas.length).toBeGreaterThan(0);
    for (const l of paperLambdas) expect(l).toBeCloseTo(1, 6);
    expect(lambdaOf(join(seeded, 'disk.json')).some((l) => Math.abs(l - 1) > 0.01)).toBe(true);

    // --drop-corners (linear): the result says so and has fewer corner knots (the ampersand at 1.5 px drops one, §18.42).
    const amp = fileURLToPath(new URL('../samples/baskerville-ampersand-64-aa.png', import.meta.url));
    const [keptDir, droppedDir] = [freshDir('keepcorners'), freshDir('dropcorners')];
    expect((await run(['trace', amp, '-o', keptDir, '--json', '--mode', 'linear', '--tolerance', '1.5'])).code).toBe(0);
    expect((await run(['trace', amp, '-o', droppedDir, '--json', '--mode', 'linear', '--tolerance', '1.5', '--drop-corners'])).code).toBe(0);
    const cornersOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'baskerville-ampersand-64-aa.json'), 'utf8'));
    expect(cornersOf(droppedDir).dropCorners).toBe(true);
    expect(cornersOf(keptDir).dropCorners).toBeUndefined();
    expect(cornersOf(droppedDir).report.totals.corners).toBeLessThan(cornersOf(keptDir).report.totals.corners);

    // --no-join-arcs: every conic arc is its own command (Q, A or C), never a shorthand T that
    // continues the interval's first arc; by default this disk's quadratic pieces are Q+T pairs.
    const perArc = freshDir('perarc');
    expect((await run(['trace', disk(), '-o', perArc, '--json', '--no-join-arcs'])).code).toBe(0);
    const pathOf = (file: string) => /<path d="([^"]*)"/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
    const conics = JSON.parse(readFileSync(join(perArc, 'disk.json'), 'utf8'))
      .fits.flatMap((f: { pieces: Array<{ kind: string }> }) => f.pieces)
      .filter((q: { kind: string }) => q.kind === 'conic').length;
    expect(conics).toBeGreaterThan(0);
    // (Path data is compact, §15.7: each letter absolute or relative.)
    expect(pathOf(join(perArc, 'disk.svg'))).not.toMatch(/[Tt]/);
    // Commands counted parsed back (compact data leaves out a letter repeated from the command before).
    expect(parsePath(pathOf(join(perArc, 'disk.svg'))).filter((s) => s.c === 'Q' || s.c === 'A' || s.c === 'C').length).toBeGreaterThanOrEqual(2 * conics);
    expect(pathOf(join(seeded, 'disk.svg'))).toMatch(/[Tt]/);

    // --rms-tolerance: a tight RMS bound splits the disk's pieces further than the default bound.
    const tightRms = freshDir('rms');
    expect((await run(['trace', disk(), '-o', tightRms, '--json', '--seed', '42', '--rms-tolerance', '0.02'])).code).toBe(0);
    const rmsBound = JSON.parse(readFileSync(join(tightRms, 'disk.json'), 'utf8'));
    expect(rmsBound.rmsTolerance).toBe(0.02);
    expect(JSON.parse(readFileSync(join(seeded, 'disk.json'), 'utf8')).rmsTolerance).toBeUndefined();
    expect(rmsBound.report.totals.intervals).toBeGreaterThan(JSON.parse(readFileSync(join(seeded, 'disk.json'), 'utf8')).report.totals.intervals);

    // --min-area larger than the disk drops it.
    const speck = freshDir('minarea');
    // The trace is empty while the image has ink: traced, with the reason, and exit 3.
    const dropped = await run(['trace', disk(), '-o', speck, '--json', '--min-area', '100000']);
    expect(dropped.code).toBe(3);
    expect(dropped.stderr).toMatch(/warning NO_INK: no ink left: the one shape was smaller than minArea/);
    expect(JSON.parse(readFileSync(join(speck, 'disk.json'), 'utf8')).fits).toEqual([]);

    // Every model written is a valid result (test/invariants.ts).
    for (const dir of [loose, tight, seeded, inv, paper, perArc, tightRms, speck]) checkTraceResult(fromJson(readFileSync(join(dir, 'disk.json'), 'utf8')));
  });

  it('--report prints one line per file and mode on stdout', async () => {
    const out = freshDir('report');
    const r = await run(['trace', disk(), ring(), '-o', out, '--report', '--mode', 'both', '--quiet']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /disk\.png \[linear\]: 1 contour, \d+ corners, \d+ intermediate points, \d+ intervals, max deviation \d+\.\d{3} px, IoU \d\.\d{3}, \d+\.\d ms$/,
    );
    expect(lines[3]).toMatch(/ring\.png \[conic\]: 2 contours, /);
    expect(r.stderr).toBe(''); // --quiet
  });

  it('--quiet prints only errors', async () => {
    const out = freshDir('quiet');
    const r = await run(['trace', images, '-o', out, '--quiet']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/half\.png: TRUNCATED/);
    expect(lines[1]).toMatch(/notes\.png: NOT_AN_IMAGE/);
  });

  it('a path that does not exist is a failed file (FILE_NOT_FOUND), the others still run', async () => {
    const out = freshDir('missing');
    const r = await run(['trace', join(base, 'nope.png'), disk(), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.png: FILE_NOT_FOUND: no such file or folder/);
    expect(readdirSync(out)).toEqual(['disk.svg']);
  });

  it('an empty folder is a failure (NO_IMAGES)', async () => {
    const empty = freshDir('empty');
    const out = join(freshDir('empty-out'), 'o');
    const r = await run(['trace', empty, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NO_IMAGES/);
    expect(existsSync(out)).toBe(false); // nothing to write, nothing created
  });

  it('folders are not recursed into unless --recursive; then outputs mirror the tree', async () => {
    const root = freshDir('tree');
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'top.png'), readFileSync(disk()));
    writeFileSync(join(root, 'sub', 'deep.PNG'), readFileSync(ring()));
    writeFileSync(join(root, '.hidden.png'), 'dot-files are skipped');
    const flat = freshDir('flat');
    expect((await run(['trace', root, '-o', flat])).code).toBe(0);
    expect(listFiles(flat).map((p) => p.slice(flat.length + 1))).toEqual(['top.svg']);
    const deep = freshDir('deep');
    expect((await run(['trace', root, '-o', deep, '--recursive'])).code).toBe(0);
    expect(
      listFiles(deep)
        .map((p) => p.slice(deep.length + 1))
        .sort(),
    ).toEqual([join('sub', 'deep.svg'), 'top.svg']);
  });

  it('two inputs that would write the same output: the second fails with OUTPUT_CLASH', async () => {
    const dir = freshDir('clash');
    writeFileSync(join(dir, 'logo.png'), readFileSync(disk()));
    writeFileSync(join(dir, 'logo.jpg'), await drawPng(40, 40, square, 'image/jpeg'));
    const out = freshDir('clash-out');
    const r = await run(['trace', dir, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/logo\.png: OUTPUT_CLASH: .*logo\.svg.*logo\.jpg/);
    expect(readdirSync(out)).toEqual(['logo.svg']);
    // The same file named twice (directly and through its folder) is traced once, not a clash.
    const again = await run(['trace', join(dir, 'logo.jpg'), join(dir, 'logo.jpg'), '-o', freshDir('dup')]);
    expect(again.code).toBe(0);
  });

  it('the default output folder is ./conicfit-out, created on demand', async () => {
    const cwd = freshDir('cwd');
    const r = await run(['trace', disk()], { cwd });
    expect(r.code).toBe(0);
    expect(readdirSync(join(cwd, 'conicfit-out'))).toEqual(['disk.svg']);
  });

  it('an output folder that cannot be created is reported (exit 1)', async () => {
    const dir = freshDir('blocked');
    writeFileSync(join(dir, 'file'), 'x');
    const r = await run(['trace', disk(), '-o', join(dir, 'file')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot create output folder/);
    // A folder below it too (ENOTDIR), and nested new folders are made.
    expect((await run(['trace', disk(), '-o', join(dir, 'file', 'sub')])).code).toBe(1);
    expect((await run(['trace', disk(), '-o', join(dir, 'a', 'b', 'c')])).code).toBe(0);
    expect(readdirSync(join(dir, 'a', 'b', 'c'))).toEqual(['disk.svg']);
  });

  it('shows a progress bar on a terminal (several files), with errors printed above it', async () => {
    const out = freshDir('tty');
    const r = await run(['trace', images, '-o', out], { tty: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/5\/5/);
    expect(r.stderr).toMatch(/half\.png: TRUNCATED/);
    expect(r.stderr).not.toMatch(/disk\.png → /); // the bar replaces the per-file lines
    expect(readdirSync(out).sort()).toEqual(['disk.svg', 'ring.svg', 'square.svg']);
  });
});

describe('usage errors (exit 2) and help', () => {
  const disk = () => join(images, 'disk.png');

  it.each([
    [['--tolerance', '-1'], /--tolerance.*-1.*tolerance must be a number of pixels from 0\.001 to 10000/],
    [['--tolerance', 'abc'], /--tolerance.*abc.*number of pixels/],
    [['--rms-tolerance', '0'], /--rms-tolerance.*0.*rmsTolerance must be a number of pixels from 0\.001 to 10000/],
    [['--mode', 'spline'], /--mode.*spline.*linear, conic, both/],
    [['--threshold', '300'], /--threshold.*300.*integer 0\.\.255 or 'auto'/],
    [['--seed', '1.5'], /--seed.*1\.5.*integer/],
    [['--precision', '11'], /--precision.*11.*integer 0\.\.10/],
    [['--min-area', '-2'], /--min-area.*-2.*≥ 0/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
  ])('%j → exit 2 with a message naming the option', async (args, message) => {
    const out = freshDir('usage');
    const r = await run(['trace', disk(), '-o', out, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^conicfit: error: /);
    expect(readdirSync(out)).toEqual([]); // nothing traced
  });

  it('no inputs → exit 2', async () => {
    const r = await run(['trace']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument 'inputs'/);
  });

  it('no command / unknown command → exit 2', async () => {
    expect((await run([])).code).toBe(2);
    const r = await run(['trase', 'a.png']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'trase'/);
  });

  it('--help exits 0 and lists the commands and options', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Usage: conicfit/);
    expect(top.stdout).toMatch(/trace/);
    const trace = await run(['trace', '--help']);
    expect(trace.code).toBe(0);
    for (const opt of [
      '--out',
      '--mode',
      '--tolerance',
      '--rms-tolerance',
      '--threshold',
      '--seed',
      '--invert',
      '--no-refine',
      '--drop-corners',
      '--min-area',
      '--precision',
      '--no-join-arcs',
      '--json',
      '--report',
      '--quiet',
      '--recursive',
    ]) {
      expect(trace.stdout).toContain(opt);
    }
    expect(trace.stdout).toMatch(/Exit codes: 0 .*1 .*2 /);
  });

  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });
});

describe('writeAtomic', () => {
  it('replaces the target in one step and leaves no temporary file, also on failure', () => {
    const dir = freshDir('atomic');
    const file = join(dir, 'x.svg');
    writeFileSync(file, 'old');
    writeAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['x.svg']);
    expect(() => writeAtomic(join(dir, 'missing-folder', 'y.svg'), 'data')).toThrow();
    // Renaming onto a folder fails after the temp file was written: it must be cleaned up.
    mkdirSync(join(dir, 'z.svg'));
    expect(() => writeAtomic(join(dir, 'z.svg'), 'data')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['x.svg', 'z.svg']);
  });
});

// The built entry; CONICFIT_CLI points at another build (e.g. one made outside the repo's dist/).
const DIST_CLI = process.env.CONICFIT_CLI ?? join(ROOT, 'dist', 'cli.js');
describe.skipIf(!existsSync(DIST_CLI))('built CLI (dist/cli.js) as a subprocess', () => {
  const exec = promisify(execFile);
  // A subprocess with a timeout: in-process, a regression would loop synchronously and hang the suite.
  it.skipIf(!existsSync('/proc/self'))(
    "-o under /proc is reported, not a hang (Node 20's recursive mkdir loops there)",
    async () => {
      const err = await exec(process.execPath, [DIST_CLI, 'trace', join(images, 'disk.png'), '-o', '/proc/conicfit-test-out'], { timeout: 15_000 }).then(
        () => null,
        (e: { code: number | null; killed: boolean; stderr: string }) => e,
      );
      expect(err?.killed).toBe(false);
      expect(err?.code).toBe(1);
      expect(err?.stderr).toMatch(/cannot create output folder \/proc\/conicfit-test-out: ENOENT/);
    },
    20_000,
  );

  it('traces a folder and reports the exit code', async () => {
    const out = freshDir('subprocess');
    const err = await exec(process.execPath, [DIST_CLI, 'trace', images, '-o', out, '--jobs', '2']).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/half\.png: TRUNCATED/);
    expect(readdirSync(out).sort()).toEqual(['disk.svg', 'ring.svg', 'square.svg']);
    const v = await exec(process.execPath, [DIST_CLI, '--version']);
    expect(v.stdout.trim()).toBe(VERSION);
    const bad = await exec(process.execPath, [DIST_CLI, 'trace', images, '--mode', 'spline']).catch((e: { code: number }) => e);
    expect((bad as { code: number }).code).toBe(2);
  });

  it('survives a reader that closes the pipe early (`| head`): no EPIPE crash, files still written', async () => {
    const out = freshDir('epipe');
    for (const args of [
      ['trace', '--help'],
      ['trace', images, '-o', out, '--jobs', '1'],
    ]) {
      const child = spawn(process.execPath, [DIST_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Read the first chunk, then close our end, as `head -1` does.
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((done) => child.on('close', done));
      expect(stderr).not.toMatch(/EPIPE|Unhandled/);
      expect(code).toBe(args[1] === '--help' ? 0 : 1); // the folder holds a truncated PNG: exit code 1
    }
    expect(readdirSync(out).sort()).toEqual(['disk.svg', 'ring.svg', 'square.svg']);
  });
});
