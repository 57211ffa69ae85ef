/**
 * `traceColour`: a colour image traced as regions of a palette (docs/design.md §22), one line per
 * stage — pixels → palette and mixtures → regions → boundary chains → one fit per chain → region
 * outlines → report. Browser-safe: it takes decoded pixels (the Node entry's `traceColour`,
 * src/node.ts, also reads files and bytes).
 *
 * Files: oklab.ts (colour space), palette.ts, regions.ts, boundaries.ts, chains-fit.ts,
 * outlines.ts (the stages), svg.ts (`colourToSvg`, `colourToJson`).
 */
import { checkCornerOptions, type CornerOptions } from '../corners.js';
import { badOption, checkKnownKeys, ConicfitError, describeValue } from '../errors.js';
import { resolveFitOptions, type FitOptions } from '../fit/index.js';
import { FIT_OPTION_KEYS } from '../fit/options.js';
import { LOAD_DEFAULTS } from '../load/options.js';
import { checkSize, type PixelInput } from '../load/pixels.js';
import type { FitMode, FittedPiece } from '../model.js';
import { boundaryChains } from './boundaries.js';
import { hexColour } from './oklab.js';
import { buildPalette, PALETTE_DEFAULTS } from './palette.js';
import { regionLoops, type RegionLoop } from './outlines.js';
import { fitChainsCovered } from './repair.js';
import { pixelPolygon } from './chains-fit.js';
import { labelRegions } from './regions.js';

export interface ColourOptions extends Omit<FitOptions, 'contourIndex'> {
  /** Palette size, transparency included: a number 2..64, or 'auto' (clusters closer than deltaE merge). Default 'auto'. */
  colors?: number | 'auto';
  /** ΔE_OK (100 × OKLab distance) under which two colours are one, for colors: 'auto'. Default 8. */
  deltaE?: number;
  /** Regions with fewer pixels merge into their neighbour. Default 3, or 1 (none merge) on pixel art. */
  minArea?: number;
  /** 'conic' (default) or 'linear'. */
  mode?: FitMode;
  /** Sub-pixel boundary points from colour mixtures: true, false or 'auto' (when the image has mixed pixels). */
  subpixel?: boolean | 'auto';
  /**
   * Trace as pixel art: every boundary the polygon of its pixel corners (docs/design.md §22.9).
   * 'auto' (default): when the image has no anti-aliasing and neither side exceeds 32 px.
   */
  pixelArt?: boolean | 'auto';
  /** Corner detector options (docs/design.md §3.2). */
  corners?: CornerOptions;
  /** Largest image, in pixels. Default as loadBitmap's. */
  maxPixels?: number;
}

/** Every `traceColour` option (its own and the fit options but `contourIndex`); any other key is BAD_OPTION. */
export const COLOUR_OPTION_KEYS: readonly string[] = [
  'colors',
  'deltaE',
  'minArea',
  'mode',
  'subpixel',
  'pixelArt',
  'corners',
  'maxPixels',
  ...FIT_OPTION_KEYS.filter((k) => k !== 'contourIndex'),
];

/** One palette colour of a colour trace. */
export interface ColourPaletteEntry {
  /** `#rrggbb`; for the transparency entry `none`. */
  colour: string;
  /** sRGB bytes (mean of the entry's pure pixels, unrounded). */
  rgb: [number, number, number];
  transparent: boolean;
  /** Pixels whose main colour it is. */
  pixels: number;
}

/** One drawn region: a connected area of one palette colour. */
export interface ColourRegion {
  /** Region id (1…; 0 is the background, which is not drawn). */
  id: number;
  /** Index into `palette`. */
  colour: number;
  /** Pixels in the region. */
  area: number;
  loops: RegionLoop[];
}

/** A boundary chain with its fit: `pieces` run from its first point to its last; regions `left` and `right` of that walk. */
export interface ColourChain {
  left: number;
  right: number;
  closed: boolean;
  /** Boundary points the fit was made to. */
  pointCount: number;
  pieces: FittedPiece[];
  /** Largest piece deviation, px, and pieces over tolerance. */
  maxDeviation: number;
  failedIntervals: number;
}

export interface ColourReport {
  colours: number;
  regions: number;
  chains: number;
  pieces: number;
  /** Pixels explained as a mixture of two palette colours. */
  mixedPixels: number;
  /** Regions merged into a neighbour for being under minArea. */
  mergedRegions: number;
  maxDeviation: number;
  failedIntervals: number;
  /** True when traced as pixel art (pixel-corner polygons, docs/design.md §22.9). */
  pixelArt: boolean;
  /** Knots the coverage repair added where the fit left a region's pixel uncovered (docs/design.md §22.5.1). */
  repairKnots: number;
  /** Pixels of drawn regions (not edge mixtures with the background) still under 55 % (bilevel 52 %) covered by the traced shapes; 0 unless the repair gave up. */
  uncoveredPixels: number;
  /** ms per stage: palette, regions, chains, fit, outlines, total. Diagnostics only. */
  timings: Record<string, number>;
}

/** What `traceColour` returns. */
export interface ColourTraceResult {
  width: number;
  height: number;
  mode: FitMode;
  tolerance: number;
  seed: number;
  palette: ColourPaletteEntry[];
  /** Palette index of the background (or transparency): detected from the border, not drawn. */
  background: number;
  regions: ColourRegion[];
  chains: ColourChain[];
  report: ColourReport;
}

const now = (): number => globalThis.performance.now();

/**
 * Traces a colour image: a palette, its regions, and one fitted curve per boundary shared by both sides.
 *
 * @example const result = await traceColour(ctx.getImageData(0, 0, w, h), { colors: 'auto' });
 */
export async function traceColour(input: PixelInput, options: ColourOptions = {}): Promise<ColourTraceResult> {
  const o = checkColourOptions(options);
  const { width, height, rgba } = toRgba(input, o.maxPixels);
  return traceRgba(width, height, rgba, options);
}

/** The pipeline on RGBA bytes (options checked by the caller or here). */
export function traceRgba(width: number, height: number, rgba: Uint8Array, options: ColourOptions = {}): ColourTraceResult {
  const o = checkColourOptions(options);
  const t0 = now();
  let minArea = o.minArea ?? DEFAULT_MIN_AREA;
  let { palette, background, mix } = buildPalette(rgba, width, height, o.colors, o.deltaE, Math.max(1, minArea));
  const antiAliased = isAntiAliased(mix.mixed, mix.first, width, height);
  const pixelArt = o.pixelArt === 'auto' ? !antiAliased && Math.max(width, height) <= PIXEL_ART_MAX_SIDE : o.pixelArt;
  if (pixelArt && o.minArea === undefined && minArea !== 1) {
    // One-pixel details are the drawing's, not noise: keep every colour and region.
    minArea = 1;
    ({ palette, background, mix } = buildPalette(rgba, width, height, o.colors, o.deltaE, 1));
  }
  const t1 = now();
  const map = labelRegions(mix.first, width, height, background, minArea);
  const t2 = now();
  const subpixel = !pixelArt && (o.subpixel === 'auto' ? antiAliased : o.subpixel);
  const chains = boundaryChains(map, width, height, subpixel ? mix : null);
  const t3 = now();
  const {
    fitted,
    knots: repairKnots,
    uncovered,
  } = pixelArt
    ? { fitted: chains.map(pixelPolygon), knots: 0, uncovered: 0 }
    : fitChainsCovered(chains, map, mix, width, height, o.mode, subpixel, o.fit, o.corners);
  const t4 = now();
  const loops = regionLoops(chains, map, width);
  const t5 = now();
  const colourChains: ColourChain[] = chains.map((c, k) => ({
    left: c.left,
    right: c.right,
    closed: c.closed,
    pointCount: c.points.length / 2,
    pieces: fitted[k],
    maxDeviation: fitted[k].reduce((m, p) => Math.max(m, p.report.maxDeviation), 0),
    failedIntervals: fitted[k].filter((p) => !p.report.withinTolerance).length,
  }));
  const regions: ColourRegion[] = map.regions.flatMap((r, id) => (id === 0 ? [] : [{ id, colour: r.colour, area: r.area, loops: loops[id] }]));
  const entries: ColourPaletteEntry[] = palette.map((e) => ({
    colour: e.transparent ? 'none' : hexColour(e.rgb),
    rgb: e.rgb,
    transparent: e.transparent,
    pixels: e.pixels,
  }));
  return {
    width,
    height,
    mode: o.mode,
    tolerance: o.fit.tolerance ?? 1,
    seed: o.fit.seed ?? 0,
    palette: entries,
    background,
    regions,
    chains: colourChains,
    report: {
      colours: palette.length,
      regions: regions.length,
      chains: chains.length,
      pieces: fitted.reduce((s, p) => s + p.length, 0),
      mixedPixels: mix.mixed,
      mergedRegions: map.merged,
      maxDeviation: colourChains.reduce((m, c) => Math.max(m, c.maxDeviation), 0),
      failedIntervals: colourChains.reduce((s, c) => s + c.failedIntervals, 0),
      pixelArt,
      repairKnots,
      uncoveredPixels: uncovered,
      timings: { palette: t1 - t0, regions: t2 - t1, chains: t3 - t2, fit: t4 - t3, outlines: t5 - t4, total: t5 - t0 },
    },
  };
}

/** Regions under this many pixels merge into a neighbour (option minArea's default but on pixel art). */
const DEFAULT_MIN_AREA = 3;
/**
 * Longest side, px, of an image 'auto' may take as pixel art: icons and sprites drawn at 16–32 px
 * (the real icons of the bench: 16–21 px); a larger image without anti-aliasing is more likely a
 * small render of smooth shapes (the real 60 × 76 px clip-art owl), which are fitted (docs/design.md §22.9).
 */
const PIXEL_ART_MAX_SIDE = 32;

/** Share of the pixels along colour edges that must be mixtures for 'auto' to read sub-pixel points (pixel art has a stray few). */
const MIN_MIXED_SHARE = 0.1;

/** True when mixed pixels make up at least MIN_MIXED_SHARE of the pixels next to a colour edge. */
function isAntiAliased(mixed: number, first: Uint8Array, width: number, height: number): boolean {
  let edge = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if ((x + 1 < width && first[i] !== first[i + 1]) || (y + 1 < height && first[i] !== first[i + width])) edge++;
    }
  }
  return mixed > 0 && mixed >= MIN_MIXED_SHARE * edge;
}

interface ResolvedColourOptions {
  colors: number | 'auto';
  deltaE: number;
  /** undefined: the default (DEFAULT_MIN_AREA, or 1 on pixel art). */
  minArea: number | undefined;
  mode: FitMode;
  subpixel: boolean | 'auto';
  pixelArt: boolean | 'auto';
  corners: CornerOptions;
  maxPixels: number;
  fit: FitOptions;
}

/** Checks every option (BAD_OPTION naming the option) and fills defaults. */
export function checkColourOptions(options: ColourOptions): ResolvedColourOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConicfitError('BAD_OPTION', `traceColour: options must be an object, got ${describeValue(options)}`);
  }
  checkKnownKeys(options, COLOUR_OPTION_KEYS, 'traceColour');
  const {
    colors = 'auto',
    deltaE = PALETTE_DEFAULTS.deltaE,
    minArea,
    mode = 'conic',
    subpixel = 'auto',
    pixelArt = 'auto',
    corners = {},
    maxPixels = LOAD_DEFAULTS.maxPixels,
  } = options;
  if (!(colors === 'auto' || (Number.isInteger(colors) && colors >= 2 && colors <= PALETTE_DEFAULTS.maxColours))) {
    throw badOption('traceColour', 'colors', colors, `'auto' or an integer 2..${PALETTE_DEFAULTS.maxColours}`);
  }
  if (!(typeof deltaE === 'number' && deltaE > 0 && deltaE <= 100)) throw badOption('traceColour', 'deltaE', deltaE, 'a number in (0, 100]');
  if (!(minArea === undefined || (Number.isInteger(minArea) && minArea >= 0))) throw badOption('traceColour', 'minArea', minArea, 'a non-negative integer');
  if (mode !== 'conic' && mode !== 'linear') throw badOption('traceColour', 'mode', mode, "'linear' or 'conic'");
  if (!(subpixel === 'auto' || typeof subpixel === 'boolean')) throw badOption('traceColour', 'subpixel', subpixel, "true, false or 'auto'");
  if (!(pixelArt === 'auto' || typeof pixelArt === 'boolean')) throw badOption('traceColour', 'pixelArt', pixelArt, "true, false or 'auto'");
  if (!(Number.isInteger(maxPixels) && maxPixels > 0)) throw badOption('traceColour', 'maxPixels', maxPixels, 'a positive integer');
  checkCornerOptions(corners, 'traceColour: corners');
  const { tolerance, rmsTolerance, seed, tangentReach, annealTangents, refine, maxKnotFraction, anneal } = options;
  const fit: FitOptions = { tolerance, rmsTolerance, seed, tangentReach, annealTangents, refine, maxKnotFraction, anneal };
  const resolved = resolveFitOptions(fit, false, 'traceColour');
  return { colors, deltaE, minArea, mode, subpixel, pixelArt, corners, maxPixels, fit: { ...fit, tolerance: resolved.tolerance, seed: resolved.seed } };
}

/** RGBA bytes of decoded pixels (grey, grey + alpha, RGB or RGBA); BAD_INPUT for anything else. */
export function toRgba(input: PixelInput, maxPixels: number): { width: number; height: number; rgba: Uint8Array } {
  const raw = input as { width?: unknown; height?: unknown; data?: unknown; channels?: unknown };
  if (
    raw === null ||
    typeof raw !== 'object' ||
    !('data' in raw) ||
    !(raw.data instanceof Uint8Array || raw.data instanceof Uint8ClampedArray || Array.isArray(raw.data))
  ) {
    throw new ConicfitError(
      'BAD_INPUT',
      `traceColour: input must be decoded pixels { width, height, data } (grey, grey + alpha, RGB or RGBA), got ${describeValue(input)}`,
    );
  }
  const { width, height } = raw;
  if (!(Number.isInteger(width) && Number.isInteger(height) && (width as number) >= 0 && (height as number) >= 0)) {
    throw new ConicfitError('BAD_INPUT', `traceColour: width and height must be non-negative integers, got ${describeValue(width)} × ${describeValue(height)}`);
  }
  const w = width as number,
    h = height as number;
  checkSize(w, h, maxPixels, 'colour image');
  const data = raw.data as ArrayLike<number>;
  const n = w * h;
  const ch = typeof raw.channels === 'number' ? raw.channels : data.length / n;
  if (!(ch === 1 || ch === 2 || ch === 3 || ch === 4) || data.length !== n * ch) {
    throw new ConicfitError('BAD_INPUT', `traceColour: ${data.length} values do not make a ${w}×${h} image of 1, 2, 3 or 4 channels`);
  }
  const rgba = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < ch; k++) {
      const v = data[i * ch + k];
      if (!(typeof v === 'number' && v >= 0 && v <= 255))
        throw new ConicfitError('BAD_INPUT', `traceColour: data[${i * ch + k}] must be a number 0..255, got ${describeValue(v)}`);
    }
    const g = data[i * ch];
    rgba[4 * i] = g;
    rgba[4 * i + 1] = ch >= 3 ? data[i * ch + 1] : g;
    rgba[4 * i + 2] = ch >= 3 ? data[i * ch + 2] : g;
    rgba[4 * i + 3] = ch === 2 ? data[i * ch + 1] : ch === 4 ? data[i * ch + 3] : 255;
  }
  return { width: w, height: h, rgba };
}
