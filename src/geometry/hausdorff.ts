/**
 * Distances between curves (docs/design.md §15.1, §15.6): the two-sided Hausdorff distance of two nearby
 * curves, estimated by sampling and golden-section refinement, and the exact largest distance
 * from a conic arc to a segment. Output-side checks; not a hot path.
 */
import type { Point } from '../types.js';
import type { ConicArc } from './conic.js';
import type { CurveEvaluator } from './curves.js';
import { goldenSectionMinimum } from './golden-section.js';
import * as dm from './fdlibm.js';

/**
 * The check of one curve replacing a whole conic interval (`curveHausdorff` settings, both curves
 * by arc length): samples per curve, search window, golden steps, refined peaks, and the safety
 * margin on its estimate (docs/design.md §15.6). Used by the SVG writer and the font output.
 */
export const INTERVAL_CHECK = Object.freeze({ samples: 32, window: 2, steps: 16, peaks: 3, margin: 1.01 });

/** Samples per curve in `curveHausdorff` (32 unless the caller asks for more). */
const HAUSDORFF_SAMPLES = 32;
/** Golden-section steps refining each nearest point (bracket shrinks by 0.618³⁰ ≈ 5·10⁻⁷). */
const GOLDEN_STEPS = 30;

/**
 * Two-sided Hausdorff distance between two curves on [0, 1], estimated: each curve is sampled at
 * 33 parameter values, and each sample's distance to the other curve is found by a coarse search
 * over 33 samples of it followed by golden-section refinement of the squared distance around the
 * best one. Accurate (to ~10⁻⁹ px) for the nearby, similar curves it is used on (an arc and its
 * approximation); not a general-purpose distance. Not a hot path (output only).
 *
 * The samples of the measured curve can straddle a peak of the distance and so under-estimate
 * it (by up to a few % when an error lobe spans ~10 samples). `peaks` > 0 refines that: the
 * `peaks` largest local maxima of the sampled distance, in each direction, are maximised by
 * golden section between their neighbouring samples; the estimate only ever goes up.
 */
export function curveHausdorff(f: CurveEvaluator, g: CurveEvaluator, samples = HAUSDORFF_SAMPLES, window = Infinity, steps = GOLDEN_STEPS, peaks = 0): number {
  const fs = new CurveSamples(f, samples),
    gs = new CurveSamples(g, samples);
  return Math.max(directedDistance(fs, gs, window, steps, peaks), directedDistance(gs, fs, window, steps, peaks));
}

/**
 * Whether `margin · curveHausdorff(f, g, samples, window, steps, peaks) <= limit`, decided with less
 * work and always the same answer (docs/design.md §18.51): the estimate is the larger of the two
 * directed distances, and each directed distance only grows once its sample's largest exceeds a
 * value (the peaks' refinement only raises it), so the answer is "no" as soon as one of those
 * partial values times `margin` is past `limit` (or NaN): the rest is not computed.
 */
export function curveHausdorffWithin(
  f: CurveEvaluator,
  g: CurveEvaluator,
  limit: number,
  margin: number,
  samples = HAUSDORFF_SAMPLES,
  window = Infinity,
  steps = GOLDEN_STEPS,
  peaks = 0,
): boolean {
  const fs = new CurveSamples(f, samples),
    gs = new CurveSamples(g, samples);
  const past = (d: number) => !(d * margin <= limit);
  const there = directedDistance(fs, gs, window, steps, peaks, undefined, past);
  if (past(there)) return false;
  return Math.max(there, directedDistance(gs, fs, window, steps, peaks, undefined, past)) * margin <= limit;
}

/**
 * Whether `curveHausdorff(f, g, samples, window, steps) <= limit` (no peaks), decided with less
 * work and always the same answer (docs/design.md §15.6): a sample whose nearest sample of the
 * other curve is within `limit` cannot raise the estimate past it (the golden-section refinement
 * only lowers a sample's distance), so its refinement is skipped; the first sample still past
 * `limit` after refinement decides "no" (the estimate is a maximum). √ is monotone, so comparing
 * each sample's distance with `limit` decides as comparing their maximum does. Hence also (issue
 * 15): the search for a nearest sample stops at the first within `limit` (the sample at the same
 * index tried first), the refinement at its first probe within it, and each curve is sampled once
 * for both directions.
 */
export function curveWithin(
  f: CurveEvaluator,
  g: CurveEvaluator,
  limit: number,
  samples = HAUSDORFF_SAMPLES,
  window = Infinity,
  steps = GOLDEN_STEPS,
): boolean {
  const fs = new CurveSamples(f, samples),
    gs = new CurveSamples(g, samples);
  return directedDistance(fs, gs, window, steps, 0, limit) <= limit && directedDistance(gs, fs, window, steps, 0, limit) <= limit;
}

/**
 * A curve's samples f(i/n), i = 0..n, interleaved x, y, each taken once when first needed: both
 * directions of a check read the same samples (each curve is sampled once, not twice).
 */
class CurveSamples {
  readonly xy: Float64Array;
  /** Samples 0..count − 1 are taken. */
  private count = 0;
  private readonly out = new Float64Array(2);
  constructor(
    readonly f: CurveEvaluator,
    readonly n: number,
  ) {
    this.xy = new Float64Array(2 * (n + 1));
  }
  /** Takes the samples up to index i (≤ n). */
  takeTo(i: number): void {
    for (; this.count <= i; this.count++) {
      this.f(this.count / this.n, this.out);
      this.xy[2 * this.count] = this.out[0];
      this.xy[2 * this.count + 1] = this.out[1];
    }
  }
}

/**
 * Largest distance from f's samples to g. `window`: search g's samples only within ±window of the
 * same index (for curves sampled in corresponding parameters); a narrower search can only find a
 * farther sample, so the estimate errs high, never low. `peaks`: see `curveHausdorff`. `limit`
 * (with `peaks` 0, for `curveWithin`): the result is ≤ limit exactly when the estimate is, but
 * is otherwise not the estimate.
 */
function directedDistance(
  fSamples: CurveSamples,
  gSamples: CurveSamples,
  window: number,
  steps: number,
  peaks = 0,
  limit?: number,
  past?: (d: number) => boolean,
): number {
  const { f, n } = fSamples;
  const g = gSamples.f;
  const p = new Float64Array(2);
  const q = new Float64Array(2);
  gSamples.takeTo(n);
  const gs = gSamples.xy,
    fs = fSamples.xy;
  const dist2 = (t: number, px: number, py: number) => {
    g(t, q);
    return (q[0] - px) ** 2 + (q[1] - py) ** 2;
  };
  /** Squared distance from (px, py) to g; `i` = the index of f's sample nearest in parameter. */
  const nearest2 = (px: number, py: number, i: number, limit?: number): number => {
    if (limit !== undefined) {
      // The sample at the same index first: for the close curves checked it is usually within
      // the limit, which decides this sample as the full search would (any sample within the
      // limit skips the refinement; only "≤ limit" is asked, docs/design.md §15.6).
      const d = (gs[2 * i] - px) ** 2 + (gs[2 * i + 1] - py) ** 2;
      if (Math.sqrt(d) <= limit) return d;
    }
    let best = Infinity,
      bestK = 0;
    for (let k = Math.max(0, i - window); k <= Math.min(n, i + window); k++) {
      const d = (gs[2 * k] - px) ** 2 + (gs[2 * k + 1] - py) ** 2;
      if (d < best) {
        best = d;
        bestK = k;
        if (limit !== undefined && Math.sqrt(d) <= limit) return d; // within the limit: decided, as below
      }
    }
    if (limit !== undefined && Math.sqrt(best) <= limit) return best; // refinement cannot raise it past limit
    // Golden-section search of |g(t) − p|² on the bracket around the best sample.
    const lo = Math.max(0, (bestK - 1) / n),
      hi = Math.min(1, (bestK + 1) / n);
    // With a limit, the search may stop at the first probe within it: the least probe then is too.
    const within = limit === undefined ? undefined : (d: number) => Math.sqrt(d) <= limit;
    return Math.min(best, goldenSectionMinimum((t) => dist2(t, px, py), lo, hi, steps, within).value);
  };
  const ds = peaks > 0 ? new Float64Array(n + 1) : null;
  let worst = 0;
  for (let i = 0; i <= n; i++) {
    fSamples.takeTo(i);
    const best = nearest2(fs[2 * i], fs[2 * i + 1], i, limit);
    if (ds) ds[i] = best;
    if (best > worst) worst = best;
    if (limit !== undefined && Math.sqrt(worst) > limit) return Math.sqrt(worst); // decided: past limit
    if (past?.(Math.sqrt(worst))) return Math.sqrt(worst); // decided: the estimate is at least this
  }
  if (ds) {
    // Local maxima of the sampled distance, largest first (ties: lower index first, deterministic).
    const maxima: number[] = [];
    for (let i = 0; i <= n; i++) {
      if ((i === 0 || ds[i] >= ds[i - 1]) && (i === n || ds[i] >= ds[i + 1])) maxima.push(i);
    }
    maxima.sort((a, b) => ds[b] - ds[a] || a - b);
    const D2 = (t: number) => {
      f(t, p);
      return nearest2(p[0], p[1], Math.round(t * n));
    };
    for (const i of maxima.slice(0, peaks)) {
      // Maximise D2 by golden section between the neighbouring samples (minimise −D2).
      const lo = Math.max(0, (i - 1) / n),
        hi = Math.min(1, (i + 1) / n);
      worst = Math.max(worst, -goldenSectionMinimum((t) => -D2(t), lo, hi, PEAK_STEPS).value);
    }
  }
  return Math.sqrt(worst);
}

/** Golden-section steps maximising each refined peak (bracket 2/n · 0.618¹² ≈ 0.006/n of the curve). */
const PEAK_STEPS = 12;

/**
 * Largest distance, px, from an arc to the segment S–E (an upper bound, tight when the arc's
 * projection stays between S and E, as it does for a nearly straight arc). Exact, not sampled:
 * in the frame of the segment (along e, across n) each coordinate of the arc is itself a 1-D
 * rational quadratic with the arc's weights, c(s) = N(s)/D(s) with N, D quadratics, and its
 * extremes on [0, 1] are at the ends or where N′D − ND′ = 0 — a quadratic (the s³ terms cancel).
 * The result is √(max across² + max overshoot²), the overshoot being how far the arc's projection
 * runs past S or E. Infinity when S = E.
 */
export function arcSegmentDeviation(arc: ConicArc, sx: number, sy: number, ex: number, ey: number): number {
  const len = dm.hypot(ex - sx, ey - sy);
  if (!(len > 0)) return Infinity;
  const ux = (ex - sx) / len,
    uy = (ey - sy) / len;
  const { a, b, c, u } = arc;
  const along = (p: Point) => (p.x - sx) * ux + (p.y - sy) * uy;
  const across = (p: Point) => -(p.x - sx) * uy + (p.y - sy) * ux;
  const [across0, across1] = rationalQuadraticRange(across(a), across(b), across(c), u);
  const [along0, along1] = rationalQuadraticRange(along(a), along(b), along(c), u);
  const off = Math.max(Math.abs(across0), Math.abs(across1));
  const over = Math.max(0, -along0, along1 - len);
  return dm.hypot(off, over);
}

/** [min, max] over s ∈ [0, 1] of the 1-D rational quadratic with values a, c at the ends, inner value b, weight u. */
function rationalQuadraticRange(a: number, b: number, c: number, u: number): [number, number] {
  // Monomial form: N(s) = a + (2ub − 2a)s + (a − 2ub + c)s², D(s) = 1 + (2u − 2)s + (2 − 2u)s².
  const n0 = a,
    n1 = 2 * u * b - 2 * a,
    n2 = a - 2 * u * b + c;
  const d0 = 1,
    d1 = 2 * u - 2,
    d2 = 2 - 2 * u;
  // N′D − ND′ = (n1d0 − n0d1) + 2(n2d0 − n0d2)s + (n2d1 − n1d2)s².
  const k0 = n1 * d0 - n0 * d1,
    k1 = 2 * (n2 * d0 - n0 * d2),
    k2 = n2 * d1 - n1 * d2;
  let lo = Math.min(a, c),
    hi = Math.max(a, c);
  const at = (s: number) => {
    if (!(s > 0 && s < 1)) return;
    const r = 1 - s,
      w0 = r * r,
      w1 = 2 * u * s * r,
      w2 = s * s;
    const v = (w0 * a + w1 * b + w2 * c) / (w0 + w1 + w2);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  const scale = Math.abs(k0) + Math.abs(k1) + Math.abs(k2);
  if (Math.abs(k2) <= 1e-14 * scale) {
    if (k1 !== 0) at(-k0 / k1);
  } else {
    const disc = k1 * k1 - 4 * k2 * k0;
    if (disc >= 0) {
      const sq = Math.sqrt(disc);
      // Stable roots: q = −(k1 + sign(k1)·√disc)/2, roots q/k2 and k0/q.
      const qq = -0.5 * (k1 + (k1 >= 0 ? sq : -sq));
      at(qq / k2);
      if (qq !== 0) at(k0 / qq);
    }
  }
  at(0.5); // harmless, and a guard against a lost root in degenerate cases
  return [lo, hi];
}
