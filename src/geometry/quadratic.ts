/**
 * Rational quadratic arcs as quadratic Bézier splines (docs/design.md §21.1): the TrueType-style
 * output of `curves: 'quadratic'`.
 *
 * Reads: a conic arc in standard form (A, B, C, weight u; docs/design.md §4.1). Produces: the
 * off-curve points of a quadratic spline whose on-curve joints are implied midpoints, and the
 * Hausdorff distance to the arc.
 *
 * Method (after M. S. Floater, "High-order approximation of conic sections by quadratic
 * splines", CAGD 12 (1995) 617–637, and the rational subdivision in G. Farin, "Curves and
 * Surfaces for CAGD", section unverified): split the arc into n sub-arcs of equal standard-form
 * weight and replace each by the quadratic Bézier on the same control triangle (weight set to 1).
 * Sub-arcs come from the blossom of the homogeneous control points (A, 1), (uB, u), (C, 1):
 * the sub-arc over [s₀, s₁] has control points b(s₀, s₀), b(s₀, s₁), b(s₁, s₁).
 * Equal weights: the arc is the affine image of a circle arc (u < 1), a parabola arc (u = 1) or
 * a hyperbola arc (u > 1); equal steps of the angle φ (ellipse, u = cos φ₀), of s (parabola) or
 * of the hyperbolic angle ψ (u = cosh ψ₀) are images of each other under maps that preserve
 * the conic, so every sub-arc has weight cos(φ₀/n) or cosh(ψ₀/n), and each joint is the midpoint
 * of its two neighbouring control points (the map fixing the joint and reversing the arc is an
 * affine involution of the tangent line there). So the n quadratics of an arc, and those of both
 * arcs of an interval when split alike, form one TrueType contour segment: off-curve points only.
 *
 * Error of one quadratic: both curves are symmetric about the line through B and M = (A + C)/2,
 * and their shoulders (s = ½) differ by |u − 1| / (2(1 + u)) · |B − M| (docs/design.md §4.2);
 * `quadraticErrorEstimate` is that value. The measured error is the two-sided Hausdorff distance
 * (`curveHausdorff` on arc-length samples with refined peaks, as the SVG writer's interval check,
 * docs/design.md §15.6); test/font-conversion.test.ts checks both against a dense reference over
 * random arcs.
 */
import type { Point } from '../types.js';
import type { ConicArc } from './conic.js';
import { arcEvaluator, arcLengthEvaluator, type CurveEvaluator } from './curves.js';
import * as dm from './fdlibm.js';
import { curveHausdorff, INTERVAL_CHECK } from './hausdorff.js';

/** A quadratic Bézier: start, control point, end. */
export type Quadratic = [Point, Point, Point];

/** Most quadratics per arc; a 0.05 px tolerance on a 1000 px arc with u = 20 needs ~40. */
export const MAX_QUADRATICS_PER_ARC = 256;

/**
 * The sub-arc of `arc` over [s0, s1] in standard form (blossoming; Farin, section unverified).
 *
 * @example subArc({a:{x:1,y:0}, b:{x:1,y:1}, c:{x:0,y:1}, u:Math.SQRT1_2}, 0, 0.5) // an eighth of the circle
 */
export function subArc(arc: ConicArc, s0: number, s1: number): ConicArc {
  const { a, b, c, u } = arc;
  // Homogeneous blossom b(t1, t2) = (1−t1)(1−t2)·(A,1) + [(1−t1)t2 + t1(1−t2)]·(uB,u) + t1t2·(C,1).
  const blossom = (t1: number, t2: number): [number, number, number] => {
    const k0 = (1 - t1) * (1 - t2),
      k1 = (1 - t1) * t2 + t1 * (1 - t2),
      k2 = t1 * t2;
    const w = k0 + k1 * u + k2;
    return [(k0 * a.x + k1 * u * b.x + k2 * c.x) / w, (k0 * a.y + k1 * u * b.y + k2 * c.y) / w, w];
  };
  const [x0, y0, w0] = blossom(s0, s0);
  const [x1, y1, w1] = blossom(s0, s1);
  const [x2, y2, w2] = blossom(s1, s1);
  return { a: { x: x0, y: y0 }, b: { x: x1, y: y1 }, c: { x: x2, y: y2 }, u: w1 / Math.sqrt(w0 * w2) };
}

/**
 * The n + 1 parameters s₀ = 0 < … < sₙ = 1 that cut a standard-form arc of weight u into n
 * sub-arcs of equal weight: s = (1 + τ(kφ)/τ(φ₀))/2 with τ = tan(·/2), φ₀ = arccos u (ellipse),
 * τ = tanh(·/2), ψ₀ = arcosh u (hyperbola), s = k/n (parabola).
 */
export function equalWeightSplits(u: number, n: number): number[] {
  const out: number[] = [];
  const elliptic = u < 1 - 1e-12,
    hyperbolic = u > 1 + 1e-12;
  const half = elliptic ? dm.acos(u) : hyperbolic ? dm.log(u + Math.sqrt(u * u - 1)) : 0;
  const tau = (x: number) => (elliptic ? dm.tan(x / 2) : tanhHalf(x));
  const t0 = tau(half);
  for (let k = 0; k <= n; k++) {
    if (k === 0) out.push(0);
    else if (k === n) out.push(1);
    else if (!elliptic && !hyperbolic) out.push(k / n);
    else out.push((1 + tau(half * ((2 * k) / n - 1)) / t0) / 2);
  }
  return out;
}

/** tanh(x/2) = (eˣ − 1)/(eˣ + 1), from the fdlibm exp (docs/design.md §8.5). */
function tanhHalf(x: number): number {
  if (x > 40) return 1;
  if (x < -40) return -1;
  const e = dm.exp(x);
  return (e - 1) / (e + 1);
}

/** |u − 1| / (2(1 + u)) · |B − M|: how far the quadratic's shoulder lies from the arc's (see the header). */
export function quadraticErrorEstimate(arc: ConicArc): number {
  const mx = (arc.a.x + arc.c.x) / 2,
    my = (arc.a.y + arc.c.y) / 2;
  return (Math.abs(arc.u - 1) / (2 * (1 + arc.u))) * dm.hypot(arc.b.x - mx, arc.b.y - my);
}

/** Two-sided Hausdorff distance between an arc and the quadratic on its control triangle, px (sampled, see the header). */
export function arcQuadraticDeviation(arc: ConicArc): number {
  if (Math.abs(arc.u - 1) < 1e-15) return 0;
  const q: ConicArc = { a: arc.a, b: arc.b, c: arc.c, u: 1 };
  const { samples, window, steps, peaks, margin } = INTERVAL_CHECK;
  return margin * curveHausdorff(arcLengthEvaluator(arcEvaluator(arc)), arcLengthEvaluator(arcEvaluator(q)), samples, window, steps, peaks);
}

/** The n equal-weight sub-arcs of `arc`, in order. */
export function splitArcEqually(arc: ConicArc, n: number): ConicArc[] {
  const s = equalWeightSplits(arc.u, n);
  const out: ConicArc[] = [];
  for (let k = 0; k < n; k++) out.push(subArc(arc, s[k], s[k + 1]));
  // Exact shared ends (the blossom reproduces them to rounding only).
  out[0].a = arc.a;
  out[n - 1].c = arc.c;
  return out;
}

/** A conversion of arcs to quadratics: the number of quadratics per arc, their control points, and the measured error. */
export interface QuadraticSplit {
  /** Quadratics per arc (the same for every arc given). */
  n: number;
  /** Sub-arcs per arc, in order (each becomes the quadratic on its control triangle). */
  arcs: ConicArc[][];
  /** Largest measured Hausdorff distance between a sub-arc and its quadratic, px (margin included). */
  deviation: number;
}

/**
 * The fewest equal-weight quadratics per arc, the same n for every arc given (so the joints
 * between them stay implied midpoints), such that each is within `tol` px of its sub-arc.
 * n starts from the shoulder estimate (which scales like the weight's distance from 1, roughly
 * 1/n² per arc) and grows until the measured distance is within `tol`; null past
 * `MAX_QUADRATICS_PER_ARC`.
 *
 * @example arcsToQuadratics([{a:{x:100,y:0}, b:{x:100,y:100}, c:{x:0,y:100}, u:Math.SQRT1_2}], 0.05)?.n // 3
 */
export function arcsToQuadratics(arcs: readonly ConicArc[], tol: number): QuadraticSplit | null {
  // The shoulder estimate falls like 1/n⁴ (the weight's distance from 1 and the triangle's height
  // both like 1/n²): start from that guess, then take the first n whose estimates are all within
  // tol, and confirm with the measured distance (which test/font-conversion.test.ts finds below
  // the estimate on every random arc).
  let n = 1;
  for (const arc of arcs) n = Math.max(n, Math.floor(Math.sqrt(Math.sqrt(quadraticErrorEstimate(arc) / tol))));
  for (; n <= MAX_QUADRATICS_PER_ARC; n++) {
    const split = arcs.map((arc) => splitArcEqually(arc, n));
    if (split.some((parts) => parts.some((part) => quadraticErrorEstimate(part) > tol))) continue;
    let deviation = 0;
    for (const parts of split) for (const part of parts) deviation = Math.max(deviation, arcQuadraticDeviation(part));
    if (deviation <= tol) return { n, arcs: split, deviation };
  }
  return null;
}

/** The curve of a quadratic spline given by its start, off-curve points (joints at their midpoints) and end, on [0, 1]. */
export function quadraticSplineEvaluator(start: Point, controls: readonly Point[], end: Point): CurveEvaluator {
  const m = controls.length;
  return (t, out) => {
    const k = Math.min(m - 1, Math.floor(t * m));
    const s = t * m - k;
    const c = controls[k];
    const p = k === 0 ? start : { x: (controls[k - 1].x + c.x) / 2, y: (controls[k - 1].y + c.y) / 2 };
    const q = k === m - 1 ? end : { x: (controls[k + 1].x + c.x) / 2, y: (controls[k + 1].y + c.y) / 2 };
    const r = 1 - s;
    out[0] = r * r * p.x + 2 * r * s * c.x + s * s * q.x;
    out[1] = r * r * p.y + 2 * r * s * c.y + s * s * q.y;
  };
}
