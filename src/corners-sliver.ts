/**
 * Sliver contours: a straight pixel-corner contour under a pixel wide, a stroke drawn as a chain of
 * diagonally touching pixels (docs/design.md §3.6). Its corners are the two corners of each end cap
 * and nothing else; the fit makes its pieces lines wherever a line is within the bounds and puts
 * its sides on the lines that keep its pixels' area (src/fit/sliver-sides.ts).
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
import { totalLeastSquaresLine } from './geometry/line-fit.js';
import * as dm from './geometry/fdlibm.js';

/** Constants of the sliver test, one line each (docs/design.md §3.6). */
export const SLIVER_DEFAULTS = Object.freeze({
  /** Mean width, 2 × area / perimeter, below which a contour may be a sliver, px: a chain of diagonally touching pixels reads 0.5–0.6, a 1 px line of N pixels N / (N + 1) along an axis and more than 0.75 at a shallow slant (§18.52: those stay with the detector). */
  width: 0.75,
  /** Smallest mean width, px: below it the contour is a path drawn there and back (an open colour chain, src/colour/chains-fit.ts). */
  minWidth: 0.25,
  /** Least length along the principal axis, px: shorter ones are specks, left to the detector. */
  length: 3,
  /** Largest distance of a point from its side's or cap's chord, px: a digitised straight stroke's pixel corners stay under 1 px from a chord between two of them; a bent one (V, hook, arc) is no sliver. */
  straight: 1,
});

/** Whether a pixel-corner contour's points are a sliver (see the file comment). */
export function isSliver(pts: Float64Array): boolean {
  return sliverCorners(pts) !== undefined;
}

/**
 * The cap corners of a sliver, ascending contour indices (3 or 4), or undefined when the contour is
 * no sliver: at each end two points within 2 steps of the end point with the end point between
 * them or one of them, the choice whose 4 chords (2 sides, 2 caps) lie nearest their points at the
 * farthest (then summed over the 4, then fewer cap steps): the corners of a thin polygon with
 * straight sides; undefined too when that farthest is over SLIVER_DEFAULTS.straight (a bent stroke).
 *
 * @example sliverCorners(contour.points); // [0, 9, 10, 19] for the 20 points of 5 pixels in a 1, 2, 1, 1 chain
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
    bestSum = Infinity,
    bestSteps = Infinity;
  for (const [b0, a0] of caps(e0))
    for (const [b1, a1] of caps(e1)) {
      // Pieces in contour order: cap 0 (b0..a0), side (a0..b1), cap 1 (b1..a1), side (a1..b0 + n).
      const ds = [chordDistance(pts, b0, a0), chordDistance(pts, a0, b1), chordDistance(pts, b1, a1), chordDistance(pts, a1, b0 + n)];
      const d = Math.max(...ds),
        sum = ds[0] + ds[1] + ds[2] + ds[3],
        steps = a0 - b0 + a1 - b1;
      // The farthest first, then all four (a cap as straight as the sides allow), then the shorter caps.
      if (d < bestD || (d === bestD && (sum < bestSum || (sum === bestSum && steps < bestSteps))))
        [best, bestD, bestSum, bestSteps] = [[b0, a0, b1, a1], d, sum, steps];
    }
  // A bent stroke's sides are no chords: it is left to the detector, which finds its bends (§3.6).
  if (!(bestD <= SLIVER_DEFAULTS.straight)) return undefined;
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

/** The contour's two points farthest out along its principal axis (ascending indices), when its width and length are a sliver's (sliverCorners also asks for straight sides); else undefined. */
export function sliverEnds(pts: Float64Array): [number, number] | undefined {
  const n = pts.length / 2;
  if (n < 6) return undefined;
  let perimeter = 0;
  for (let i = 0; i < n; i++) {
    const j = i + 1 < n ? i + 1 : 0;
    const dx = pts[2 * j] - pts[2 * i],
      dy = pts[2 * j + 1] - pts[2 * i + 1];
    perimeter += Math.sqrt(dx * dx + dy * dy); // sqrt, not hypot: every contour's points pass here (correctly rounded, the same in every engine)
  }
  const width = (2 * Math.abs(polygonArea(pts))) / perimeter; // mean width of a thin shape
  if (!(width < SLIVER_DEFAULTS.width && width >= SLIVER_DEFAULTS.minWidth)) return undefined;
  // Along the principal axis of all the points (their total-least-squares line).
  const [, , ux, uy] = totalLeastSquaresLine(pts, n, 0, n - 1);
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
