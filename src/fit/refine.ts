/**
 * Stage 4b — geometric refinement of one conic interval (goes past Sarfraz 2012; docs/design.md §11).
 *
 * Reads: an interval's data points, its end knots and unit tangents, and the annealed state
 * (ln u, ln λ₀, ln λ₁) of V = P₀ + λ₀·h·D₀/(4u), W = P₁ − λ₁·h·D₁/(4u), J = (V + W)/2.
 * Produces: the state minimising the sum of squared *orthogonal* distances of the points to the
 * curve, which is what tolerances are checked on.
 *
 * Why: the paper's S pairs each point with the curve at its chord-length parameter, so it penalises
 * parametrisation instead of distance (docs/design.md §11.1). Method: Levenberg–Marquardt with each
 * point's foot re-projected on the current curve at every evaluation, Jacobian by forward
 * differences; knots and tangent directions stay fixed, so G¹ with the neighbours is kept
 * (docs/design.md §11.2, §11.3).
 *
 * State: all scratch (residuals, Jacobian, samples, the current curve) lives in a RefineWorkspace
 * (src/fit/workspace.ts), passed in by the fitter; a standalone call makes its own.
 */

import { conicControlPoints, foldingU, rationalQuadratic } from '../geometry/conic.js';
import { RefineWorkspace } from './workspace.js';
import * as dm from '../geometry/fdlibm.js';

/** Schedule and bounds, one line each. */
export const REFINE_DEFAULTS = Object.freeze({
  /** Levenberg–Marquardt steps (each re-projects at every evaluation). */
  iterations: 6,
  /** Curve samples per arc for the foot search, at most (feet interpolated on the chords between): min(32, max(8, m)) for m points (docs/design.md §18.15). */
  samplesPerArc: 32,
  /** Forward-difference step on the log parameters. */
  delta: 1e-6,
  /** Initial LM damping (relative to the diagonal of JᵀJ) and its growth on a rejected step. */
  damping: 1e-3,
  dampingGrowth: 8,
  /** Rejected trial steps per LM step before giving up on it. */
  maxRejections: 4,
  /** Stop once a step gains less than this fraction of the sum of squares. */
  converged: 1e-2,
  /** Points fitted, at most: a longer interval is fitted on this many, evenly spread (ends kept), at no measurable loss (docs/design.md §18.15). */
  maxPoints: 64,
} as const);

/** The fixed part of an interval: points (xs, ys; m of them), end knots P₀, P₁, unit tangents D₀ (out of P₀), D₁ (into P₁), chord h. */
export interface IntervalGeometry {
  xs: Float64Array;
  ys: Float64Array;
  m: number;
  p0x: number;
  p0y: number;
  p1x: number;
  p1y: number;
  d0x: number;
  d0y: number;
  d1x: number;
  d1y: number;
  h: number;
}

/**
 * Refines `state` = [ln u, ln λ₀, ln λ₁] in place within [lo, hi] (per coordinate) and returns the
 * final sum of squared residuals at the re-projected parameters (≈ squared orthogonal distances).
 *
 * @example const ss = refineInterval(geometry, state, lo, hi);
 */
export function refineInterval(
  full: IntervalGeometry,
  state: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  w: RefineWorkspace = new RefineWorkspace(),
): number {
  w.ensure(full.m);
  const { jacobian, normal, damped, rhs, trial, delta, startState, rejected } = w;
  // The current state's residuals and a trial's: swapped when a trial is accepted (no copy).
  let residual = w.residual,
    trialResidual = w.trialResidual;
  startState.set(state);
  const fullStart = residuals(w, full, state, residual);
  const g = full.m > REFINE_DEFAULTS.maxPoints ? subsample(w, full, REFINE_DEFAULTS.maxPoints) : full;
  const { m } = g;
  let ss = g === full ? fullStart : residuals(w, g, state, residual);
  let mu = REFINE_DEFAULTS.damping;
  for (let step = 0; step < REFINE_DEFAULTS.iterations; step++) {
    // Jacobian columns by forward differences on the log parameters, each re-projected. (With the
    // feet held and the residuals projected on the foot normals — point-to-tangent distance — a
    // step costs three fewer re-projections, but from a far start it stopped in a local minimum that
    // this finds past (test/refine.test.ts recovery case), and it saved no measurable time.)
    for (let d = 0; d < 3; d++) {
      // A held coordinate's column only feeds its row and column of JᵀJ and Jᵀr, which are
      // replaced below: no need to re-project for it.
      if (!(lo[d] < hi[d])) continue;
      trial.set(state);
      trial[d] += REFINE_DEFAULTS.delta;
      residuals(w, g, trial, trialResidual, true);
      for (let r = 0; r < 2 * m; r++) jacobian[d * 2 * m + r] = (trialResidual[r] - residual[r]) / REFINE_DEFAULTS.delta;
    }
    // Normal equations JᵀJ·Δ = −Jᵀr (3 × 3), all nine sums in one pass (each still summed in row order).
    const a = normal,
      b = rhs;
    const c1 = 2 * m,
      c2 = 4 * m;
    let a00 = 0,
      a01 = 0,
      a02 = 0,
      a11 = 0,
      a12 = 0,
      a22 = 0,
      b0 = 0,
      b1 = 0,
      b2 = 0;
    for (let r = 0; r < 2 * m; r++) {
      const j0 = jacobian[r],
        j1 = jacobian[c1 + r],
        j2 = jacobian[c2 + r],
        e = residual[r];
      a00 += j0 * j0;
      a01 += j0 * j1;
      a02 += j0 * j2;
      a11 += j1 * j1;
      a12 += j1 * j2;
      a22 += j2 * j2;
      b0 += j0 * e;
      b1 += j1 * e;
      b2 += j2 * e;
    }
    a[0] = a00;
    a[1] = a[3] = a01;
    a[2] = a[6] = a02;
    a[4] = a11;
    a[5] = a[7] = a12;
    a[8] = a22;
    b[0] = -b0;
    b[1] = -b1;
    b[2] = -b2;
    // A coordinate whose bounds meet is held fixed (e.g. u = 1 for a quadratic piece): its row and
    // column become the identity, so its step is 0.
    for (let i = 0; i < 3; i++) {
      if (lo[i] < hi[i]) continue;
      for (let k = 0; k < 3; k++) a[3 * i + k] = a[3 * k + i] = 0;
      a[4 * i] = 1;
      b[i] = 0;
    }
    let accepted = false;
    let converged = false;
    // A trial equal to the state or to this step's last rejected trial (a step below the state's
    // resolution, or clamped to the same bound) is rejected again without re-projecting: ss is
    // unchanged until a step is accepted, and the residuals depend on the state alone.
    rejected.set(state);
    for (let tries = 0; tries < REFINE_DEFAULTS.maxRejections && !accepted; tries++) {
      damped.set(a);
      for (let i = 0; i < 3; i++) damped[4 * i] += mu * a[4 * i] + 1e-12;
      if (!solve3(damped, b, delta, w.minor)) break;
      for (let d = 0; d < 3; d++) {
        const x = state[d] + delta[d];
        trial[d] = x < lo[d] ? lo[d] : x > hi[d] ? hi[d] : x;
      }
      if (trial[0] === rejected[0] && trial[1] === rejected[1] && trial[2] === rejected[2]) {
        mu *= REFINE_DEFAULTS.dampingGrowth;
        continue;
      }
      // A state that folds back at J (a curl, docs/design.md §11.5) is no step: the search stays
      // on the unfolded side, where it started.
      if (folds(w, full, trial)) {
        mu *= REFINE_DEFAULTS.dampingGrowth;
        rejected.set(trial);
        continue;
      }
      const trialSs = residuals(w, g, trial, trialResidual);
      if (trialSs < ss) {
        converged = ss - trialSs <= REFINE_DEFAULTS.converged * ss;
        state.set(trial);
        ss = trialSs;
        const kept = trialResidual;
        trialResidual = residual;
        residual = kept;
        mu /= REFINE_DEFAULTS.dampingGrowth;
        accepted = true;
      } else {
        mu *= REFINE_DEFAULTS.dampingGrowth;
        rejected.set(trial);
      }
    }
    if (!accepted || converged) break;
  }
  // Steps are only taken downhill, but on the subsample when there is one: check on all points.
  const fullEnd = g === full ? ss : residuals(w, full, state, residual);
  if (fullEnd <= fullStart) return fullEnd;
  state.set(startState);
  return fullStart;
}

/**
 * Sum of squared distances of the points to the curve of `state`, at re-projected parameters
 * (what `refineInterval` minimises; to within the sampled foot search, the orthogonal distances).
 *
 * @example const before = geometricError(g, state); refineInterval(g, state, lo, hi);
 */
export function geometricError(g: IntervalGeometry, state: Float64Array, w: RefineWorkspace = new RefineWorkspace()): number {
  w.ensure(g.m);
  return residuals(w, g, state, w.residual);
}

/** Every k-th point (first and last kept), at most `count` of them, into the workspace's arrays. */
function subsample(w: RefineWorkspace, g: IntervalGeometry, count: number): IntervalGeometry {
  w.ensureSub(count);
  const { subX, subY } = w;
  const step = (g.m - 1) / (count - 1);
  for (let i = 0; i < count; i++) {
    const q = Math.round(i * step);
    subX[i] = g.xs[q];
    subY[i] = g.ys[q];
  }
  return { ...g, xs: subX, ys: subY, m: count };
}

/** Residuals R(θⱼ) − Cⱼ into `out` (x, y interleaved) at the feet θⱼ on this state's curve; returns their sum of squares. */
function residuals(w: RefineWorkspace, g: IntervalGeometry, state: Float64Array, out: Float64Array, held = false): number {
  setCurve(w, g, state);
  reproject(w, g, held);
  const { m, xs, ys } = g;
  const { theta, point } = w;
  let ss = 0;
  for (let q = 0; q < m; q++) {
    curveAt(w, theta[q]);
    const ex = point[0] - xs[q],
      ey = point[1] - ys[q];
    out[2 * q] = ex;
    out[2 * q + 1] = ey;
    ss += ex * ex + ey * ey;
  }
  return ss;
}

/**
 * θⱼ := parameter of point j's foot on the curve, found by walking forward along samples of the
 * curve (points and feet are both ordered along the interval), then projecting onto the chord
 * between neighbouring samples. Kept non-decreasing; the end points keep θ = 0 and 1.
 *
 * Cost (docs/design.md §18.28): the samples' Bernstein factors depend on the sample count only
 * (w.sampleCount) and each chord's direction and squared length are taken once per curve (a chord
 * is looked at by about five points); both are the same arithmetic as rationalQuadratic and
 * segmentFoot / footDistance2, so the feet are the same to the bit.
 */
function reproject(w: RefineWorkspace, g: IntervalGeometry, held: boolean): void {
  const { m, xs, ys } = g;
  const count = 2 * Math.min(REFINE_DEFAULTS.samplesPerArc, Math.max(8, m)) + 1;
  if (w.sampleCount !== count) sampleFactors(w, count);
  const { samples, chordX, chordY, chordL2, theta, footSeg } = w;
  theta[0] = 0;
  if (held) {
    // Each foot on the chord the current state's walk found it on (a Jacobian column, docs/design.md
    // §11.3): only those chords' samples are needed (on short pieces about half of them).
    const stamp = ++w.sampleStamp;
    const { sampleDone } = w;
    for (let q = 1; q < m - 1; q++) {
      const i = footSeg[q];
      if (sampleDone[i] !== stamp) {
        sampleAt(w, i);
        sampleDone[i] = stamp;
      }
      if (sampleDone[i + 1] !== stamp) {
        sampleAt(w, i + 1);
        sampleDone[i + 1] = stamp;
      }
      const px = xs[q],
        py = ys[q];
      const ax = samples[2 * i],
        ay = samples[2 * i + 1];
      const dx = samples[2 * i + 2] - ax,
        dy = samples[2 * i + 3] - ay;
      const l2 = dx * dx + dy * dy;
      const num = (px - ax) * dx + (py - ay) * dy;
      const t = (i + (l2 > 0 ? (num <= 0 ? 0 : num >= l2 ? 1 : num / l2) : 0)) / (count - 1);
      theta[q] = t < theta[q - 1] ? theta[q - 1] : t;
    }
    theta[m - 1] = 1;
    return;
  }
  for (let i = 0; i < count; i++) {
    sampleAt(w, i);
    if (i > 0) {
      const dx = samples[2 * i] - samples[2 * i - 2],
        dy = samples[2 * i + 1] - samples[2 * i - 1];
      chordX[i - 1] = dx;
      chordY[i - 1] = dy;
      chordL2[i - 1] = dx * dx + dy * dy;
    }
  }
  let seg = 0;
  const lookAhead = Math.max(3, Math.ceil((2 * (count - 1)) / Math.max(1, m - 1)));
  theta[0] = 0;
  for (let q = 1; q < m - 1; q++) {
    const px = xs[q],
      py = ys[q];
    // Squared distance to chord i and the foot's parameter on it: segmentFoot and footDistance2 (src/geometry/segment.ts) written out.
    let ax = samples[2 * seg],
      ay = samples[2 * seg + 1],
      dx = chordX[seg],
      dy = chordY[seg],
      l2 = chordL2[seg];
    let num = (px - ax) * dx + (py - ay) * dy;
    let bestT = l2 > 0 ? (num <= 0 ? 0 : num >= l2 ? 1 : num / l2) : 0;
    let ex = ax + bestT * dx - px,
      ey = ay + bestT * dy - py;
    let best = ex * ex + ey * ey;
    // Walk forward while a later chord is closer, looking past a few (samples can be denser than points).
    for (let moved = true; moved;) {
      moved = false;
      for (let i = seg + 1; i <= seg + lookAhead && i < count - 1; i++) {
        ax = samples[2 * i];
        ay = samples[2 * i + 1];
        dx = chordX[i];
        dy = chordY[i];
        l2 = chordL2[i];
        num = (px - ax) * dx + (py - ay) * dy;
        const t = l2 > 0 ? (num <= 0 ? 0 : num >= l2 ? 1 : num / l2) : 0;
        ex = ax + t * dx - px;
        ey = ay + t * dy - py;
        const d = ex * ex + ey * ey;
        if (d < best) {
          best = d;
          bestT = t;
          seg = i;
          moved = true;
          break;
        }
      }
    }
    footSeg[q] = seg;
    const t = (seg + bestT) / (count - 1);
    theta[q] = t < theta[q - 1] ? theta[q - 1] : t;
  }
  theta[m - 1] = 1;
}

/** Sample i of the current curve into w.samples: rationalQuadratic (src/geometry/conic.ts) with the factors of sampleFactors, as curveAt computes it. */
function sampleAt(w: RefineWorkspace, i: number): void {
  const { samples } = w;
  const w0 = w.sampleW0[i],
    w1 = 2 * w.cu * w.sampleS[i] * w.sampleR[i],
    w2 = w.sampleW2[i];
  const d = w0 + w1 + w2;
  if (i <= w.sampleHalf) {
    samples[2 * i] = (w0 * w.cp0x + w1 * w.cvx + w2 * w.cjx) / d;
    samples[2 * i + 1] = (w0 * w.cp0y + w1 * w.cvy + w2 * w.cjy) / d;
  } else {
    samples[2 * i] = (w0 * w.cjx + w1 * w.cwx + w2 * w.cp1x) / d;
    samples[2 * i + 1] = (w0 * w.cjy + w1 * w.cwy + w2 * w.cp1y) / d;
  }
}

/** The foot search's sample parameters for `count` samples, as curveAt takes them: θ = i/(count − 1), s = 2θ or 2θ − 1, r = 1 − s, r², s². */
function sampleFactors(w: RefineWorkspace, count: number): void {
  w.ensureSamples(count);
  const { sampleS, sampleR, sampleW0, sampleW2 } = w;
  w.sampleHalf = -1;
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1);
    const s = t <= 0.5 ? 2 * t : 2 * t - 1;
    if (t <= 0.5) w.sampleHalf = i;
    const r = 1 - s;
    sampleS[i] = s;
    sampleR[i] = r;
    sampleW0[i] = r * r;
    sampleW2[i] = s * s;
  }
  w.sampleCount = count;
}

/** V = P₀ + λ₀·h·D₀/(4u), W = P₁ − λ₁·h·D₁/(4u), J = (V + W)/2 for state (ln u, ln λ₀, ln λ₁), into the workspace's curve registers. */
function setCurve(w: RefineWorkspace, g: IntervalGeometry, state: Float64Array): void {
  const expOut = exponentials(w, state);
  const cu = expOut[0];
  const c = conicControlPoints(g.p0x, g.p0y, g.d0x, g.d0y, g.p1x, g.p1y, g.d1x, g.d1y, g.h, cu, expOut[1], expOut[2], w.controlPoints);
  w.cu = cu;
  w.cp0x = g.p0x;
  w.cp0y = g.p0y;
  w.cp1x = g.p1x;
  w.cp1y = g.p1y;
  w.cvx = c[0];
  w.cvy = c[1];
  w.cwx = c[2];
  w.cwy = c[3];
  w.cjx = c[4];
  w.cjy = c[5];
}

/** R(θ) of the current curve into w.point: conic(P₀, V, J, u; 2θ) for θ ≤ ½, else conic(J, W, P₁, u; 2θ − 1). */
function curveAt(w: RefineWorkspace, t: number): void {
  if (t <= 0.5) rationalQuadratic(w.cp0x, w.cp0y, w.cvx, w.cvy, w.cjx, w.cjy, w.cu, 2 * t, w.point);
  else rationalQuadratic(w.cjx, w.cjy, w.cwx, w.cwy, w.cp1x, w.cp1y, w.cu, 2 * t - 1, w.point);
}

/**
 * (u, λ₀, λ₁) = exp of the state, in w.expOut. A Jacobian column moves one coordinate, and a trial's
 * fold test comes just before its evaluation: the exponentials are the last call's where the
 * input is (same input, same value).
 */
function exponentials(w: RefineWorkspace, state: Float64Array): Float64Array {
  const { expIn, expOut } = w;
  for (let k = 0; k < 3; k++) {
    if (state[k] !== expIn[k]) {
      expIn[k] = state[k];
      expOut[k] = dm.exp(state[k]);
    }
  }
  return expOut;
}

/** Whether the state folds the interval back at J: u ≤ (λ₀·D₀·c + λ₁·D₁·c)/4 (geometry/conic.ts foldingU). */
function folds(w: RefineWorkspace, g: IntervalGeometry, state: Float64Array): boolean {
  const e = exponentials(w, state);
  return foldingU(g.p0x, g.p0y, g.p1x, g.p1y, g.d0x, g.d0y, g.d1x, g.d1y, e[1], e[2]) >= e[0];
}

/** Solves the 3 × 3 system a·x = b (row-major a) into `out` by Cramer's rule (`minor`: 9 scratch values); false when singular. */
function solve3(a: Float64Array, b: Float64Array, out: Float64Array, minor: Float64Array): boolean {
  const d = det3(a);
  if (!Number.isFinite(d) || Math.abs(d) < 1e-300) return false;
  for (let c = 0; c < 3; c++) {
    minor.set(a);
    for (let r = 0; r < 3; r++) minor[3 * r + c] = b[r];
    out[c] = det3(minor) / d;
  }
  return Number.isFinite(out[0]) && Number.isFinite(out[1]) && Number.isFinite(out[2]);
}

/** Determinant of a 3 × 3 matrix (row-major). A module function, not a closure per solve3 call: under tsx each closure was also named at run time (docs/design.md §18.28). */
function det3(m: Float64Array): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}
