/**
 * One quadratic Bézier for a whole conic interval, keeping its end points and end tangents
 * (docs/design.md §21.1): the short form of `curves: 'quadratic'`, tried before the interval's
 * own two arcs (u = 1) and the equal-weight subdivision of quadratic.ts. A G¹ quadratic is fixed
 * by its ends and tangents, so there is nothing to fit; callers check the distance.
 *
 * Tried and dropped: two quadratics with an implied joint and tangent lengths fitted by least
 * squares (as `intervalCubic`, docs/design.md §15.5) saved 4 of 1215 commands on the specimen.
 */
import type { Point } from '../types.js';
import { sampleCurve, type CurveEvaluator } from './curves.js';
import type { Quadratic } from './quadratic.js';
import * as dm from './fdlibm.js';

/**
 * One quadratic for a whole conic interval with its end points and end tangents: the control
 * point is where the tangent lines at P₀ (towards V) and P₁ (from W) meet. Null when they are
 * parallel or meet behind either end (the interval then turns by 180° or more, or inflects).
 * Callers check its distance to the interval.
 */
export function intervalQuadratic(piece: { p0: Point; v: Point; w: Point; p1: Point }): Quadratic | null {
  const { p0, v, w, p1 } = piece;
  const ax = v.x - p0.x,
    ay = v.y - p0.y,
    bx = p1.x - w.x,
    by = p1.y - w.y;
  const den = ax * by - ay * bx;
  const scale = dm.hypot(ax, ay) * dm.hypot(bx, by);
  if (!(Math.abs(den) > 1e-9 * scale)) return null;
  // p0 + s·a = p1 − t·b, solved by Cramer's rule on s·a + t·b = p1 − p0.
  const dx = p1.x - p0.x,
    dy = p1.y - p0.y;
  const s = (dx * by - dy * bx) / den,
    t = (ax * dy - ay * dx) / den;
  if (!(s > 0 && t > 0)) return null;
  return [p0, { x: p0.x + s * ax, y: p0.y + s * ay }, p1];
}

/**
 * The G¹ quadratic from P₀ with unit tangent D₀ to P₁ with unit tangent D₁ (`intervalQuadratic`
 * on the tangent lines): the font conversion's piece between two on-curve joins placed on the
 * model (docs/design.md §21.1). Null as `intervalQuadratic`.
 */
export function g1Quadratic(p0: Point, d0: Point, p1: Point, d1: Point): Quadratic | null {
  return intervalQuadratic({ p0, v: { x: p0.x + d0.x, y: p0.y + d0.y }, w: { x: p1.x - d1.x, y: p1.y - d1.y }, p1 });
}

/** A quadratic Bézier on [0, 1]. */
export function quadraticEvaluator(q: Quadratic): CurveEvaluator {
  return (t, out) => {
    const r = 1 - t;
    out[0] = r * r * q[0].x + 2 * r * t * q[1].x + t * t * q[2].x;
    out[1] = r * r * q[0].y + 2 * r * t * q[1].y + t * t * q[2].y;
  };
}

/** Model samples for `fittedQuadratic`, spaced evenly along the curve. */
const FIT_SAMPLES = 16;
/** Least-squares rounds, each followed by a Newton re-projection of the samples' parameters. */
const FIT_ROUNDS = 6;
/** Weight of a sample's residual along the model's tangent relative to across it. */
const FIT_SLIP_WEIGHT = 0.05;

/**
 * A quadratic from P₀ to P₁ whose control point is fitted by least squares to a curve (`model`,
 * on [0, 1], spaced evenly along it, e.g. by `arcLengthEvaluator`): on the tangent line P₀ + s·D₀
 * when D₀ is given, on P₁ − s·D₁ when D₁ is, anywhere when neither (s > 0 required; with both
 * given use `g1Quadratic`). For an end where the model has a corner, so no tangent need be kept
 * (docs/design.md §21.9). FIT_SAMPLES + 1 samples, FIT_ROUNDS rounds of least squares (linear
 * in the control point for fixed parameters; residuals across the model count fully, along it
 * FIT_SLIP_WEIGHT) and Newton re-projection. Null when degenerate or
 * when s ≤ 0. Callers check the distance.
 */
export function fittedQuadratic(model: CurveEvaluator, p0: Point, d0: Point | null, p1: Point, d1: Point | null): Quadratic | null {
  if (d0 !== null && d1 !== null) return g1Quadratic(p0, d0, p1, d1);
  const n = FIT_SAMPLES;
  const qs = sampleCurve(model, n);
  const ts = Float64Array.from({ length: n + 1 }, (_, i) => i / n);
  // The control point as C = E + M·z: on P₀ + s·D₀, on P₁ − s·D₁, or free (z = C).
  const free = d0 === null && d1 === null;
  const [ex, ey] = d0 !== null ? [p0.x, p0.y] : d1 !== null ? [p1.x, p1.y] : [0, 0];
  const [mx, my] = d0 !== null ? [d0.x, d0.y] : d1 !== null ? [-d1.x, -d1.y] : [1, 1];
  let cx = NaN,
    cy = NaN,
    s = NaN;
  for (let round = 0; round < FIT_ROUNDS; round++) {
    // Residual of sample i: bᵢ·C − eᵢ with bᵢ = 2rt, eᵢ = qᵢ − r²P₀ − t²P₁, split along the model's
    // normal (weight 1) and tangent (FIT_SLIP_WEIGHT) at the sample: the "tangent distance" form
    // converges in a few rounds where plain point distances take dozens.
    let a11 = 0,
      a12 = 0,
      a22 = 0,
      r1 = 0,
      r2 = 0;
    for (let i = 1; i < n; i++) {
      const t = ts[i],
        r = 1 - t,
        b = 2 * r * t;
      const rx = qs[2 * i] - r * r * p0.x - t * t * p1.x - b * ex,
        ry = qs[2 * i + 1] - r * r * p0.y - t * t * p1.y - b * ey;
      let tx = qs[2 * i + 2] - qs[2 * i - 2],
        ty = qs[2 * i + 3] - qs[2 * i - 1];
      const tn = dm.hypot(tx, ty) || 1;
      tx /= tn;
      ty /= tn;
      for (const [dx, dy, w] of [
        [-ty, tx, 1],
        [tx, ty, FIT_SLIP_WEIGHT],
      ]) {
        // Row (for z = (zx, zy) free, or z = s): w·b·(dx·mx·zx + dy·my·zy) = w·(d·rᵢ).
        const u1 = w * b * dx * mx,
          u2 = w * b * dy * my,
          rhs = w * (dx * rx + dy * ry);
        if (free) {
          a11 += u1 * u1;
          a12 += u1 * u2;
          a22 += u2 * u2;
          r1 += u1 * rhs;
          r2 += u2 * rhs;
        } else {
          a11 += (u1 + u2) * (u1 + u2);
          r1 += (u1 + u2) * rhs;
        }
      }
    }
    if (free) {
      const det = a11 * a22 - a12 * a12;
      if (!(Math.abs(det) > 1e-12 * a11 * a22)) return null;
      cx = (r1 * a22 - a12 * r2) / det;
      cy = (a11 * r2 - a12 * r1) / det;
    } else {
      if (!(a11 > 0)) return null;
      s = r1 / a11;
      cx = ex + s * mx;
      cy = ey + s * my;
    }
    // Newton steps on each sample's parameter: minimise |Q(t) − qᵢ|².
    for (let i = 1; i < n; i++) {
      let t = ts[i];
      for (let k = 0; k < 2; k++) {
        const r = 1 - t;
        const ex = r * r * p0.x + 2 * r * t * cx + t * t * p1.x - qs[2 * i],
          ey = r * r * p0.y + 2 * r * t * cy + t * t * p1.y - qs[2 * i + 1];
        const dx = 2 * (r * (cx - p0.x) + t * (p1.x - cx)),
          dy = 2 * (r * (cy - p0.y) + t * (p1.y - cy));
        const ddx = 2 * (p1.x - 2 * cx + p0.x),
          ddy = 2 * (p1.y - 2 * cy + p0.y);
        const den = dx * dx + dy * dy + ex * ddx + ey * ddy;
        if (!(den > 0)) break;
        t = Math.min(1, Math.max(0, t - (ex * dx + ey * dy) / den));
      }
      ts[i] = t;
    }
  }
  if (!free && !(s > 0)) return null;
  if (!(Number.isFinite(cx) && Number.isFinite(cy))) return null;
  return [p0, { x: cx, y: cy }, p1];
}
