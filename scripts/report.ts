/**
 * The main job on the bundled samples: traces every sample in samples/ in both modes, with and
 * without intermediate points, and writes docs/report/ — README.md (tables) and index.html (one
 * self-contained page: tables plus, per sample, the figure panels (a) original, (b) outline,
 * (c) corners, (d) linear fit, (e) conic fit, (f) overlay of the re-rendered conic fit on the
 * source: black where both are ink, red where only the fit is, blue where only the source is).
 *
 * Tables follow M. Sarfraz (2012): Table 1 contours, points and corners; Tables 2 and 3 the
 * linear and conic fits, intermediate points and time without and with insertion; plus error
 * columns (S, RMS, max deviation, raster IoU).
 *
 * The committed files are deterministic (same source, same bytes: no dates, versions or times), so
 * `npm run report` on a clean checkout leaves the tree clean; the fit times, which vary run to
 * run, are printed and written to docs/report/timings.md, which git ignores.
 * Run: npm run report
 */
import fs from 'node:fs';
import path from 'node:path';
import { Jimp } from 'jimp';
import { writeColourReport } from './report-colour.js';
import { compareRaster, loadBitmap, renderCoverage, toSvg, traceImage, type Bitmap, type FitMode, type TraceResult } from '../src/node.js';

interface SampleEntry {
  name: string;
  file: string;
  kind: string;
  rendering: string;
  size: number;
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'docs', 'report');
const samples: SampleEntry[] = JSON.parse(fs.readFileSync(path.join(root, 'samples', 'samples.json'), 'utf8'));

interface ModeRow {
  bare: TraceResult;
  full: TraceResult;
  S: number;
  rms: number;
  iou: number;
}
interface SampleRow {
  sample: SampleEntry;
  bitmap: Bitmap;
  png: Buffer;
  modes: Record<FitMode, ModeRow>;
}

const rows: SampleRow[] = [];
for (const sample of samples) {
  const png = fs.readFileSync(path.join(root, 'samples', sample.file));
  const bitmap = await loadBitmap(png);
  const modes = {} as Record<FitMode, ModeRow>;
  for (const mode of ['linear', 'conic'] as const) {
    const bare = await traceImage(bitmap, { mode, maxKnotFraction: 0 }); // corners (and seeds) only
    const full = await traceImage(bitmap, { mode });
    let S = 0,
      sumSq = 0,
      count = 0;
    for (const f of full.fits)
      for (const p of f.pieces) {
        S += p.report.S;
        sumSq += p.report.rms ** 2 * p.report.pointCount;
        count += p.report.pointCount;
      }
    modes[mode] = { bare, full, S, rms: Math.sqrt(sumSq / Math.max(1, count)), iou: compareRaster(full.fits, bitmap).iou };
  }
  rows.push({ sample, bitmap, png, modes });
  process.stdout.write(`traced ${sample.file}\n`);
}

// ---------------------------------------------------------------------------------------------
// Tables.

const ms = (x: number) => x.toFixed(1);
const px = (x: number) => x.toFixed(3);
const table1 = [
  '| sample | kind | rendering | size | contours | points per contour | points | corners |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(({ sample, modes }) => {
    const r = modes.conic.full;
    return `| ${sample.name} | ${sample.kind} | ${sample.rendering} | ${sample.size} | ${r.report.totals.contours} | ${r.contours.map((c) => c.points.length / 2).join(', ')} | ${r.report.totals.points} | ${r.report.totals.corners} |`;
  }),
];
const modeTable = (mode: FitMode) => [
  `| sample | intervals without insertion | max dev. without (px) | intermediate points | intervals | S (px²) | RMS (px) | max dev. (px) | failed | raster IoU |`,
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map(({ sample, modes }) => {
    const m = modes[mode];
    const t = m.full.report;
    return `| ${sample.name} | ${m.bare.report.totals.intervals} | ${px(m.bare.report.totals.maxDeviation)} | ${t.totals.intermediatePoints} | ${t.totals.intervals} | ${m.S.toFixed(1)} | ${px(m.rms)} | ${px(t.totals.maxDeviation)} | ${t.failedIntervals} | ${m.iou.toFixed(4)} |`;
  }),
];
/** Times (corners + fit, ms) without and with insertion: printed and written to the ignored timings.md, never to a committed file. */
const timingTable = [
  '| sample | linear without (ms) | linear with (ms) | conic without (ms) | conic with (ms) |',
  '|---|---|---|---|---|',
  ...rows.map(({ sample, modes }) => {
    const t = (r: TraceResult) => ms(r.report.timings.fit + r.report.timings.corners);
    return `| ${sample.name} | ${t(modes.linear.bare)} | ${t(modes.linear.full)} | ${t(modes.conic.bare)} | ${t(modes.conic.full)} |`;
  }),
];
const sum = (mode: FitMode, f: (r: TraceResult) => number) => rows.reduce((s, r) => s + f(r.modes[mode].full), 0);
const summary = [
  '| mode | intervals | intermediate points | worst max deviation (px) | failed intervals |',
  '|---|---|---|---|---|',
  ...(['linear', 'conic'] as const).map(
    (mode) =>
      `| ${mode} | ${sum(mode, (r) => r.report.totals.intervals)} | ${sum(mode, (r) => r.report.totals.intermediatePoints)} | ${px(Math.max(...rows.map((r) => r.modes[mode].full.report.totals.maxDeviation)))} | ${sum(mode, (r) => r.report.failedIntervals)} |`,
  ),
];

const intro = [
  '# conicfit sample report',
  '',
  'Generated by `npm run report`; tolerance 1 px, seed 1. Same source, same report: fit times vary from run to run and machine to machine, so they are printed by `npm run report` and written to `timings.md` beside this file (not committed).',
  '"Without insertion" fits only between corners (and the two seed knots of a contour without corners); "with" inserts intermediate points until every interval is within 1 px. Deviations are orthogonal distances of contour points to the fit; S is the paper\'s sum of squared parametric distances; raster IoU compares the re-rendered fit with the input ink.',
  '',
];
const markdown = [
  ...intro,
  'Figures for every sample (original, outline, corners, linear fit, conic fit, overlay) are in [index.html](index.html); colour tracing in [colour.html](colour.html).',
  '',
  '## Summary',
  '',
  ...summary,
  '',
  '## Table 1 — contours, points and corners',
  '',
  ...table1,
  '',
  '## Table 2 — linear spline',
  '',
  ...modeTable('linear'),
  '',
  '## Table 3 — conic spline',
  '',
  ...modeTable('conic'),
  '',
].join('\n');

// ---------------------------------------------------------------------------------------------
// Figures.

async function overlayPng(bitmap: Bitmap, result: TraceResult): Promise<string> {
  const cov = renderCoverage(result.fits, bitmap.width, bitmap.height);
  const img = new Jimp({ width: bitmap.width, height: bitmap.height, color: 0xffffffff });
  const data = img.bitmap.data;
  for (let i = 0; i < cov.length; i++) {
    const fit = cov[i] >= 0.5,
      src = bitmap.ink[i] === 1;
    const [r, g, b] = fit && src ? [0, 0, 0] : fit ? [230, 30, 30] : src ? [30, 80, 230] : [255, 255, 255];
    data[4 * i] = r;
    data[4 * i + 1] = g;
    data[4 * i + 2] = b;
    data[4 * i + 3] = 255;
  }
  return (await img.getBuffer('image/png')).toString('base64');
}

/** The sample shown first, large, above the tables: a small anti-aliased glyph, where the fit's gain over the pixels is plainest. */
const HERO_SAMPLE = 'baskerville-ampersand-64-aa';

const panel = (label: string, body: string) => `<figure><div class="panel">${body}</div><figcaption>${label}</figcaption></figure>`;
const svgPanel = (svg: string) => svg.replace(/^<\?xml[^>]*>\s*/, '');
const sections: string[] = [];
let hero = '';
for (const { sample, bitmap, png, modes } of rows) {
  const conic = modes.conic.full,
    linear = modes.linear.full;
  // Markers ~5 screen px at the 180 px panel size, whatever the image size.
  const markerSize = (5 * Math.max(bitmap.width, bitmap.height)) / 180;
  const fitStyle = { fill: '#222', markerSize, layers: { corners: true, intermediate: true } };
  sections.push(`<section><h3>${sample.name}</h3><p>${sample.kind}, ${sample.rendering}, ${bitmap.width}×${bitmap.height} px — linear ${linear.report.totals.intervals} intervals, conic ${conic.report.totals.intervals} intervals, conic max deviation ${px(conic.report.totals.maxDeviation)} px, IoU ${modes.conic.iou.toFixed(4)}</p><div class="row">
${panel('(a) original', `<img src="data:image/png;base64,${png.toString('base64')}" alt="original">`)}
${panel('(b) outline', svgPanel(toSvg(conic, { fill: 'none', precision: 2, markerSize, layers: { source: true } })))}
${panel('(c) corners', svgPanel(toSvg(conic, { fill: 'none', precision: 2, markerSize, layers: { source: true, corners: true } })))}
${panel('(d) linear fit', svgPanel(toSvg(linear, { ...fitStyle, precision: 2 })))}
${panel('(e) conic fit', svgPanel(toSvg(conic, { ...fitStyle, precision: 2 })))}
${panel('(f) overlay', `<img src="data:image/png;base64,${await overlayPng(bitmap, conic)}" alt="overlay">`)}
</div></section>`);
  if (sample.name === HERO_SAMPLE || (hero === '' && sample === rows[rows.length - 1].sample)) {
    hero = `<div class="hero">
${panel(`${sample.name}: original, ${bitmap.width}×${bitmap.height} px`, `<img src="data:image/png;base64,${png.toString('base64')}" alt="original">`)}
${panel(`conic fit: ${conic.report.totals.intervals} pieces, max deviation ${px(conic.report.totals.maxDeviation)} px`, svgPanel(toSvg(conic, { ...fitStyle, precision: 2 })))}
${panel(`overlay: IoU ${modes.conic.iou.toFixed(4)} (black both, red fit only, blue source only)`, `<img src="data:image/png;base64,${await overlayPng(bitmap, conic)}" alt="overlay">`)}
</div>`;
  }
}

const mdToHtmlTable = (lines: string[]) => {
  const cells = (l: string) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replace(/\*\*(.*?)\*\*/g, '<b>$1</b>'));
  const [head, , ...body] = lines;
  return `<table><thead><tr>${cells(head)
    .map((c) => `<th>${c}</th>`)
    .join('')}</tr></thead><tbody>${body
    .map(
      (l) =>
        `<tr>${cells(l)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
};
const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>conicfit sample report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px clamp(8px, 3vw, 32px); color: #222; }
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 24px; font-size: 12px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.row { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 8px; max-width: 1400px; }
@media (max-width: 860px) { .row { grid-template-columns: repeat(3, minmax(0, 1fr)); } }
@media (max-width: 420px) { .row { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
.hero { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 220px), 1fr)); gap: 12px; max-width: min(100%, 1100px); }
.hero .panel { max-height: 60vh; }
figure { margin: 0; min-width: 0; }
.panel { width: 100%; max-width: 100%; aspect-ratio: 1; border: 1px solid #ddd; background: #fff; box-sizing: border-box; }
.panel img, .panel svg { width: 100%; height: 100%; max-width: 100%; object-fit: contain; image-rendering: pixelated; display: block; }
figcaption { font-size: 12px; text-align: center; }
section { margin-bottom: 24px; }
</style></head><body>
<h1>conicfit sample report</h1>
<p>Colour tracing: <a href="colour.html">colour.html</a>.</p>
${hero}
<p>${intro[2]}</p><p>${intro[3]}</p>
<h2>Summary</h2><div class="scroll">${mdToHtmlTable(summary)}</div>
<h2>Table 1 — contours, points and corners</h2><div class="scroll">${mdToHtmlTable(table1)}</div>
<h2>Table 2 — linear spline</h2><div class="scroll">${mdToHtmlTable(modeTable('linear'))}</div>
<h2>Table 3 — conic spline</h2><div class="scroll">${mdToHtmlTable(modeTable('conic'))}</div>
<h2>Figures</h2>
<p>(b) source boundary points; (c) with detected corners (red squares); (d, e) fits with corners and intermediate points (blue circles); (f) re-rendered conic fit over the source: black both, red fit only, blue source only.</p>
${sections.join('\n')}
</body></html>
`;

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'README.md'), markdown);
fs.writeFileSync(path.join(outDir, 'index.html'), html);
await writeColourReport(outDir);
const timings = [
  '# conicfit sample report: fit times',
  '',
  'Corners + fit, one run each, on this machine (not committed: see .gitignore).',
  '',
  ...timingTable,
  '',
].join('\n');
fs.writeFileSync(path.join(outDir, 'timings.md'), timings);
console.log(
  `\n${timingTable.join('\n')}\n\n${summary.join('\n')}\n\nwrote ${path.relative(process.cwd(), path.join(outDir, 'README.md'))} and index.html (${(html.length / 1e6).toFixed(1)} MB); timings in timings.md (not committed)`,
);
