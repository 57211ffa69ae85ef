/**
 * Corner detection's smoothing (docs/design.md §18.3): a Gaussian along a closed polyline, by arc
 * length, applied before opening angles are measured (src/corners.ts) and to the fit's local copy
 * of a contour (src/fit/context.ts).
 *
 * Reads: a closed polyline (x, y interleaved) and σ. Produces: the smoothed polyline.
 */
import { wrap } from './geometry/cyclic.js';
import * as dm from './geometry/fdlibm.js';

/** Length of each step of a closed polyline: steps[k] = |p[k + 1] − p[k]|, k + 1 wrapping to 0. */
export function stepLengths(pts: Float64Array): Float64Array {
  const n = pts.length / 2;
  const steps = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const j = k + 1 === n ? 0 : k + 1;
    steps[k] = dm.hypot(pts[2 * j] - pts[2 * k], pts[2 * j + 1] - pts[2 * k + 1]);
  }
  return steps;
}

/**
 * Gaussian smoothing along a closed polyline, weights by arc length (points are roughly but not
 * exactly unit-spaced). Kernel cut at 3σ. `step`: its stepLengths, when the caller has them.
 */
export function smoothClosed(pts: Float64Array, sigma: number, step = stepLengths(pts)): Float64Array {
  const n = pts.length / 2;
  const out = new Float64Array(pts.length);
  const reach = 3 * sigma;
  const k2 = 1 / (2 * sigma * sigma);
  // Cost (issue 15): each step length once (`step[k]` = |p[k+1] − p[k]|; |p[j] − p[j+1]| is the
  // same number), and the weight of a whole arc length s (every s on a pixel-corner contour,
  // whose steps are 1) computed once per call; the values are the same as recomputing them.
  const wholeWeights = new Float64Array(Math.floor(reach) + 1).fill(NaN);
  const weight = (s: number): number => {
    if (s !== Math.floor(s)) return dm.exp(-s * s * k2);
    if (Number.isNaN(wholeWeights[s])) wholeWeights[s] = dm.exp(-s * s * k2);
    return wholeWeights[s];
  };
  let unit = true;
  for (let k = 0; k < n && unit; k++) unit = step[k] === 1;
  if (unit) {
    // Every step 1 (pixel-corner points): the arc length to the k-th neighbour is k itself, so the
    // kernel is fixed; the same sums in the same order as below, without the lengths.
    const reachK = Math.min(Math.floor(reach), n - 1);
    const wk = new Float64Array(reachK + 1);
    for (let k = 1; k <= reachK; k++) wk[k] = weight(k);
    for (let i = 0; i < n; i++) {
      let sx = pts[2 * i],
        sy = pts[2 * i + 1],
        sw = 1;
      for (let k = 1; k <= reachK; k++) {
        const j = wrap(i + k, n);
        sx += wk[k] * pts[2 * j];
        sy += wk[k] * pts[2 * j + 1];
        sw += wk[k];
      }
      for (let k = 1; k <= reachK; k++) {
        const j = wrap(i - k, n);
        sx += wk[k] * pts[2 * j];
        sy += wk[k] * pts[2 * j + 1];
        sw += wk[k];
      }
      out[2 * i] = sx / sw;
      out[2 * i + 1] = sy / sw;
    }
    return out;
  }
  // The weight of one step's length, and of two steps' (a + b = b + a exactly), serves the points on
  // both sides: taken once per step (NaN: not yet), not once per direction (docs/design.md §18.51).
  const oneStep = new Float64Array(n).fill(NaN),
    twoSteps = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    let sx = pts[2 * i],
      sy = pts[2 * i + 1],
      sw = 1;
    for (let dir = 1; dir >= -1; dir -= 2) {
      let s = 0;
      for (let k = 1; k < n; k++) {
        const j = wrap(i + dir * k, n); // k < n
        s += step[dir === 1 ? wrap(j - 1, n) : j];
        if (s > reach) break;
        let wgt: number;
        if (k <= 2) {
          // The first of the k steps in forward order.
          const m = dir === 1 ? i : j;
          const cache = k === 1 ? oneStep : twoSteps;
          wgt = cache[m];
          if (Number.isNaN(wgt)) wgt = cache[m] = weight(s);
        } else wgt = weight(s);
        sx += wgt * pts[2 * j];
        sy += wgt * pts[2 * j + 1];
        sw += wgt;
      }
    }
    out[2 * i] = sx / sw;
    out[2 * i + 1] = sy / sw;
  }
  return out;
}
