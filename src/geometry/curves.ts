/**
 * Curves as functions on [0, 1] (`CurveEvaluator`): a conic arc, a whole conic interval, an
 * elliptic arc sampled by angle, a cubic Bézier, and any of them reparameterised by arc length.
 * Used by the distance measures (hausdorff.ts) and the conversions (conversion.ts,
 * interval-cubic.ts). Not a hot path: the fitter and the rasteriser evaluate conics directly
 * (conic.ts `rationalQuadratic`).
 */
import type { FittedPiece } from '../model.js';
import type { Point } from '../types.js';
import { rationalQuadratic, type ConicArc, type ConicInterval } from './conic.js';
import * as dm from './fdlibm.js';

/** A cubic Bézier: start, two inner control points, end. */
export type Cubic = [Point, Point, Point, Point];

/** Point on a cubic at t, written to out. */
export function cubicPoint(q: Cubic, t: number, out: Float64Array | number[]): void {
  const r = 1 - t;
  const b0 = r * r * r,
    b1 = 3 * r * r * t,
    b2 = 3 * r * t * t,
    b3 = t * t * t;
  out[0] = b0 * q[0].x + b1 * q[1].x + b2 * q[2].x + b3 * q[3].x;
  out[1] = b0 * q[0].y + b1 * q[1].y + b2 * q[2].y + b3 * q[3].y;
}

/** A curve on [0, 1] given as a function writing its point at t to out. */
export type CurveEvaluator = (t: number, out: Float64Array) => void;

export function arcEvaluator(arc: ConicArc): CurveEvaluator {
  const { a, b, c, u } = arc;
  return (t, out) => rationalQuadratic(a.x, a.y, b.x, b.y, c.x, c.y, u, t, out);
}

/**
 * An elliptic arc (0 < u < 1) sampled uniformly in its ellipse angle φ ∈ [−arccos u, arccos u]
 * (the conjugate-diameter form of `ellipticArcToSvgA`), with tan(φ/2) = tan(φ₀/2)·(2s − 1) for
 * the rational parameter s, whose uniform samples miss a thin arc's error peak (docs/design.md §15.6, §18.26).
 */
export function ellipticArcEvaluator(arc: ConicArc): CurveEvaluator {
  const f = arcEvaluator(arc);
  const phi0 = dm.acos(arc.u);
  const k = dm.tan(phi0 / 2);
  return (t, out) => f((1 + dm.tan((phi0 * (2 * t - 1)) / 2) / k) / 2, out);
}

export function cubicEvaluator(q: Cubic): CurveEvaluator {
  return (t, out) => cubicPoint(q, t, out);
}

/** A fitted piece as one curve on [0, 1]: a line's chord, or its conic interval (conicIntervalEvaluator). */
export function pieceEvaluator(piece: FittedPiece): CurveEvaluator {
  if (piece.kind === 'conic') return conicIntervalEvaluator(piece);
  const { p0, p1 } = piece;
  return (t, out) => {
    out[0] = p0.x + t * (p1.x - p0.x);
    out[1] = p0.y + t * (p1.y - p0.y);
  };
}

/**
 * A conic interval as one curve on [0, 1] (docs/design.md §4.1): θ ≤ ½ is conic(P₀, V, J, u; 2θ), θ > ½
 * is conic(J, W, P₁, u; 2θ − 1).
 */
export function conicIntervalEvaluator(piece: ConicInterval): CurveEvaluator {
  const { p0, v, j, w, p1, u } = piece;
  return (t, out) => {
    if (t <= 0.5) rationalQuadratic(p0.x, p0.y, v.x, v.y, j.x, j.y, u, 2 * t, out);
    else rationalQuadratic(j.x, j.y, w.x, w.y, p1.x, p1.y, u, 2 * t - 1, out);
  };
}

/**
 * A curve reparameterised by (approximately) arc length: t ∈ [0, 1] is mapped to f's own
 * parameter through the cumulative chord length of n uniform steps, then f is evaluated there,
 * so every point returned lies exactly on f; only the spacing changes. Used so that uniformly
 * spaced samples cover a curve evenly whatever its parameter speed (a rational arc's speed varies
 * by a factor of up to ~u² or 1/u² along it; a cubic's with its handle lengths).
 */
export function arcLengthEvaluator(f: CurveEvaluator, n = 128): CurveEvaluator {
  const cum = new Float64Array(n + 1);
  const p = new Float64Array(2);
  f(0, p);
  let x = p[0],
    y = p[1];
  for (let i = 1; i <= n; i++) {
    f(i / n, p);
    cum[i] = cum[i - 1] + dm.hypot(p[0] - x, p[1] - y);
    x = p[0];
    y = p[1];
  }
  const total = cum[n];
  if (!(total > 0)) return f;
  return (t, out) => {
    const s = t * total;
    // Binary search for the chord holding s.
    let lo = 0,
      hi = n;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] <= s) lo = mid;
      else hi = mid;
    }
    const len = cum[hi] - cum[lo];
    const frac = len > 0 ? Math.min(1, Math.max(0, (s - cum[lo]) / len)) : 0;
    f((lo + frac) / n, out);
  };
}

/** n + 1 points of a curve at t = i/n, interleaved [x₀, y₀, x₁, y₁, …] (the samples a fit is made to). */
export function sampleCurve(f: CurveEvaluator, n: number): Float64Array {
  const out = new Float64Array(2 * (n + 1));
  const p = new Float64Array(2);
  for (let i = 0; i <= n; i++) {
    f(i / n, p);
    out[2 * i] = p[0];
    out[2 * i + 1] = p[1];
  }
  return out;
}

/**
 * Consecutive conic intervals joined C¹ (a run between corners, docs/design.md §21.9) as one
 * curve on [0, m], m the number of intervals: T ∈ [k, k + 1] is interval k at θ = T − k
 * (docs/design.md §4.1). The font conversion places its on-curve joins at any T and takes the
 * model's tangent there.
 */
export class ConicRun {
  constructor(readonly pieces: readonly ConicInterval[]) {}

  get length(): number {
    return this.pieces.length;
  }

  /** Point at T, written to out. */
  point(T: number, out: Float64Array): void {
    const k = Math.max(0, Math.min(this.pieces.length - 1, Math.floor(T)));
    const { p0, v, j, w, p1, u } = this.pieces[k];
    const t = Math.max(0, Math.min(1, T - k));
    if (t <= 0.5) rationalQuadratic(p0.x, p0.y, v.x, v.y, j.x, j.y, u, 2 * t, out);
    else rationalQuadratic(j.x, j.y, w.x, w.y, p1.x, p1.y, u, 2 * t - 1, out);
  }

  /**
   * Unit tangent at T (direction of travel): at a knot (T an integer) the outgoing interval's
   * D₀, which equals the incoming one's D₁ at a smooth knot; at J the first arc's end tangent.
   */
  tangent(T: number): Point {
    const k = Math.max(0, Math.min(this.pieces.length - 1, Math.floor(T)));
    const { p0, v, j, w, p1, u } = this.pieces[k];
    const t = Math.max(0, Math.min(1, T - k));
    // Ends and J: along the control polygon (exact for a rational arc with positive weights).
    if (t === 0) return unit(v.x - p0.x, v.y - p0.y);
    if (t === 1) return unit(p1.x - w.x, p1.y - w.y);
    if (t === 0.5) return unit(w.x - v.x, w.y - v.y);
    const [a, b, c, s] = t < 0.5 ? [p0, v, j, 2 * t] : [j, w, p1, 2 * t - 1];
    // d/ds of [(1−s)²A + 2us(1−s)B + s²C]/D: the numerator N′D − ND′ is, up to a positive factor,
    // (1−s)²·u(B − A) + s(1−s)·(C − A) + s²·u(C − B) (Farin, section unverified; checked by test).
    const r = 1 - s;
    return unit(
      r * r * u * (b.x - a.x) + s * r * (c.x - a.x) + s * s * u * (c.x - b.x),
      r * r * u * (b.y - a.y) + s * r * (c.y - a.y) + s * s * u * (c.y - b.y),
    );
  }

  /** The part of the run between T₀ and T₁ as a curve on [0, 1]. */
  part(T0: number, T1: number): CurveEvaluator {
    return (t, out) => this.point(T0 + t * (T1 - T0), out);
  }
}

function unit(x: number, y: number): Point {
  const n = dm.hypot(x, y);
  return n > 0 ? { x: x / n, y: y / n } : { x: 0, y: 0 };
}
