/**
 * The colour page of the sample report (docs/report/colour.html; docs/design.md §22): bench scenes
 * (bench/colour-scenes.ts, anti-aliased and bilevel) traced with `traceColour`, each shown as
 * (a) the original, (b) the regions (one flat tint per region id), (c) the fit (regions filled with
 * their palette colour, shared chains drawn once in black, junctions as red dots) and (d) the
 * re-rendered SVG (resvg) against the original: white where they agree within ΔE_OK 5, darker red
 * the further apart. Deterministic (no times): `npm run report` leaves the tree clean.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { Jimp } from 'jimp';
import { buildScenes, type Scene } from '../bench/colour-scenes.js';
import { colourToSvg, drawingOrder } from '../src/colour/svg.js';
import { traceRgba, type ColourTraceResult } from '../src/colour/index.js';
import { deltaE } from '../src/colour/oklab.js';
import { fitToPathData } from '../src/output/svg.js';

/** Scenes shown (indices into buildScenes()), and which rendering. */
const SHOWN: [number, 'aa' | 'bilevel'][] = [
  [1, 'aa'],
  [2, 'aa'],
  [4, 'aa'],
  [4, 'bilevel'],
];

async function png(width: number, height: number, rgba: Uint8Array): Promise<string> {
  const img = new Jimp({ width, height, color: 0xffffffff });
  img.bitmap.data.set(rgba);
  return (await img.getBuffer('image/png')).toString('base64');
}

/** A tint per region id (golden-angle hues), background white. */
function regionTints(r: ColourTraceResult, rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length).fill(255);
  const ids = new Int32Array(r.width * r.height);
  for (const region of r.regions) {
    // Fill each region's pixels from its own colour match: the pixels whose palette colour is the region's and that lie inside its outer loops.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${r.width}" height="${r.height}"><path fill="#000" fill-rule="evenodd" d="${region.loops
      .map((l) => pathOfLoop(r, l))
      .join('')}"/></svg>`;
    const mask = new Resvg(svg).render().pixels;
    for (let i = 0; i < ids.length; i++) if (mask[4 * i + 3] >= 128) ids[i] = region.id;
  }
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === 0) continue;
    const h = (ids[i] * 137.508) % 360;
    const [cr, cg, cb] = hsl(h, 0.55, 0.6);
    out[4 * i] = cr;
    out[4 * i + 1] = cg;
    out[4 * i + 2] = cb;
  }
  return out;
}

function pathOfLoop(r: ColourTraceResult, loop: ColourTraceResult['regions'][number]['loops'][number]): string {
  const region = { id: 0, colour: 0, area: 0, loops: [loop] };
  return regionPath(r, region);
}

function regionPath(r: ColourTraceResult, region: ColourTraceResult['regions'][number]): string {
  const svg = colourToSvg({ ...r, regions: [region] }, { precision: 3, layering: 'exact', background: false });
  return /<path d="([^"]*)"/.exec(svg)?.[1] ?? '';
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** The fit panel: regions in their colours, every chain stroked once, junctions as dots. */
function fitPanel(r: ColourTraceResult): string {
  const base = colourToSvg(r, { precision: 2 }).replace('</svg>\n', '');
  const stroke = Math.max(r.width, r.height) / 300;
  const chains = r.chains
    .map((c) =>
      fitToPathData(
        {
          mode: r.mode,
          hole: false,
          parent: -1,
          knots: [],
          pieces: c.pieces,
          report: { points: 0, corners: 0, intermediatePoints: 0, intervals: 0, maxDeviation: 0, rms: 0, failedIntervals: 0 },
        },
        2,
      ).replace(/Z$/, ''),
    )
    .join('');
  const ends = new Set<string>();
  for (const c of r.chains)
    if (!c.closed && c.pieces.length > 0) for (const p of [c.pieces[0].p0, c.pieces[c.pieces.length - 1].p1]) ends.add(`${p.x.toFixed(2)},${p.y.toFixed(2)}`);
  const dots = [...ends].map((e) => `<circle cx="${e.split(',')[0]}" cy="${e.split(',')[1]}" r="${2 * stroke}" fill="#e00"/>`).join('');
  return `${base}<path d="${chains}" fill="none" stroke="#000" stroke-width="${stroke}"/>${dots}</svg>`;
}

/** Differences between the re-rendered SVG and the original, ΔE_OK per pixel. */
function differencePanel(r: ColourTraceResult, rgba: Uint8Array): { rgba: Uint8Array; meanDeltaE: number } {
  const px = new Resvg(colourToSvg(r, { precision: 2 }), { background: 'white' }).render().pixels;
  const out = new Uint8Array(rgba.length);
  let sum = 0;
  for (let i = 0; i < r.width * r.height; i++) {
    const e = deltaE([px[4 * i], px[4 * i + 1], px[4 * i + 2]], [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]]);
    sum += e;
    const v = e < 5 ? 255 : Math.max(0, Math.round(255 - 4 * e));
    out.set([255, v, v, 255], 4 * i);
  }
  return { rgba: out, meanDeltaE: sum / (r.width * r.height) };
}

/** Writes docs/report/colour.html; returns its file name. */
export async function writeColourReport(outDir: string): Promise<string> {
  const scenes: Scene[] = buildScenes();
  const panel = (label: string, body: string) => `<figure><div class="panel">${body}</div><figcaption>${label}</figcaption></figure>`;
  const sections: string[] = [];
  for (const [k, rendering] of SHOWN) {
    const s = scenes[k];
    const rgba = rendering === 'aa' ? s.aa : s.bilevel;
    const r = traceRgba(s.width, s.height, rgba, { colors: 'auto', seed: 1 });
    const diff = differencePanel(r, rgba);
    const order = drawingOrder(r).map((g) => r.palette[g.colour].colour);
    sections.push(`<section><h3>${s.id} (${rendering})</h3><p>${r.palette.length} colours (background ${r.palette[r.background].colour}), ${r.regions.length} regions, ${r.chains.length} shared chains, ${r.report.pieces} pieces, max deviation ${r.report.maxDeviation.toFixed(3)} px, ${r.report.mixedPixels} mixed pixels; drawing order ${order.join(', ')}; mean ΔE_OK of the re-render ${diff.meanDeltaE.toFixed(2)}</p><div class="row">
${panel('(a) original', `<img src="data:image/png;base64,${await png(s.width, s.height, rgba)}" alt="original">`)}
${panel('(b) regions', `<img src="data:image/png;base64,${await png(s.width, s.height, regionTints(r, rgba))}" alt="regions">`)}
${panel('(c) fit: chains once, junctions red', fitPanel(r).replace(/^<\?xml[^>]*>\s*/, ''))}
${panel('(d) re-render vs original (red: ΔE_OK > 5)', `<img src="data:image/png;base64,${await png(s.width, s.height, diff.rgba)}" alt="difference">`)}
</div></section>`);
  }
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>conicfit colour report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px clamp(8px, 3vw, 32px); color: #222; }
.row { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px; max-width: 1200px; }
@media (max-width: 700px) { .row { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
figure { margin: 0; min-width: 0; }
.panel { width: 100%; aspect-ratio: 1; border: 1px solid #ddd; background: #fff; box-sizing: border-box; }
.panel img, .panel svg { width: 100%; height: 100%; object-fit: contain; image-rendering: pixelated; display: block; }
figcaption { font-size: 12px; text-align: center; }
</style></head><body>
<h1>conicfit colour report</h1>
<p>Generated by <code>npm run report</code>: bench scenes of <code>bench/colour.ts</code> traced with <code>traceColour(pixels, { colors: 'auto', seed: 1 })</code> (docs/design.md §22). Each boundary between two colours is one chain, fitted once and drawn by both regions.</p>
${sections.join('\n')}
</body></html>
`;
  fs.writeFileSync(path.join(outDir, 'colour.html'), html);
  return 'colour.html';
}
