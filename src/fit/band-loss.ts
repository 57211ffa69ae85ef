/**
 * The band loss and its minimisation (docs/design.md §11.6), for the band fit (src/fit/band.ts).
 *
 * Reads: a pixel-corner contour's cracks (the unit steps between its points) and spans — conic
 * pieces with their ends, unit tangents and state (ln u, ln λ₀, ln λ₁).
 * Produces: per crack the band residuals (the midpoint's signed distance to the curve, and hinges
 * on the ink and paper pixel centres on the wrong side), their sum and the wrong-side count, and
 * the Levenberg–Marquardt minimum over the spans' states (and a smooth knot's shift and turn).
 * Method: each midpoint's foot found on samples of the curve, walking forward (as the refinement,
 * docs/design.md §11.2); Jacobian by forward differences with the feet held; normal equations by
 * Gaussian elimination. All scratch in a BandWorkspace, one per contour (docs/design.md §17.3).
 */
import { conicControlPoints, rationalQuadratic } from '../geometry/conic.js';
import { mod } from '../geometry/cyclic.js';
import { pointSegmentDistance2, segmentFoot } from '../geometry/segment.js';
import type { FitContext } from './context.js';
import type { WorkKnot } from './knots.js';
import { FIT_DEFAULTS } from './options.js';
import * as dm from '../geometry/fdlibm.js';

/** Constants of the band fit, one line each (docs/design.md §11.6). */
export const BAND_DEFAULTS = Object.freeze({
  /** Weight of the hinge residual (a centre on the wrong side) against the centring residual. */
  hinge: 1,
  /** Levenberg–Marquardt steps per problem, at most. */
  iterations: 5,
  /** Stop once a step gains less than this fraction of the loss. */
  converged: 5e-3,
  /** Largest move of a smooth knot along its normal, px, and of its tangent, radians. */
  knotShift: 0.5,
  knotTurn: 0.3,
  /** Curve samples per arc for the foot search, at most (as the refinement's, docs/design.md §11.2). */
  samplesPerArc: 32,
} as const);

/** Bounds of a piece's (ln u, ln λ₀, ln λ₁), those of the fit (FIT_DEFAULTS). */
export const LN_U = [dm.log(FIT_DEFAULTS.uMin), dm.log(FIT_DEFAULTS.uMax)] as const;
export const LN_LAMBDA = [dm.log(FIT_DEFAULTS.lambdaMin), dm.log(FIT_DEFAULTS.lambdaMax)] as const;

/** Parameters of the largest problem: two pieces' (ln u, ln λ₀, ln λ₁) and a knot's shift and turn. */
const MAX_PARAMS = 8;

/** One conic piece while band-fitting: its ends and unit tangents, its state and its cracks. */
export interface Span {
  p0x: number;
  p0y: number;
  d0x: number;
  d0y: number;
  p1x: number;
  p1y: number;
  d1x: number;
  d1y: number;
  /** (ln u, ln λ₀, ln λ₁). */
  state: Float64Array;
  /** u held at 1: a quadratic piece stays quadratic (exact `Q`+`T` in SVG, docs/design.md §4.7). */
  quadratic: boolean;
  /** First crack (unwrapped index: crack k runs from point k to point k + 1) and the crack count. */
  first: number;
  count: number;
  /** Every step-th crack is looked at while optimising (1 otherwise). */
  step: number;
}

/** Scratch of one band fit (per contour; no module-level state, docs/design.md §17.3). */
export class BandWorkspace {
  /** Per crack: midpoint and unit normal towards the ink pixel. */
  readonly midX: Float64Array;
  readonly midY: Float64Array;
  readonly inkX: Float64Array;
  readonly inkY: Float64Array;
  readonly controlPoints = new Float64Array(6);
  readonly point = new Float64Array(2);
  samples = new Float64Array(2 * (2 * BAND_DEFAULTS.samplesPerArc + 1));
  residual = new Float64Array(0);
  trialResidual = new Float64Array(0);
  jacobian = new Float64Array(0);
  /** Per crack looked at: its foot's parameter θ on the curve, the curve's unit normal there (to the ink side), the hinges active (1 ink, 2 paper), and the curve's point at θ. */
  theta = new Float64Array(0);
  normalX = new Float64Array(0);
  normalY = new Float64Array(0);
  active = new Uint8Array(0);
  footX = new Float64Array(0);
  footY = new Float64Array(0);
  /** The optimisation's parameters, bounds, trial and step, normal equations and gradient (at most MAX_PARAMS parameters). */
  readonly x = new Float64Array(MAX_PARAMS);
  readonly lo = new Float64Array(MAX_PARAMS);
  readonly hi = new Float64Array(MAX_PARAMS);
  readonly trial = new Float64Array(MAX_PARAMS);
  readonly step = new Float64Array(MAX_PARAMS);
  readonly gradient = new Float64Array(MAX_PARAMS);
  readonly normal = new Float64Array(MAX_PARAMS * MAX_PARAMS);
  readonly augmented = new Float64Array(MAX_PARAMS * (MAX_PARAMS + 1));
  /** Centres on the wrong side of the curve at the last evaluation. */
  wrong = 0;

  constructor(ctx: FitContext) {
    const { n, raw } = ctx;
    this.midX = new Float64Array(n);
    this.midY = new Float64Array(n);
    this.inkX = new Float64Array(n);
    this.inkY = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const q = k + 1 < n ? k + 1 : 0;
      const dx = raw[2 * q] - raw[2 * k],
        dy = raw[2 * q + 1] - raw[2 * k + 1];
      const len = Math.hypot(dx, dy);
      this.midX[k] = (raw[2 * k] + raw[2 * q]) / 2;
      this.midY[k] = (raw[2 * k + 1] + raw[2 * q + 1]) / 2;
      // The walk keeps the ink on its right (docs/design.md §2.5): with y down, (−dy, dx).
      this.inkX[k] = len > 0 ? -dy / len : 0;
      this.inkY[k] = len > 0 ? dx / len : 0;
    }
  }

  /** Room for `residuals` residuals and a Jacobian of `params` columns. */
  ensure(residuals: number, params: number): void {
    if (this.residual.length < residuals) {
      this.residual = new Float64Array(residuals);
      this.trialResidual = new Float64Array(residuals);
      const feet = Math.ceil(residuals / 3);
      this.theta = new Float64Array(feet);
      this.normalX = new Float64Array(feet);
      this.normalY = new Float64Array(feet);
      this.active = new Uint8Array(feet);
      this.footX = new Float64Array(feet);
      this.footY = new Float64Array(feet);
    }
    if (this.jacobian.length < residuals * params) this.jacobian = new Float64Array(residuals * params);
  }
}

/** Knot k moved by `shift` along its normal (−Ty, Tx) and its tangent turned by `turn` radians: [x, y, tx, ty]. */
function movedKnot(k: WorkKnot, shift: number, turn: number): [number, number, number, number] {
  const tx = k.outX,
    ty = k.outY;
  const c = dm.cos(turn),
    s = dm.sin(turn);
  return [k.x - shift * ty, k.y + shift * tx, c * tx - s * ty, s * tx + c * ty];
}

/**
 * Band residuals of one span into out[offset …] (three per crack looked at: the midpoint's signed
 * distance, and the hinges of the ink centre and the paper centre on the wrong side); returns
 * their sum of squares and adds the span's wrong-side count to bw.wrong.
 */
function spanResiduals(bw: BandWorkspace, ctx: FitContext, sp: Span, out: Float64Array, offset: number): number {
  let ss = 0;
  let r = offset;
  const u = spanCurve(bw, sp);
  const [vx, vy, wx, wy, jx, jy] = bw.controlPoints;
  // Samples of the curve, both arcs; each midpoint walks forward to its nearest chord.
  const looked = cracksLooked(sp);
  const perArc = Math.min(BAND_DEFAULTS.samplesPerArc, Math.max(8, looked));
  const samples = 2 * perArc + 1;
  const buf = bw.samples;
  for (let i = 0; i <= perArc; i++) rationalQuadratic(sp.p0x, sp.p0y, vx, vy, jx, jy, u, i / perArc, buf, 2 * i);
  for (let i = 1; i <= perArc; i++) rationalQuadratic(jx, jy, wx, wy, sp.p1x, sp.p1y, u, i / perArc, buf, 2 * (perArc + i));
  let seg = 0;
  const lookAhead = Math.max(3, Math.ceil((2 * (samples - 1)) / looked));
  for (let j = 0; j < sp.count; j += sp.step) {
    const q = mod(sp.first + j, ctx.n);
    if (bw.inkX[q] === 0 && bw.inkY[q] === 0) {
      // A repeated point (an open colour chain's turnaround, docs/design.md §22.5): no crack, no band.
      bw.theta[r / 3] = bw.normalX[r / 3] = bw.normalY[r / 3] = bw.active[r / 3] = 0;
      out[r] = out[r + 1] = out[r + 2] = 0;
      r += 3;
      continue;
    }
    const mx = bw.midX[q],
      my = bw.midY[q];
    let best = chordDistance2(buf, mx, my, seg);
    for (let moved = true; moved;) {
      moved = false;
      for (let i = seg + 1; i <= seg + lookAhead && i < samples - 1; i++) {
        const d = chordDistance2(buf, mx, my, i);
        if (d < best) {
          best = d;
          seg = i;
          moved = true;
          break;
        }
      }
    }
    // Signed distances to the chord's line, positive on the ink side (the right of travel).
    const ax = buf[2 * seg],
      ay = buf[2 * seg + 1];
    const tx = buf[2 * seg + 2] - ax,
      ty = buf[2 * seg + 3] - ay;
    const len = Math.hypot(tx, ty) || 1;
    const sMid = (tx * (my - ay) - ty * (mx - ax)) / len;
    const half = (0.5 * (tx * bw.inkY[q] - ty * bw.inkX[q])) / len;
    const sInk = sMid + half,
      sPaper = sMid - half;
    if (sInk < 0 || sPaper > 0) bw.wrong++;
    const hInk = sInk < 0 ? -BAND_DEFAULTS.hinge * sInk : 0;
    const hPaper = sPaper > 0 ? BAND_DEFAULTS.hinge * sPaper : 0;
    // The foot (parameter, curve normal, active hinges) for the Jacobian (levenberg).
    const f = r / 3;
    bw.theta[f] = (seg + segmentFoot(mx, my, ax, ay, tx, ty)) / (samples - 1);
    bw.normalX[f] = -ty / len;
    bw.normalY[f] = tx / len;
    bw.active[f] = (sInk < 0 ? 1 : 0) | (sPaper > 0 ? 2 : 0);
    out[r++] = sMid;
    out[r++] = hInk;
    out[r++] = hPaper;
    ss += sMid * sMid + hInk * hInk + hPaper * hPaper;
  }
  return ss;
}

/** The span's control points V, W, J (docs/design.md §4.1) at its state into bw.controlPoints; returns u. */
export function spanCurve(bw: BandWorkspace, sp: Span): number {
  const st = sp.state;
  const h = Math.hypot(sp.p1x - sp.p0x, sp.p1y - sp.p0y);
  const u = dm.exp(st[0]);
  conicControlPoints(sp.p0x, sp.p0y, sp.d0x, sp.d0y, sp.p1x, sp.p1y, sp.d1x, sp.d1y, h, u, dm.exp(st[1]), dm.exp(st[2]), bw.controlPoints);
  return u;
}

/** R(θ) at foot f (θ = bw.theta[f]) of the span's curve as spanCurve left it, into bw.point. */
function curveAtFoot(bw: BandWorkspace, sp: Span, u: number, f: number): void {
  const c = bw.controlPoints;
  const t = bw.theta[f];
  if (t <= 0.5) rationalQuadratic(sp.p0x, sp.p0y, c[0], c[1], c[4], c[5], u, 2 * t, bw.point);
  else rationalQuadratic(c[4], c[5], c[2], c[3], sp.p1x, sp.p1y, u, 2 * t - 1, bw.point);
}

/** Cracks of the span looked at (every step-th). */
function cracksLooked(sp: Span): number {
  return Math.max(1, Math.ceil(sp.count / sp.step));
}

/** Squared distance from (px, py) to the chord between samples i and i + 1. */
function chordDistance2(buf: Float64Array, px: number, py: number, i: number): number {
  return pointSegmentDistance2(px, py, buf[2 * i], buf[2 * i + 1], buf[2 * i + 2], buf[2 * i + 3]);
}

/** The band loss of the spans at their states over all their cracks (and bw.wrong). */
export function bandLoss(bw: BandWorkspace, ctx: FitContext, spans: Span[]): number {
  let count = 0;
  for (const sp of spans) count += 3 * sp.count;
  bw.ensure(count, 1);
  bw.wrong = 0;
  let loss = 0;
  for (const sp of spans) loss += spanResiduals(bw, ctx, sp, bw.residual, 0);
  return loss;
}

/**
 * Levenberg–Marquardt on the spans' states (3 per span), plus, when `knot` is given, the knot's
 * shift and turn (movedKnot), which move the end of spans[0] and the start of spans[1] (their
 * p1/d1 and p0/d0 are left at the knot reached). Long spans are fitted on every step-th crack (at most MAX_CRACKS). Returns the loss
 * over all cracks at the state reached (states are left there) and leaves bw.wrong for it.
 */
export function levenberg(bw: BandWorkspace, ctx: FitContext, spans: Span[], knot?: WorkKnot): number {
  const extra = knot ? 2 : 0;
  const params = 3 * spans.length + extra;
  const offsets: number[] = [];
  let nr = 0;
  for (const sp of spans) {
    sp.step = Math.max(1, Math.ceil(sp.count / MAX_CRACKS));
    offsets.push(nr);
    nr += 3 * cracksLooked(sp);
  }
  bw.ensure(nr, params);
  const { x, lo, hi, trial, normal: a, gradient: g, step } = bw;
  spans.forEach((sp, s) => {
    for (let d = 0; d < 3; d++) {
      x[3 * s + d] = sp.state[d];
      [lo[3 * s + d], hi[3 * s + d]] = d > 0 ? LN_LAMBDA : sp.quadratic ? [0, 0] : LN_U;
    }
  });
  if (knot) {
    const base = 3 * spans.length;
    [lo[base], hi[base]] = [-BAND_DEFAULTS.knotShift, BAND_DEFAULTS.knotShift];
    [lo[base + 1], hi[base + 1]] = [-BAND_DEFAULTS.knotTurn, BAND_DEFAULTS.knotTurn];
  }
  const apply = (v: Float64Array) => {
    spans.forEach((sp, s) => sp.state.set(v.subarray(3 * s, 3 * s + 3)));
    if (knot) {
      const [kx, ky, tx, ty] = movedKnot(knot, v[3 * spans.length], v[3 * spans.length + 1]);
      spans[0].p1x = spans[1].p0x = kx;
      spans[0].p1y = spans[1].p0y = ky;
      spans[0].d1x = spans[1].d0x = tx;
      spans[0].d1y = spans[1].d0y = ty;
    }
  };
  // All spans' residuals, or (span ≥ 0) one span's, at v.
  const evaluate = (v: Float64Array, out: Float64Array, span = -1): number => {
    apply(v);
    let ss = 0;
    spans.forEach((sp, s) => {
      if (span < 0 || s === span) ss += spanResiduals(bw, ctx, sp, out, offsets[s]);
    });
    return ss;
  };
  const { residual, trialResidual, jacobian } = bw;
  let loss = evaluate(x, residual);
  let mu = 1e-3;
  for (let it = 0; it < BAND_DEFAULTS.iterations; it++) {
    // Gauss–Newton Jacobian with the feet held: a parameter moves the midpoint's signed distance by
    // −N·∂R(θ)/∂p (N the curve's normal at the foot θ; the foot's own move is second order), taken
    // by forward differences at the held θ, without re-projecting. A span's own parameters move
    // only its residuals (zero elsewhere); a hinge moves with its midpoint while active.
    spans.forEach((sp, s) => {
      const u = spanCurve(bw, sp);
      for (let f = offsets[s] / 3, end = f + cracksLooked(sp); f < end; f++) {
        curveAtFoot(bw, sp, u, f);
        bw.footX[f] = bw.point[0];
        bw.footY[f] = bw.point[1];
      }
    });
    for (let d = 0; d < params; d++) {
      const column = d * nr;
      jacobian.fill(0, column, column + nr);
      if (!(lo[d] < hi[d])) continue;
      trial.set(x);
      trial[d] += JACOBIAN_STEP;
      apply(trial);
      const only = d < 3 * spans.length ? Math.floor(d / 3) : -1;
      spans.forEach((sp, s) => {
        if (only >= 0 && s !== only) return;
        const u = spanCurve(bw, sp);
        for (let f = offsets[s] / 3, end = f + cracksLooked(sp); f < end; f++) {
          curveAtFoot(bw, sp, u, f);
          const ds = -(bw.normalX[f] * (bw.point[0] - bw.footX[f]) + bw.normalY[f] * (bw.point[1] - bw.footY[f])) / JACOBIAN_STEP;
          jacobian[column + 3 * f] = ds;
          if (bw.active[f] & 1) jacobian[column + 3 * f + 1] = -BAND_DEFAULTS.hinge * ds;
          if (bw.active[f] & 2) jacobian[column + 3 * f + 2] = BAND_DEFAULTS.hinge * ds;
        }
      });
    }
    apply(x);
    for (let p = 0; p < params; p++) {
      let gp = 0;
      for (let r = 0; r < nr; r++) gp += jacobian[p * nr + r] * residual[r];
      g[p] = -gp;
      for (let q = p; q < params; q++) {
        let s = 0;
        for (let r = 0; r < nr; r++) s += jacobian[p * nr + r] * jacobian[q * nr + r];
        a[p * params + q] = a[q * params + p] = s;
      }
    }
    let accepted = false;
    let gain = 0;
    for (let tries = 0; tries < 4 && !accepted; tries++) {
      if (!solveDamped(a, g, mu, params, step, bw.augmented)) break;
      for (let d = 0; d < params; d++) trial[d] = Math.min(hi[d], Math.max(lo[d], x[d] + step[d]));
      const trialLoss = evaluate(trial, trialResidual);
      if (trialLoss < loss) {
        gain = loss - trialLoss;
        x.set(trial);
        loss = trialLoss;
        residual.set(trialResidual.subarray(0, nr));
        mu /= 8;
        accepted = true;
      } else mu *= 8;
    }
    if (!accepted || gain <= BAND_DEFAULTS.converged * loss) break;
  }
  apply(x);
  for (const sp of spans) sp.step = 1;
  return bandLoss(bw, ctx, spans);
}

/** Cracks per span the optimisation looks at, at most (every step-th of a longer span; the loss compared is over all). */
const MAX_CRACKS = 48;

/** Forward-difference step of the Jacobian (log parameters, px, radians). */
const JACOBIAN_STEP = 1e-6;

/**
 * Solves (A + μ·diag(A) + 10⁻¹²·I)·x = g (p × p, row-major A) by Gaussian elimination with partial
 * pivoting into `out`, `m` holding the p × (p + 1) augmented matrix; false when singular.
 */
function solveDamped(a: Float64Array, g: Float64Array, mu: number, p: number, out: Float64Array, m: Float64Array): boolean {
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) m[r * (p + 1) + c] = a[r * p + c] + (r === c ? mu * a[r * p + c] + 1e-12 : 0);
    m[r * (p + 1) + p] = g[r];
  }
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(m[r * (p + 1) + c]) > Math.abs(m[pivot * (p + 1) + c])) pivot = r;
    if (!(Math.abs(m[pivot * (p + 1) + c]) > 1e-300)) return false;
    if (pivot !== c) {
      for (let k = 0; k <= p; k++) {
        const t = m[c * (p + 1) + k];
        m[c * (p + 1) + k] = m[pivot * (p + 1) + k];
        m[pivot * (p + 1) + k] = t;
      }
    }
    for (let r = c + 1; r < p; r++) {
      const f = m[r * (p + 1) + c] / m[c * (p + 1) + c];
      for (let k = c; k <= p; k++) m[r * (p + 1) + k] -= f * m[c * (p + 1) + k];
    }
  }
  for (let r = p - 1; r >= 0; r--) {
    let s = m[r * (p + 1) + p];
    for (let k = r + 1; k < p; k++) s -= m[r * (p + 1) + k] * out[k];
    out[r] = s / m[r * (p + 1) + r];
    if (!Number.isFinite(out[r])) return false;
  }
  return true;
}
