/**
 * The band loss and its minimisation (docs/design.md §11.6), for the band fit (src/fit/band.ts).
 *
 * Reads: a pixel-corner contour's cracks (the unit steps between its points) and spans — conic
 * pieces with their ends, unit tangents and state (ln u, ln λ₀, ln λ₁).
 * Produces: per crack the band residuals (the midpoint's signed distance to the curve, and hinges
 * on the ink and paper pixel centres on the wrong side), their sum and the wrong-side count, and
 * the Levenberg–Marquardt minimum over the spans' states (and a smooth knot's shift and turn, or
 * a corner's move and arm turns, docs/design.md §11.8).
 * Method: each span's residuals in band-span.ts (each midpoint's foot found on samples of the
 * curve, walking forward, as the refinement, docs/design.md §11.2); Jacobian by forward differences
 * with the feet held; normal equations by Gaussian elimination (band-solve.ts). All scratch in the
 * fit workspace's BandWorkspace (src/fit/workspace.ts; docs/design.md §17.3).
 * Cost (docs/design.md §11.6): the rational weights of a parameter are computed once and shared by
 * both arcs and by every Jacobian column that leaves u alone; the normal equations skip the zero
 * entries (another span's parameters, inactive hinges); a trial step stops being evaluated once its
 * partial loss reaches the current one; the damped step is solved on the free parameters only, and
 * a corner's arm-turn column on its own span only. All of it gives the same floating-point results.
 */
import { mod } from '../geometry/cyclic.js';
import type { FitContext } from './context.js';
import type { WorkKnot } from './knots.js';
import { FIT_DEFAULTS } from './options.js';
import { moveExtra } from './band-moves.js';
import { BAND_DEFAULTS, cracksLooked, spanCurve, spanResiduals, type Span } from './band-span.js';
import { freeSystem, normalEquations, solveDamped } from './band-solve.js';
import { BAND_MAX_PARAMS, type BandWorkspace } from './workspace.js';
import * as dm from '../geometry/fdlibm.js';

export { BAND_DEFAULTS, loadCracks, spanCurve, type Span } from './band-span.js';

/** Bounds of a piece's (ln u, ln λ₀, ln λ₁), those of the fit (FIT_DEFAULTS). */
export const LN_U = [dm.log(FIT_DEFAULTS.uMin), dm.log(FIT_DEFAULTS.uMax)] as const;
export const LN_LAMBDA = [dm.log(FIT_DEFAULTS.lambdaMin), dm.log(FIT_DEFAULTS.lambdaMax)] as const;

/**
 * The rational weights of feet [from, to) at u (rationalQuadratic's arithmetic, geometry/conic.ts:
 * arc 0 at 2θ for θ ≤ ½, arc 1 at 2θ − 1) into bw.footArc / footW0 … footD.
 */
function footWeights(bw: BandWorkspace, u: number, from: number, to: number): void {
  for (let f = from; f < to; f++) {
    const t = bw.theta[f];
    const arc = t <= 0.5 ? 0 : 1;
    const s = arc === 0 ? 2 * t : 2 * t - 1;
    const rs = 1 - s;
    const w0 = rs * rs;
    const w1 = 2 * u * s * rs;
    const w2 = s * s;
    bw.footArc[f] = arc;
    bw.footW0[f] = w0;
    bw.footW1[f] = w1;
    bw.footW2[f] = w2;
    bw.footD[f] = w0 + w1 + w2;
  }
}

/**
 * R(θ) of the span's curve as spanCurve left it at feet [from, to), with the weights footWeights
 * left: into bw.footX / footY (`column` < 0), or else −N·(R(θ) − foot)/JACOBIAN_STEP, the
 * midpoint's signed distance's forward difference, into bw.jacobian[f · BAND_MAX_PARAMS + column].
 */
function atFeet(bw: BandWorkspace, sp: Span, from: number, to: number, column: number): void {
  const cp = bw.controlPoints;
  const vx = cp[0],
    vy = cp[1],
    wx = cp[2],
    wy = cp[3],
    jx = cp[4],
    jy = cp[5];
  for (let f = from; f < to; f++) {
    const w0 = bw.footW0[f],
      w1 = bw.footW1[f],
      w2 = bw.footW2[f],
      d = bw.footD[f];
    let x, y;
    if (bw.footArc[f] === 0) {
      x = (w0 * sp.p0x + w1 * vx + w2 * jx) / d;
      y = (w0 * sp.p0y + w1 * vy + w2 * jy) / d;
    } else {
      x = (w0 * jx + w1 * wx + w2 * sp.p1x) / d;
      y = (w0 * jy + w1 * wy + w2 * sp.p1y) / d;
    }
    if (column < 0) {
      bw.footX[f] = x;
      bw.footY[f] = y;
    } else {
      bw.jacobian[f * BAND_MAX_PARAMS + column] = -(bw.normalX[f] * (x - bw.footX[f]) + bw.normalY[f] * (y - bw.footY[f])) / JACOBIAN_STEP;
    }
  }
}

/**
 * The band loss of the spans at their states over all their cracks (and bw.wrong); their
 * residuals and feet are left in bw, one span after another.
 */
export function bandLoss(bw: BandWorkspace, ctx: FitContext, spans: Span[]): number {
  let feet = 0;
  for (const sp of spans) feet += sp.count;
  bw.ensure(feet);
  bw.wrong = 0;
  let loss = 0;
  let offset = 0;
  for (const sp of spans) {
    loss += spanResiduals(bw, ctx, sp, bw.residual, offset);
    offset += 3 * sp.count;
  }
  return loss;
}

/**
 * Levenberg–Marquardt on the spans' states (3 per span; none on a line span), plus, when `knot`
 * is given, a smooth knot's shift and turn (moveKnot) or a corner's move and arm turns (moveCorner,
 * §11.8), which move the end of spans[0] and the start of spans[1] (their p1/d1 and p0/d0 are left
 * at the knot reached; `hold`: the corner's x (bit 1) or y (bit 2) held, §18.35). Long spans are
 * fitted on every step-th crack (at most MAX_CRACKS). `before`: bandLoss of the spans as given, just computed (its residuals in bw),
 * reused when the start is the same curve on the same cracks. Returns the loss over all cracks at
 * the state reached (states are left there) and leaves bw.wrong for it.
 */
export function levenberg(bw: BandWorkspace, ctx: FitContext, spans: Span[], knot?: WorkKnot, before = NaN, hold = 0): number {
  const extra = knot ? (knot.kind === 'corner' ? 4 : 2) : 0;
  const ns = spans.length;
  const params = 3 * ns + extra;
  const wrongBefore = bw.wrong;
  let nr = 0;
  let everyCrack = true;
  for (let s = 0; s < ns; s++) {
    const sp = spans[s];
    sp.step = Math.max(1, Math.ceil(sp.count / MAX_CRACKS));
    if (sp.step > 1) everyCrack = false;
    bw.offsets[s] = nr;
    bw.looked[s] = cracksLooked(sp);
    nr += 3 * cracksLooked(sp);
  }
  bw.ensure(nr / 3);
  const { x, lo, hi, trial, step, offsets } = bw;
  for (let s = 0; s < ns; s++) {
    const sp = spans[s];
    for (let d = 0; d < 3; d++) {
      x[3 * s + d] = sp.state[d];
      lo[3 * s + d] = sp.line ? sp.state[d] : d > 0 ? LN_LAMBDA[0] : sp.quadratic ? 0 : sp.holdU ? sp.state[0] : LN_U[0];
      hi[3 * s + d] = sp.line ? sp.state[d] : d > 0 ? LN_LAMBDA[1] : sp.quadratic ? 0 : sp.holdU ? sp.state[0] : LN_U[1];
    }
  }
  const kb = 3 * ns;
  if (knot && extra === 2) {
    // Every knot problem starts from the knot as given: shift 0, turn 0.
    x[kb] = 0;
    x[kb + 1] = 0;
    lo[kb] = -BAND_DEFAULTS.knotShift;
    hi[kb] = BAND_DEFAULTS.knotShift;
    lo[kb + 1] = -BAND_DEFAULTS.knotTurn;
    hi[kb + 1] = BAND_DEFAULTS.knotTurn;
  } else if (knot) {
    // A corner (§11.8): its move in x and y, and each arm's turn (none on a line side, whose
    // tangent is its chord's) …
    const at = mod(knot.at, ctx.n);
    for (let d = 0; d < 4; d++) {
      x[kb + d] = 0;
      const held = (d === 2 && spans[0].line) || (d === 3 && spans[ns - 1].line) || (d < 2 && ((hold >> d) & 1) === 1);
      const bound = held ? 0 : d < 2 ? BAND_DEFAULTS.cornerShift : BAND_DEFAULTS.cornerTurn;
      lo[kb + d] = -bound;
      hi[kb + d] = bound;
      if (d < 2) {
        // … and within cornerBox of its data point (the crack vertex the pixels put the corner at)
        // in x and y, unless it already lies farther (sharpenCorners): then it may stay.
        const off = ctx.raw[2 * at + d] - (d === 0 ? knot.x : knot.y);
        lo[kb + d] = Math.min(0, Math.max(-bound, off - BAND_DEFAULTS.cornerBox));
        hi[kb + d] = Math.max(0, Math.min(bound, off + BAND_DEFAULTS.cornerBox));
      }
    }
  }
  // The ends as given, to tell whether the start (the knot at shift 0, turn 0) is the same curve.
  const e0 = spans[0],
    e1 = spans[ns - 1];
  const ends = [e0.p1x, e0.p1y, e0.d1x, e0.d1y, e1.p0x, e1.p0y, e1.d0x, e1.d0y];
  let residual = bw.residual,
    trialResidual = bw.trialResidual;
  let loss: number;
  apply(spans, knot, x);
  const sameEnds =
    !Number.isNaN(before) &&
    Object.is(e0.p1x, ends[0]) &&
    Object.is(e0.p1y, ends[1]) &&
    Object.is(e0.d1x, ends[2]) &&
    Object.is(e0.d1y, ends[3]) &&
    Object.is(e1.p0x, ends[4]) &&
    Object.is(e1.p0y, ends[5]) &&
    Object.is(e1.d0x, ends[6]) &&
    Object.is(e1.d0y, ends[7]);
  const sameStart = sameEnds && everyCrack && e0.count > 0 && e1.count > 0;
  if (sameStart) {
    // bandLoss's residuals and feet are this evaluation's: same curve, same cracks, same layout.
    loss = before;
    bw.wrong = wrongBefore;
  } else loss = evaluate(bw, ctx, spans, knot, x, residual);
  // The state of the last evaluation is x's (so its loss and bw.wrong are x's).
  let atX = true;
  let wrongAtX = bw.wrong;
  let stepped = false; // a step was taken (without one, x is the start)
  let mu = 1e-3;
  for (let it = 0; it < BAND_DEFAULTS.iterations; it++) {
    // Gauss–Newton Jacobian with the feet held: a parameter moves the midpoint's signed distance by
    // −N·∂R(θ)/∂p (N the curve's normal at the foot θ; the foot's own move is second order), taken
    // by forward differences at the held θ, without re-projecting. A span's own parameters move
    // only its residuals (zero elsewhere); a hinge moves with its midpoint while active. The
    // spans are at x here (the last evaluation was x's).
    for (let s = 0; s < ns; s++) {
      const sp = spans[s];
      const from = offsets[s] / 3,
        to = from + cracksLooked(sp);
      footWeights(bw, spanCurve(bw, sp), from, to);
      atFeet(bw, sp, from, to, -1);
    }
    for (let d = 0; d < params; d++) {
      if (!(lo[d] < hi[d])) continue;
      if (d < kb) {
        const s = Math.floor(d / 3),
          sp = spans[s];
        const from = offsets[s] / 3,
          to = from + cracksLooked(sp);
        trial[d] = x[d];
        trial[d] += JACOBIAN_STEP;
        sp.state[d - 3 * s] = trial[d];
        const u = spanCurve(bw, sp);
        // A step in ln u changes the weights; λ keeps them.
        if (d === 3 * s) footWeights(bw, u, from, to);
        atFeet(bw, sp, from, to, d);
        sp.state[d - 3 * s] = x[d];
        if (d === 3 * s) footWeights(bw, spanCurve(bw, sp), from, to);
      } else if (knot) {
        for (let e = kb; e < params; e++) trial[e] = x[e];
        trial[d] += JACOBIAN_STEP;
        moveExtra(knot, trial, kb, spans);
        // A corner's arm turn (§11.8) moves one span: the other's curve is x's, its column exactly
        // ±0 there, and a zero column adds only ±0 to the normal equations (normalEquations), so +0.
        const only = extra === 4 && d >= kb + 2 ? (d === kb + 2 ? 0 : ns - 1) : -1;
        for (let s = 0; s < ns; s++) {
          const sp = spans[s];
          const from = offsets[s] / 3,
            to = from + cracksLooked(sp);
          if (only >= 0 && s !== only) {
            for (let f = from; f < to; f++) bw.jacobian[f * BAND_MAX_PARAMS + d] = 0;
            continue;
          }
          spanCurve(bw, sp);
          atFeet(bw, sp, from, to, d);
        }
        moveExtra(knot, x, kb, spans);
      }
    }
    normalEquations(bw, ns, params, kb, bw.hinge, residual);
    // Solved on the free parameters only (freeSystem: the same steps); a held one's step is 0.
    const nf = freeSystem(bw, params);
    step.fill(0, 0, params);
    let accepted = false;
    let gain = 0;
    for (let tries = 0; tries < 4 && !accepted; tries++) {
      if (!solveDamped(bw.freeNormal, bw.freeGradient, mu, nf, bw.freeStep, bw.augmented)) break;
      for (let i = 0; i < nf; i++) step[bw.freeIndex[i]] = bw.freeStep[i];
      for (let d = 0; d < params; d++) trial[d] = Math.min(hi[d], Math.max(lo[d], x[d] + step[d]));
      // A trial is kept only below the current loss: its evaluation stops once it cannot be.
      const trialLoss = evaluate(bw, ctx, spans, knot, trial, trialResidual, loss);
      atX = false;
      if (trialLoss < loss) {
        gain = loss - trialLoss;
        for (let d = 0; d < params; d++) x[d] = trial[d];
        loss = trialLoss;
        const t = residual;
        residual = trialResidual;
        trialResidual = t;
        atX = true;
        wrongAtX = bw.wrong;
        mu /= 8;
        accepted = true;
        stepped = true;
      } else mu *= 8;
    }
    if (!accepted || gain <= BAND_DEFAULTS.converged * loss) break;
  }
  bw.residual = residual;
  bw.trialResidual = trialResidual;
  for (const sp of spans) sp.step = 1;
  if (!atX) apply(spans, knot, x);
  if (everyCrack) {
    // x's evaluation was over every crack, its residuals in bw.residual: bandLoss would repeat it
    // (bw's feet may be a rejected trial's; no caller reads them after this).
    bw.wrong = wrongAtX;
    return loss;
  }
  // No step taken on a subsample: x is the start, whose loss over every crack `before` is.
  if (!stepped && sameEnds) {
    bw.wrong = wrongBefore;
    return before;
  }
  return bandLoss(bw, ctx, spans);
}

/** The spans at parameters v: their states, and the knot's shift and turn (moveKnot). */
function apply(spans: Span[], knot: WorkKnot | undefined, v: Float64Array): void {
  const ns = spans.length;
  for (let s = 0; s < ns; s++) for (let d = 0; d < 3; d++) spans[s].state[d] = v[3 * s + d];
  if (knot) moveExtra(knot, v, 3 * ns, spans);
}

/** All spans' residuals at v into out (at bw.offsets) and their sum; stops once it reaches `limit` (spanResiduals). */
function evaluate(bw: BandWorkspace, ctx: FitContext, spans: Span[], knot: WorkKnot | undefined, v: Float64Array, out: Float64Array, limit = Infinity): number {
  apply(spans, knot, v);
  bw.wrong = 0;
  let ss = 0;
  for (let s = 0; s < spans.length; s++) {
    ss += spanResiduals(bw, ctx, spans[s], out, bw.offsets[s], ss, limit);
    if (ss >= limit) break;
  }
  return ss;
}

/** Cracks per span the optimisation looks at, at most (every step-th of a longer span; the loss compared is over all). */
const MAX_CRACKS = 48;

/** Forward-difference step of the Jacobian (log parameters, px, radians). */
const JACOBIAN_STEP = 1e-6;
