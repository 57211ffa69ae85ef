/**
 * Small pure helpers on the conic arcs of the fitted model (design.md §4), shared by the SVG
 * writer (src/svg.ts) and the raster re-render (src/raster.ts).
 *
 * Reads: rational quadratic arcs in standard form — end points A, C with weight 1, inner control
 * point B with weight u > 0:
 *
 *   conic(A, B, C, u; s) = [(1−s)² A + 2u s(1−s) B + s² C] / [(1−s)² + 2u s(1−s) + s²],  s ∈ [0, 1]
 *
 * Produces: points on the arc, its exact midpoint split, cubic Bézier approximations within a
 * tolerance (for u ≠ 1, which SVG has no exact command for), and the exact SVG elliptical-arc
 * (`A`) parameters for 0 < u < 1.
 *
 * Facts used throughout (all affine-invariant, since rational Bézier curves commute with affine
 * maps):
 *   - with u > 0 the arc lies in the triangle ABC (convex hull property) and turns one way only;
 *   - the arc is symmetric under the affine reflection that swaps A and C and fixes the line
 *     through B and M = (A + C)/2 ("shoulder" line); so its point at s = ½, the shoulder
 *     S = (M + uB)/(1 + u), is where the tangent is parallel to AC and the arc is farthest from
 *     the chord: dist(S, AC) = u/(1 + u) · dist(B, AC).
 */
import type { ConicPiece } from './model.js';
import type { Point } from './types.js';

/** One rational quadratic arc in standard form (end weights 1, inner weight u > 0). */
export interface ConicArc {
  a: Point;
  b: Point;
  c: Point;
  u: number;
}

/** A cubic Bézier: start, two inner control points, end. */
export type Cubic = [Point, Point, Point, Point];

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
}

// ---------------------------------------------------------------------------------------------
// Evaluation and splitting
// ---------------------------------------------------------------------------------------------

/**
 * Point of the arc at parameter s ∈ [0, 1], written to out[0], out[1]; returns `out`.
 * No allocation (hot: fitting and flattening call it per sample).
 *
 * @example rationalQuadratic(0, 0, 1, 1, 2, 0, 1, 0.5, buf) // buf = [1, 0.5]
 */
export function rationalQuadratic<T extends Float64Array | number[]>(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  u: number,
  s: number,
  out: T,
): T {
  const r = 1 - s;
  const w0 = r * r;
  const w1 = 2 * u * s * r;
  const w2 = s * s;
  const d = w0 + w1 + w2;
  out[0] = (w0 * ax + w1 * bx + w2 * cx) / d;
  out[1] = (w0 * ay + w1 * by + w2 * cy) / d;
  return out;
}

/**
 * The two arcs of a conic interval (design.md §4): conic(P₀, V, J, u) then conic(J, W, P₁, u).
 *
 * @example const [first, second] = conicPieceArcs(piece)
 */
export function conicPieceArcs(piece: ConicPiece): [ConicArc, ConicArc] {
  return [
    { a: piece.p0, b: piece.v, c: piece.j, u: piece.u },
    { a: piece.j, b: piece.w, c: piece.p1, u: piece.u },
  ];
}

/**
 * Split an arc at s = ½ into two arcs in standard form.
 *
 * Derivation (rational de Casteljau; Farin, "Curves and Surfaces for CAGD", 5th ed., §13.5 on
 * rational quadratic subdivision; also E. T. Y. Lee, "The rational Bézier representation for
 * conics", 1987). In homogeneous coordinates the control points are (A, 1), (uB, u), (C, 1).
 * De Casteljau at ½ gives
 *   left  = (A, 1), ((A + uB)/2, (1 + u)/2), ((A + 2uB + C)/4, (1 + u)/2)
 *   right = ((A + 2uB + C)/4, (1 + u)/2), ((uB + C)/2, (1 + u)/2), (C, 1).
 * Projecting: the inner points are (A + uB)/(1 + u) and (C + uB)/(1 + u), the split point is
 * the shoulder S = (A + 2uB + C) / (2(1 + u)). The left arc's weights are (1, (1+u)/2, (1+u)/2)
 * (the right arc's mirror them). The Möbius reparameterisation s ↦ ρs / ((1 − s) + ρs) maps
 * [0, 1] onto itself and multiplies weights (w₀, w₁, w₂) by (1, ρ, ρ²) without moving the curve;
 * with ρ = √(w₀/w₂) and division by w₀ they become (1, w₁/√(w₀w₂), 1). Hence both halves have
 *   u' = ((1 + u)/2) / √((1 + u)/2) = √((1 + u)/2).
 * (Check: a circle arc of angle θ has u = cos(θ/2); √((1 + cos(θ/2))/2) = cos(θ/4). ✓)
 */
export function splitArc(arc: ConicArc): [ConicArc, ConicArc] {
  const { a, b, c, u } = arc;
  const k = 1 / (1 + u);
  const l = { x: (a.x + u * b.x) * k, y: (a.y + u * b.y) * k };
  const r = { x: (c.x + u * b.x) * k, y: (c.y + u * b.y) * k };
  const s = { x: (a.x + 2 * u * b.x + c.x) * 0.5 * k, y: (a.y + 2 * u * b.y + c.y) * 0.5 * k };
  const w = Math.sqrt((1 + u) / 2);
  return [
    { a, b: l, c: s, u: w },
    { a: s, b: r, c, u: w },
  ];
}

// ---------------------------------------------------------------------------------------------
// Cubic approximation
// ---------------------------------------------------------------------------------------------

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
 * @example arcToCubics({x:0,y:0}, {x:10,y:10}, {x:20,y:0}, 3, 0.01) // hyperbolic arc → cubics
 */
export function arcToCubics(a: Point, b: Point, c: Point, u: number, tol: number): Cubic[] {
  const out: Cubic[] = [];
  // Explicit stack, processed depth-first, right half pushed first so cubics come out in order.
  const stack: Array<{ arc: ConicArc; depth: number }> = [{ arc: { a, b, c, u }, depth: 0 }];
  while (stack.length > 0) {
    const { arc, depth } = stack.pop()!;
    const cubic = arcMidpointCubic(arc);
    if (Math.abs(arc.u - 1) < 1e-15 || depth >= MAX_SPLIT_DEPTH || arcCubicDeviation(arc, cubic) <= tol) {
      out.push(cubic);
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

/** Point on a cubic at t, written to out. */
export function cubicPoint(q: Cubic, t: number, out: Float64Array | number[]): void {
  const r = 1 - t;
  const b0 = r * r * r, b1 = 3 * r * r * t, b2 = 3 * r * t * t, b3 = t * t * t;
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
 * (the conjugate-diameter form of `ellipticArcToSvgA`), where the rational parameter s relates
 * by tan(φ/2) = tan(φ₀/2)·(2s − 1). Uniform s crowds samples away from where an SVG `A`'s
 * rounding error peaks: at u = 0.05, 64 uniform-s samples estimated 0.0095 px for a true
 * 0.0107 px; angle-uniform samples give 0.0107.
 */
export function ellipticArcEvaluator(arc: ConicArc): CurveEvaluator {
  const f = arcEvaluator(arc);
  const phi0 = Math.acos(arc.u);
  const k = Math.tan(phi0 / 2);
  return (t, out) => f((1 + Math.tan((phi0 * (2 * t - 1)) / 2) / k) / 2, out);
}

export function cubicEvaluator(q: Cubic): CurveEvaluator {
  return (t, out) => cubicPoint(q, t, out);
}

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
 */
export function curveHausdorff(f: CurveEvaluator, g: CurveEvaluator, samples = HAUSDORFF_SAMPLES, window = Infinity, steps = GOLDEN_STEPS): number {
  return Math.max(directedDistance(f, g, samples, window, steps), directedDistance(g, f, samples, window, steps));
}

/**
 * Largest distance from f's samples to g. `window`: search g's samples only within ±window of the
 * same index (for curves sampled in corresponding parameters); a narrower search can only find a
 * farther sample, so the estimate errs high, never low.
 */
function directedDistance(f: CurveEvaluator, g: CurveEvaluator, n: number, window: number, steps: number): number {
  const p = new Float64Array(2);
  const q = new Float64Array(2);
  const gs = new Float64Array(2 * (n + 1));
  for (let i = 0; i <= n; i++) {
    g(i / n, q);
    gs[2 * i] = q[0];
    gs[2 * i + 1] = q[1];
  }
  let worst = 0;
  for (let i = 0; i <= n; i++) {
    f(i / n, p);
    const px = p[0], py = p[1];
    let best = Infinity, bestK = 0;
    for (let k = Math.max(0, i - window); k <= Math.min(n, i + window); k++) {
      const d = (gs[2 * k] - px) ** 2 + (gs[2 * k + 1] - py) ** 2;
      if (d < best) {
        best = d;
        bestK = k;
      }
    }
    // Golden-section search of |g(t) − p|² on the bracket around the best sample.
    let lo = Math.max(0, (bestK - 1) / n), hi = Math.min(1, (bestK + 1) / n);
    const dist2 = (t: number) => {
      g(t, q);
      return (q[0] - px) ** 2 + (q[1] - py) ** 2;
    };
    const R = 0.6180339887498949;
    let t1 = hi - R * (hi - lo), t2 = lo + R * (hi - lo);
    let d1 = dist2(t1), d2 = dist2(t2);
    for (let it = 0; it < steps; it++) {
      if (d1 < d2) {
        hi = t2;
        t2 = t1;
        d2 = d1;
        t1 = hi - R * (hi - lo);
        d1 = dist2(t1);
      } else {
        lo = t1;
        t1 = t2;
        d1 = d2;
        t2 = lo + R * (hi - lo);
        d2 = dist2(t2);
      }
    }
    best = Math.min(best, d1, d2);
    if (best > worst) worst = best;
  }
  return Math.sqrt(worst);
}

// ---------------------------------------------------------------------------------------------
// Elliptic arcs as SVG `A`
// ---------------------------------------------------------------------------------------------

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
  const mx = (a.x + c.x) / 2, my = (a.y + c.y) / 2;
  const px = (u * (b.x - mx)) / k, py = (u * (b.y - my)) / k;
  const sk = 2 * Math.sqrt(k);
  const qx = (c.x - a.x) / sk, qy = (c.y - a.y) / sk;
  const det = px * qy - py * qx;
  const norm2 = px * px + py * py + qx * qx + qy * qy;
  if (!(norm2 > 0) || !Number.isFinite(norm2) || Math.abs(det) <= 1e-12 * norm2) return null;
  // Symmetric E = p pᵀ + q qᵀ = [[e11, e12], [e12, e22]].
  const e11 = px * px + qx * qx, e12 = px * py + qx * qy, e22 = py * py + qy * qy;
  const half = (e11 - e22) / 2;
  const lambda1 = (e11 + e22) / 2 + Math.hypot(half, e12);
  const rx = Math.sqrt(lambda1);
  const ry = Math.abs(det) / rx;
  if (!(rx <= MAX_ARC_RADIUS) || !(ry > 0)) return null;
  // Principal direction of E (for λ₁): angle ½·atan2(2 e12, e11 − e22).
  let rot = (0.5 * Math.atan2(2 * e12, e11 - e22) * 180) / Math.PI;
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
  let rx = Math.abs(arc.rx), ry = Math.abs(arc.ry);
  if ((x1 === x2 && y1 === y2) || rx === 0 || ry === 0) return null;
  const phi = (((arc.xAxisRotation % 360) + 360) % 360) * (Math.PI / 180);
  const cos = Math.cos(phi), sin = Math.sin(phi);
  const dx = (x1 - x2) / 2, dy = (y1 - y2) / 2;
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
  const ux = (x1p - cxp) / rx, uy = (y1p - cyp) / ry;
  const vx = (-x1p - cxp) / rx, vy = (-y1p - cyp) / ry;
  const theta1 = Math.atan2(uy, ux);
  let dtheta = Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  if (arc.sweep === 0 && dtheta > 0) dtheta -= 2 * Math.PI;
  if (arc.sweep === 1 && dtheta < 0) dtheta += 2 * Math.PI;
  return { cx, cy, rx, ry, phi, theta1, dtheta };
}

/** Point of a centre-parameterised SVG arc at t ∈ [0, 1] (angle θ₁ + t·Δθ), written to out. */
export function svgArcPoint(e: SvgArcCenter, t: number, out: Float64Array | number[]): void {
  const th = e.theta1 + t * e.dtheta;
  const cos = Math.cos(e.phi), sin = Math.sin(e.phi);
  const ex = e.rx * Math.cos(th), ey = e.ry * Math.sin(th);
  out[0] = e.cx + cos * ex - sin * ey;
  out[1] = e.cy + sin * ex + cos * ey;
}
