/**
 * Writes the specimen sheet of the font capture (docs/design.md §21.7): three rows of Libre
 * Baskerville glyphs at 300 px per em, anti-aliased by resvg, to
 *
 *   samples/specimen/baskerville-300.png    8-bit grey, glyphs in reading order
 *   samples/specimen/baskerville-300.svg    the exact outlines it was rendered from
 *   samples/specimen/specimen.json          characters per row, px per em, baselines
 *
 * Run by `npm run samples`. Deterministic (fixed layout, deterministic PNG encoder).
 * `conicfit font samples/specimen/baskerville-300.png --chars "$(jq -r .chars samples/specimen/specimen.json)" -o Capture.otf`
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodePngGrey, FONT_FILES, fromOpentype, loadOpentypeFont, renderGrey, serialisePath, type OtPath } from './svg-tools.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'samples', 'specimen');
/** Rows of the sheet: capitals, lower case with an i, a j and counters, figures and marks (a % and an &). */
export const SPECIMEN_ROWS = ['ABEHKORS', 'abdegijk', 'nopqxy%&'];
export const PX_PER_EM = 300;
/** Gap between glyphs' advance boxes, em (so no two glyphs' ink overlaps horizontally). */
const GAP = 0.15;
const MARGIN = 40;
const LINE = 1.35;

interface OtFont {
  unitsPerEm: number;
  charToGlyph(ch: string): { advanceWidth: number; getPath(x: number, y: number, size: number): OtPath };
}

/** A sheet of glyphs in rows (Libre Baskerville): the SVG it is rendered from, its PNG (grey) and the rows' baselines. */
export function renderSpecimen(rows: readonly string[], pxPerEm: number): { svg: string; png: Buffer; width: number; height: number; baselines: number[] } {
  const font = loadOpentypeFont<OtFont>(path.join(ROOT, FONT_FILES['Libre Baskerville']));
  const s = pxPerEm / font.unitsPerEm;
  const margin = Math.round((MARGIN * pxPerEm) / PX_PER_EM);
  const baselines: number[] = [];
  let d = '';
  let width = 0;
  rows.forEach((row, r) => {
    const baseline = Math.round(margin + (0.95 + r * LINE) * pxPerEm);
    baselines.push(baseline);
    let x = margin;
    for (const ch of row) {
      const g = font.charToGlyph(ch);
      d += serialisePath(fromOpentype(g.getPath(x, baseline, pxPerEm).commands), 3);
      x += g.advanceWidth * s + GAP * pxPerEm;
    }
    width = Math.max(width, Math.ceil(x + margin));
  });
  const height = Math.ceil(baselines[baselines.length - 1] + 0.35 * pxPerEm + margin);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n<path d="${d}" fill="#000"/>\n</svg>\n`;
  const img = renderGrey(svg, { requireNeutral: true });
  return { svg, png: encodePngGrey(img.width, img.height, img.grey, 'min-sum'), width, height, baselines };
}

function main(): void {
  const { svg, png, width, height, baselines } = renderSpecimen(SPECIMEN_ROWS, PX_PER_EM);
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'baskerville-300.png'), png);
  fs.writeFileSync(path.join(OUT, 'baskerville-300.svg'), svg);
  const meta = {
    font: 'Libre Baskerville Regular (@fontsource/libre-baskerville, OFL)',
    chars: SPECIMEN_ROWS.join(' '),
    rows: SPECIMEN_ROWS,
    pxPerEm: PX_PER_EM,
    baselines,
    width,
    height,
  };
  fs.writeFileSync(path.join(OUT, 'specimen.json'), JSON.stringify(meta, null, 2) + '\n');
  console.log(`samples/specimen/baskerville-300.png ${width}×${height}, baselines ${baselines.join(', ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
