/**
 * Benchmark corpus (bench/compare.ts): glyphs and logos whose true outlines are known exactly,
 * chosen by fixed rules, rendered by resvg at two sizes, anti-aliased and bilevel.
 *
 * Rules (no hand-picking):
 * - Glyphs: the string GLYPH_CHARSET (A–Z a–z 0–9 &, 63 characters); every GLYPH_STEP-th
 *   character starting with the first; the k-th chosen character (k = 0, 1, …) is set in
 *   Libre Baskerville when k is even and in Noto Serif when k is odd (@fontsource WOFF files,
 *   regular weight, read with opentype.js; outline = the glyph's own path, y down).
 * - Logos: simple-icons sorted by slug (JS default string order, i.e. code-unit order); the first
 *   ICON_COUNT whose path parses, has a non-degenerate bounding box, leaves ink in the 64 px
 *   bilevel rendering, and renders identically under nonzero and evenodd fill at 300 px (no
 *   overlapping subpaths, so every subpath of the path is a visible boundary — the Hausdorff
 *   "truth" must not contain hidden interior edges).
 * - Sizes: the shape's longer bounding-box side scaled to SIZES px; margin max(4, round(2 % of
 *   size)) px on every side; canvas = ceil(shape + 2·margin), shape centred.
 * - Renderings (`renderTruth`): 'aa' = the exact area each pixel has inside the true outline
 *   (flattened within 0.005 px), as grey 255·(1 − coverage) rounded, on white (8-bit grey PNG);
 *   'bilevel' = coverage ≥ 50 % → 0, else 255. Not resvg's anti-aliasing: it counts coverage in
 *   quarter steps along each axis (an edge 0.1 px into a pixel covers 0 of it, 0.3 px 0.25), so
 *   its images were up to 0.125 px off their truth on axis-parallel edges (docs/design.md §18.40).
 * - Truth: the path data (4 decimals) of the very SVG that was rendered, in pixel coordinates
 *   (viewBox = 0 0 width height; pixel (i, j) covers [i, i+1] × [j, j+1]).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as simpleIcons from 'simple-icons';
import {
  encodePngGrey,
  FONT_FILES,
  glyphOutline,
  layoutPath,
  loadOpentypeFont,
  parsePath,
  pathBBox,
  renderGrey,
  type OtPath,
  type Seg,
} from '../scripts/svg-tools.js';
import { flatten, flattenedArc, polygonPathData } from './geometry.js';
import type { FittedContour } from '../src/model.js';
import { renderCoverage } from '../src/output/raster.js';

export { renderGrey };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const GLYPH_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789&';
export const GLYPH_STEP = 3;
export const ICON_COUNT = 10;
export const SIZES = [64, 300] as const;
export const FONTS = FONT_FILES;
type FontName = keyof typeof FONTS;
const FONT_ORDER: FontName[] = ['Libre Baskerville', 'Noto Serif'];

export type Kind = 'glyph' | 'logo';
export type Rendering = 'aa' | 'bilevel';

export interface Shape {
  id: string;
  kind: Kind;
  /** Human-readable origin (font + character, or simple-icons title + slug). */
  source: string;
  /** Outline in source units (y down). */
  segs: Seg[];
}

export interface Case {
  /** `<shape id>-<size>-<rendering>` */
  id: string;
  shape: string;
  kind: Kind;
  size: number;
  rendering: Rendering;
  width: number;
  height: number;
  /** The rendered SVG document (fill-rule nonzero): the true outline as a finely flattened polygon. */
  truthSvg: string;
  /** Its path data (pixel coordinates, 4 decimals). */
  truthD: string;
  /** The input image: 8-bit grey PNG. */
  png: Buffer;
  /** Ink mask of the true rendering: AA grey < 128 (the same for both renderings of a shape/size). */
  truthInk: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

interface OtFont {
  unitsPerEm: number;
  charToGlyph(ch: string): { index: number; getPath(x: number, y: number, size: number): OtPath };
}

const CHAR_NAMES: Record<string, string> = { '&': 'ampersand' };

export function glyphShapes(): Shape[] {
  const fonts = new Map<FontName, OtFont>();
  const out: Shape[] = [];
  let k = 0;
  for (let i = 0; i < GLYPH_CHARSET.length; i += GLYPH_STEP, k++) {
    const ch = GLYPH_CHARSET[i];
    const fontName = FONT_ORDER[k % FONT_ORDER.length];
    if (!fonts.has(fontName)) fonts.set(fontName, loadOpentypeFont<OtFont>(path.join(ROOT, FONTS[fontName])));
    const font = fonts.get(fontName)!;
    const { segs, index } = glyphOutline(font, ch);
    const tag = fontName === 'Libre Baskerville' ? 'baskerville' : 'notoserif';
    const name = CHAR_NAMES[ch] ?? (ch >= 'a' && ch <= 'z' ? `${ch}-lc` : ch);
    out.push({ id: `${tag}-${name}`, kind: 'glyph', source: `${fontName} "${ch}" (glyph ${index})`, segs });
  }
  return out;
}

interface SimpleIcon {
  title: string;
  slug: string;
  path: string;
}

/** Icons in slug order that satisfy the rule; `rejected` lists the skipped ones with the reason. */
export function iconShapes(count = ICON_COUNT): { shapes: Shape[]; rejected: { slug: string; why: string }[] } {
  const all = Object.values(simpleIcons as unknown as Record<string, unknown>)
    .filter(
      (v): v is SimpleIcon => typeof v === 'object' && v !== null && typeof (v as SimpleIcon).slug === 'string' && typeof (v as SimpleIcon).path === 'string',
    )
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const shapes: Shape[] = [];
  const rejected: { slug: string; why: string }[] = [];
  for (const icon of all) {
    if (shapes.length >= count) break;
    let segs: Seg[];
    try {
      segs = parsePath(icon.path);
    } catch (e) {
      rejected.push({ slug: icon.slug, why: `path does not parse: ${(e as Error).message}` });
      continue;
    }
    const b = pathBBox(segs, flattenedArc);
    if (!(b.x1 - b.x0 > 0 && b.y1 - b.y0 > 0)) {
      rejected.push({ slug: icon.slug, why: 'degenerate bounding box' });
      continue;
    }
    const shape: Shape = { id: `icon-${icon.slug}`, kind: 'logo', source: `simple-icons "${icon.title}" (slug ${icon.slug})`, segs };
    const small = layout(shape, 64);
    const ink = renderGrey(small.svg).grey.some((v) => v < 128);
    if (!ink) {
      rejected.push({ slug: icon.slug, why: 'no ink in the 64 px bilevel rendering' });
      continue;
    }
    const big = layout(shape, 300);
    const a = renderGrey(big.svg.replace('fill-rule="nonzero"', 'fill-rule="evenodd"')).grey;
    const n = renderGrey(big.svg).grey;
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== n[i]) differ++;
    if (differ > 0) {
      rejected.push({ slug: icon.slug, why: `overlapping subpaths (nonzero and evenodd differ in ${differ} px at 300 px)` });
      continue;
    }
    shapes.push(shape);
  }
  return { shapes, rejected };
}

// ---------------------------------------------------------------------------------------------
// Layout and rendering
// ---------------------------------------------------------------------------------------------

/**
 * The shape at `size` px: `d` is the true outline (curves kept); `svg` draws it as a polygon
 * flattened within MEASURE_FLATNESS, so that the image matches its truth (resvg would draw each
 * curve as 2–64 chords, 0.05 px off on the glyphs).
 */
export function layout(shape: Shape, size: number): { svg: string; d: string; width: number; height: number } {
  const { d, width, height } = layoutPath(shape.segs, size, flattenedArc);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<path fill="#000" fill-rule="nonzero" d="${polygonPathData(flatten(parsePath(d)))}"/></svg>`;
  return { svg, d, width, height };
}

/**
 * The true outline's image: each pixel's exact covered area (nonzero fill; min(1, |winding area|),
 * so approximate in a pixel where two of a glyph's contours overlap) from the library's
 * exact-area rasteriser (src/output/raster.ts, docs/design.md §14.1) over the outline flattened
 * as `layout` draws it (`coverage`), as grey 255·(1 − c) rounded — with exactly half covered and nothing nearer
 * on the ink side (≤ 127), so that `inkMask(grey)` is c ≥ ½ — and that ink mask. Checked against
 * resvg at 16 × 16 samples per pixel over the corpus: coverage within 0.0102 (tmp/ script).
 */
export function renderTruth(d: string, width: number, height: number): { coverage: Float32Array; grey: Uint8Array; ink: Uint8Array } {
  const fits = flatten(parsePath(d)).map((p) => {
    const n = p.length / 2;
    const pieces = Array.from({ length: n }, (_, i) => {
      const j = (i + 1) % n;
      return { kind: 'line', p0: { x: p[2 * i], y: p[2 * i + 1] }, p1: { x: p[2 * j], y: p[2 * j + 1] } };
    });
    return { pieces } as unknown as FittedContour;
  });
  const coverage = renderCoverage(fits, width, height);
  const grey = new Uint8Array(width * height);
  const ink = new Uint8Array(width * height);
  for (let i = 0; i < coverage.length; i++) {
    const c = coverage[i];
    const g = Math.round(255 * (1 - c));
    ink[i] = c >= 0.5 ? 1 : 0;
    grey[i] = ink[i] ? Math.min(127, g) : Math.max(128, g);
  }
  return { coverage, grey, ink };
}

/** Path data rendered by resvg at the image size, as an ink mask at 50 % (fill black, the given fill rule). */
export function renderPathInk(d: string, fillRule: string, width: number, height: number): Uint8Array {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    (d ? `<path fill="#000" fill-rule="${fillRule}" d="${d}"/>` : '') +
    `</svg>`;
  return inkMask(renderGrey(svg).grey);
}

/** Ink mask at 50 %: grey < 128. */
export function inkMask(grey: Uint8Array): Uint8Array {
  const m = new Uint8Array(grey.length);
  for (let i = 0; i < grey.length; i++) m[i] = grey[i] < 128 ? 1 : 0;
  return m;
}

export interface Corpus {
  shapes: Shape[];
  cases: Case[];
  rejectedIcons: { slug: string; why: string }[];
  /** Shapes whose nonzero and evenodd renderings differ at 300 px (glyphs are not filtered; noted only). */
  overlappingGlyphs: string[];
}

/** The whole corpus; `quick` keeps the first 2 glyphs and the first 2 icons. */
export function buildCorpus(quick = false): Corpus {
  let glyphs = glyphShapes();
  const icons = iconShapes(quick ? 2 : ICON_COUNT);
  if (quick) glyphs = glyphs.slice(0, 2);
  const shapes = [...glyphs, ...icons.shapes];
  const cases: Case[] = [];
  const overlappingGlyphs: string[] = [];
  for (const shape of shapes) {
    for (const size of SIZES) {
      const { svg, d, width, height } = layout(shape, size);
      const img = renderTruth(d, width, height);
      if (shape.kind === 'glyph' && size === 300) {
        // Overlapping contours, as resvg's nonzero and evenodd fills tell them apart (noted only).
        const nz = renderGrey(svg).grey;
        const eo = renderGrey(svg.replace('fill-rule="nonzero"', 'fill-rule="evenodd"')).grey;
        if (eo.some((v, i) => v !== nz[i])) overlappingGlyphs.push(shape.id);
      }
      const { ink } = img;
      const bilevel = new Uint8Array(ink.length);
      for (let i = 0; i < ink.length; i++) bilevel[i] = ink[i] ? 0 : 255;
      for (const rendering of ['aa', 'bilevel'] as const) {
        cases.push({
          id: `${shape.id}-${size}-${rendering}`,
          shape: shape.id,
          kind: shape.kind,
          size,
          rendering,
          width,
          height,
          truthSvg: svg,
          truthD: d,
          png: encodePngGrey(width, height, rendering === 'aa' ? img.grey : bilevel, 'up'),
          truthInk: ink,
        });
      }
    }
  }
  return { shapes, cases, rejectedIcons: icons.rejected, overlappingGlyphs };
}
