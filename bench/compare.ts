/**
 * conicfit vs Potrace vs imagetracerjs on glyphs and logos whose true outlines are known.
 *
 * Run: npx tsx bench/compare.ts            (full corpus, ~124 cases)
 *      npx tsx bench/compare.ts --quick    (2 glyphs + 2 icons: 16 cases; writes nothing to docs/)
 *      options: --runs N (timing runs per tracer and case, default 7, at least 3);
 *               --only S (only the cases whose id contains S); BENCH_DEBUG=1 logs every step
 *
 * Per case (bench/corpus.ts) and tracer (bench/tracers.ts), in one process:
 * - time: median over the runs of PNG bytes → path data (decoding included for every tracer);
 *   the runs of all tracers are interleaved per case, after a warm-up;
 * - segments: conicfit `report.totals.intervals`; Potrace / imagetracer: drawing commands
 *   (L / Q / C) in their path data (a Potrace corner "L a b" counts 2);
 *   the SVG command count is recorded for conicfit as well;
 * - path bytes: the `d` attribute at 3 decimals — conicfit's own (toSvg precision 3); the others
 *   re-serialised to 3 decimals in exactly toSvg's compact style (absolute commands, numbers
 *   trimmed, svgo-style separators);
 * - Hausdorff and mean distance between the traced and the true outline (bench/geometry.ts):
 *   both flattened to 0.005 px (MEASURE_FLATNESS), sampled at ≤ 0.25 px; mean = average of the two directed means;
 * - raster disagreement: the traced path (as serialised above, with the tracer's fill rule)
 *   rendered by resvg at the image size and thresholded at 50 %, XOR the true ink (exact coverage
 *   ≥ 50 %, bench/corpus.ts), as a fraction of the image's pixels (resvg's quarter-step coverage
 *   alone puts the truth polygon itself a few pixels off: `truthSelfCheckPixels`).
 * Then the chromosome curve (bench/chromosome.ts).
 *
 * Writes docs/benchmarks.md (full run only) and bench/out/compare.json (raw per-case results).
 */
import { compactPathData } from '../src/output/path-compact.js';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromosomeMarkdown, runChromosome } from './chromosome.js';
import { buildCorpus, GLYPH_CHARSET, GLYPH_STEP, ICON_COUNT, SIZES, renderPathInk, type Case } from './corpus.js';
import { parsePath } from '../scripts/svg-tools.js';
import {
  MEASURE_FLATNESS,
  countSegments,
  flatten,
  median,
  outlineDistance,
  polygonPathData,
  polylineLength,
  serialisePath,
  type OutlineDistance,
} from './geometry.js';
import { imagetracerOptions, runTracer, TRACERS, type TraceOutput, type TracerName } from './tracers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const runsArg = argv.indexOf('--runs');
const RUNS = Math.max(3, runsArg >= 0 ? Number(argv[runsArg + 1]) || 7 : 7);
const RUN_TIMEOUT_MS = 120_000;
const DEBUG = !!process.env.BENCH_DEBUG;
const debug = (msg: string) => {
  if (DEBUG) process.stderr.write(`${new Date().toISOString()} ${msg}\n`);
};
const onlyArg = argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? argv[onlyArg + 1] : undefined;
const COMMAND = `npx tsx bench/compare.ts${argv.length ? ' ' + argv.join(' ') : ''}`;

const LABEL: Record<TracerName, string> = {
  'conicfit-linear': 'conicfit linear',
  'conicfit-conic': 'conicfit conic',
  'conicfit-conic-paper': 'conicfit conic, paper fit (refine: false)',
  'conicfit-conic-0.75': 'conicfit conic, tolerance 0.75 px',
  potrace: 'Potrace (npm potrace)',
  imagetracer: 'imagetracerjs',
};

/** The outline distances are `OutlineDistance`'s (bench/geometry.ts), less the truth's length (kept per case). */
interface TracerResult extends Omit<OutlineDistance, 'truthLength'> {
  ok: boolean;
  error?: string;
  timesMs: number[];
  timeMs: number;
  /** conicfit: report.totals.intervals; others: SVG drawing commands. */
  segments: number;
  svgCommands: { L: number; Q: number; C: number; A: number; total: number };
  intervals?: number;
  failedIntervals?: number;
  /** d attribute bytes at 3 decimals (see header). */
  bytes: number;
  /** d attribute bytes exactly as the tracer emitted it. */
  rawBytes: number;
  rasterDiffPixels: number;
  rasterDiff: number;
  /** XOR pixels / true ink pixels. */
  rasterDiffOverInk: number;
  d: string;
}

/** A case's identity fields (bench/corpus.ts `Case`) and its results. */
interface CaseResult extends Pick<Case, 'id' | 'shape' | 'kind' | 'size' | 'rendering' | 'width' | 'height'> {
  truthInkPixels: number;
  truthLength: number;
  /** The truth path through the same render-and-compare code, pixels off the exact truth mask: the raster floor (resvg's anti-aliasing). */
  truthSelfCheckPixels: number;
  tracers: Partial<Record<TracerName, TracerResult | { ok: false; error: string; timesMs: number[] }>>;
}

function mean(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x));
  return s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function measure(c: Case, truthPolys: ReturnType<typeof flatten>, name: TracerName, out: TraceOutput, timesMs: number[]): TracerResult {
  const conicfit = name.startsWith('conicfit');
  const parsed = parsePath(out.d);
  // Other tracers' paths re-serialised as toSvg writes its own (3 decimals, compact: relative where shorter, H/V), so bytes compare alike.
  // Segments are counted on the absolute path, before compaction joins collinear lines (as before).
  const plain = conicfit ? out.d : serialisePath(parsed, 3);
  const d3 = conicfit ? out.d : compactPathData(plain, 3);
  const segs = conicfit ? parsed : parsePath(plain);
  const svgCommands = countSegments(segs);
  const polys = flatten(segs);
  debug(`  flattened: ${polys.length} polylines`);
  const dist = outlineDistance(truthPolys, polys, 0.25);
  debug(`  distances: H ${dist.hausdorff}`);
  const ink = renderPathInk(d3, out.fillRule, c.width, c.height);
  debug(`  rendered`);
  let diff = 0,
    truthInk = 0;
  for (let i = 0; i < ink.length; i++) {
    if (ink[i] !== c.truthInk[i]) diff++;
    truthInk += c.truthInk[i];
  }
  return {
    ok: true,
    timesMs,
    timeMs: median(timesMs),
    segments: conicfit ? out.intervals! : svgCommands.total,
    svgCommands,
    intervals: out.intervals,
    failedIntervals: out.failedIntervals,
    bytes: Buffer.byteLength(d3),
    rawBytes: Buffer.byteLength(out.d),
    hausdorff: dist.hausdorff,
    mean: dist.mean,
    hausdorffTruthToTrace: dist.hausdorffTruthToTrace,
    hausdorffTraceToTruth: dist.hausdorffTraceToTruth,
    meanTruthToTrace: dist.meanTruthToTrace,
    meanTraceToTruth: dist.meanTraceToTruth,
    worst: dist.worst,
    traceLength: dist.traceLength,
    rasterDiffPixels: diff,
    rasterDiff: diff / ink.length,
    rasterDiffOverInk: truthInk ? diff / truthInk : NaN,
    d: d3,
  };
}

async function runCase(c: Case): Promise<CaseResult> {
  const truthSegs = parsePath(c.truthD);
  const truthPolys = flatten(truthSegs);
  const res: CaseResult = {
    id: c.id,
    shape: c.shape,
    kind: c.kind,
    size: c.size,
    rendering: c.rendering,
    width: c.width,
    height: c.height,
    truthInkPixels: c.truthInk.reduce((a, b) => a + b, 0),
    truthLength: polylineLength(truthPolys),
    truthSelfCheckPixels: (() => {
      const ink = renderPathInk(polygonPathData(truthPolys), 'nonzero', c.width, c.height);
      let diff = 0;
      for (let i = 0; i < ink.length; i++) if (ink[i] !== c.truthInk[i]) diff++;
      return diff;
    })(),
    tracers: {},
  };
  const outputs = new Map<TracerName, TraceOutput>();
  const times = new Map<TracerName, number[]>(TRACERS.map((t) => [t, []]));
  const errors = new Map<TracerName, string>();
  for (let r = 0; r < RUNS; r++) {
    // Rotate the order each run so that no tracer always runs right after another's garbage.
    for (let k = 0; k < TRACERS.length; k++) {
      const name = TRACERS[(k + r) % TRACERS.length];
      if (errors.has(name)) continue;
      const t0 = performance.now();
      debug(`${c.id} run ${r} ${name}`);
      try {
        const out = await withTimeout(runTracer(name, c.png), RUN_TIMEOUT_MS);
        times.get(name)!.push(performance.now() - t0);
        if (!outputs.has(name)) outputs.set(name, out);
      } catch (e) {
        errors.set(name, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      }
    }
  }
  for (const name of TRACERS) {
    const err = errors.get(name);
    const out = outputs.get(name);
    if (err !== undefined || out === undefined) {
      res.tracers[name] = { ok: false, error: err ?? 'no output', timesMs: times.get(name)! };
      continue;
    }
    debug(`${c.id} measure ${name}`);
    try {
      const m = measure(c, truthPolys, name, out, times.get(name)!);
      if (!out.d.trim()) res.tracers[name] = { ...m, ok: false, error: 'empty output (no path)' };
      else res.tracers[name] = m;
    } catch (e) {
      res.tracers[name] = { ok: false, error: `measuring failed: ${e instanceof Error ? e.message : String(e)}`, timesMs: times.get(name)! };
    }
  }
  return res;
}

// ---------------------------------------------------------------------------------------------
// Aggregation and report
// ---------------------------------------------------------------------------------------------

interface Stat {
  n: number;
  failed: number;
  segments: number;
  bytes: number;
  hausdorffMedian: number;
  hausdorffMean: number;
  hausdorffMax: number;
  meanDist: number;
  rasterDiff: number;
  rasterDiffOverInk: number;
  time: number;
}

function ok(r: CaseResult['tracers'][TracerName]): r is TracerResult {
  return !!r && r.ok === true;
}

function aggregate(cases: CaseResult[], name: TracerName): Stat {
  const rs = cases.map((c) => c.tracers[name]).filter(ok);
  return {
    n: cases.length,
    failed: cases.length - rs.length,
    segments: median(rs.map((r) => r.segments)),
    bytes: median(rs.map((r) => r.bytes)),
    hausdorffMedian: median(rs.map((r) => r.hausdorff)),
    hausdorffMean: mean(rs.map((r) => r.hausdorff)),
    hausdorffMax: Math.max(...rs.map((r) => r.hausdorff)),
    meanDist: median(rs.map((r) => r.mean)),
    rasterDiff: median(rs.map((r) => r.rasterDiff)),
    rasterDiffOverInk: median(rs.map((r) => r.rasterDiffOverInk)),
    time: median(rs.map((r) => r.timeMs)),
  };
}

function fmtNum(x: number, digits: number): string {
  if (!Number.isFinite(x)) return '—';
  return x.toFixed(digits);
}
function cell(x: number, ref: number, digits: number, scale = 1): string {
  const v = fmtNum(x * scale, digits);
  if (!Number.isFinite(x) || !Number.isFinite(ref) || ref === 0) return v;
  return `${v} (×${(x / ref).toFixed(2)})`;
}

function groupTable(cases: CaseResult[]): string {
  const stats = new Map(TRACERS.map((t) => [t, aggregate(cases, t)]));
  const p = stats.get('potrace')!;
  const lines = [
    '| tracer | cases (failed) | segments, median | path bytes, median | Hausdorff px, median | Hausdorff px, mean | mean distance px, median | raster disagreement %, median | time ms, median |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const t of TRACERS) {
    const s = stats.get(t)!;
    lines.push(
      `| ${LABEL[t]} | ${s.n} (${s.failed}) | ${cell(s.segments, p.segments, 0)} | ${cell(s.bytes, p.bytes, 0)} | ${cell(s.hausdorffMedian, p.hausdorffMedian, 3)} | ${cell(s.hausdorffMean, p.hausdorffMean, 3)} | ${cell(s.meanDist, p.meanDist, 3)} | ${cell(s.rasterDiff, p.rasterDiff, 3, 100)} | ${cell(s.time, p.time, 1)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The issue's targets for conic mode, as ratios to Potrace in the same run (per group of
 * `groups(results, false)`): mean distance ≤ 0.6× bilevel / ≤ 0.3× anti-aliased, median Hausdorff
 * ≤ 0.6×, intervals ≤ 0.8×, path bytes ≤ 1.0×, time ≤ 1.0×.
 */
function targetsTable(results: CaseResult[], name: TracerName): string[] {
  const lines = ['| group | mean distance | median Hausdorff | intervals | path bytes | time |', '|---|---:|---:|---:|---:|---:|'];
  for (const g of groups(results, false)) {
    const c = aggregate(g.cases, name),
      p = aggregate(g.cases, 'potrace');
    const aa = g.cases[0]?.rendering === 'aa';
    const cell = (x: number, ref: number, target: number) => `${(x / ref).toFixed(2)} ${x / ref <= target ? '✓' : '✗'} (≤ ${target})`;
    lines.push(
      `| ${g.title} | ${cell(c.meanDist, p.meanDist, aa ? 0.3 : 0.6)} | ${cell(c.hausdorffMedian, p.hausdorffMedian, 0.6)} | ${cell(c.segments, p.segments, 0.8)} | ${cell(c.bytes, p.bytes, 1)} | ${cell(c.time, p.time, 1)} |`,
    );
  }
  return lines;
}

function groups(results: CaseResult[], bySize: boolean): { title: string; cases: CaseResult[] }[] {
  const out: { title: string; cases: CaseResult[] }[] = [];
  for (const kind of ['glyph', 'logo'] as const) {
    for (const rendering of ['bilevel', 'aa'] as const) {
      const sizes: (number | null)[] = bySize ? [...SIZES] : [null];
      for (const size of sizes) {
        const cs = results.filter((r) => r.kind === kind && r.rendering === rendering && (size === null || r.size === size));
        if (cs.length === 0) continue;
        const rTitle = rendering === 'aa' ? 'anti-aliased' : 'bilevel';
        out.push({
          title: `${kind === 'glyph' ? 'Glyphs' : 'Logos'}, ${rTitle}${size !== null ? `, ${size} px` : ', 64 + 300 px'} (${cs.length} cases)`,
          cases: cs,
        });
      }
    }
  }
  return out;
}

function failuresList(results: CaseResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    for (const t of TRACERS) {
      const x = r.tracers[t];
      if (x && !x.ok) lines.push(`- ${LABEL[t]} on ${r.id}: ${x.error}`);
    }
  }
  return lines;
}

function worstList(results: CaseResult[], name: TracerName, k: number): string[] {
  const rows = results
    .map((r) => ({ r, x: r.tracers[name] }))
    .filter((o): o is { r: CaseResult; x: TracerResult } => ok(o.x))
    .sort((a, b) => b.x.hausdorff - a.x.hausdorff)
    .slice(0, k);
  return rows.map(({ r, x }) => {
    const pt = r.tracers.potrace;
    const lin = r.tracers['conicfit-linear'];
    const it = r.tracers.imagetracer;
    return `| ${r.id} | ${x.hausdorff.toFixed(3)} (at ${x.worst.x.toFixed(1)}, ${x.worst.y.toFixed(1)}; truth→trace ${x.hausdorffTruthToTrace.toFixed(3)}, trace→truth ${x.hausdorffTraceToTruth.toFixed(3)}) | ${ok(lin) ? lin.hausdorff.toFixed(3) : 'failed'} | ${ok(pt) ? pt.hausdorff.toFixed(3) : 'failed'} | ${ok(it) ? it.hausdorff.toFixed(3) : 'failed'} | ${x.failedIntervals ?? 0} |`;
  });
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 20)} MiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** The code measured: git HEAD, uncommitted changes under src/, and a hash of src/*.ts as read at start. */
function sourceFingerprint(): string {
  const h = createHash('sha256');
  const dir = path.join(ROOT, 'src');
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort())
    h.update(f).update(fs.readFileSync(path.join(dir, f)));
  let git = 'git unavailable';
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
    git = `git ${head}${dirty ? ` + ${dirty} uncommitted change(s) under src/` : ''}`;
  } catch {
    /* not a git checkout */
  }
  return `${git}; sha256 of src/*.ts ${h.digest('hex').slice(0, 12)}`;
}

function versions(): string {
  const v = (p: string) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  return `potrace ${v('potrace')}, imagetracerjs ${v('imagetracerjs')}, @resvg/resvg-js ${v('@resvg/resvg-js')}, opentype.js ${v('opentype.js')}, simple-icons ${v('simple-icons')}, @fontsource/libre-baskerville ${v('@fontsource/libre-baskerville')}, @fontsource/noto-serif ${v('@fontsource/noto-serif')}`;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  const t0 = performance.now();
  const source = sourceFingerprint();
  const loadStart = os.loadavg();
  const corpus = buildCorpus(QUICK);
  if (ONLY) corpus.cases = corpus.cases.filter((c) => c.id.includes(ONLY));
  const tCorpus = performance.now() - t0;
  console.log(`corpus: ${corpus.cases.length} cases from ${corpus.shapes.length} shapes (${tCorpus.toFixed(0)} ms); ${RUNS} timing runs per tracer and case`);

  // Warm-up (JIT, module initialisation, jimp plugin setup): not recorded.
  for (const c of corpus.cases.slice(0, 4)) for (const t of TRACERS) await runTracer(t, c.png).catch(() => undefined);

  const results: CaseResult[] = [];
  for (const [i, c] of corpus.cases.entries()) {
    const tc = performance.now();
    const r = await runCase(c);
    results.push(r);
    const brief = TRACERS.map((t) => {
      const x = r.tracers[t];
      return ok(x) ? `${t} H=${x.hausdorff.toFixed(2)} ${x.timeMs.toFixed(0)}ms` : `${t} FAILED`;
    }).join(' | ');
    console.log(`[${i + 1}/${corpus.cases.length}] ${c.id} (${((performance.now() - tc) / 1000).toFixed(1)} s): ${brief}`);
  }
  const tBench = performance.now() - t0;

  const tc0 = performance.now();
  const chromo = runChromosome();
  const tChromo = performance.now() - tc0;
  const total = performance.now() - t0;
  const loadEnd = os.loadavg();
  const load = `load average (1 min) ${loadStart[0].toFixed(1)} at start, ${loadEnd[0].toFixed(1)} at end`;

  // ---- report ----
  const date = new Date().toISOString().slice(0, 10);
  const md: string[] = [];
  md.push('# Benchmarks: conicfit vs Potrace vs imagetracerjs');
  md.push('');
  md.push(`Generated by \`${COMMAND}\` on ${date}. Machine: ${machine()}.`);
  md.push(`Code measured: ${source}. Packages: ${versions()}.`);
  md.push(
    `Run time: ${(total / 1000).toFixed(0)} s in all (corpus ${(tCorpus / 1000).toFixed(1)} s, ${corpus.cases.length} cases × ${TRACERS.length} tracers × ${RUNS} timing runs plus measurement ${((tBench - tCorpus) / 1000).toFixed(0)} s, chromosome ${tChromo.toFixed(0)} ms); ${load}. Timings are wall-clock on a machine that may be shared: compare ratios within a run, not absolute times across runs.`,
  );
  md.push('');
  md.push('## Corpus (fixed rules, bench/corpus.ts)');
  md.push('');
  const glyphs = corpus.shapes.filter((s) => s.kind === 'glyph');
  const icons = corpus.shapes.filter((s) => s.kind === 'logo');
  md.push(
    `- Glyphs: every ${GLYPH_STEP}rd character of \`${GLYPH_CHARSET}\` starting with the first, alternately set in Libre Baskerville and Noto Serif (regular; the k-th chosen character in Libre Baskerville for even k): ${glyphs.map((g) => g.source).join(', ')}.`,
  );
  md.push(
    `- Logos: the first ${ICON_COUNT} simple-icons in slug order whose path parses, has a non-degenerate bounding box, leaves ink in the 64 px bilevel rendering and renders identically with nonzero and evenodd fill (no overlapping subpaths): ${icons.map((g) => g.source).join(', ')}.` +
      (corpus.rejectedIcons.length ? ` Skipped by the rule: ${corpus.rejectedIcons.map((r) => `${r.slug} (${r.why})`).join('; ')}.` : ' None was skipped.'),
  );
  md.push(
    `- Each shape with its longer side scaled to ${SIZES.join(' and ')} px, margin max(4, 2 % of size) px, drawn as an 8-bit grey PNG ("anti-aliased") whose grey is each pixel's exact area inside the outline flattened to ${MEASURE_FLATNESS} px (bench/corpus.ts \`renderTruth\`; until 2026-12-06 the curves were drawn by resvg as 2–64 chords, 0.05 px off the truth, and until 2026-12-07 the polygon by resvg, whose coverage comes in quarter steps: up to 0.125 px off on axis-parallel edges, docs/design.md §18.40), and that coverage thresholded at 50 % ("bilevel"). Truth = the outline's path data, in pixel coordinates. ${corpus.cases.length} cases.` +
      (corpus.overlappingGlyphs.length ? ` Glyphs with overlapping contours (truth holds hidden edges): ${corpus.overlappingGlyphs.join(', ')}.` : ''),
  );
  md.push('');
  md.push('## Tracers');
  md.push('');
  md.push(
    "- **conicfit linear / conic**: `traceImage(png, { mode })` with default options (tolerance 1 px, threshold auto, sub-pixel contours on anti-aliased input, geometric refinement on), then `toSvg(result, { precision: 3 })`. Two conic variants, same otherwise: **paper fit** (`refine: false`: u by annealing on the paper's S, tangent lengths fixed) and **tolerance 0.75 px**.",
  );
  md.push(
    '- **Potrace**: npm `potrace` (JS port of Potrace 1.x), `new Potrace()` with default parameters (threshold auto, turdSize 2, alphaMax 1, optCurve, optTolerance 0.2), `loadImage(png)` then `getPathTag()` (fill-rule evenodd).',
  );
  md.push(
    `- **imagetracerjs**: PNG decoded with jimp, \`imagedataToSVG(imgd, ${JSON.stringify(imagetracerOptions())})\`; only the dark-fill paths kept. \`colorquantcycles: 1\` keeps the black/white palette fixed (a 50 % threshold); \`roundcoords: -1\` because imagetracerjs 1.2.6 rounds hole coordinates to integers whenever rounding is on; \`strokewidth: 0\` so the fill alone is compared.`,
  );
  md.push('');
  md.push('## Metrics');
  md.push('');
  md.push(
    '- **segments**: conicfit: `report.totals.intervals` (one conic interval = two arcs); others: L / Q / C commands in their path data (a Potrace corner counts 2 lines).',
  );
  md.push(
    "- **path bytes**: the `d` attribute at 3 decimals: conicfit's own toSvg output; Potrace's and imagetracerjs's paths re-serialised to 3 decimals in exactly the same compact style (bench/geometry.ts uses toSvg's own writer: absolute commands, no redundant zeros, svgo-style number syntax — `.5`, `-.5`, `1.5.5`).",
  );
  md.push(
    `- **Hausdorff / mean distance**: between the traced outline and the true outline, both flattened to ${MEASURE_FLATNESS} px and sampled at ≤ 0.25 px along the curves; symmetric Hausdorff = the larger directed one; mean = average of the two directed mean distances.`,
  );
  md.push(
    '- **raster disagreement**: pixels whose ink differs between the trace rendered by resvg at the image size and thresholded at 50 % and the true ink (exact coverage ≥ 50 %), as a percentage of all pixels of the image (margins included).',
  );
  md.push(`- **time**: median of ${RUNS} runs, PNG bytes → path data, decoding included for all; runs interleaved across tracers per case.`);
  md.push("- Ratios (×) are to Potrace's value for the same statistic and group, from the same run. Failed cases are excluded from the statistics.");
  md.push('');
  md.push('## Targets (issue 6): conicfit conic with default options, ratio to Potrace');
  md.push('');
  md.push(...targetsTable(results, 'conicfit-conic'));
  md.push('');
  md.push('The same for the variants, for comparison: paper fit (`refine: false`), then tolerance 0.75 px.');
  md.push('');
  md.push(...targetsTable(results, 'conicfit-conic-paper'));
  md.push('');
  md.push(...targetsTable(results, 'conicfit-conic-0.75'));
  md.push('');
  for (const [title, bySize] of [
    ['Results by group', false],
    ['Results by group and size', true],
  ] as const) {
    if (bySize) md.push('');
    md.push(`## ${title}`);
    for (const g of groups(results, bySize)) md.push('', `### ${g.title}`, '', groupTable(g.cases));
  }
  md.push('');
  md.push('## Worst cases by conicfit conic Hausdorff distance');
  md.push('');
  md.push(
    '| case | conicfit conic Hausdorff px (worst point; directed) | conicfit linear | Potrace | imagetracerjs | conic intervals reported over tolerance |',
  );
  md.push('|---|---:|---:|---:|---:|---:|');
  md.push(...worstList(results, 'conicfit-conic', 10));
  md.push('');
  const worse = results.filter((r) => {
    const a = r.tracers['conicfit-conic'],
      p = r.tracers.potrace;
    return ok(a) && ok(p) && a.hausdorff > 2 * p.hausdorff && a.hausdorff > 1;
  });
  md.push(
    `Cases where conicfit conic's Hausdorff distance exceeds 1 px and twice Potrace's: ${worse.length} of ${results.length}${worse.length ? ` (${worse.map((r) => r.id).join(', ')})` : ''}.`,
  );
  const allBad = results.filter((r) =>
    TRACERS.every((t) => {
      const x = r.tracers[t];
      return ok(x) && x.hausdorff > 2;
    }),
  );
  md.push('');
  md.push(
    `Cases where every tracer's Hausdorff distance exceeds 2 px (a feature of the true outline that the 50 % raster does not show — a sub-pixel slit, an acute tip — rather than a tracer's fault): ${
      allBad.length
        ? allBad
            .map((r) => {
              const x = r.tracers['conicfit-conic'] as TracerResult;
              return `${r.id} (conicfit conic's worst point at ${x.worst.x.toFixed(1)}, ${x.worst.y.toFixed(1)})`;
            })
            .join(', ')
        : 'none'
    }.`,
  );
  const cmd = { L: 0, Q: 0, C: 0, A: 0 };
  let conicIntervals = 0;
  for (const r of results) {
    const x = r.tracers['conicfit-conic'];
    if (!ok(x)) continue;
    conicIntervals += x.segments;
    for (const k of ['L', 'Q', 'C', 'A'] as const) cmd[k] += x.svgCommands[k];
  }
  md.push('');
  const commands = cmd.L + cmd.Q + cmd.C + cmd.A;
  md.push(
    `conicfit conic's path data over all cases: ${conicIntervals} intervals written as ${commands} drawing commands (${(commands / Math.max(1, conicIntervals)).toFixed(2)} per interval): ${cmd.C} C, ${cmd.Q} Q or T (u = 1, exact), ${cmd.A} A (elliptic arcs, exact) and ${cmd.L} L (straight pieces); Potrace writes one C or two L per segment.`,
  );
  // The truth polygon through the same resvg render differs from the exact-coverage truth mask by a
  // few pixels (resvg's own anti-aliasing, §18.40): a floor under every tracer's raster disagreement.
  const selfPixels = results.map((r) => r.truthSelfCheckPixels);
  const selfShare = results.map((r) => (100 * r.truthSelfCheckPixels) / (r.width * r.height));
  md.push('');
  md.push(
    selfPixels.every((p) => p === 0)
      ? 'Raster floor: the truth path passed through the same render-and-compare code differs from the true mask in 0 pixels on every case.'
      : `Raster floor: the truth path itself, rendered by resvg as the traces are, differs from the exact-coverage truth mask in ${selfPixels.filter((p) => p > 0).length} of ${results.length} cases (median ${median(selfPixels).toFixed(0)} px, ${median(selfShare).toFixed(2)} % of the image; largest ${Math.max(...selfPixels)} px, ${Math.max(...selfShare).toFixed(2)} %): resvg's anti-aliasing, not a tracer's error, so raster disagreements that differ by less than that are not told apart.`,
  );
  md.push('');
  md.push('## Failures');
  md.push('');
  const fails = failuresList(results);
  md.push(fails.length ? fails.join('\n') : 'None: every tracer produced a non-empty path on every case.');
  md.push('');
  md.push('## Teh–Chin chromosome curve, conicfit linear mode');
  md.push('');
  md.push(
    `The 60-point chromosome curve as a \`Contour\` (pixel-corner points, \`subpixel: false\`), \`detectCorners\` (corners at points ${chromo.cornerIndices.join(', ')}), then \`fitLinear(contour, corners, { tolerance })\` (every detected corner a vertex, the default) and with \`dropCorners: true\` (a corner may go where the polygon has fewer vertices and no more ISE without it; docs/design.md §9.9). ISE = sum over all 60 points of the squared perpendicular distance to the line through the chord of their interval, computed from the knot indices and the raw points (not from conicfit's report). fitLinear chooses its vertices among the curve points and then settles each onto its two sides' least-squares lines: the "fit's knots" columns use the knot coordinates the fit reports (\`fit.knots[i].x/y\`) as the polygon's vertices; the "snapped" columns use the raw curve points at the same indices, the convention of Wu (2003) and of the exact optimum (vertices on curve points).`,
  );
  md.push('');
  md.push(chromosomeMarkdown(chromo));
  md.push('');
  md.push(
    'Knot indices per tolerance: ' +
      chromo.rows.map((r) => `${r.tolerance} px${r.dropCorners ? ' (dropCorners)' : ''}: ${r.knotIndices.join(' ')}`).join('; ') +
      '.',
  );
  md.push('');
  const text = md.join('\n') + '\n';
  console.log('\n' + text);

  const outDir = path.join(ROOT, 'bench', 'out');
  fs.mkdirSync(outDir, { recursive: true });
  const json = {
    command: COMMAND,
    date,
    machine: machine(),
    source,
    load,
    versions: versions(),
    runs: RUNS,
    totalSeconds: total / 1000,
    corpus: {
      shapes: corpus.shapes.map((s) => ({ id: s.id, kind: s.kind, source: s.source })),
      rejectedIcons: corpus.rejectedIcons,
      overlappingGlyphs: corpus.overlappingGlyphs,
    },
    cases: results,
    chromosome: chromo,
  };
  const jsonPath = path.join(outDir, QUICK ? 'compare-quick.json' : 'compare.json');
  fs.writeFileSync(
    jsonPath,
    JSON.stringify(json, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1),
  );
  if (!QUICK) {
    // Keep the sections bench/real-input.ts, bench/colour.ts and bench/speed.ts write (they run after this one in npm run bench),
    // and the error-by-feature table (written from bench/error-by-feature.ts runs, before and after a change).
    const doc = path.join(ROOT, 'docs', 'benchmarks.md');
    const old = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '';
    const kept = ['features', 'real-input', 'colour', 'speed'].flatMap(
      (name) => new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`).exec(old)?.[0] ?? [],
    );
    fs.writeFileSync(doc, [text.trimEnd(), ...kept].join('\n\n') + '\n');
    console.log(`wrote docs/benchmarks.md and ${path.relative(ROOT, jsonPath)}`);
  } else {
    console.log(`wrote ${path.relative(ROOT, jsonPath)} (quick run: docs/benchmarks.md not written)`);
  }
  console.log(`total ${(total / 1000).toFixed(1)} s`);
}

await main();
