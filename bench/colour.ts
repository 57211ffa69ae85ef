/**
 * Colour benchmark (issue 16; docs/design.md §22): conicfit's `traceColour` beside ImageTracer.js
 * and VTracer on multi-colour scenes with known truth (bench/colour-scenes.ts), anti-aliased and
 * bilevel, and on the real icons in ../shared/realdata/multicolor/ (no truth).
 *
 *   npx tsx bench/colour.ts            # all scenes; writes the table into docs/benchmarks.md
 *   npx tsx bench/colour.ts --quick    # 3 scenes, prints only (COLOUR_TOLERANCE=0.5 tries another tolerance)
 *
 * Tracers, each on the same decoded RGBA pixels (decoding not timed):
 * - conicfit: `traceColour(pixels, { colors: n })` (n = the scene's true count, background included)
 *   and `{ colors: 'auto' }`; `colourToSvg` at 2 decimals (stacked, compact path data).
 * - imagetracerjs 1.2.6: `imagedataToSVG` with `numberofcolors` = n, `roundcoords: 2`,
 *   `strokewidth: 0` (its default 1 px stroke in the fill colour would widen every shape; the
 *   fill is compared), other options default.
 * - VTracer (@neplex/vectorizer 0.0.5, visioncortex VTracer; 0.1.0's optional platform packages are missing from the registry for every platform but Linux x64, which breaks `npm ci`): `vectorizeRawSync` with `Preset.Poster`.
 * Real icons: raster fidelity = mean ΔE_OK between the SVG rendered at 1 × over white and the
 * input composited over white, and the share of pixels off by ΔE_OK > 10; shapes, bytes, time.
 */
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { vectorizeRawSync, type Preset } from '@neplex/vectorizer';
import { Jimp } from 'jimp';
import { colourToSvg } from '../src/colour/svg.js';
import { compactPathData } from '../src/output/path-compact.js';
import { traceRgba } from '../src/colour/index.js';
import { deltaE } from '../src/colour/oklab.js';
import { buildScenes, measureSvg, svgPaths, type SvgMeasures } from './colour-scenes.js';
import { median } from './geometry.js';

const require = createRequire(import.meta.url);
const imageTracer = require('imagetracerjs') as {
  imagedataToSVG(img: { width: number; height: number; data: Uint8ClampedArray }, o: Record<string, unknown>): string;
};
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REAL = path.resolve(ROOT, '..', 'shared', 'realdata', 'multicolor');

type Tracer = 'conicfit' | 'conicfit-auto' | 'imagetracer' | 'vtracer';
const TRACERS: Tracer[] = ['conicfit', 'conicfit-auto', 'imagetracer', 'vtracer'];

function trace(tracer: Tracer, width: number, height: number, rgba: Uint8Array, colours: number): { svg: string; ms: number } {
  const t0 = performance.now();
  let svg: string;
  if (tracer === 'conicfit' || tracer === 'conicfit-auto') {
    svg = colourToSvg(
      traceRgba(width, height, rgba, {
        colors: tracer === 'conicfit' ? colours : 'auto',
        seed: 1,
        ...(process.env.COLOUR_TOLERANCE ? { tolerance: Number(process.env.COLOUR_TOLERANCE) } : {}),
      }),
      { precision: 2 },
    );
  } else if (tracer === 'imagetracer') {
    svg = imageTracer.imagedataToSVG({ width, height, data: new Uint8ClampedArray(rgba) }, { numberofcolors: colours, roundcoords: 2, strokewidth: 0 });
  } else {
    // Preset.Poster (= 1): 0.0.5's typings declare the presets as a const enum, which isolated modules cannot read.
    svg = vectorizeRawSync(Buffer.from(rgba), { width, height }, 1 as Preset);
  }
  return { svg, ms: performance.now() - t0 };
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const scenes = buildScenes(quick);
  const rows: string[] = [];
  const summary: Record<string, Record<Tracer, (SvgMeasures & { ms: number })[]>> = { aa: {} as never, bilevel: {} as never };
  for (const rendering of ['aa', 'bilevel'] as const) for (const t of TRACERS) summary[rendering][t] = [];
  const itCompact: Record<'aa' | 'bilevel', number[]> = { aa: [], bilevel: [] };
  for (const scene of scenes) {
    for (const rendering of ['aa', 'bilevel'] as const) {
      const rgba = rendering === 'aa' ? scene.aa : scene.bilevel;
      for (const t of TRACERS) {
        const { svg, ms } = trace(t, scene.width, scene.height, rgba, scene.colours.length);
        const m = { ...measureSvg(svg, scene), ms };
        summary[rendering][t].push(m);
        if (t === 'imagetracer') itCompact[rendering].push(svgPaths(svg).reduce((sum, p) => sum + compactPathData(p.d, 2).length, 0));
        rows.push(
          `| ${scene.id} | ${rendering} | ${t} | ${f3(m.meanDistance)} | ${m.gaps} | ${f2(m.maxDeltaE)} | ${m.paths} | ${m.bytes} | ${m.ms.toFixed(0)} |`,
        );
        process.stderr.write(
          `${scene.id} ${rendering} ${t}: ${f3(m.meanDistance)} px, gaps ${m.gaps}, ΔE ${f2(m.maxDeltaE)}, ${m.paths} paths, ${m.bytes} B, ${m.ms.toFixed(0)} ms\n`,
        );
      }
    }
  }
  const lines: string[] = [];
  lines.push(
    `Scenes: ${scenes.length} (2–6 shapes each, ${scenes[0].width} px), each anti-aliased and bilevel. Medians over the scenes; "max ΔE" and "gaps" are the largest over the scenes.`,
  );
  lines.push('');
  lines.push('| rendering | tracer | mean distance px | gaps (max) | max ΔE_OK | paths | path bytes | bytes / ImageTracer | ms |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const rendering of ['aa', 'bilevel'] as const) {
    const it = summary[rendering].imagetracer;
    for (const t of TRACERS) {
      const ms = summary[rendering][t];
      const ratio = median(ms.map((m, k) => m.bytes / it[k].bytes));
      lines.push(
        `| ${rendering} | ${t} | ${f3(median(ms.map((m) => m.meanDistance)))} | ${Math.max(...ms.map((m) => m.gaps))} | ${f2(Math.max(...ms.map((m) => m.maxDeltaE)))} | ${median(ms.map((m) => m.paths))} | ${median(ms.map((m) => m.bytes))} | ${f2(ratio)} | ${median(ms.map((m) => m.ms)).toFixed(0)} |`,
      );
    }
  }
  const med = (r: 'aa' | 'bilevel', t: Tracer, f: (m: SvgMeasures & { ms: number }) => number) => median(summary[r][t].map(f));
  const ok = (b: boolean) => (b ? 'met' : '**not met**');
  const aaD = med('aa', 'conicfit', (m) => m.meanDistance);
  const peer = Math.min(
    med('aa', 'imagetracer', (m) => m.meanDistance),
    med('aa', 'vtracer', (m) => m.meanDistance),
  );
  const gaps = (r: 'aa' | 'bilevel', t: Tracer) => summary[r][t].reduce((s, m) => s + m.gaps, 0);
  const bytes = (r: 'aa' | 'bilevel') => median(summary[r].conicfit.map((m, k) => m.bytes / summary[r].imagetracer[k].bytes));
  const compactBytes = (r: 'aa' | 'bilevel') => median(summary[r].conicfit.map((m, k) => m.bytes / itCompact[r][k]));
  const worstDeltaE = Math.max(...(['aa', 'bilevel'] as const).flatMap((r) => summary[r].conicfit.map((m) => m.maxDeltaE)));
  lines.push('');
  lines.push('Targets (issue 16; conicfit with the true count):');
  lines.push('');
  lines.push(
    `- Anti-aliased boundary mean distance ${f3(aaD)} px = ${f2(aaD / peer)} × the better peer's (${f3(peer)}): ≤ 0.5 × ${ok(aaD <= 0.5 * peer)}; ≤ 0.15 px ${ok(aaD <= 0.15)}.`,
  );
  lines.push(`- Region colours: largest ΔE_OK ${f2(worstDeltaE)}: ≤ 2 ${ok(worstDeltaE <= 2)}.`);
  lines.push(
    `- Gaps (sum over the scenes): anti-aliased ${gaps('aa', 'conicfit')} px (ImageTracer ${gaps('aa', 'imagetracer')}, VTracer ${gaps('aa', 'vtracer')}), bilevel ${gaps('bilevel', 'conicfit')} px (ImageTracer ${gaps('bilevel', 'imagetracer')}, VTracer ${gaps('bilevel', 'vtracer')}): 0 ${ok(gaps('aa', 'conicfit') + gaps('bilevel', 'conicfit') === 0)}.`,
  );
  lines.push(
    `- Path bytes / ImageTracer's (median of the per-scene ratios, 2 decimals): anti-aliased ${f2(bytes('aa'))}, bilevel ${f2(bytes('bilevel'))}: ≤ 1.0 ${ok(bytes('aa') <= 1 && bytes('bilevel') <= 1)}. ImageTracer writes absolute commands with spaces; against its path data rewritten by conicfit's \`compactPathData\` (relative where shorter, H/V, no spare separators) the ratios are ${f2(compactBytes('aa'))} and ${f2(compactBytes('bilevel'))}.`,
  );
  lines.push(
    `- Time (median per scene, this machine): conicfit ${med('aa', 'conicfit', (m) => m.ms).toFixed(0)} ms anti-aliased, ${med('bilevel', 'conicfit', (m) => m.ms).toFixed(0)} ms bilevel; ImageTracer ${med('aa', 'imagetracer', (m) => m.ms).toFixed(0)} ms, VTracer ${med('aa', 'vtracer', (m) => m.ms).toFixed(0)} ms.`,
  );
  lines.push('');
  lines.push(
    "Real icons (`../shared/realdata/multicolor/`, MIT, no truth): raster fidelity as mean ΔE_OK of the 1 × render against the input (over white) and the share of pixels off by ΔE_OK > 10; conicfit with `colors: auto`, ImageTracer with `numberofcolors` = conicfit's palette size, VTracer Poster.",
  );
  lines.push('');
  lines.push('| icon | px | tracer | mean ΔE_OK | pixels ΔE > 10 | paths | path bytes | ms |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const pixelArt: string[] = [];
  let iconCount = 0;
  if (existsSync(REAL)) {
    for (const file of readdirSync(REAL)
      .filter((f) => f.endsWith('.png'))
      .sort()) {
      const img = await Jimp.read(path.join(REAL, file));
      const { width, height } = img.bitmap;
      const rgba = new Uint8Array(img.bitmap.data.subarray(0, 4 * width * height));
      const auto = traceRgba(width, height, rgba, { colors: 'auto', seed: 1 });
      iconCount++;
      if (auto.report.pixelArt) pixelArt.push(file);
      for (const t of ['conicfit-auto', 'imagetracer', 'vtracer'] as const) {
        const { svg, ms } = trace(t, width, height, rgba, auto.palette.length);
        const r = fidelity(svg, width, height, rgba);
        lines.push(
          `| ${file} | ${width}×${height} | ${t} | ${f2(r.mean)} | ${(100 * r.off).toFixed(1)} % | ${svgPaths(svg).length} | ${svgPaths(svg).reduce((s, p) => s + p.d.length, 0)} | ${ms.toFixed(0)} |`,
        );
      }
    }
  } else {
    lines.push('| (../shared/realdata/multicolor/ not found) | | | | | | | |');
  }
  if (existsSync(REAL)) {
    lines.push('');
    lines.push(
      `conicfit took ${pixelArt.length} of ${iconCount} icons as pixel art (no anti-aliasing, ≤ 96 px; docs/design.md §22.9): pixel-corner polygons, so its 1 × render is the palette-mapped input.`,
    );
  }
  const table = lines.join('\n');
  process.stdout.write(table + '\n\nPer scene:\n\n' + rows.join('\n') + '\n');
  if (!quick)
    writeSection(
      table +
        '\n\n<details><summary>Per scene</summary>\n\n| scene | rendering | tracer | mean distance px | gaps | max ΔE_OK | paths | path bytes | ms |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n' +
        rows.join('\n') +
        '\n\n</details>',
    );
}

/** Mean ΔE_OK of the SVG's 1 × render against the input, both over white, and the share over 10. */
function fidelity(svg: string, width: number, height: number, rgba: Uint8Array): { mean: number; off: number } {
  const px = new Resvg(svg, { background: 'white', fitTo: { mode: 'width', value: width } }).render().pixels;
  let sum = 0,
    off = 0;
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3] / 255;
    const input = [0, 1, 2].map((k) => rgba[4 * i + k] * a + 255 * (1 - a));
    const e = deltaE([px[4 * i], px[4 * i + 1], px[4 * i + 2]], input);
    sum += e;
    if (e > 10) off++;
  }
  return { mean: sum / n, off: off / n };
}

/** Replaces the colour section of docs/benchmarks.md (between its markers), or appends it. */
function writeSection(body: string): void {
  const file = path.join(ROOT, 'docs', 'benchmarks.md');
  const doc = readFileSync(file, 'utf8');
  const section = `<!-- colour:start -->\n\n## Colour images (\`npx tsx bench/colour.ts\`)\n\n${body}\n\n<!-- colour:end -->`;
  const re = /<!-- colour:start -->[\s\S]*<!-- colour:end -->/;
  writeFileSync(file, re.test(doc) ? doc.replace(re, section) : doc.trimEnd() + '\n\n' + section + '\n');
}

await main();
