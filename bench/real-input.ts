/**
 * Real inputs: the bench corpus (bench/corpus.ts) rendered under the conditions users' scans and
 * exports come in (scripts/degrade.ts: tinted paper, grey ink, coloured ink, blur σ = 0.5–2 px,
 * noise + JPEG, uneven light, white on dark, transparency), traced by conicfit (conic and linear)
 * and Potrace in the same run; plus the real scans in ../shared/realdata/scans/.
 *
 * Run: npx tsx bench/real-input.ts            (all shapes at 64 and 300 px, every condition)
 *      npx tsx bench/real-input.ts --quick    (4 shapes; writes nothing to docs/)
 *      options: --only S (only shapes whose id contains S), --conditions a,b
 *
 * Per image: the truth is the shape's outline; the image is its exact area coverage over that
 * outline flattened to 0.005 px (bench/corpus.ts `renderTruth`: resvg would draw curves as 2–64
 * chords and count coverage in quarter steps, 0.03–0.125 px off the truth), then degraded.
 * - mean / Hausdorff: distance between the traced and the true outline (bench/geometry.ts
 *   `outlineDistance`, both flattened to 0.005 px, sampled every 0.25 px);
 * - ink lost: the share of the true ink (rendered truth ≥ 50 %) not inside the rendered trace;
 * - flagged: conicfit threw or returned warnings (`report.warnings`);
 * - silent failure: mean > 1 px or ink lost > 10 %, and not flagged (Potrace never flags).
 * Potrace (npm potrace) gets the same image with threshold 128 and `blackOnWhite` false for
 * white on dark only (what a user would set).
 * Scans (no vector truth): IoU of the rendered trace with the image's own binarisation (Otsu,
 * light ink when the border is dark), segments, path bytes, time.
 *
 * Writes the "Real inputs" section of docs/benchmarks.md (full run only) and bench/out/real-input.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Jimp } from 'jimp';
import { otsuThreshold, traceImage, toSvg, type TraceResult } from '../src/node.js';
import { parsePath } from '../scripts/svg-tools.js';
import { CONDITIONS, degrade, type Condition } from '../scripts/degrade.js';
import { glyphShapes, iconShapes, layout, renderPathInk, renderTruth, type Shape } from './corpus.js';
import { potrace } from './tracers.js';
import { compactPathData } from '../src/output/path-compact.js';
import { MEASURE_FLATNESS, countSegments, flatten, median, outlineDistance, serialisePath } from './geometry.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const arg = (name: string) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
const ONLY = arg('--only');
const ONLY_CONDITIONS = arg('--conditions')?.split(',') as Condition[] | undefined;
const SIZES = [64, 300];
const TRACERS = ['conic', 'linear', 'potrace'] as const;
type Tracer = (typeof TRACERS)[number];
const SCANS = ['baiona_gray.png', 'linn.png'];

interface Outcome {
  ok: boolean;
  error?: string;
  warnings: string[];
  mean: number;
  hausdorff: number;
  inkLost: number;
  segments: number;
  timeMs: number;
}

/** Path data (3 decimals), fill rule, segments and warning codes of one tracer on one image. */
async function run(tracer: Tracer, bytes: Buffer, light: boolean) {
  if (tracer === 'potrace') {
    const segs = parsePath((await potrace(bytes, { threshold: 128, blackOnWhite: !light })).d);
    // Re-serialised as toSvg writes its own path data (3 decimals, compact), so path bytes compare alike.
    return { d: compactPathData(serialisePath(segs, 3), 3), fillRule: 'evenodd', segments: countSegments(segs).total, warnings: [] as string[] };
  }
  const result: TraceResult = await traceImage(bytes, { mode: tracer });
  const m = /<path d="([^"]*)"/.exec(toSvg(result, { precision: 3 }));
  return { d: m ? m[1] : '', fillRule: 'nonzero', segments: result.report.totals.intervals, warnings: result.report.warnings.map((w) => w.code) };
}

async function measureCase(shape: Shape, size: number, conditions: Condition[]) {
  const { d, width, height } = layout(shape, size);
  const truth = flatten(parsePath(d));
  const { coverage: exact, ink: truthInk } = renderTruth(d, width, height);
  const inkPixels = truthInk.reduce((sum, v) => sum + v, 0);
  const coverage = Float64Array.from(exact);
  const out: Record<string, Record<Tracer, Outcome>> = {};
  for (const condition of conditions) {
    const bytes = await degrade(coverage, width, height, condition);
    const light = condition === 'white-on-dark';
    out[condition] = {} as Record<Tracer, Outcome>;
    for (const tracer of TRACERS) {
      const t0 = performance.now();
      try {
        const r = await run(tracer, bytes, light);
        const timeMs = performance.now() - t0;
        const dist = outlineDistance(truth, flatten(parsePath(r.d)), 0.25);
        const mask = renderPathInk(r.d, r.fillRule, width, height);
        let kept = 0;
        for (let i = 0; i < mask.length; i++) if (truthInk[i] && mask[i]) kept++;
        out[condition][tracer] = {
          ok: true,
          warnings: r.warnings,
          mean: dist.mean,
          hausdorff: dist.hausdorff,
          inkLost: inkPixels ? 1 - kept / inkPixels : 0,
          segments: r.segments,
          timeMs,
        };
      } catch (e) {
        out[condition][tracer] = {
          ok: false,
          error: (e as Error).message,
          warnings: [],
          mean: Infinity,
          hausdorff: Infinity,
          inkLost: 1,
          segments: 0,
          timeMs: 0,
        };
      }
    }
  }
  return { id: `${shape.id}-${size}`, out };
}

const silent = (o: Outcome) => o.ok && o.warnings.length === 0 && (o.mean > 1 || o.inkLost > 0.1);

async function scans() {
  const rows: string[] = [];
  for (const name of SCANS) {
    const file = path.join(ROOT, '../shared/realdata/scans', name);
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    const img = await Jimp.read(bytes);
    const { width, height, data } = img.bitmap;
    const lum = new Uint8Array(width * height);
    const hist = new Uint32Array(256);
    for (let i = 0; i < width * height; i++) hist[(lum[i] = Math.round((299 * data[4 * i] + 587 * data[4 * i + 1] + 114 * data[4 * i + 2]) / 1000))]++;
    const t = otsuThreshold(hist);
    const binary = new Uint8Array(width * height);
    for (let i = 0; i < binary.length; i++) binary[i] = lum[i] < t ? 1 : 0;
    for (const tracer of TRACERS) {
      const t0 = performance.now();
      const r = await run(tracer, bytes, false);
      const timeMs = performance.now() - t0;
      const mask = renderPathInk(r.d, r.fillRule, width, height);
      let both = 0,
        either = 0;
      for (let i = 0; i < mask.length; i++) {
        both += mask[i] & binary[i];
        either += mask[i] | binary[i];
      }
      rows.push(
        `| ${name} (${width} × ${height}) | ${tracer} | ${(both / Math.max(1, either)).toFixed(4)} | ${r.segments} | ${r.d.length} | ${timeMs.toFixed(0)} | ${r.warnings.join(', ') || '—'} |`,
      );
      console.log(rows[rows.length - 1]);
    }
  }
  return rows;
}

async function main() {
  let shapes = [...glyphShapes(), ...iconShapes().shapes];
  if (ONLY) shapes = shapes.filter((s) => s.id.includes(ONLY));
  if (QUICK) shapes = [shapes[0], shapes[1], ...shapes.filter((s) => s.kind === 'logo').slice(0, 2)];
  const conditions = ONLY_CONDITIONS ?? [...CONDITIONS];
  const cases: Awaited<ReturnType<typeof measureCase>>[] = [];
  for (const shape of shapes) {
    for (const size of SIZES) {
      const c = await measureCase(shape, size, conditions);
      cases.push(c);
      process.stderr.write(`${c.id} `);
    }
  }
  process.stderr.write('\n');
  const lines: string[] = [];
  lines.push(
    `| condition | conic mean (px) | linear mean | Potrace mean | conic / Potrace (corpus) | conic / Potrace (median per case) | conic median H | Potrace median H | flagged conic | silent failures conic / linear / Potrace |`,
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const condition of conditions) {
    const pick = (t: Tracer) => cases.map((c) => c.out[condition][t]);
    const meanOf = (t: Tracer) => {
      const xs = pick(t)
        .map((o) => o.mean)
        .filter(Number.isFinite);
      return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    };
    const ratios = cases.map((c) => c.out[condition].conic.mean / c.out[condition].potrace.mean).filter(Number.isFinite);
    const hMed = (t: Tracer) => median(pick(t).map((o) => o.hausdorff));
    const flagged = pick('conic').filter((o) => !o.ok || o.warnings.length > 0).length;
    const silents = TRACERS.map((t) => pick(t).filter(silent).length).join(' / ');
    lines.push(
      `| ${condition} | ${meanOf('conic').toFixed(3)} | ${meanOf('linear').toFixed(3)} | ${meanOf('potrace').toFixed(3)} | ${(meanOf('conic') / meanOf('potrace')).toFixed(2)} | ${median(ratios).toFixed(2)} | ${hMed('conic').toFixed(2)} | ${hMed('potrace').toFixed(2)} | ${flagged} / ${cases.length} | ${silents} |`,
    );
  }
  const scanRows = await scans();
  const command = `npx tsx bench/real-input.ts${argv.length ? ' ' + argv.join(' ') : ''}`;
  const section = [
    '<!-- real-input:start -->',
    '## Real inputs (bench/real-input.ts)',
    '',
    `\`${command}\` on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}. ` +
      `${cases.length} images per condition (${shapes.length} shapes × 64 and 300 px), each its exact area coverage of its outline flattened to ${MEASURE_FLATNESS} px, then degraded (scripts/degrade.ts). ` +
      'Means are over the images (corpus); "median per case" is the median of the per-image ratios; H = Hausdorff. ' +
      'A silent failure is a trace more than 1 px (mean) from the truth or losing more than 10 % of the ink, with neither an error nor a warning.',
    '',
    ...lines,
    '',
    "Scans from ../shared/realdata/scans (no vector truth): IoU of the rendered trace with the image's own Otsu binarisation, segments, path bytes (3 decimals, compact as toSvg writes them, Potrace's re-serialised the same way), time (one run, decoding included). linn.png: Wikimedia Commons \"LinnSequencer\", CC BY-SA 3.0; baiona_gray.png: © 2014 Euskaldunaa, CC BY-SA 4.0 (both as shipped in OCRmyPDF's test resources).",
    '',
    '| scan | tracer | IoU | segments | bytes | ms | warnings |',
    '|---|---|---|---|---|---|---|',
    ...scanRows,
    '<!-- real-input:end -->',
  ].join('\n');
  console.log(section);
  fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/out/real-input.json'), JSON.stringify(cases, null, 1));
  if (!QUICK && !ONLY && !ONLY_CONDITIONS) {
    const doc = path.join(ROOT, 'docs/benchmarks.md');
    const text = fs.readFileSync(doc, 'utf8');
    const re = /<!-- real-input:start -->[\s\S]*<!-- real-input:end -->/;
    fs.writeFileSync(doc, re.test(text) ? text.replace(re, section) : text.trimEnd() + '\n\n' + section + '\n');
  }
}

await main();
