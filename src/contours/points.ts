/**
 * Contours, part 3 (design.md §2): the boundary points of a crack walk.
 *
 * Reads the crack vertices and headings of one walk (walk.ts) and, for sub-pixel points, the
 * bitmap's coverage. Produces the contour's points: the crack vertices (pixel corners, so the
 * polygon encloses exactly the ink pixels), or the crack midpoints slid along their normal to the
 * 50 % coverage level. Also the shoelace area of such a polygon.
 */
import { mod } from '../geometry/cyclic.js';
import type { Bitmap } from '../types.js';
import { RIGHT_PX, RIGHT_PY, STEP_X, STEP_Y } from './cracks.js';

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

/**
 * One point per crack whose axis matches the local edge normal: the crack midpoint moved along
 * the crack normal to where the coverage sum along that pixel row (or column) puts the edge.
 * Cracks across the edge's dominant direction (the risers of a staircase) give no point, since
 * their row is nearly parallel to the edge and its coverage sum says little.
 */
export function subpixelPoints(bitmap: Bitmap, vx: Int32Array, vy: Int32Array, vd: Uint8Array, n: number): Float64Array {
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
      let total = 0,
        moment = 0;
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
      let total = 0,
        moment = 0;
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
