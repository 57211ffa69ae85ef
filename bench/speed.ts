/**
 * Timing benchmark (issue 15): conicfit conic and linear vs npm Potrace, PNG bytes → path data,
 * decoding included for every tracer, fair on a shared machine.
 *
 * Run: npx tsx bench/speed.ts             (full corpus, 5 runs per tracer and case; writes docs/benchmarks.md)
 *      npx tsx bench/speed.ts --quick     (2 glyphs + 2 icons, 3 runs; writes nothing to docs/)
 *      options: --runs N (default 5); --no-write (print only); --no-large; --no-batch;
 *               --only S (cases whose id contains S); --baseline REV (also time src/ as it was
 *               at git revision REV, interleaved with the rest: before/after in one run)
 *
 * - Corpus: bench/corpus.ts `buildCorpus()`; per case the three tracers run R times, interleaved
 *   (the order rotates with the run), after a warm-up over the first cases.
 * - conicfit: `traceImage(png, { mode })` (defaults: raster compare on) then `toSvg(result,
 *   { precision: 3 })`, the same work as bench/tracers.ts, from src/ bundled by esbuild as the
 *   package is (bench/out/speed-conicfit.mjs); Potrace: tracers.ts `potrace(png)`.
 * - Ratios: per case, median conicfit time / median Potrace time, and the median of those
 *   ("median per case"); and the corpus sum of medians / Potrace's sum ("corpus sum").
 * - Stages: `result.report.timings` (load, contours, corners, fit, raster) and toSvg timed around
 *   the call; each as a fraction of Potrace's whole run (the per-case medians, summed).
 * - Large scan: ../shared/realdata/scans/linn.png (4000×2864), conic and Potrace, one run each in
 *   a child process of its own: wall time and peak RSS − a baseline child's (modules loaded).
 * - Batch: the corpus PNGs written to a temp folder, `node dist/cli.js trace <dir> --jobs 1` and
 *   `--jobs 2` (the built CLI: run `npm run build` first), wall time, outputs compared byte for byte.
 * - The load average (`os.loadavg()`) at start and end: the machine is shared; compare ratios
 *   within a run, not times across runs.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { build } from 'esbuild';
import { buildCorpus, type Case } from './corpus.js';
import { median } from './geometry.js';
import { potrace } from './tracers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LARGE = path.resolve(ROOT, '..', 'shared', 'realdata', 'scans', 'linn.png');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const MB = 1024 * 1024;
const BUNDLE = path.join(ROOT, 'bench', 'out', 'speed-conicfit.mjs');

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'no-large': { type: 'boolean', default: false },
    'no-batch': { type: 'boolean', default: false },
    only: { type: 'string' },
    baseline: { type: 'string' },
    child: { type: 'string' },
  },
});
const QUICK = values.quick === true;
const RUNS = Math.max(1, Number(values.runs ?? (QUICK ? 3 : 5)) || 5);
const WRITE = !QUICK && values['no-write'] !== true && values.only === undefined;
const COMMAND = `npx tsx bench/speed.ts${process.argv.length > 2 ? ' ' + process.argv.slice(2).join(' ') : ''}`;

// conicfit as it ships: src/node.ts bundled by esbuild as tsup bundles it (tsx's transform keeps
// function names, a call per closure made: ~5 % of a trace). The parent bundles, children import.
type Lib = Pick<typeof import('../src/node.js'), 'traceImage' | 'toSvg'>;
const BASE = values.baseline;
const BASE_BUNDLE = path.join(ROOT, 'bench', 'out', 'speed-conicfit-base.mjs');

/** src/node.ts of `srcDir` bundled to `outfile`. */
async function bundle(srcDir: string, outfile: string): Promise<void> {
  const opts = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' } as const;
  await build({ ...opts, entryPoints: [path.join(srcDir, 'node.ts')], outfile });
}

if (!values.child) {
  await bundle(path.join(ROOT, 'src'), BUNDLE);
  if (BASE) {
    // src/ at the baseline revision, extracted beside nothing else (packages stay external).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conicfit-base-'));
    const tar = await promisify(execFile)('sh', ['-c', `git -C "${ROOT}" archive "${BASE}" src | tar -x -C "${dir}"`]);
    if (tar.stderr.trim()) console.error(tar.stderr);
    await bundle(path.join(dir, 'src'), BASE_BUNDLE);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const lib = (await import(pathToFileURL(BUNDLE).href)) as Lib;
const baseLib = BASE ? ((await import(pathToFileURL(BASE_BUNDLE).href)) as Lib) : null;

type Tracer = 'conic' | 'linear' | 'potrace' | 'conic-base' | 'linear-base';
type ConicfitTracer = Exclude<Tracer, 'potrace'>;
const TRACERS: Tracer[] = ['conic', 'linear', 'potrace', ...(BASE ? (['conic-base', 'linear-base'] as const) : [])];
const CONICFIT: ConicfitTracer[] = TRACERS.filter((t): t is ConicfitTracer => t !== 'potrace');
const LABEL: Record<ConicfitTracer, string> = {
  conic: 'conicfit conic',
  linear: 'conicfit linear',
  'conic-base': `conicfit conic at ${BASE}`,
  'linear-base': `conicfit linear at ${BASE}`,
};
const STAGES = ['load', 'contours', 'corners', 'fit', 'raster', 'toSvg'] as const;
type Stage = (typeof STAGES)[number];

interface Run {
  ms: number;
  stages?: Record<Stage, number>;
}

/** One timed run: PNG bytes → path data. conicfit's stage times come from its report. */
async function timed(tracer: Tracer, png: Buffer): Promise<Run> {
  const t0 = performance.now();
  if (tracer === 'potrace') {
    await potrace(png);
    return { ms: performance.now() - t0 };
  }
  const { traceImage, toSvg } = tracer.endsWith('-base') ? baseLib! : lib;
  const result = await traceImage(png, { mode: tracer.startsWith('conic') ? 'conic' : 'linear' });
  const t1 = performance.now();
  const svg = toSvg(result, { precision: 3 });
  const t2 = performance.now();
  if (!/<path d="/.test(svg) && result.contours.length > 0) throw new Error('no path in the SVG');
  const t = result.report.timings;
  return { ms: t2 - t0, stages: { load: t.load, contours: t.contours, corners: t.corners, fit: t.fit, raster: t.raster ?? 0, toSvg: t2 - t1 } };
}

interface CaseTimes {
  id: string;
  /** Median ms per tracer. */
  ms: Record<Tracer, number>;
  /** Median ms per stage, conic and linear. */
  stages: Partial<Record<ConicfitTracer, Record<Stage, number>>>;
}

async function timeCase(c: Case): Promise<CaseTimes> {
  const runs = Object.fromEntries(TRACERS.map((t) => [t, [] as Run[]])) as Record<Tracer, Run[]>;
  for (let r = 0; r < RUNS; r++) {
    for (let k = 0; k < TRACERS.length; k++) {
      const t = TRACERS[(k + r) % TRACERS.length];
      runs[t].push(await timed(t, c.png));
    }
  }
  const ms = Object.fromEntries(TRACERS.map((t) => [t, median(runs[t].map((x) => x.ms))])) as Record<Tracer, number>;
  const stageMedians = (t: ConicfitTracer) => Object.fromEntries(STAGES.map((s) => [s, median(runs[t].map((x) => x.stages![s]))])) as Record<Stage, number>;
  return { id: c.id, ms, stages: Object.fromEntries(CONICFIT.map((t) => [t, stageMedians(t)])) };
}

// ---------------------------------------------------------------------------------------------
// Children: the large scan (one process per tracer, for its own peak RSS).

async function child(kind: string): Promise<void> {
  const out: Record<string, unknown> = { kind };
  if (kind !== 'baseline') {
    const png = fs.readFileSync(LARGE);
    const t0 = performance.now();
    if (kind === 'potrace') {
      await potrace(png);
    } else {
      const { traceImage, toSvg } = kind === 'conic-base' ? baseLib! : lib;
      const result = await traceImage(png, { mode: 'conic' });
      const t1 = performance.now();
      toSvg(result, { precision: 3 });
      out.toSvgMs = performance.now() - t1;
      out.timings = result.report.timings;
      out.size = [result.width, result.height];
      out.intervals = result.report.totals.intervals;
    }
    out.ms = performance.now() - t0;
  }
  out.maxRSS = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify(out));
}

async function spawnChild(kind: string): Promise<Record<string, unknown>> {
  const self = fileURLToPath(import.meta.url);
  const args = ['--import', 'tsx', self, '--child', kind, ...(BASE ? ['--baseline', BASE] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 16 * MB });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

interface LargeFigures {
  width: number;
  height: number;
  conicMs: number;
  potraceMs: number;
  conicBytesPerPixel: number;
  potraceBytesPerPixel: number;
  conicStages: Record<string, number>;
  intervals: number;
  /** With --baseline: the same at the baseline revision. */
  baseMs?: number;
  baseBytesPerPixel?: number;
}

async function largeScan(): Promise<LargeFigures | string> {
  if (!fs.existsSync(LARGE)) return `skipped: ${path.relative(ROOT, LARGE)} not found`;
  const base = await spawnChild('baseline');
  const conic = await spawnChild('conic');
  const pot = await spawnChild('potrace');
  const before = BASE ? await spawnChild('conic-base') : null;
  const [width, height] = conic.size as number[];
  const px = width * height;
  const t = conic.timings as Record<string, number>;
  return {
    width,
    height,
    conicMs: conic.ms as number,
    potraceMs: pot.ms as number,
    conicBytesPerPixel: ((conic.maxRSS as number) - (base.maxRSS as number)) / px,
    potraceBytesPerPixel: ((pot.maxRSS as number) - (base.maxRSS as number)) / px,
    conicStages: { load: t.load, contours: t.contours, corners: t.corners, fit: t.fit, raster: t.raster ?? 0, toSvg: conic.toSvgMs as number },
    intervals: conic.intervals as number,
    ...(before ? { baseMs: before.ms as number, baseBytesPerPixel: ((before.maxRSS as number) - (base.maxRSS as number)) / px } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Batch through the built CLI.

interface BatchFigures {
  files: number;
  ms1: number;
  ms2: number;
  /** CPU time of the CLI process (all threads), ms. */
  cpu1: number;
  cpu2: number;
  identical: boolean;
}

function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const f of fs.readdirSync(dir).sort()) out.set(f, fs.readFileSync(path.join(dir, f)));
  return out;
}

async function batch(cases: Case[]): Promise<BatchFigures | string> {
  if (!fs.existsSync(CLI)) return 'skipped: dist/cli.js not built (npm run build)';
  const run = promisify(execFile);
  const help = await run(process.execPath, [CLI, 'trace', '--help']);
  if (!help.stdout.includes('--jobs')) return 'skipped: the built CLI has no --jobs option';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conicfit-speed-'));
  try {
    const input = path.join(dir, 'in');
    fs.mkdirSync(input);
    for (const c of cases) fs.writeFileSync(path.join(input, `${c.id}.png`), c.png);
    // The CLI under a wrapper that prints the process's CPU time (all its threads) at exit.
    const wrapper = path.join(dir, 'cpu.mjs');
    fs.writeFileSync(
      wrapper,
      "const cli = process.argv[2]; process.argv.splice(1, 1); process.on('exit', () => process.stderr.write('CPU ' + JSON.stringify(process.cpuUsage()) + '\\n')); await import(new URL('file://' + cli));\n",
    );
    const cpu: Record<number, number[]> = { 1: [], 2: [] };
    const once = async (jobs: number, out: string) => {
      const t0 = performance.now();
      const { stderr } = await run(process.execPath, [wrapper, CLI, 'trace', input, '-o', out, '--quiet', '--jobs', String(jobs)], { maxBuffer: 64 * MB });
      const ms = performance.now() - t0;
      const used = JSON.parse(/CPU (.*)/.exec(stderr)![1]) as { user: number; system: number };
      cpu[jobs].push((used.user + used.system) / 1000);
      return ms;
    };
    // Interleaved, twice each; the median (of two: the mean) of each.
    const t1: number[] = [];
    const t2: number[] = [];
    for (let r = 0; r < 2; r++) {
      t1.push(await once(1, path.join(dir, `out1-${r}`)));
      t2.push(await once(2, path.join(dir, `out2-${r}`)));
    }
    const a = readTree(path.join(dir, 'out1-0'));
    const b = readTree(path.join(dir, 'out2-0'));
    const identical = a.size === b.size && [...a].every(([k, v]) => b.get(k)?.equals(v) === true);
    return { files: cases.length, ms1: median(t1), ms2: median(t2), cpu1: median(cpu[1]), cpu2: median(cpu[2]), identical };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const x2 = (v: number) => `${v.toFixed(2)}×`;

function section(
  cases: CaseTimes[],
  large: LargeFigures | string,
  batchFig: BatchFigures | string,
  loadStart: number[],
  loadEnd: number[],
  seconds: number,
): string {
  const pot = sum(cases.map((c) => c.ms.potrace));
  const lines: string[] = [];
  lines.push('<!-- speed:start -->');
  lines.push('## Speed (bench/speed.ts)');
  lines.push('');
  lines.push(
    `\`${COMMAND}\` on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (shared), Node ${process.version}; load average (1 min) ${loadStart[0].toFixed(2)} at start, ${loadEnd[0].toFixed(2)} at end; ${seconds.toFixed(0)} s. ${cases.length} corpus cases (bench/corpus.ts), each traced ${RUNS} times per tracer, tracers interleaved per case after a warm-up; PNG bytes → path data, decoding included for all (conicfit: \`traceImage(png, { mode })\` with default options, raster compare included, then \`toSvg(result, { precision: 3 })\`; Potrace: npm \`potrace\` with its defaults). Ratios are to Potrace in the same run: "median per case" is the median of the per-case ratios of median times, "corpus sum" the sum of the per-case medians over Potrace's sum.`,
  );
  lines.push('');
  lines.push('| tracer | median per case | corpus sum | corpus time, ms |');
  lines.push('|---|---:|---:|---:|');
  for (const t of CONICFIT) {
    const ratios = cases.map((c) => c.ms[t] / c.ms.potrace);
    const total = sum(cases.map((c) => c.ms[t]));
    lines.push(`| ${LABEL[t]} | ${x2(median(ratios))} | ${x2(total / pot)} | ${total.toFixed(0)} |`);
  }
  lines.push(`| Potrace | 1.00× | 1.00× | ${pot.toFixed(0)} |`);
  lines.push('');
  lines.push(
    "Per stage (`result.report.timings`, toSvg timed around the call), as a fraction of Potrace's whole run: corpus sum of per-case medians / Potrace's sum.",
  );
  lines.push('');
  lines.push(`| stage | ${STAGES.join(' | ')} |`);
  lines.push(`|---|${STAGES.map(() => '---:').join('|')}|`);
  for (const t of CONICFIT) {
    lines.push(`| ${LABEL[t]} | ${STAGES.map((s) => (sum(cases.map((c) => c.stages[t]![s])) / pot).toFixed(3)).join(' | ')} |`);
  }
  lines.push('');
  if (typeof large === 'string') {
    lines.push(`Large scan: ${large}.`);
  } else {
    const st = Object.entries(large.conicStages)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
      .join(', ');
    lines.push(
      `Large scan (\`../shared/realdata/scans/linn.png\`, ${large.width}×${large.height}, one run each in its own process): conicfit conic ${(large.conicMs / 1000).toFixed(2)} s (${large.intervals} intervals; ${st}), Potrace ${(large.potraceMs / 1000).toFixed(2)} s: **${x2(large.conicMs / large.potraceMs)}**. Peak RSS above a baseline process (modules loaded): conicfit ${large.conicBytesPerPixel.toFixed(1)} bytes per pixel, Potrace ${large.potraceBytesPerPixel.toFixed(1)}.` +
        (large.baseMs === undefined
          ? ''
          : ` At ${BASE}: conic ${(large.baseMs / 1000).toFixed(2)} s (${x2(large.baseMs / large.potraceMs)} Potrace), ${large.baseBytesPerPixel!.toFixed(1)} bytes per pixel.`),
    );
  }
  lines.push('');
  if (typeof batchFig === 'string') {
    lines.push(`Batch: ${batchFig}.`);
  } else {
    lines.push(
      `Batch (\`node dist/cli.js trace <dir> --jobs N\`, the ${batchFig.files} corpus PNGs, mode conic, median of 2 interleaved runs): --jobs 1 ${(batchFig.ms1 / 1000).toFixed(2)} s, --jobs 2 ${(batchFig.ms2 / 1000).toFixed(2)} s: **${x2(batchFig.ms1 / batchFig.ms2)}** the throughput; outputs ${batchFig.identical ? 'byte-identical' : 'DIFFER'}. CPU time of the process (all threads): ${(batchFig.cpu1 / 1000).toFixed(2)} s and ${(batchFig.cpu2 / 1000).toFixed(2)} s, so on two cores of its own --jobs 2 would give at most ${x2((2 * batchFig.cpu1) / batchFig.cpu2)} the throughput (wall time on a shared machine shows the share it was given).`,
    );
  }
  lines.push('<!-- speed:end -->');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const loadStart = os.loadavg();
  const corpus = buildCorpus(QUICK);
  const cases = values.only ? corpus.cases.filter((c) => c.id.includes(values.only!)) : corpus.cases;
  console.log(`corpus: ${cases.length} cases, ${RUNS} runs per tracer and case; load average ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);
  for (const c of cases.slice(0, 4)) for (const t of TRACERS) await timed(t, c.png);
  const results: CaseTimes[] = [];
  for (const [i, c] of cases.entries()) {
    const r = await timeCase(c);
    results.push(r);
    console.log(
      `[${i + 1}/${cases.length}] ${c.id}: conic ${r.ms.conic.toFixed(1)} ms, linear ${r.ms.linear.toFixed(1)} ms, potrace ${r.ms.potrace.toFixed(1)} ms (${x2(r.ms.conic / r.ms.potrace)}, ${x2(r.ms.linear / r.ms.potrace)})`,
    );
  }
  const large = values['no-large'] ? 'not run (--no-large)' : await largeScan();
  const batchFig = values['no-batch'] ? 'not run (--no-batch)' : await batch(cases);
  const text = section(results, large, batchFig, loadStart, os.loadavg(), (performance.now() - t0) / 1000);
  console.log('\n' + text);
  if (WRITE) {
    const doc = path.join(ROOT, 'docs/benchmarks.md');
    const old = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '';
    const re = /<!-- speed:start -->[\s\S]*<!-- speed:end -->/;
    fs.writeFileSync(doc, re.test(old) ? old.replace(re, text) : old.trimEnd() + '\n\n' + text + '\n');
    console.log('wrote the speed section of docs/benchmarks.md');
  }
}

if (values.child) await child(values.child);
else await main();
