/**
 * Converting conic arcs into what SVG can draw (docs/design.md §15.2, §15.4): the one-cubic approximation
 * of an arc and its subdivision until within a tolerance, and the exact SVG elliptical-arc (`A`)
 * parameters of an elliptic arc (0 < u < 1), with the SVG endpoint-to-centre conversion that
 * checks them.
 */
import type { Point } from '../types.js';
import { splitArc, type ConicArc } from './conic.js';
import { arcEvaluator, cubicEvaluator, type Cubic } from './curves.js';
import { curveHausdorff, curveWithin } from './hausdorff.js';
import * as dm from './fdlibm.js';

/** Parameters of an SVG `A` command (SVG 1.1 §8.3.8) from the current point to (x, y). */
export interface SvgArc {
  rx: number;
  ry: number;
  /** Degrees, rotation of the ellipse's x axis (the `rx` axis) from the image x axis, towards +y. */
  xAxisRotation: number;
  largeArc: 0 | 1;
  sweep: 0 | 1;
  x: number;
  y: number;
}

/** Centre parameterisation of an SVG arc (SVG 1.1 implementation notes F.6.5). Angles in radians. */
export interface SvgArcCenter {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  /** Rotation of the x axis, radians. */
  phi: number;
  theta1: number;
  dtheta: number;
  /** cos φ and sin φ (computed once: `svgArcPoint` is called per sample). */
  cosPhi: number;
  sinPhi: number;
}

/**
 * The one-cubic approximation of an arc: same end points, inner control points on the end
 * tangents (towards B), handles k·(B − A) and k·(B − C) with k = 4u / (3(1 + u)).
 *
 * Derivation: the cubic's midpoint is [(4 − 3k)(A + C) + 6k B] / 8, the arc's is
 * (A + 2uB + C) / (2(1 + u)); equating the coefficients of B gives 6k/8 = u/(1 + u), i.e.
 * k = 4u/(3(1 + u)), and then the A and C coefficients agree too ((4 − 3k)/8 = 1/(2(1 + u))).
 * So the cubic interpolates the arc at both ends with the arc's tangent directions and at the
 * shoulder point. u = 1 gives k = ⅔, the exact degree elevation of the quadratic; for a circle
 * arc of angle θ (u = cos θ/2) it is the familiar handle length (4/3)·tan(θ/4)·r.
 */
export function arcMidpointCubic(arc: ConicArc): Cubic {
  const { a, b, c, u } = arc;
  const k = (4 * u) / (3 * (1 + u));
  return [
    { x: a.x, y: a.y },
    { x: a.x + k * (b.x - a.x), y: a.y + k * (b.y - a.y) },
    { x: c.x + k * (b.x - c.x), y: c.y + k * (b.y - c.y) },
    { x: c.x, y: c.y },
  ];
}

/** Deepest subdivision in `arcToCubics` (≤ 2¹⁶ cubics); never reached in practice (weights → 1 fast). */
const MAX_SPLIT_DEPTH = 16;

/**
 * Cubic Béziers approximating an arc within `tol` px (two-sided Hausdorff distance, measured by
 * `curveHausdorff` on samples of both curves). Starts from `arcMidpointCubic` and splits the arc
 * at its parameter midpoint (`splitArc`) until every cubic is within `tol`. Each split brings the
 * weight towards 1 (u' = √((1 + u)/2)), where the approximation is exact, and the error of the
 * midpoint cubic falls roughly like the 6th power of the arc's turning angle.
 *
 * `deviations`, when given, receives each cubic's measured distance (0 for u = 1).
 *
 * @example arcToCubics({x:0,y:0}, {x:10,y:10}, {x:20,y:0}, 3, 0.01) // hyperbolic arc → cubics
 */
export function arcToCubics(a: Point, b: Point, c: Point, u: number, tol: number, deviations?: number[]): Cubic[] {
  const out: Cubic[] = [];
  // Explicit stack, processed depth-first, right half pushed first so cubics come out in order.
  const stack: Array<{ arc: ConicArc; depth: number }> = [{ arc: { a, b, c, u }, depth: 0 }];
  while (stack.length > 0) {
    const { arc, depth } = stack.pop()!;
    const cubic = arcMidpointCubic(arc);
    // curveWithin: the same answer as `arcCubicDeviation(arc, cubic) <= tol`, with less work (docs/design.md §15.6);
    // the deviation itself only when asked for (the font conversion's report).
    const exact = Math.abs(arc.u - 1) < 1e-15;
    if (exact || depth >= MAX_SPLIT_DEPTH || curveWithin(arcEvaluator(arc), cubicEvaluator(cubic), tol)) {
      out.push(cubic);
      deviations?.push(exact ? 0 : arcCubicDeviation(arc, cubic));
      continue;
    }
    const [left, right] = splitArc(arc);
    stack.push({ arc: right, depth: depth + 1 }, { arc: left, depth: depth + 1 });
  }
  return out;
}

/** Two-sided Hausdorff distance (estimated, see `curveHausdorff`) between an arc and a cubic, px. */
export function arcCubicDeviation(arc: ConicArc, cubic: Cubic): number {
  return curveHausdorff(arcEvaluator(arc), cubicEvaluator(cubic));
}
/** Largest radius accepted for an `A` command, px: beyond it the arc is numerically a parabola. */
const MAX_ARC_RADIUS = 1e6;

/**
 * Exact SVG elliptical-arc parameters for an arc with 0 < u < 1, starting at A (the current
 * point) and ending at C; null when the ellipse is numerically degenerate (u ≥ 1 − 10⁻⁹, A = C,
 * A, B, C collinear, or a radius above 10⁶ px) — callers then fall back to cubics.
 *
 * Derivation (conjugate diameters; cf. Lee 1987, Farin §13): let M = (A + C)/2 and k = 1 − u².
 *   centre        Z = (M − u²B) / k
 *   semi-diameter p = S − Z = u (B − M) / k          (S the shoulder point, tangent there ∥ AC)
 *   conjugate     q = (C − A) / (2√k)               (parallel to the tangent at S)
 * Then A = Z + p cos φ₀ − q sin φ₀ and C = Z + p cos φ₀ + q sin φ₀ with cos φ₀ = u, i.e. the arc is
 * X(φ) = Z + p cos φ + q sin φ for φ ∈ [−φ₀, φ₀], φ₀ = arccos u. (Check: M − Z = u·p, and
 * |A − Z|² in the (p, q) frame is u² + (1 − u²) = 1.) The swept angle in the affine image of the
 * unit circle is 2 arccos u < π, so `largeArc` is always 0; the arc turns like the control
 * polygon, so `sweep` = 1 iff cross(B − A, C − B) > 0 (positive angle direction in SVG's y-down
 * frame). The semi-axes are the singular values of [p q]: the eigenvalues of p pᵀ + q qᵀ, with
 * ry = |det[p q]| / rx for accuracy, and the rotation is that matrix's principal direction.
 *
 * @example ellipticArcToSvgA({x:1,y:0}, {x:1,y:1}, {x:0,y:1}, Math.SQRT1_2) // quarter of the unit circle
 */
export function ellipticArcToSvgA(a: Point, b: Point, c: Point, u: number): SvgArc | null {
  if (!(u > 0 && u < 1)) return null;
  const k = 1 - u * u;
  if (k < 1e-9) return null;
  const mx = (a.x + c.x) / 2,
    my = (a.y + c.y) / 2;
  const px = (u * (b.x - mx)) / k,
    py = (u * (b.y - my)) / k;
  const sk = 2 * Math.sqrt(k);
  const qx = (c.x - a.x) / sk,
    qy = (c.y - a.y) / sk;
  const det = px * qy - py * qx;
  const norm2 = px * px + py * py + qx * qx + qy * qy;
  if (!(norm2 > 0) || !Number.isFinite(norm2) || Math.abs(det) <= 1e-12 * norm2) return null;
  // Symmetric E = p pᵀ + q qᵀ = [[e11, e12], [e12, e22]].
  const e11 = px * px + qx * qx,
    e12 = px * py + qx * qy,
    e22 = py * py + qy * qy;
  const half = (e11 - e22) / 2;
  const lambda1 = (e11 + e22) / 2 + dm.hypot(half, e12);
  const rx = Math.sqrt(lambda1);
  const ry = Math.abs(det) / rx;
  if (!(rx <= MAX_ARC_RADIUS) || !(ry > 0)) return null;
  // Principal direction of E (for λ₁): angle ½·atan2(2 e12, e11 − e22).
  let rot = (0.5 * dm.atan2(2 * e12, e11 - e22) * 180) / Math.PI;
  if (rot < 0) rot += 180; // ellipses are symmetric: report in [0, 180)
  if (rot >= 180) rot -= 180;
  return { rx, ry, xAxisRotation: rot, largeArc: 0, sweep: det > 0 ? 1 : 0, x: c.x, y: c.y };
}

/**
 * Endpoint → centre parameterisation of an SVG arc, SVG 1.1 implementation notes F.6.5, with the
 * out-of-range radii correction of F.6.6 (radii scaled up until the ellipse reaches). Null when
 * the arc is drawn as a line or nothing (coincident end points, a zero radius).
 */
export function svgArcToCenter(x1: number, y1: number, arc: SvgArc): SvgArcCenter | null {
  const { x: x2, y: y2 } = arc;
  let rx = Math.abs(arc.rx),
    ry = Math.abs(arc.ry);
  if ((x1 === x2 && y1 === y2) || rx === 0 || ry === 0) return null;
  const phi = (((arc.xAxisRotation % 360) + 360) % 360) * (Math.PI / 180);
  const cos = dm.cos(phi),
    sin = dm.sin(phi);
  const dx = (x1 - x2) / 2,
    dy = (y1 - y2) / 2;
  const x1p = cos * dx + sin * dy;
  const y1p = -sin * dx + cos * dy;
  const lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
  if (lambda > 1) {
    const s = Math.sqrt(lambda);
    rx *= s;
    ry *= s;
  }
  const num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
  const den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
  let co = Math.sqrt(Math.max(0, num / den));
  if (arc.largeArc === arc.sweep) co = -co;
  const cxp = (co * rx * y1p) / ry;
  const cyp = (-co * ry * x1p) / rx;
  const cx = cos * cxp - sin * cyp + (x1 + x2) / 2;
  const cy = sin * cxp + cos * cyp + (y1 + y2) / 2;
  const ux = (x1p - cxp) / rx,
    uy = (y1p - cyp) / ry;
  const vx = (-x1p - cxp) / rx,
    vy = (-y1p - cyp) / ry;
  const theta1 = dm.atan2(uy, ux);
  let dtheta = dm.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  if (arc.sweep === 0 && dtheta > 0) dtheta -= 2 * Math.PI;
  if (arc.sweep === 1 && dtheta < 0) dtheta += 2 * Math.PI;
  return { cx, cy, rx, ry, phi, theta1, dtheta, cosPhi: cos, sinPhi: sin };
}

/** Point of a centre-parameterised SVG arc at t ∈ [0, 1] (angle θ₁ + t·Δθ), written to out. */
export function svgArcPoint(e: SvgArcCenter, t: number, out: Float64Array | number[]): void {
  const th = e.theta1 + t * e.dtheta;
  const cos = e.cosPhi,
    sin = e.sinPhi;
  const ex = e.rx * dm.cos(th),
    ey = e.ry * dm.sin(th);
  out[0] = e.cx + cos * ex - sin * ey;
  out[1] = e.cy + sin * ex + cos * ey;
}
