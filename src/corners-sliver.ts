/**
 * Sliver contours: a pixel-corner contour under a pixel wide, a thin stroke drawn as a chain of
 * diagonally touching pixels (docs/design.md §3.6). Its corners are the two corners of each end cap
 * and nothing else; the fit makes its pieces lines wherever a line is within the bounds.
 *
 * Reads a contour's points. Produces whether it is a sliver (`isSliver`), its two ends (`sliverEnds`:
 * the points farthest out along its principal axis) and its cap corners (`sliverCorners`: two within
 * 2 steps of each end, chosen so that the sides and caps are straight).
 * Why: such a contour passes each diagonal joint twice (its width there is zero). The detector read
 * the joints as cusps, the fit pinched the outline to a point at each and bent the pixel groups
 * between into S shapes (`icon-1panel-64-bilevel`: 15 of the bench's 18 bilevel pieces that double
 * back along their chord); with one corner at each end instead, both sides fitted the same chord
 * (zero area at 45°); and conic sides still bend into the joints, which are where the two sides
 * touch, not samples of either (docs/design.md §18.52).
 */
import { polygonArea } from './contours/points.js';
import { mod } from './geometry/cyclic.js';
import * as dm from './geometry/fdlibm.js';

/** Constants of the sliver test, one line each (docs/design.md §3.6). */
export const SLIVER_DEFAULTS = Object.freeze({
  /** Largest mean width, 2 × area / perimeter, px: a chain of diagonally touching pixels reads 0.5–0.6, a 1 px axis line ≈ 1. */
  width: 0.75,
  /** Smallest mean width, px: below it the contour is a path drawn there and back (an open colour chain, src/colour/chains-fit.ts). */
  minWidth: 0.25,
  /** Least length along the principal axis, px: shorter ones are specks, left to the detector. */
  length: 3,
});

/** Whether a pixel-corner contour's points are a sliver (see the file comment). */
export function isSliver(pts: Float64Array): boolean {
  return sliverEnds(pts) !== undefined;
}

/**
 * The cap corners of a sliver, ascending contour indices (3 or 4), or undefined when the contour is
 * no sliver: at each end two points within 2 steps of the end point with the end point between
 * them or one of them, the choice whose 4 chords (2 sides, 2 caps) lie nearest their points at the
 * farthest (fewer cap steps on a tie): the corners of a thin polygon with straight sides.
 *
 * @example sliverCorners(contour.points); // [0, 9, 10, 19] for a 20-point chain of 6 pixels
 */
export function sliverCorners(pts: Float64Array): number[] | undefined {
  const ends = sliverEnds(pts);
  if (!ends) return undefined;
  const n = pts.length / 2;
  const [e0, e1] = ends;
  // Caps as (before, after) with before ≤ end ≤ after, before < after, both within 2 steps.
  const caps = (e: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let b = e - 2; b <= e; b++) for (let a = e; a <= e + 2; a++) if (a > b) out.push([b, a]);
    return out;
  };
  let best: number[] = [],
    bestD = Infinity,
    bestSteps = Infinity;
  for (const [b0, a0] of caps(e0))
    for (const [b1, a1] of caps(e1)) {
      // Pieces in contour order: cap 0 (b0..a0), side (a0..b1), cap 1 (b1..a1), side (a1..b0 + n).
      const d = Math.max(chordDistance(pts, b0, a0), chordDistance(pts, a0, b1), chordDistance(pts, b1, a1), chordDistance(pts, a1, b0 + n));
      const steps = a0 - b0 + a1 - b1;
      if (d < bestD || (d === bestD && steps < bestSteps)) [best, bestD, bestSteps] = [[b0, a0, b1, a1], d, steps];
    }
  return [...new Set(best.map((i) => mod(i, n)))].sort((p, q) => p - q);
}

/** Largest distance of the points i + 1..j − 1 (unwrapped indices) from the chord of i and j (0 for one step, Infinity for none or a chord of length 0). */
function chordDistance(pts: Float64Array, i: number, j: number): number {
  const n = pts.length / 2;
  if (j <= i) return Infinity;
  const ax = pts[2 * mod(i, n)],
    ay = pts[2 * mod(i, n) + 1];
  const dx = pts[2 * mod(j, n)] - ax,
    dy = pts[2 * mod(j, n) + 1] - ay;
  const len = dm.hypot(dx, dy);
  if (len === 0) return Infinity;
  let far = 0;
  for (let k = i + 1; k < j; k++) far = Math.max(far, Math.abs((pts[2 * mod(k, n)] - ax) * dy - (pts[2 * mod(k, n) + 1] - ay) * dx) / len);
  return far;
}

/** The contour's two points farthest out along its principal axis (ascending indices), when it is a sliver; else undefined. */
export function sliverEnds(pts: Float64Array): [number, number] | undefined {
  const n = pts.length / 2;
  if (n < 6) return undefined;
  let perimeter = 0,
    cx = 0,
    cy = 0;
  for (let i = 0; i < n; i++) {
    const j = i + 1 < n ? i + 1 : 0;
    const dx = pts[2 * j] - pts[2 * i],
      dy = pts[2 * j + 1] - pts[2 * i + 1];
    perimeter += Math.sqrt(dx * dx + dy * dy); // sqrt, not hypot: every contour's points pass here (correctly rounded, the same in every engine)
    cx += pts[2 * i];
    cy += pts[2 * i + 1];
  }
  const width = (2 * Math.abs(polygonArea(pts))) / perimeter; // mean width of a thin shape
  if (!(width <= SLIVER_DEFAULTS.width && width >= SLIVER_DEFAULTS.minWidth)) return undefined;
  cx /= n;
  cy /= n;
  // Principal axis: the direction of the larger eigenvector of the points' scatter matrix.
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = pts[2 * i] - cx,
      dy = pts[2 * i + 1] - cy;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const half = (sxx - syy) / 2;
  const lambda = (sxx + syy) / 2 + Math.sqrt(half * half + sxy * sxy);
  // (λ − syy, sxy) and (sxy, λ − sxx) are both eigenvectors of λ; the longer one is the well-conditioned one.
  const [ex, ey] = lambda - syy >= lambda - sxx ? [lambda - syy, sxy] : [sxy, lambda - sxx];
  const norm = dm.hypot(ex, ey);
  if (norm === 0) return undefined;
  const ux = ex / norm,
    uy = ey / norm;
  let lo = 0,
    hi = 0,
    sLo = pts[0] * ux + pts[1] * uy,
    sHi = sLo;
  for (let i = 1; i < n; i++) {
    const s = pts[2 * i] * ux + pts[2 * i + 1] * uy;
    if (s < sLo) [lo, sLo] = [i, s];
    if (s > sHi) [hi, sHi] = [i, s];
  }
  if (sHi - sLo < SLIVER_DEFAULTS.length) return undefined;
  return lo < hi ? [lo, hi] : [hi, lo];
}
