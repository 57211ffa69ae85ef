/**
 * Stage 2 — contour extraction (design.md §2).
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
 */
import { ConicfitError, describeValue } from './errors.js';
import { mod } from './geometry/cyclic.js';
import type { Bitmap, Contour } from './types.js';

export interface ContourOptions {
  /** Speckle filter: components (ink or hole) with fewer pixels than this are dropped, with their insides. 0 keeps all. */
  minArea?: number;
  /** Sub-pixel boundary points from coverage: true, false, or 'auto' (when the bitmap has grey levels). */
  subpixel?: boolean | 'auto';
}

/** Defaults, one line each. */
export const CONTOUR_DEFAULTS = {
  /** Potrace's turdsize is 2: drop 1- and 2-pixel specks, which are scanner noise, not shapes. */
  minArea: 3,
  /** Grey input carries sub-pixel edge positions; bilevel input does not, so keep pixel corners. */
  subpixel: 'auto' as boolean | 'auto',
} as const;

export interface ContourStats {
  /** Boundaries removed by the speckle filter (each removed component and everything inside it). */
  removedContours: number;
  /** Ink + background pixels of the removed components. */
  removedPixels: number;
}

/** Heading of a crack walk step: 0 = +x, 1 = +y, 2 = −x, 3 = −y (clockwise on screen). */
const STEP_X = [1, 0, -1, 0];
const STEP_Y = [0, 1, 0, -1];
/** Pixel on the right of a crack that starts at vertex (x, y) with heading d: offset from (x, y). */
const RIGHT_PX = [0, -1, -1, 0];
const RIGHT_PY = [0, 0, -1, -1];
/** Pixel ahead-left of vertex (x, y) for heading d (ahead-right is RIGHT_P of the next heading… see walk). */
const AHEAD_LEFT_PX = [0, 0, -1, -1];
const AHEAD_LEFT_PY = [-1, 0, 0, -1];
const AHEAD_RIGHT_PX = [0, -1, -1, 0];
const AHEAD_RIGHT_PY = [0, 0, -1, -1];

/**
 * Freeman code for a move (dx, dy), both in {−1, 0, 1}: index (dy + 1)·3 + (dx + 1).
 * 0 = +x, 1 = +x+y, 2 = +y, 3 = −x+y, 4 = −x, 5 = −x−y, 6 = −y, 7 = +x−y.
 */
const FREEMAN_OF_MOVE = [5, 6, 7, 4, 255, 0, 3, 2, 1];
/** Move of Freeman code k. */
export const FREEMAN_DX = [1, 1, 0, -1, -1, -1, 0, 1];
export const FREEMAN_DY = [0, 1, 1, 1, 0, -1, -1, -1];

/**
 * Every outer boundary and hole of `bitmap`, outer boundaries before their holes.
 *
 * @example const contours = extractContours(await loadBitmap('glyph.png'), { minArea: 4 });
 */
export function extractContours(bitmap: Bitmap, options: ContourOptions = {}): Contour[] {
  return extractContoursWithStats(bitmap, options).contours;
}

/** `extractContours` plus the speckle filter's counts. */
export function extractContoursWithStats(
  bitmap: Bitmap,
  options: ContourOptions = {},
): { contours: Contour[]; stats: ContourStats } {
  const { minArea, subpixel } = resolveContourOptions(options);
  const useSubpixel = subpixel === 'auto' ? bitmap.grey : subpixel;

  const labels = labelComponents(bitmap);
  const raw = walkAllBoundaries(bitmap, labels, useSubpixel);

  // Hierarchy: an outer boundary's parent is the hole its background component makes (−1 for the
  // exterior background); a hole's parent is the outer boundary of its ink component.
  const outerOfInk = new Int32Array(labels.inkCount).fill(-1);
  const holeOfBackground = new Int32Array(labels.backgroundCount).fill(-1);
  raw.forEach((c, i) => {
    if (c.hole) holeOfBackground[c.backgroundLabel] = i;
    else outerOfInk[c.inkLabel] = i;
  });
  const parents = raw.map((c) =>
    c.hole
      ? outerOfInk[c.inkLabel]
      : c.backgroundLabel === labels.exteriorLabel
        ? -1
        : holeOfBackground[c.backgroundLabel],
  );

  // Speckle filter: drop a small component together with everything nested inside it.
  const removed = new Uint8Array(raw.length);
  const pixelCounts = raw.map((c) =>
    c.hole ? labels.backgroundSizes[c.backgroundLabel] : labels.inkSizes[c.inkLabel],
  );
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
    };
  });
  return {
    contours,
    stats: { removedContours: raw.length - order.length, removedPixels },
  };
}

export function resolveContourOptions(options: ContourOptions): { minArea: number; subpixel: boolean | 'auto' } {
  if (options === null || typeof options !== 'object') {
    throw new ConicfitError('BAD_OPTION', `contour options must be an object, got ${describeValue(options)}`);
  }
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

// ---------------------------------------------------------------------------------------------
// Component labelling: ink 8-connected, background 4-connected; background touching the image
// border (and the outside of the image) is one exterior component.

interface Labels {
  /** Per pixel: ink label (≥ 0) for ink pixels, or −1 − background label for background. */
  label: Int32Array;
  inkCount: number;
  backgroundCount: number;
  inkSizes: Int32Array;
  backgroundSizes: Int32Array;
  exteriorLabel: number;
}

function labelComponents(bitmap: Bitmap): Labels {
  const { width: w, height: h, ink } = bitmap;
  const n = w * h;
  const label = new Int32Array(n).fill(0x7fffffff); // unvisited
  const stack = new Int32Array(n);
  const inkSizes: number[] = [];
  const backgroundSizes: number[] = [];

  const fill = (seed: number, value: number, isInk: boolean): number => {
    let top = 0;
    let size = 0;
    stack[top++] = seed;
    label[seed] = value;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const x = p % w;
      const y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          if (dx === 0 && dy === 0) continue;
          if (!isInk && dx !== 0 && dy !== 0) continue; // background is 4-connected
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (label[q] !== 0x7fffffff || (ink[q] === 1) !== isInk) continue;
          label[q] = value;
          stack[top++] = q;
        }
      }
    }
    return size;
  };

  // Exterior background first: every background pixel on the border.
  const exteriorLabel = 0;
  backgroundSizes.push(0);
  for (let p = 0; p < n; p++) {
    const x = p % w;
    const y = (p - x) / w;
    const onBorder = x === 0 || y === 0 || x === w - 1 || y === h - 1;
    if (onBorder && ink[p] === 0 && label[p] === 0x7fffffff) {
      backgroundSizes[0] += fill(p, -1 - exteriorLabel, false);
    }
    if (!onBorder && x === 1) p += w - 3; // jump to the right border of this row
  }
  for (let p = 0; p < n; p++) {
    if (label[p] !== 0x7fffffff) continue;
    if (ink[p] === 1) {
      const id = inkSizes.length;
      inkSizes.push(fill(p, id, true));
    } else {
      const id = backgroundSizes.length;
      backgroundSizes.push(fill(p, -1 - id, false));
    }
  }
  return {
    label,
    inkCount: inkSizes.length,
    backgroundCount: backgroundSizes.length,
    inkSizes: Int32Array.from(inkSizes),
    backgroundSizes: Int32Array.from(backgroundSizes),
    exteriorLabel,
  };
}

// ---------------------------------------------------------------------------------------------
// Crack walking.

interface RawContour {
  startX: number;
  startY: number;
  chain: Uint8Array;
  points: Float64Array;
  hole: boolean;
  area: number;
  inkLabel: number;
  backgroundLabel: number;
}

function walkAllBoundaries(bitmap: Bitmap, labels: Labels, subpixel: boolean): RawContour[] {
  const { width: w, height: h, ink } = bitmap;
  const isInk = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < w && y < h && ink[y * w + x] === 1;
  // A horizontal crack lies on the top edge of pixel (x, y), y in 0..h; one flag each.
  const visited = new Uint8Array(w * (h + 1));
  const out: RawContour[] = [];
  // Growable scratch buffers for one walk: crack start vertices and headings.
  let vx = new Int32Array(1024);
  let vy = new Int32Array(1024);
  let vd = new Uint8Array(1024);

  for (let y = 0; y <= h; y++) {
    for (let x = 0; x < w; x++) {
      if (visited[y * w + x]) continue;
      const below = isInk(x, y);
      const above = isInk(x, y - 1);
      if (below === above) continue;
      // Ink below: walk +x from (x, y). Ink above: walk −x from (x + 1, y). Ink is on the right.
      let cx = below ? x : x + 1;
      let cy = y;
      let d = below ? 0 : 2;
      const sx = cx;
      const sy = cy;
      const sd = d;
      let n = 0;
      do {
        if (n === vx.length) {
          vx = grow(vx);
          vy = grow(vy);
          vd = growU8(vd);
        }
        vx[n] = cx;
        vy[n] = cy;
        vd[n] = d;
        n++;
        if (d === 0) visited[cy * w + cx] = 1;
        else if (d === 2) visited[cy * w + cx - 1] = 1;
        cx += STEP_X[d];
        cy += STEP_Y[d];
        // Choose the next heading at vertex (cx, cy): ink ahead-left → turn left (this also joins
        // diagonal ink, making ink 8-connected); else ink ahead-right → straight; else turn right.
        if (isInk(cx + AHEAD_LEFT_PX[d], cy + AHEAD_LEFT_PY[d])) d = (d + 3) & 3;
        else if (!isInk(cx + AHEAD_RIGHT_PX[d], cy + AHEAD_RIGHT_PY[d])) d = (d + 1) & 3;
      } while (cx !== sx || cy !== sy || d !== sd);

      out.push(buildContour(bitmap, labels, vx, vy, vd, n, subpixel));
    }
  }
  return out;
}

function buildContour(
  bitmap: Bitmap,
  labels: Labels,
  vx: Int32Array,
  vy: Int32Array,
  vd: Uint8Array,
  n: number,
  subpixel: boolean,
): RawContour {
  const w = bitmap.width;
  // Chain code: the ink pixel on the right of each crack, consecutive repeats dropped.
  const px = new Int32Array(n);
  const py = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = vx[i] + RIGHT_PX[vd[i]];
    const y = vy[i] + RIGHT_PY[vd[i]];
    if (m > 0 && px[m - 1] === x && py[m - 1] === y) continue;
    px[m] = x;
    py[m] = y;
    m++;
  }
  while (m > 1 && px[m - 1] === px[0] && py[m - 1] === py[0]) m--;
  const chain = new Uint8Array(m > 1 ? m : 0);
  for (let i = 0; i < chain.length; i++) {
    const j = (i + 1) % m;
    chain[i] = FREEMAN_OF_MOVE[(py[j] - py[i] + 1) * 3 + (px[j] - px[i] + 1)];
  }

  const points = subpixel ? subpixelPoints(bitmap, vx, vy, vd, n) : cornerPoints(vx, vy, n);
  let area2 = 0;
  // Shoelace on the crack polygon (exact pixel area), whatever the point kind.
  for (let i = 0; i < n; i++) {
    const j = i + 1 === n ? 0 : i + 1;
    area2 += vx[i] * vy[j] - vx[j] * vy[i];
  }
  const hole = area2 < 0;
  // The first crack: ink on its right, background on its left.
  const ix = vx[0] + RIGHT_PX[vd[0]];
  const iy = vy[0] + RIGHT_PY[vd[0]];
  const bx = vd[0] === 0 ? vx[0] : vx[0] - 1; // left pixel of a horizontal start crack
  const by = vd[0] === 0 ? vy[0] - 1 : vy[0];
  const inkLabel = labels.label[iy * w + ix];
  const bgInside = bx >= 0 && by >= 0 && bx < w && by < bitmap.height;
  const backgroundLabel = bgInside ? -1 - labels.label[by * w + bx] : labels.exteriorLabel;
  return {
    startX: px[0],
    startY: py[0],
    chain,
    points,
    hole,
    area: subpixel ? polygonArea(points) : area2 / 2,
    inkLabel,
    backgroundLabel,
  };
}

function cornerPoints(vx: Int32Array, vy: Int32Array, n: number): Float64Array {
  const points = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    points[2 * i] = vx[i];
    points[2 * i + 1] = vy[i];
  }
  return points;
}

/** Half-width (in cracks) of the window used to estimate the local edge normal of a crack. */
const NORMAL_WINDOW = 4;
/** A crack is a riser (no point) when the edge runs along its row more than this many times as far as across it. */
const RISER_RATIO = 2;
/** Furthest a sub-pixel point may move from its crack midpoint, px (guards thin strokes and noise). */
const MAX_SUBPIXEL_SHIFT = 1.5;

/**
 * One point per crack whose axis matches the local edge normal: the crack midpoint moved along
 * the crack normal to where the coverage sum along that pixel row (or column) puts the edge.
 * Cracks across the edge's dominant direction (the risers of a staircase) give no point, since
 * their row is nearly parallel to the edge and its coverage sum says little.
 */
function subpixelPoints(bitmap: Bitmap, vx: Int32Array, vy: Int32Array, vd: Uint8Array, n: number): Float64Array {
  const { width: w, height: h, coverage } = bitmap;
  const cov = (x: number, y: number): number => (x >= 0 && y >= 0 && x < w && y < h ? coverage[y * w + x] : 0);
  const out = new Float64Array(2 * n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    // Local edge direction: chord over ±NORMAL_WINDOW cracks of the crack polygon.
    // Chord between the crack's midpoint neighbours NORMAL_WINDOW cracks away (an even span, so a
    // 45° staircase gives |tx| = |ty|).
    const a = mod(i - NORMAL_WINDOW, n);
    const b = (i + NORMAL_WINDOW) % n;
    const tx = Math.abs(vx[b] - vx[a]);
    const ty = Math.abs(vy[b] - vy[a]);
    const d = vd[i];
    const horizontalCrack = (d & 1) === 0; // its row runs along y
    // Along the crack's row the edge crosses within the coverage window while it runs no closer
    // than atan(1/2) ≈ 27° to the row; beyond that the crack is a riser and gives no point.
    const along = horizontalCrack ? ty : tx;
    const across = horizontalCrack ? tx : ty;
    if (n > 2 * NORMAL_WINDOW && along > RISER_RATIO * across) continue;
    // Normal from ink pixel I to background pixel O (ink is on the right of heading d).
    const nx = STEP_Y[d];
    const ny = -STEP_X[d];
    const ix = vx[i] + RIGHT_PX[d];
    const iy = vy[i] + RIGHT_PY[d];
    // Walk inwards to a full pixel (at most 2 more) and outwards to an empty one (at most 3).
    // Pixel m along the normal spans [m − 1, m] from the crack (I is m = 0, O is m = 1).
    let mStart = 0;
    let thin = false;
    while (mStart > -2) {
      const here = cov(ix + mStart * nx, iy + mStart * ny);
      if (here >= 0.99) break;
      // Coverage falling again before any full pixel: we crossed the middle of a stroke thinner than ~2 px.
      if (cov(ix + (mStart - 1) * nx, iy + (mStart - 1) * ny) < here - 1e-6) {
        thin = true;
        break;
      }
      mStart--;
    }
    let mEnd = 1;
    let thinGap = false;
    while (mEnd < 3) {
      const here = cov(ix + mEnd * nx, iy + mEnd * ny);
      if (here <= 0.01) break;
      // Coverage rising again before any empty pixel: a background gap thinner than ~2 px.
      if (cov(ix + (mEnd + 1) * nx, iy + (mEnd + 1) * ny) > here + 1e-6) {
        thinGap = true;
        break;
      }
      mEnd++;
    }
    // Neither a full pixel inwards nor an empty one outwards (and no thin stroke or gap): the row
    // runs along another edge, as beside an axis-aligned corner, where the coverage sum measures
    // that edge; such a point sat ~1 px off the outline (a 200 px square at 0°: 1.2 px).
    const lostInside = !thin && cov(ix + mStart * nx, iy + mStart * ny) < 0.99;
    const lostOutside = !thinGap && cov(ix + mEnd * nx, iy + mEnd * ny) > 0.01;
    if (n > 2 * NORMAL_WINDOW && (lostInside || lostOutside)) continue;
    let offset: number;
    if (thinGap && !thin) {
      // The same rule on background (1 − coverage): the gap's G px centred at ḡ; our edge is ḡ − G/2.
      let mNear = 0;
      while (mNear > -2 && 1 - cov(ix + mNear * nx, iy + mNear * ny) > 0.01) mNear--;
      let mFar = mEnd;
      while (mFar < mEnd + 3 && 1 - cov(ix + (mFar + 1) * nx, iy + (mFar + 1) * ny) > 0.01) mFar++;
      let total = 0, moment = 0;
      for (let k = mNear; k <= mFar; k++) {
        const b = 1 - cov(ix + k * nx, iy + k * ny);
        total += b;
        moment += b * (k - 0.5);
      }
      offset = moment / total - total / 2;
    } else if (thin) {
      // A thin stroke's row holds T px of ink centred at the coverage centroid x̄: edges at x̄ ± T/2.
      let mFar = mStart;
      while (mFar > mStart - 3 && cov(ix + (mFar - 1) * nx, iy + (mFar - 1) * ny) > 0.01) mFar--;
      let total = 0, moment = 0;
      for (let k = mFar; k <= mEnd; k++) {
        const c = cov(ix + k * nx, iy + k * ny);
        total += c;
        moment += c * (k - 0.5);
      }
      offset = moment / total + total / 2;
    } else {
      let sum = 0;
      for (let k = mStart; k <= mEnd; k++) sum += cov(ix + k * nx, iy + k * ny);
      offset = mStart - 1 + sum;
    }
    if (offset > MAX_SUBPIXEL_SHIFT) offset = MAX_SUBPIXEL_SHIFT;
    else if (offset < -MAX_SUBPIXEL_SHIFT) offset = -MAX_SUBPIXEL_SHIFT;
    const mx = vx[i] + 0.5 * STEP_X[d] + offset * nx;
    const my = vy[i] + 0.5 * STEP_Y[d] + offset * ny;
    if (m > 0 && Math.abs(out[2 * m - 2] - mx) < 1e-9 && Math.abs(out[2 * m - 1] - my) < 1e-9) continue;
    out[2 * m] = mx;
    out[2 * m + 1] = my;
    m++;
  }
  return out.slice(0, 2 * m);
}

/** Signed shoelace area of an interleaved closed polygon (positive = clockwise on screen). */
export function polygonArea(points: Float64Array): number {
  const n = points.length / 2;
  let a = 0;
  for (let i = 0; i < n; i++) {
    const j = i + 1 === n ? 0 : i + 1;
    a += points[2 * i] * points[2 * j + 1] - points[2 * j] * points[2 * i + 1];
  }
  return a / 2;
}

function grow(a: Int32Array) {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
function growU8(a: Uint8Array) {
  const b = new Uint8Array(a.length * 2);
  b.set(a);
  return b;
}
