/**
 * Contours, part 3 (docs/design.md §2.3, §13): the boundary points of a crack walk.
 *
 * Reads the crack vertices and headings of one walk (walk.ts) and, for sub-pixel points, the
 * bitmap's coverage. Produces the contour's points: the crack vertices (pixel corners, so the
 * polygon encloses exactly the ink pixels), or the crack midpoints slid along their normal to the
 * 50 % coverage level. Also the shoelace area of such a polygon.
 */
import { isFlat } from '../coverage.js';
import { mod } from '../geometry/cyclic.js';
import type { Bitmap } from '../types.js';
import { RIGHT_PX, RIGHT_PY, STEP_X, STEP_Y } from './cracks.js';
import { extendTips } from './tips.js';

export function cornerPoints(vx: Int32Array, vy: Int32Array, n: number): Float64Array {
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
/** Longest walk along a row to a full or an empty pixel, px: an edge blurred by σ = 2 px spans ±4.7 px between 1 % and 99 %. */
const MAX_WALK = 10;
/** Smallest p − e (see subpixelPoints) that a lost row's coverage sum is scaled by. */
const MIN_LEVEL_SPAN = 0.25;

/**
 * Whether a row whose coverage levels off at p inside and e outside (docs/design.md §13.4: a row
 * beside another edge) can be measured on the scale (c − e)/(p − e). Shared by the sub-pixel step
 * and the fit's coverage check of short-armed corners (src/fit/corner-coverage.ts).
 */
export function levelsScalable(p: number, e: number): boolean {
  return p - e >= MIN_LEVEL_SPAN && p >= 0.5 && e <= 0.5;
}
/** Partial pixels per boundary crack above which the edges count as blurred and the walks lengthen (a sharp anti-aliased edge has about 0.7). */
const SHARP_EDGE_WIDTH = 1.5;

/**
 * How the sub-pixel step reads one image's coverage (docs/design.md §13): what counts as a full or
 * an empty pixel, how much a coverage change must exceed to count as falling or rising again, and
 * how far the walks go. From the image's noise (`levels.noise`) and its edge width.
 */
export interface SubpixelSettings {
  /** Coverage at or above which a pixel is full (1 − δ). */
  full: number;
  /** Coverage at or below which a pixel is empty (δ). */
  empty: number;
  /** A neighbour's coverage must differ by more than this to count as falling or rising. */
  slope: number;
  /** Pixels walked inwards beyond the crack's own, and outwards, at most. */
  walkIn: number;
  walkOut: number;
  /** Partial pixels per boundary crack (the edge width in px, roughly). */
  edgeWidth: number;
}

/**
 * Smallest coverage change that counts as falling or rising again (§13.3) on sharp, clean edges: a
 * row along another edge beside a corner drifts by that edge's tilt, tan θ per pixel (0.004 beside
 * `icon-1panel-300-aa`'s hole corner, read as a thin gap: its point 1.2 px off, out of order,
 * §18.41). 0.02 missed a real thin stroke (`baskerville-e-lc-64-aa`, mean +48 %); blurred edges
 * keep 10⁻⁶ (their ramps change slowly, and the thin-stroke rule needs them).
 */
const MIN_SLOPE = 0.01;

/**
 * The settings for a bitmap: δ = min(0.25, max(0.01, 3 × noise)) (0.01 on a clean render, as before the
 * levels existed), and walks of 2 pixels in and 3 out on sharp edges, lengthened to the measured
 * edge width (partial pixels per crack of the ink mask) plus 2 on blurred ones. `cracks`: the
 * number of cracks between two pixels of the image (`interiorCrackCount`, from the rows' runs).
 */
export function subpixelSettings(bitmap: Bitmap, cracks: number): SubpixelSettings {
  const noise = bitmap.levels?.noise ?? 0;
  const delta = Math.min(0.25, Math.max(0.01, 3 * noise));
  const { width: w, height: h, ink, coverage } = bitmap;
  // Partial pixels count only within a walk's reach of ink along their row or column, so faint
  // marks away from the ink do not read as blur.
  const flatTol = Math.max(0.01, 2 * noise);
  let partial = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = coverage[y * w + x];
      // A flat tint (a pixel equal to its neighbours) is a second, light ink, not a blurred edge.
      if (c > delta && c < 1 - delta && !isFlat(coverage, w, h, x, y, flatTol) && nearInk(ink, w, h, x, y, MAX_WALK)) partial++;
    }
  }
  const edgeWidth = cracks === 0 ? 0 : partial / cracks;
  const blurred = edgeWidth > SHARP_EDGE_WIDTH;
  return {
    full: 1 - delta,
    empty: delta,
    slope: Math.max(blurred ? 1e-6 : MIN_SLOPE, 2 * noise),
    walkIn: blurred ? Math.min(MAX_WALK, Math.ceil(edgeWidth) + 2) : 2,
    walkOut: blurred ? Math.min(MAX_WALK, Math.ceil(edgeWidth) + 3) : 3,
    edgeWidth,
  };
}

/**
 * Whether an ink pixel lies within `reach` pixels of (x, y) along its row or column (the pixel
 * itself included). Asked only of partial pixels, a few per cent of an image: cheaper than marking
 * every pixel by four scans, as this once did (issue 15; the same answers).
 */
function nearInk(ink: Uint8Array, w: number, h: number, x: number, y: number, reach: number): boolean {
  const i = y * w + x;
  if (ink[i]) return true;
  for (let d = 1; d <= reach; d++) {
    if ((x - d >= 0 && ink[i - d]) || (x + d < w && ink[i + d]) || (y - d >= 0 && ink[i - d * w]) || (y + d < h && ink[i + d * w])) return true;
  }
  return false;
}

/**
 * One point per crack whose axis matches the local edge normal: the crack midpoint moved along
 * the crack normal to where the coverage sum along that pixel row (or column) puts the edge — the
 * 50 % level of any symmetric edge profile, sharp or blurred, when the row runs from a full pixel
 * to an empty one. Cracks across the edge's dominant direction (the risers of a staircase) give no
 * point, since their row is nearly parallel to the edge and its coverage sum says little. Where
 * the row reaches no full or no empty pixel (beside another edge or a corner, in a blur wider than
 * the walk), the point is the 50 % crossing interpolated between the crack's two pixels, and is
 * counted in `fallbacks` (docs/design.md §13).
 */
export function subpixelPoints(
  bitmap: Bitmap,
  settings: SubpixelSettings,
  vx: Int32Array,
  vy: Int32Array,
  vd: Uint8Array,
  n: number,
): { points: Float64Array; fallbacks: number } {
  const { width: w, height: h, coverage } = bitmap;
  const { full, empty, slope, walkIn, walkOut } = settings;
  const cov = (x: number, y: number): number => (x >= 0 && y >= 0 && x < w && y < h ? coverage[y * w + x] : 0);
  const out = new Float64Array(2 * n);
  let m = 0,
    fallbacks = 0;
  for (let i = 0; i < n; i++) {
    // Local edge direction: chord between the crack's neighbours NORMAL_WINDOW cracks away (an
    // even span, so a 45° staircase gives |tx| = |ty|).
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
    const at = (k: number) => cov(ix + k * nx, iy + k * ny);
    // Walk inwards to a full pixel and outwards to an empty one. Pixel k along the normal spans
    // [k − 1, k] from the crack (I is k = 0, O is k = 1).
    let mStart = 0;
    let thin = false;
    while (mStart > -walkIn) {
      const here = at(mStart);
      if (here >= full) break;
      // Coverage falling again before any full pixel: we crossed the middle of a stroke too thin to have one.
      if (at(mStart - 1) < here - slope) {
        thin = true;
        break;
      }
      mStart--;
    }
    let mEnd = 1;
    let thinGap = false;
    while (mEnd < walkOut) {
      const here = at(mEnd);
      if (here <= empty) break;
      // Coverage rising again before any empty pixel: a background gap too thin to have one.
      if (at(mEnd + 1) > here + slope) {
        thinGap = true;
        break;
      }
      mEnd++;
    }
    // A row that reaches no full pixel inwards (or no empty one outwards) runs along another edge,
    // as beside a corner: its coverage levels off at the share p of the row inside that other edge
    // (or e outside it). The sum then measures this edge on the scale (c − e)/(p − e), which is the
    // plain sum for p = 1, e = 0 (the old rule dropped such points: 1.2 px off on a 200 px square).
    const lostInside = !thin && at(mStart) < full;
    const lostOutside = !thinGap && at(mEnd) > empty;
    const p = lostInside ? at(mStart) : 1;
    const e = lostOutside ? at(mEnd) : 0;
    const scalable = levelsScalable(p, e);
    let offset: number;
    let fellBack = false;
    if (n > 2 * NORMAL_WINDOW && (lostInside || lostOutside) && !scalable) {
      // No level to scale by (a blur wider than the walk, a ramp): the 50 % crossing between the
      // centres of I (−½) and O (+½), linearly interpolated, and counted.
      const cI = at(0),
        cO = at(1);
      offset = cI > cO ? Math.min(0.5, Math.max(-0.5, (cI - 0.5) / (cI - cO) - 0.5)) : 0;
      fellBack = true;
    } else if ((lostInside || lostOutside) && scalable) {
      let sum = 0;
      for (let k = mStart; k <= mEnd; k++) sum += (at(k) - e) / (p - e);
      offset = mStart - 1 + sum;
    } else if (thinGap && !thin) {
      // The same rule on background (1 − coverage): the gap's G px centred at ḡ; our edge is ḡ − G/2.
      let mNear = 0;
      while (mNear > -walkIn && 1 - at(mNear) > empty) mNear--;
      let mFar = mEnd;
      while (mFar < mEnd + walkOut && 1 - at(mFar + 1) > empty) mFar++;
      let total = 0,
        moment = 0;
      for (let k = mNear; k <= mFar; k++) {
        const g = 1 - at(k);
        total += g;
        moment += g * (k - 0.5);
      }
      offset = moment / total - total / 2;
    } else if (thin) {
      // A thin stroke's row holds T px of ink centred at the coverage centroid x̄: edges at x̄ ± T/2.
      let mFar = mStart;
      while (mFar > mStart - walkOut && at(mFar - 1) > empty) mFar--;
      let total = 0,
        moment = 0;
      for (let k = mFar; k <= mEnd; k++) {
        const c = at(k);
        total += c;
        moment += c * (k - 0.5);
      }
      offset = moment / total + total / 2;
    } else {
      let sum = 0;
      for (let k = mStart; k <= mEnd; k++) sum += at(k);
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
    if (fellBack) fallbacks++;
  }
  // Acute tips continued past the 50 % contour where the coverage shows them running on (§13.6).
  return { points: extendTips(out.slice(0, 2 * m), coverage, w, h), fallbacks };
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
