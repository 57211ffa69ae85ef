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
import { crackSpans, interiorCrackCount, labelComponents, type Labels } from './labels.js';
import { subpixelSettings } from './points.js';
import { saddleRule, TURN_POLICIES, type TurnPolicy } from './saddles.js';
import { walkAllBoundaries, type RawContour } from './walk.js';

export { FREEMAN_DX, FREEMAN_DY } from './cracks.js';
export { polygonArea } from './points.js';
export type { TurnPolicy } from './saddles.js';

export interface ContourOptions {
  /** Speckle filter: components (ink or hole) with fewer pixels than this are dropped, with their insides. 0 keeps all. */
  minArea?: number;
  /** Sub-pixel boundary points from coverage: true, false, or 'auto' (when the bitmap has grey levels). */
  subpixel?: boolean | 'auto';
  /**
   * Which colour joins where two pixels touch only at a corner (docs/design.md §2.7): 'minority'
   * (default, Potrace's default too: the locally rarer colour), 'majority', 'black' (ink always:
   * 8-connected ink, as before this option), 'white' (background always) or 'coverage' (the
   * bilinear coverage's saddle value).
   */
  turnPolicy?: TurnPolicy;
}

/** Defaults, one line each. */
export const CONTOUR_DEFAULTS = Object.freeze({
  /** Potrace's turdsize is 2: drop 1- and 2-pixel specks, which are scanner noise, not shapes. */
  minArea: 3,
  /** Grey input carries sub-pixel edge positions; bilevel input does not, so keep pixel corners. */
  subpixel: 'auto' as boolean | 'auto',
  /** A thin diagonal stroke or gap stays whole, whichever colour it is (docs/design.md §2.7). */
  turnPolicy: 'minority' as TurnPolicy,
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
  const { minArea, subpixel, turnPolicy } = resolveContourOptions(options);
  const useSubpixel = subpixel === 'auto' ? bitmap.grey : subpixel;

  const joinsInk = saddleRule(bitmap, turnPolicy);
  const labels = labelComponents(bitmap, joinsInk);
  const cracks = crackSpans(labels.runs, bitmap.ink, bitmap.width, bitmap.height);
  const settings = useSubpixel ? subpixelSettings(bitmap, interiorCrackCount(labels.runs, cracks, bitmap.height)) : null;
  const raw = walkAllBoundaries(bitmap, labels, settings, joinsInk, cracks);

  // Hierarchy: an outer boundary's parent is the hole its background component makes (−1 for the
  // exterior background); a hole's parent is the outer boundary of its ink component.
  const outerOfInk = new Int32Array(labels.inkCount).fill(-1);
  const holeOfBackground = new Int32Array(labels.backgroundCount).fill(-1);
  raw.forEach((c, i) => {
    if (c.hole) holeOfBackground[c.backgroundLabel] = i;
    else outerOfInk[c.inkLabel] = i;
  });
  const parents = raw.map((c) => (c.hole ? outerOfInk[c.inkLabel] : c.backgroundLabel === labels.exteriorLabel ? -1 : holeOfBackground[c.backgroundLabel]));

  // Speckle filter: drop a small component together with everything nested inside it, unless it
  // is a piece of a sliver (docs/design.md §2.8).
  const removed = new Uint8Array(raw.length);
  const pixelCounts = raw.map((c) => (c.hole ? labels.backgroundSizes[c.backgroundLabel] : labels.inkSizes[c.inkLabel]));
  const speck = raw.map((c, i) => pixelCounts[i] < minArea && !(pixelCounts[i] <= SLIVER_MAX_PIXELS && isSliverPiece(bitmap, labels, c, minArea)));
  const isRemoved = (i: number): boolean => {
    for (let k = i; k !== -1; k = parents[k]) if (speck[k]) return true;
    return false;
  };
  let removedPixels = 0;
  for (let i = 0; i < raw.length; i++) {
    if (isRemoved(i)) {
      removed[i] = 1;
      if (speck[i]) removedPixels += pixelCounts[i];
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
export const CONTOUR_OPTION_KEYS = optionKeys<ContourOptions>()(['minArea', 'subpixel', 'turnPolicy']);

export function resolveContourOptions(
  options: ContourOptions,
  where = 'extractContours',
): { minArea: number; subpixel: boolean | 'auto'; turnPolicy: TurnPolicy } {
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
  const turnPolicy = options.turnPolicy ?? CONTOUR_DEFAULTS.turnPolicy;
  if (!TURN_POLICIES.includes(turnPolicy)) {
    throw new ConicfitError('BAD_OPTION', `turnPolicy must be one of ${TURN_POLICIES.map((p) => `'${p}'`).join(', ')}, got ${describeValue(turnPolicy)}`);
  }
  return { minArea, subpixel, turnPolicy };
}

/**
 * Largest component the sliver rule looks at, px: thresholding breaks a sliver into pieces of 1–2
 * pixels; larger specks (a `minArea` above the default) are dropped as before, and the rule's
 * work stays a few hundred pixel reads per speck.
 */
const SLIVER_MAX_PIXELS = 4;
/** How far (px, Chebyshev) from a small component its sliver's other pieces may lie: one pixel of the other colour between. */
const SLIVER_REACH = 2;
/** Most pixels of another piece within SLIVER_REACH that still read as a sliver's tip, not an edge (an edge shows 3–5). */
const SLIVER_TIP = 2;
/** Half-side of the window, px, in which a sliver's colour must be at most SLIVER_SHARE of the pixels. */
const SLIVER_WINDOW = 4;
const SLIVER_SHARE = 0.25;

/**
 * Whether a component under `minArea` pixels is a piece of a sliver rather than a speck
 * (docs/design.md §2.8): the pixels of its own colour but of other components (none of them
 * specks themselves; the exterior background counts) within SLIVER_REACH of it form two tips on
 * opposite sides, and its colour is at most SLIVER_SHARE of the 9 × 9 pixels around it. A thin
 * stroke or gap broken by thresholding has its neighbouring pieces' ends along its axis and is
 * thin; a noise speck beside an edge sees that edge on one side only, a pinhole in a stroke sees
 * the paper beyond both edges.
 */
function isSliverPiece(bitmap: Bitmap, labels: Labels, c: RawContour, minArea: number): boolean {
  const { width: w, height: h } = bitmap;
  const own = c.hole ? -1 - c.backgroundLabel : c.inkLabel;
  const ownInk = !c.hole;
  // The component's pixels lie inside its boundary points' box (sub-pixel points move ≤ 1.5 px).
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (let i = 0; i < c.points.length; i += 2) {
    x0 = Math.min(x0, c.points[i]);
    x1 = Math.max(x1, c.points[i]);
    y0 = Math.min(y0, c.points[i + 1]);
    y1 = Math.max(y1, c.points[i + 1]);
  }
  const bx0 = Math.max(0, Math.floor(x0) - 2),
    by0 = Math.max(0, Math.floor(y0) - 2),
    bx1 = Math.min(w - 1, Math.ceil(x1) + 1),
    by1 = Math.min(h - 1, Math.ceil(y1) + 1);
  const mine: number[] = [];
  let cx = 0,
    cy = 0;
  for (let y = by0; y <= by1; y++) {
    for (let x = bx0; x <= bx1; x++) {
      if (labels.labelAt(x, y) !== own) continue;
      mine.push(x, y);
      cx += x;
      cy += y;
    }
  }
  const count = mine.length / 2;
  if (count === 0) return false;
  cx /= count;
  cy /= count;
  // A sliver is thin: its colour is a small share of the window around the piece (a pinhole in a
  // stroke 4 px wide has the paper beyond both edges within reach too).
  const rx = Math.round(cx),
    ry = Math.round(cy);
  let sameColour = 0;
  for (let y = ry - SLIVER_WINDOW; y <= ry + SLIVER_WINDOW; y++) {
    for (let x = rx - SLIVER_WINDOW; x <= rx + SLIVER_WINDOW; x++) {
      const isInk = x >= 0 && y >= 0 && x < w && y < h && bitmap.ink[y * w + x] === 1;
      if (isInk === ownInk) sameColour++;
    }
  }
  if (sameColour > SLIVER_SHARE * (2 * SLIVER_WINDOW + 1) ** 2) return false;
  // Directions from the centroid to the other pieces' pixels within reach.
  const dirs: number[] = [];
  for (let y = Math.max(0, by0 - SLIVER_REACH); y <= Math.min(h - 1, by1 + SLIVER_REACH); y++) {
    for (let x = Math.max(0, bx0 - SLIVER_REACH); x <= Math.min(w - 1, bx1 + SLIVER_REACH); x++) {
      const label = labels.labelAt(x, y);
      if (label === own || label >= 0 !== ownInk) continue;
      const size = label >= 0 ? labels.inkSizes[label] : -1 - label === labels.exteriorLabel ? Infinity : labels.backgroundSizes[-1 - label];
      if (size < minArea) continue;
      let near = false;
      for (let k = 0; k < mine.length && !near; k += 2) near = Math.max(Math.abs(mine[k] - x), Math.abs(mine[k + 1] - y)) <= SLIVER_REACH;
      if (near) dirs.push(x - cx, y - cy);
    }
  }
  // Sorted by angle (a pseudo-angle, monotonic in the true one: no trigonometry), the directions
  // fall into clusters separated by gaps of more than 90° (the sliver's free sides). A piece of a
  // sliver has two clusters more than 90° apart, each a tip of at most SLIVER_TIP pixels; a speck
  // beside an edge has one cluster, a pinhole in a stroke sees the stroke's edges (long
  // clusters), a speck in a small counter sees no gap.
  const order = Array.from({ length: dirs.length / 2 }, (_, k) => k).filter((k) => dirs[2 * k] !== 0 || dirs[2 * k + 1] !== 0);
  const key = order.map((k) => pseudoAngle(dirs[2 * k], dirs[2 * k + 1]));
  const sorted = order.map((k, i) => ({ k, a: key[i] })).sort((p, q) => p.a - q.a || p.k - q.k);
  const n = sorted.length;
  const gapAfter = (i: number): boolean => {
    const u = 2 * sorted[i].k,
      v = 2 * sorted[(i + 1) % n].k;
    const cross = dirs[u] * dirs[v + 1] - dirs[u + 1] * dirs[v];
    const dot = dirs[u] * dirs[v] + dirs[u + 1] * dirs[v + 1];
    return n === 1 || !(cross >= 0 && dot >= 0); // the turn from u to v is over 90°
  };
  const firstGap = sorted.findIndex((_, i) => gapAfter(i));
  if (firstGap < 0) return false;
  const clusters: number[][] = [];
  let cluster: number[] = [];
  for (let step = 1; step <= n; step++) {
    const i = (firstGap + step) % n;
    cluster.push(sorted[i].k);
    if (gapAfter(i)) {
      clusters.push(cluster);
      cluster = [];
    }
  }
  const opposite = (a: number[], b: number[]) => a.some((u) => b.some((v) => dirs[2 * u] * dirs[2 * v] + dirs[2 * u + 1] * dirs[2 * v + 1] < 0));
  for (let a = 0; a < clusters.length; a++) {
    for (let b = a + 1; b < clusters.length; b++) {
      if (clusters[a].length <= SLIVER_TIP && clusters[b].length <= SLIVER_TIP && opposite(clusters[a], clusters[b])) return true;
    }
  }
  return false;
}

/** A number in [0, 4) that increases with the angle of (x, y) from +x towards +y ("diamond angle"). */
function pseudoAngle(x: number, y: number): number {
  if (y >= 0) return x >= 0 ? y / (x + y) : 1 - x / (y - x);
  return x < 0 ? 2 - y / (-x - y) : 3 + x / (x - y);
}
