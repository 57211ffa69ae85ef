/**
 * One span of the band fit (docs/design.md §11.6): the band fit's constants, the span type, the
 * contour's cracks, and a span's band residuals and curve, for the loss and its minimisation in
 * band-loss.ts.
 *
 * Reads: a pixel-corner contour's cracks (the unit steps between its points; loaded once per
 * contour) and a span — a conic piece with its ends, unit tangents and state (ln u, ln λ₀, ln λ₁).
 * Produces: per crack looked at the band residuals (the midpoint's signed distance to the curve,
 * and hinges on the ink and paper pixel centres on the wrong side), the foot's parameter and the
 * curve's normal there, their sum of squares and the wrong-side count.
 * Method: each midpoint's foot found on samples of the curve, walking forward (as the refinement,
 * docs/design.md §11.2).
 */
import { conicControlPoints } from '../geometry/conic.js';
import { mod } from '../geometry/cyclic.js';
import { footDistance2, segmentFoot } from '../geometry/segment.js';
import type { FitContext } from './context.js';
import type { BandWorkspace } from './workspace.js';
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
  /** Largest move of a corner knot along x and along y, px, and of either arm, radians (§11.8). */
  cornerShift: 0.5,
  cornerTurn: 0.3,
  /** A moved corner stays within this of its data point along x and along y, px (§11.8). */
  cornerBox: 0.5,
  /** A corner's hinge weight on a second try, when the first left more centres on the wrong side (§11.8). */
  cornerRetryHinge: 10,
  /** Curve samples per arc for the foot search, at most (as the refinement's, docs/design.md §11.2). */
  samplesPerArc: 32,
} as const);

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
  /** A line piece (beside a corner, §11.8): state held at 0 (u = λ₀ = λ₁ = 1) and both tangents along its chord, so it stays straight. */
  line: boolean;
  /** u held at its value (the coverage fit, docs/design.md §11.7). Always present: spans keep one hidden class (docs/design.md §8.4). */
  holdU: boolean;
  /** First crack (unwrapped index: crack k runs from point k to point k + 1) and the crack count. */
  first: number;
  count: number;
  /** Every step-th crack is looked at while optimising (1 otherwise). */
  step: number;
}

/** The contour's cracks into bw: per crack its midpoint and unit normal towards the ink pixel. */
export function loadCracks(bw: BandWorkspace, ctx: FitContext): void {
  const { n, raw, steps } = ctx;
  bw.hinge = BAND_DEFAULTS.hinge;
  bw.x.fill(0);
  bw.trial.fill(0);
  // The band passes of one contour each load the same cracks: loaded once per context (the coverage
  // fit's loadPoints clears the mark; docs/design.md §18.51).
  if (bw.cracksOf === ctx) return;
  bw.ensureCracks(n);
  bw.cracksOf = ctx;
  for (let k = 0; k < n; k++) {
    const q = k + 1 < n ? k + 1 : 0;
    const dx = raw[2 * q] - raw[2 * k],
      dy = raw[2 * q + 1] - raw[2 * k + 1];
    const len = steps[k];
    bw.midX[k] = (raw[2 * k] + raw[2 * q]) / 2;
    bw.midY[k] = (raw[2 * k + 1] + raw[2 * q + 1]) / 2;
    // The walk keeps the ink on its right (docs/design.md §2.5): with y down, (−dy, dx).
    bw.inkX[k] = len > 0 ? -dy / len : 0;
    bw.inkY[k] = len > 0 ? dx / len : 0;
  }
}

/**
 * Band residuals of one span into out[offset …] (three per crack looked at: the midpoint's signed
 * distance, and the hinges of the ink centre and the paper centre on the wrong side); returns
 * their sum of squares and adds the span's wrong-side count to bw.wrong. Stops early, returning a
 * partial sum s with base + s ≥ limit, once that holds (the whole sum cannot then be below limit:
 * rounding is monotone and every term is ≥ 0).
 */
export function spanResiduals(bw: BandWorkspace, ctx: FitContext, sp: Span, out: Float64Array, offset: number, base = 0, limit = Infinity): number {
  let ss = 0;
  let r = offset;
  const u = spanCurve(bw, sp);
  const cp = bw.controlPoints;
  const vx = cp[0],
    vy = cp[1],
    wx = cp[2],
    wy = cp[3],
    jx = cp[4],
    jy = cp[5];
  // Samples of the curve, both arcs; each midpoint walks forward to its nearest chord. The weights
  // of parameter i / perArc (rationalQuadratic's arithmetic, geometry/conic.ts) serve both arcs.
  const looked = cracksLooked(sp);
  const perArc = Math.min(BAND_DEFAULTS.samplesPerArc, Math.max(8, looked));
  const samples = 2 * perArc + 1;
  bw.ensureSamples(perArc);
  const buf = bw.samples;
  const W0 = bw.sampleW0,
    W1 = bw.sampleW1,
    W2 = bw.sampleW2,
    D = bw.sampleD;
  for (let i = 0; i <= perArc; i++) {
    const s = i / perArc;
    const rs = 1 - s;
    const w0 = (W0[i] = rs * rs);
    const w1 = (W1[i] = 2 * u * s * rs);
    const w2 = (W2[i] = s * s);
    const d = (D[i] = w0 + w1 + w2);
    buf[2 * i] = (w0 * sp.p0x + w1 * vx + w2 * jx) / d;
    buf[2 * i + 1] = (w0 * sp.p0y + w1 * vy + w2 * jy) / d;
  }
  for (let i = 1, o = 2 * (perArc + 1); i <= perArc; i++, o += 2) {
    buf[o] = (W0[i] * jx + W1[i] * wx + W2[i] * sp.p1x) / D[i];
    buf[o + 1] = (W0[i] * jy + W1[i] * wy + W2[i] * sp.p1y) / D[i];
  }
  const chords = samples - 1;
  let seg = 0;
  // The chord whose length and unit normal len, nx, ny hold (−1: none yet).
  let lenSeg = -1,
    len = 1,
    nx = 0,
    ny = 0;
  const lookAhead = Math.max(3, Math.ceil((2 * (samples - 1)) / looked));
  const { n } = ctx;
  const { midX, midY, inkX, inkY, theta, normalX, normalY, active } = bw;
  let q = mod(sp.first, n);
  for (let j = 0, f = offset / 3; j < sp.count; j += sp.step, f++, q += sp.step) {
    while (q >= n) q -= n;
    const ix = inkX[q],
      iy = inkY[q];
    if (ix === 0 && iy === 0) {
      // A repeated point (an open colour chain's turnaround, docs/design.md §22.5): no crack, no band.
      theta[f] = normalX[f] = normalY[f] = active[f] = 0;
      out[r] = out[r + 1] = out[r + 2] = 0;
      r += 3;
      continue;
    }
    const mx = midX[q],
      my = midY[q];
    // The walk (pointSegmentDistance2 written out, to keep the foot's parameter on the chord found).
    let ax = buf[2 * seg],
      ay = buf[2 * seg + 1];
    let tx = buf[2 * seg + 2] - ax,
      ty = buf[2 * seg + 3] - ay;
    let foot = segmentFoot(mx, my, ax, ay, tx, ty);
    let best = footDistance2(mx, my, ax, ay, tx, ty, foot);
    for (let moved = true; moved;) {
      moved = false;
      for (let i = seg + 1; i <= seg + lookAhead && i < chords; i++) {
        const bx = buf[2 * i],
          by = buf[2 * i + 1];
        const dx = buf[2 * i + 2] - bx,
          dy = buf[2 * i + 3] - by;
        const t = segmentFoot(mx, my, bx, by, dx, dy);
        const d = footDistance2(mx, my, bx, by, dx, dy, t);
        if (d < best) {
          best = d;
          seg = i;
          ax = bx;
          ay = by;
          tx = dx;
          ty = dy;
          foot = t;
          moved = true;
          break;
        }
      }
    }
    // Signed distances to the chord's line, positive on the ink side (the right of travel). A long
    // span has several cracks per chord: its length and normal are taken once per chord.
    if (seg !== lenSeg) {
      lenSeg = seg;
      len = dm.hypot(tx, ty) || 1;
      nx = -ty / len;
      ny = tx / len;
    }
    const sMid = (tx * (my - ay) - ty * (mx - ax)) / len;
    const half = (0.5 * (tx * iy - ty * ix)) / len;
    const sInk = sMid + half,
      sPaper = sMid - half;
    // Hinge 0 (the coverage fit's data points, docs/design.md §11.7): no band, no wrong side.
    const hinge = bw.hinge;
    const wrongInk = hinge > 0 && sInk < 0,
      wrongPaper = hinge > 0 && sPaper > 0;
    if (wrongInk || wrongPaper) bw.wrong++;
    const hInk = wrongInk ? -hinge * sInk : 0;
    const hPaper = wrongPaper ? hinge * sPaper : 0;
    // The foot (parameter, curve normal, active hinges) for the Jacobian (levenberg).
    theta[f] = (seg + foot) / (samples - 1);
    normalX[f] = nx;
    normalY[f] = ny;
    active[f] = (wrongInk ? 1 : 0) | (wrongPaper ? 2 : 0);
    out[r++] = sMid;
    out[r++] = hInk;
    out[r++] = hPaper;
    ss += sMid * sMid + hInk * hInk + hPaper * hPaper;
    if (base + ss >= limit) return ss;
  }
  return ss;
}

/** The span's control points V, W, J (docs/design.md §4.1) at its state into bw.controlPoints; returns u. */
export function spanCurve(bw: BandWorkspace, sp: Span): number {
  const st = sp.state;
  const h = dm.hypot(sp.p1x - sp.p0x, sp.p1y - sp.p0y);
  // A Jacobian column moves one coordinate: the other exponentials are the last call's (same input,
  // same value; as refine.ts setCurve).
  const { expIn, expOut } = bw;
  for (let k = 0; k < 3; k++) {
    if (st[k] !== expIn[k]) {
      expIn[k] = st[k];
      expOut[k] = dm.exp(st[k]);
    }
  }
  const u = expOut[0];
  conicControlPoints(sp.p0x, sp.p0y, sp.d0x, sp.d0y, sp.p1x, sp.p1y, sp.d1x, sp.d1y, h, u, expOut[1], expOut[2], bw.controlPoints);
  return u;
}

/** Cracks of the span looked at (every step-th). */
export function cracksLooked(sp: Span): number {
  return Math.max(1, Math.ceil(sp.count / sp.step));
}
