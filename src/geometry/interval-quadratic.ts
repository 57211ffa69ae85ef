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
import type { CurveEvaluator } from './curves.js';
import type { Quadratic } from './quadratic.js';

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
  const scale = Math.hypot(ax, ay) * Math.hypot(bx, by);
  if (!(Math.abs(den) > 1e-9 * scale)) return null;
  // p0 + s·a = p1 − t·b, solved by Cramer's rule on s·a + t·b = p1 − p0.
  const dx = p1.x - p0.x,
    dy = p1.y - p0.y;
  const s = (dx * by - dy * bx) / den,
    t = (ax * dy - ay * dx) / den;
  if (!(s > 0 && t > 0)) return null;
  return [p0, { x: p0.x + s * ax, y: p0.y + s * ay }, p1];
}

/** A quadratic Bézier on [0, 1]. */
export function quadraticEvaluator(q: Quadratic): CurveEvaluator {
  return (t, out) => {
    const r = 1 - t;
    out[0] = r * r * q[0].x + 2 * r * t * q[1].x + t * t * q[2].x;
    out[1] = r * r * q[0].y + 2 * r * t * q[1].y + t * t * q[2].y;
  };
}
