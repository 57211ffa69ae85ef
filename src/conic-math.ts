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
 * tolerance (for u ≠ 1, which SVG has no exact command for), the exact SVG elliptical-arc
 * (`A`) parameters for 0 < u < 1, curve distances (`curveHausdorff`), and for a whole conic
 * interval (both arcs): its exact distance to a segment (`arcSegmentDeviation`, per arc) and one
 * cubic fitted to it (`intervalCubic`), which the SVG writer uses to write one command per interval.
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
  /** cos φ and sin φ (computed once: `svgArcPoint` is called per sample). */
  cosPhi: number;
  sinPhi: number;
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
const GOLDEN = 0.6180339887498949;

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
export function curveHausdorff(
  f: CurveEvaluator,
  g: CurveEvaluator,
  samples = HAUSDORFF_SAMPLES,
  window = Infinity,
  steps = GOLDEN_STEPS,
  peaks = 0,
): number {
  return Math.max(directedDistance(f, g, samples, window, steps, peaks), directedDistance(g, f, samples, window, steps, peaks));
}

/**
 * Largest distance from f's samples to g. `window`: search g's samples only within ±window of the
 * same index (for curves sampled in corresponding parameters); a narrower search can only find a
 * farther sample, so the estimate errs high, never low. `peaks`: see `curveHausdorff`.
 */
function directedDistance(f: CurveEvaluator, g: CurveEvaluator, n: number, window: number, steps: number, peaks = 0): number {
  const p = new Float64Array(2);
  const q = new Float64Array(2);
  const gs = new Float64Array(2 * (n + 1));
  for (let i = 0; i <= n; i++) {
    g(i / n, q);
    gs[2 * i] = q[0];
    gs[2 * i + 1] = q[1];
  }
  const dist2 = (t: number, px: number, py: number) => {
    g(t, q);
    return (q[0] - px) ** 2 + (q[1] - py) ** 2;
  };
  /** Squared distance from (px, py) to g; `i` = the index of f's sample nearest in parameter. */
  const nearest2 = (px: number, py: number, i: number): number => {
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
    let t1 = hi - GOLDEN * (hi - lo), t2 = lo + GOLDEN * (hi - lo);
    let d1 = dist2(t1, px, py), d2 = dist2(t2, px, py);
    for (let it = 0; it < steps; it++) {
      if (d1 < d2) {
        hi = t2;
        t2 = t1;
        d2 = d1;
        t1 = hi - GOLDEN * (hi - lo);
        d1 = dist2(t1, px, py);
      } else {
        lo = t1;
        t1 = t2;
        d1 = d2;
        t2 = lo + GOLDEN * (hi - lo);
        d2 = dist2(t2, px, py);
      }
    }
    return Math.min(best, d1, d2);
  };
  const ds = peaks > 0 ? new Float64Array(n + 1) : null;
  let worst = 0;
  for (let i = 0; i <= n; i++) {
    f(i / n, p);
    const best = nearest2(p[0], p[1], i);
    if (ds) ds[i] = best;
    if (best > worst) worst = best;
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
      let lo = Math.max(0, (i - 1) / n), hi = Math.min(1, (i + 1) / n);
      let t1 = hi - GOLDEN * (hi - lo), t2 = lo + GOLDEN * (hi - lo);
      let d1 = D2(t1), d2 = D2(t2);
      for (let it = 0; it < PEAK_STEPS; it++) {
        if (d1 > d2) {
          hi = t2;
          t2 = t1;
          d2 = d1;
          t1 = hi - GOLDEN * (hi - lo);
          d1 = D2(t1);
        } else {
          lo = t1;
          t1 = t2;
          d1 = d2;
          t2 = lo + GOLDEN * (hi - lo);
          d2 = D2(t2);
        }
      }
      worst = Math.max(worst, d1, d2);
    }
  }
  return Math.sqrt(worst);
}

/** Golden-section steps maximising each refined peak (bracket 2/n · 0.618¹² ≈ 0.006/n of the curve). */
const PEAK_STEPS = 12;

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
  let x = p[0], y = p[1];
  for (let i = 1; i <= n; i++) {
    f(i / n, p);
    cum[i] = cum[i - 1] + Math.hypot(p[0] - x, p[1] - y);
    x = p[0];
    y = p[1];
  }
  const total = cum[n];
  if (!(total > 0)) return f;
  return (t, out) => {
    const s = t * total;
    // Binary search for the chord holding s.
    let lo = 0, hi = n;
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
  return { cx, cy, rx, ry, phi, theta1, dtheta, cosPhi: cos, sinPhi: sin };
}

/** Point of a centre-parameterised SVG arc at t ∈ [0, 1] (angle θ₁ + t·Δθ), written to out. */
export function svgArcPoint(e: SvgArcCenter, t: number, out: Float64Array | number[]): void {
  const th = e.theta1 + t * e.dtheta;
  const cos = e.cosPhi, sin = e.sinPhi;
  const ex = e.rx * Math.cos(th), ey = e.ry * Math.sin(th);
  out[0] = e.cx + cos * ex - sin * ey;
  out[1] = e.cy + sin * ex + cos * ey;
}

// ---------------------------------------------------------------------------------------------
// Whole conic intervals (both arcs): one curve, its distance to a segment, one cubic for it
// ---------------------------------------------------------------------------------------------

/** The geometry of a conic interval (design.md §4) that the helpers below read. */
export type ConicInterval = Pick<ConicPiece, 'p0' | 'v' | 'j' | 'w' | 'p1' | 'u'>;

/**
 * A conic interval as one curve on [0, 1] (design.md §4): θ ≤ ½ is conic(P₀, V, J, u; 2θ), θ > ½
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
 * Largest distance, px, from an arc to the segment S–E (an upper bound, tight when the arc's
 * projection stays between S and E, as it does for a nearly straight arc). Exact, not sampled:
 * in the frame of the segment (along e, across n) each coordinate of the arc is itself a 1-D
 * rational quadratic with the arc's weights, c(s) = N(s)/D(s) with N, D quadratics, and its
 * extremes on [0, 1] are at the ends or where N′D − ND′ = 0 — a quadratic (the s³ terms cancel).
 * The result is √(max across² + max overshoot²), the overshoot being how far the arc's projection
 * runs past S or E. Infinity when S = E.
 */
export function arcSegmentDeviation(arc: ConicArc, sx: number, sy: number, ex: number, ey: number): number {
  const len = Math.hypot(ex - sx, ey - sy);
  if (!(len > 0)) return Infinity;
  const ux = (ex - sx) / len, uy = (ey - sy) / len;
  const { a, b, c, u } = arc;
  const along = (p: Point) => (p.x - sx) * ux + (p.y - sy) * uy;
  const across = (p: Point) => -(p.x - sx) * uy + (p.y - sy) * ux;
  const [across0, across1] = rationalQuadraticRange(across(a), across(b), across(c), u);
  const [along0, along1] = rationalQuadraticRange(along(a), along(b), along(c), u);
  const off = Math.max(Math.abs(across0), Math.abs(across1));
  const over = Math.max(0, -along0, along1 - len);
  return Math.hypot(off, over);
}

/** [min, max] over s ∈ [0, 1] of the 1-D rational quadratic with values a, c at the ends, inner value b, weight u. */
function rationalQuadraticRange(a: number, b: number, c: number, u: number): [number, number] {
  // Monomial form: N(s) = a + (2ub − 2a)s + (a − 2ub + c)s², D(s) = 1 + (2u − 2)s + (2 − 2u)s².
  const n0 = a, n1 = 2 * u * b - 2 * a, n2 = a - 2 * u * b + c;
  const d0 = 1, d1 = 2 * u - 2, d2 = 2 - 2 * u;
  // N′D − ND′ = (n1d0 − n0d1) + 2(n2d0 − n0d2)s + (n2d1 − n1d2)s².
  const k0 = n1 * d0 - n0 * d1, k1 = 2 * (n2 * d0 - n0 * d2), k2 = n2 * d1 - n1 * d2;
  let lo = Math.min(a, c), hi = Math.max(a, c);
  const at = (s: number) => {
    if (!(s > 0 && s < 1)) return;
    const r = 1 - s, w0 = r * r, w1 = 2 * u * s * r, w2 = s * s;
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

/** Model samples per interval for `intervalCubic`'s fit (spaced evenly along the curve; 24 accepted 0.2 % more cubics, 10 % slower). */
const INTERVAL_FIT_SAMPLES = 16;
/** Least-squares rounds, each followed by a Newton re-projection of the samples' parameters. */
const INTERVAL_FIT_ROUNDS = 4;
/** Nelder–Mead steps minimising the largest sample distance. */
const INTERVAL_FIT_NM_STEPS = 30;
/**
 * Skip the Nelder–Mead polish when the least-squares cubic is more than this many times the
 * target away. Least squares is a poor start: on the 48 samples, cubics accepted after the polish
 * started up to ~10× away; 4 lost a quarter of them, 12 gained 1 % over 8 for 10 % more time.
 */
const INTERVAL_FIT_HOPELESS = 8;

/**
 * One cubic Bézier for a whole conic interval (both arcs): P₀, P₀ + a·D₀, P₁ − b·D₁, P₁, with
 * D₀ the unit direction P₀→V and D₁ the unit direction W→P₁, so the interval's end tangents
 * (and hence G¹ continuity with its neighbours) are kept. Null when the interval is degenerate,
 * when the best a, b found are not both positive, or when the cubic is more than `target` from
 * one of the interval's sample points (so it cannot be within `target`).
 *
 * How a and b are chosen (measured on the models of the 48 samples/, 2104 conic intervals:
 * interpolating J fitted ~100 of them within 0.01 px, least squares alone ~270, the two steps
 * below 720 as printed at 3 decimals, 328 of them among the 1343 with u ≠ 1):
 *   1. least squares on 17 points of the interval spaced evenly along it, with the usual
 *      parameter correction (each point re-projected onto the cubic by Newton steps, 4 rounds);
 *   2. then, unless that is already within `target`, or more than 8× it, a Nelder–Mead search
 *      (30 steps) on (a, b) minimising the largest distance from those points to the cubic: a
 *      minimax polish — least squares leaves the error uneven along the curve — which halves the
 *      largest error of a typical near miss.
 * The returned cubic is not checked here: its distance estimate is one-sided and at the sample
 * points only. Callers check it (`curveHausdorff`, both ways, as printed).
 */
export function intervalCubic(piece: ConicInterval, target: number): Cubic | null {
  const { p0, v, w, p1 } = piece;
  const n0 = Math.hypot(v.x - p0.x, v.y - p0.y), n1 = Math.hypot(p1.x - w.x, p1.y - w.y);
  if (!(n0 > 0 && n1 > 0) || !(Math.hypot(p1.x - p0.x, p1.y - p0.y) > 0)) return null;
  const d0x = (v.x - p0.x) / n0, d0y = (v.y - p0.y) / n0;
  const d1x = (p1.x - w.x) / n1, d1y = (p1.y - w.y) / n1;
  const n = INTERVAL_FIT_SAMPLES;
  const model = arcLengthEvaluator(conicIntervalEvaluator(piece), 8 * n);
  const qs = new Float64Array(2 * (n + 1));
  const ts = new Float64Array(n + 1);
  const tmp = new Float64Array(2);
  for (let i = 0; i <= n; i++) {
    model(i / n, tmp);
    qs[2 * i] = tmp[0];
    qs[2 * i + 1] = tmp[1];
    ts[i] = i / n;
  }
  // Cubic control points for (a, b): c1 = p0 + a d0, c2 = p1 − b d1.
  let c1x = 0, c1y = 0, c2x = 0, c2y = 0;
  const setAB = (a: number, b: number) => {
    c1x = p0.x + a * d0x;
    c1y = p0.y + a * d0y;
    c2x = p1.x - b * d1x;
    c2y = p1.y - b * d1y;
  };
  /** Newton steps projecting sample i onto the current cubic from parameter t; returns [t, squared distance]. */
  const project = (i: number, t: number, stepsN: number): number => {
    const qx = qs[2 * i], qy = qs[2 * i + 1];
    for (let k = 0; k < stepsN; k++) {
      const r = 1 - t;
      const b0 = r * r * r, b1 = 3 * r * r * t, b2 = 3 * r * t * t, b3 = t * t * t;
      const ex = b0 * p0.x + b1 * c1x + b2 * c2x + b3 * p1.x - qx;
      const ey = b0 * p0.y + b1 * c1y + b2 * c2y + b3 * p1.y - qy;
      const dx = 3 * (r * r * (c1x - p0.x) + 2 * r * t * (c2x - c1x) + t * t * (p1.x - c2x));
      const dy = 3 * (r * r * (c1y - p0.y) + 2 * r * t * (c2y - c1y) + t * t * (p1.y - c2y));
      const ddx = 6 * (r * (c2x - 2 * c1x + p0.x) + t * (p1.x - 2 * c2x + c1x));
      const ddy = 6 * (r * (c2y - 2 * c1y + p0.y) + t * (p1.y - 2 * c2y + c1y));
      const den = dx * dx + dy * dy + ex * ddx + ey * ddy;
      if (!(den > 0)) break;
      t = Math.min(1, Math.max(0, t - (ex * dx + ey * dy) / den));
    }
    return t;
  };
  const dist2At = (i: number, t: number): number => {
    const r = 1 - t;
    const b0 = r * r * r, b1 = 3 * r * r * t, b2 = 3 * r * t * t, b3 = t * t * t;
    const ex = b0 * p0.x + b1 * c1x + b2 * c2x + b3 * p1.x - qs[2 * i];
    const ey = b0 * p0.y + b1 * c1y + b2 * c2y + b3 * p1.y - qs[2 * i + 1];
    return ex * ex + ey * ey;
  };
  // 1. Least squares in (a, b) for fixed parameters, then re-project; repeat.
  const dd = d0x * d1x + d0y * d1y;
  let a = NaN, b = NaN;
  for (let round = 0; round < INTERVAL_FIT_ROUNDS; round++) {
    let s11 = 0, s12 = 0, s22 = 0, r1 = 0, r2 = 0;
    for (let i = 1; i < n; i++) {
      const t = ts[i], r = 1 - t;
      const b0 = r * r * r, b1 = 3 * r * r * t, b2 = 3 * r * t * t, b3 = t * t * t;
      const ex = qs[2 * i] - (b0 + b1) * p0.x - (b2 + b3) * p1.x;
      const ey = qs[2 * i + 1] - (b0 + b1) * p0.y - (b2 + b3) * p1.y;
      s11 += b1 * b1;
      s22 += b2 * b2;
      s12 += b1 * b2 * dd;
      r1 += b1 * (d0x * ex + d0y * ey);
      r2 -= b2 * (d1x * ex + d1y * ey);
    }
    // [s11 −s12; −s12 s22]·[a; b] = [r1; r2]
    const det = s11 * s22 - s12 * s12;
    if (!(Math.abs(det) > 1e-12 * (s11 * s22))) return null;
    a = (r1 * s22 + s12 * r2) / det;
    b = (s11 * r2 + s12 * r1) / det;
    if (!(Number.isFinite(a) && Number.isFinite(b))) return null;
    setAB(a, b);
    for (let i = 1; i < n; i++) ts[i] = project(i, ts[i], 2);
  }
  /** Largest sample distance² to the cubic (a, b), each sample projected from its last parameter. */
  const worst2 = (aa: number, bb: number): number => {
    setAB(aa, bb);
    let m = 0;
    for (let i = 1; i < n; i++) m = Math.max(m, dist2At(i, project(i, ts[i], 3)));
    return m;
  };
  let best = worst2(a, b);
  const target2 = target * target;
  if (best > target2 && best <= (INTERVAL_FIT_HOPELESS * target) ** 2) {
    // 2. Nelder–Mead on (a, b), started at the least-squares answer (deterministic).
    const h = 0.02 * Math.hypot(p1.x - p0.x, p1.y - p0.y);
    const xs = [a, a + h, a], ys = [b, b, b + h];
    const fs = [best, worst2(a + h, b), worst2(a, b + h)];
    for (let it = 0; it < INTERVAL_FIT_NM_STEPS; it++) {
      // Order: 0 best, 2 worst.
      for (let i = 0; i < 2; i++) for (let k = 0; k < 2 - i; k++) {
        if (fs[k] > fs[k + 1]) {
          [fs[k], fs[k + 1]] = [fs[k + 1], fs[k]];
          [xs[k], xs[k + 1]] = [xs[k + 1], xs[k]];
          [ys[k], ys[k + 1]] = [ys[k + 1], ys[k]];
        }
      }
      const cx = (xs[0] + xs[1]) / 2, cy = (ys[0] + ys[1]) / 2;
      const rx = 2 * cx - xs[2], ry = 2 * cy - ys[2], fr = worst2(rx, ry);
      if (fr < fs[0]) {
        const ex = 3 * cx - 2 * xs[2], ey = 3 * cy - 2 * ys[2], fe = worst2(ex, ey);
        if (fe < fr) [xs[2], ys[2], fs[2]] = [ex, ey, fe];
        else [xs[2], ys[2], fs[2]] = [rx, ry, fr];
      } else if (fr < fs[1]) {
        [xs[2], ys[2], fs[2]] = [rx, ry, fr];
      } else {
        const kx = (cx + xs[2]) / 2, ky = (cy + ys[2]) / 2, fk = worst2(kx, ky);
        if (fk < fs[2]) [xs[2], ys[2], fs[2]] = [kx, ky, fk];
        else {
          for (const i of [1, 2]) {
            xs[i] = (xs[i] + xs[0]) / 2;
            ys[i] = (ys[i] + ys[0]) / 2;
            fs[i] = worst2(xs[i], ys[i]);
          }
        }
      }
    }
    let k = 0;
    for (let i = 1; i < 3; i++) if (fs[i] < fs[k]) k = i;
    if (fs[k] < best) {
      best = fs[k];
      a = xs[k];
      b = ys[k];
    }
  }
  // The sample distances are a lower bound of the cubic's distance to the model (up to the
  // Newton projection, which errs high): beyond `target` no check can pass it.
  if (best > target2 || !(a > 0 && b > 0)) return null;
  setAB(a, b);
  return [
    { x: p0.x, y: p0.y },
    { x: c1x, y: c1y },
    { x: c2x, y: c2y },
    { x: p1.x, y: p1.y },
  ];
}
