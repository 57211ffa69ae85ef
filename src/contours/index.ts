/**
 * Stage 2 — contour extraction (docs/design.md §2.3, §2.5).
 *
 * Reads a `Bitmap` (ink mask + coverage) and produces one `Contour` per boundary: every outer
 * boundary of an ink component and every hole, with its Freeman chain code, its boundary points
 * on the ink/background edge, its orientation and its place in the hierarchy.
 *
 * Method: crack following. A "crack" is a unit pixel edge between an ink pixel and a background
 * pixel. Each crack is walked with ink on its right (on screen, y down), so outer boundaries run
 * clockwise (positive shoelace area) and holes counter-clockwise (negative). Where two ink pixels
 * touch only at a corner the walk turns towards the ink, which makes ink 8-connected and
 * background 4-connected (the usual pairing that keeps every boundary a simple closed walk).
 * The pixel chain code is read off the same walk: the ink pixel on the right of each crack.
 * Bilevel points are the crack vertices (pixel corners), so the polygon encloses exactly the ink
 * pixels. Sub-pixel points slide each crack midpoint along its normal to the 50 % coverage level
 * by the row/column coverage sum (for a straight edge, the sum of coverages along a pixel row
 * across the edge equals the edge's crossing of the row's centre line).
 *
 * Files: this one (options, hierarchy, speckle filter, order), labels.ts (component labelling),
 * walk.ts (crack walking, chain codes), points.ts (boundary points, bilevel and sub-pixel),
 * cracks.ts (the heading and Freeman code tables walk.ts and points.ts share).
 */
import { checkKnownKeys, ConicfitError, describeValue, optionKeys } from '../errors.js';
import type { Bitmap, Contour } from '../types.js';
import { labelComponents } from './labels.js';
import { subpixelSettings } from './points.js';
import { walkAllBoundaries } from './walk.js';

export { FREEMAN_DX, FREEMAN_DY } from './cracks.js';
export { polygonArea } from './points.js';

export interface ContourOptions {
  /** Speckle filter: components (ink or hole) with fewer pixels than this are dropped, with their insides. 0 keeps all. */
  minArea?: number;
  /** Sub-pixel boundary points from coverage: true, false, or 'auto' (when the bitmap has grey levels). */
  subpixel?: boolean | 'auto';
}

/** Defaults, one line each. */
export const CONTOUR_DEFAULTS = Object.freeze({
  /** Potrace's turdsize is 2: drop 1- and 2-pixel specks, which are scanner noise, not shapes. */
  minArea: 3,
  /** Grey input carries sub-pixel edge positions; bilevel input does not, so keep pixel corners. */
  subpixel: 'auto' as boolean | 'auto',
} as const);

/**
 * σ per unit of edge width (partial pixels per crack): a Gaussian edge is partial over 2 × 2.326σ
 * across, and a boundary has about 1.27 cracks per px of length on average over directions, so
 * width ≈ 4.65σ / 1.27 (measured: σ = 0.5, 1, 1.5, 2 px read as 0.58, 1.05, 1.53, 2.07).
 */
const EDGE_WIDTH_TO_SIGMA = 1.27 / 4.65;

export interface ContourStats {
  /** Boundaries removed by the speckle filter (each removed component and everything inside it). */
  removedContours: number;
  /** Ink + background pixels of the removed components. */
  removedPixels: number;
  /** Blur of the edges, px (σ of a Gaussian of the measured edge width); 0 without sub-pixel points. */
  edgeBlur: number;
}
/**
 * Every outer boundary and hole of `bitmap`, outer boundaries before their holes.
 *
 * @example const contours = extractContours(await loadBitmap('glyph.png'), { minArea: 4 });
 */
export function extractContours(bitmap: Bitmap, options: ContourOptions = {}): Contour[] {
  return extractContoursWithStats(bitmap, options).contours;
}

/** `extractContours` plus the speckle filter's counts. */
export function extractContoursWithStats(bitmap: Bitmap, options: ContourOptions = {}): { contours: Contour[]; stats: ContourStats } {
  const { minArea, subpixel } = resolveContourOptions(options);
  const useSubpixel = subpixel === 'auto' ? bitmap.grey : subpixel;

  const labels = labelComponents(bitmap);
  const settings = useSubpixel ? subpixelSettings(bitmap) : null;
  const raw = walkAllBoundaries(bitmap, labels, settings);

  // Hierarchy: an outer boundary's parent is the hole its background component makes (−1 for the
  // exterior background); a hole's parent is the outer boundary of its ink component.
  const outerOfInk = new Int32Array(labels.inkCount).fill(-1);
  const holeOfBackground = new Int32Array(labels.backgroundCount).fill(-1);
  raw.forEach((c, i) => {
    if (c.hole) holeOfBackground[c.backgroundLabel] = i;
    else outerOfInk[c.inkLabel] = i;
  });
  const parents = raw.map((c) => (c.hole ? outerOfInk[c.inkLabel] : c.backgroundLabel === labels.exteriorLabel ? -1 : holeOfBackground[c.backgroundLabel]));

  // Speckle filter: drop a small component together with everything nested inside it.
  const removed = new Uint8Array(raw.length);
  const pixelCounts = raw.map((c) => (c.hole ? labels.backgroundSizes[c.backgroundLabel] : labels.inkSizes[c.inkLabel]));
  const isRemoved = (i: number): boolean => {
    for (let k = i; k !== -1; k = parents[k]) if (pixelCounts[k] < minArea) return true;
    return false;
  };
  let removedPixels = 0;
  for (let i = 0; i < raw.length; i++) {
    if (isRemoved(i)) {
      removed[i] = 1;
      if (pixelCounts[i] < minArea) removedPixels += pixelCounts[i];
    }
  }

  // Order: parents before children (stable by raster order of discovery), renumbered.
  const order: number[] = [];
  const children: number[][] = raw.map(() => []);
  const roots: number[] = [];
  raw.forEach((_, i) => {
    if (removed[i]) return;
    if (parents[i] === -1) roots.push(i);
    else children[parents[i]].push(i);
  });
  const stack = roots.reverse();
  while (stack.length > 0) {
    const i = stack.pop()!;
    order.push(i);
    for (let k = children[i].length - 1; k >= 0; k--) stack.push(children[i][k]);
  }
  const newIndex = new Int32Array(raw.length).fill(-1);
  order.forEach((old, n) => (newIndex[old] = n));

  const contours: Contour[] = order.map((old) => {
    const c = raw[old];
    return {
      start: { x: c.startX, y: c.startY },
      chain: c.chain,
      points: c.points,
      hole: c.hole,
      parent: parents[old] === -1 ? -1 : newIndex[parents[old]],
      area: c.area,
      pixelCount: pixelCounts[old],
      subpixel: useSubpixel,
      subpixelFallbacks: c.fallbacks,
    };
  });
  return {
    contours,
    stats: { removedContours: raw.length - order.length, removedPixels, edgeBlur: settings ? EDGE_WIDTH_TO_SIGMA * settings.edgeWidth : 0 },
  };
}

/** Every `ContourOptions` key: any other is BAD_OPTION. */
export const CONTOUR_OPTION_KEYS = optionKeys<ContourOptions>()(['minArea', 'subpixel']);

export function resolveContourOptions(options: ContourOptions, where = 'extractContours'): { minArea: number; subpixel: boolean | 'auto' } {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConicfitError('BAD_OPTION', `contour options must be an object, got ${describeValue(options)}`);
  }
  checkKnownKeys(options, CONTOUR_OPTION_KEYS, where);
  const minArea = options.minArea ?? CONTOUR_DEFAULTS.minArea;
  if (typeof minArea !== 'number' || !Number.isFinite(minArea) || minArea < 0) {
    throw new ConicfitError('BAD_OPTION', `minArea must be a number ≥ 0 (pixels), got ${describeValue(minArea)}`);
  }
  const subpixel = options.subpixel ?? CONTOUR_DEFAULTS.subpixel;
  if (subpixel !== true && subpixel !== false && subpixel !== 'auto') {
    throw new ConicfitError('BAD_OPTION', `subpixel must be true, false or 'auto', got ${describeValue(subpixel)}`);
  }
  return { minArea, subpixel };
}
