/**
 * The SVG commands of one conic interval or arc (docs/design.md §15.1–§15.6), for toSvg's path
 * data (svg.ts, whose header gives the order of choice): the interval as one command where one
 * stays within `cubicTolerance` of the model as printed, else each arc exactly (`Q`, `A`) or as
 * cubics within the tolerance.
 *
 * Reads: a conic piece or arc and a PathWriter (the printed current point). Writes commands to it.
 */
import { conicPieceArcs, type ConicArc } from '../geometry/conic.js';
import { arcToCubics, ellipticArcToSvgA, svgArcPoint, svgArcToCenter } from '../geometry/conversion.js';
import { arcLengthEvaluator, conicIntervalEvaluator, cubicEvaluator, ellipticArcEvaluator, type Cubic, type CurveEvaluator } from '../geometry/curves.js';
import { arcSegmentDeviation, curveHausdorffWithin, curveWithin, INTERVAL_CHECK } from '../geometry/hausdorff.js';
import { intervalCubic } from '../geometry/interval-cubic.js';
import { intervalQuadratic, quadraticEvaluator } from '../geometry/interval-quadratic.js';
import type { Quadratic } from '../geometry/quadratic.js';
import { pointSegmentDistance2 } from '../geometry/segment.js';
import type { ConicPiece } from '../model.js';
import type { PathWriter } from './path-writer.js';
import * as dm from '../geometry/fdlibm.js';

/** Elliptic arcs (0 < u < 1) as exact `A` commands ('arc') or as cubics ('cubic'). */
export type EllipseMode = 'arc' | 'cubic';

/**
 * A conic interval as one command (`L`, one `Q`, `Q`+`T` or `C`, see svg.ts's header) when one fits;
 * false when it must be written per arc.
 */
export function writeInterval(w: PathWriter, piece: ConicPiece, tol: number): boolean {
  const { p0, v, j, w: wp, p1, u } = piece;
  const [first, second] = conicPieceArcs(piece);
  // 1. Straight: both arcs within tol of the segment as printed (from the printed current point).
  const ex = w.rounded(p1.x),
    ey = w.rounded(p1.y);
  if (Math.max(arcSegmentDeviation(first, w.x, w.y, ex, ey), arcSegmentDeviation(second, w.x, w.y, ex, ey)) <= tol) {
    w.line(p1.x, p1.y);
    return true;
  }
  // 2. One quadratic for both arcs (control point where the end tangents meet), checked as printed:
  //    4 numbers where Q+T or C take 6 (§15.1).
  const one = intervalQuadratic(piece);
  if (one !== null) {
    const printed: Quadratic = [
      { x: w.x, y: w.y },
      { x: w.rounded(one[1].x), y: w.rounded(one[1].y) },
      { x: ex, y: ey },
    ];
    // The joint J and each arc's midpoint lie on the model: one farther than tol from the quadratic
    // rules it out (a cheap lower bound that spares most intervals the full check; on a scan the check
    // alone took 10× toSvg). A rational arc (a, b, c; weight u) at t = ½ is (a + 2u·b + c) / (2 + 2u).
    const k = 2 * u,
      den = 2 + 2 * u;
    const mid1 = { x: (p0.x + k * v.x + j.x) / den, y: (p0.y + k * v.y + j.y) / den },
      mid2 = { x: (j.x + k * wp.x + p1.x) / den, y: (j.y + k * wp.y + p1.y) / den };
    const curve = quadraticEvaluator(printed);
    const off = (q: { x: number; y: number }) => pointOff(q, curve, printed);
    if (off(j) <= tol && off(mid1) <= tol && off(mid2) <= tol && printedWithin(piece, curve, tol)) {
      w.quad(one[1].x, one[1].y, p1.x, p1.y);
      return true;
    }
  }
  // 3. u = 1: Q then T (the reflection of V about J is W when J = (V + W)/2, as the model has it).
  if (Math.abs(u - 1) < 1e-12) {
    const scale = 1 + Math.max(Math.abs(j.x), Math.abs(j.y));
    if (Math.abs(v.x + wp.x - 2 * j.x) <= 1e-9 * scale && Math.abs(v.y + wp.y - 2 * j.y) <= 1e-9 * scale) {
      w.quad(v.x, v.y, j.x, j.y);
      w.smoothQuad(p1.x, p1.y);
      return true;
    }
    return false; // per arc: two exact Q
  }
  // 4. One cubic for both arcs, checked as printed.
  const q = intervalCubic({ p0, v, j, w: wp, p1, u }, tol);
  if (q === null) return false;
  const printed: Cubic = [
    { x: w.x, y: w.y },
    { x: w.rounded(q[1].x), y: w.rounded(q[1].y) },
    { x: w.rounded(q[2].x), y: w.rounded(q[2].y) },
    { x: ex, y: ey },
  ];
  if (!printedWithin(piece, cubicEvaluator(printed), tol)) return false;
  w.cubic(q[1].x, q[1].y, q[2].x, q[2].y, p1.x, p1.y);
  return true;
}

/**
 * A lower bound of the distance from a point J to the quadratic q (`curve` evaluates it): its
 * distance to the quadratic's polyline of JOINT_CHORDS chords less the largest chord sag
 * (|Q″|·h²/8, Q″ = 2(q₀ − 2q₁ + q₂) constant), never more than the true distance.
 */
function pointOff(j: { x: number; y: number }, curve: CurveEvaluator, q: Quadratic): number {
  const at = new Float64Array(2);
  let best = Infinity,
    px = q[0].x,
    py = q[0].y;
  for (let k = 1; k <= JOINT_CHORDS; k++) {
    curve(k / JOINT_CHORDS, at);
    best = Math.min(best, pointSegmentDistance2(j.x, j.y, px, py, at[0], at[1]));
    px = at[0];
    py = at[1];
  }
  const sag = (2 * dm.hypot(q[0].x - 2 * q[1].x + q[2].x, q[0].y - 2 * q[1].y + q[2].y)) / (8 * JOINT_CHORDS * JOINT_CHORDS);
  return Math.sqrt(best) - sag;
}

/** Chords of pointOff's polyline. */
const JOINT_CHORDS = 32;

/**
 * Whether a printed curve (`printed` evaluates it on [0, 1]) lies within tol of the interval: both curves sampled evenly along their
 * length (a rational arc's parameter speed varies by up to ~u² — the uniform-parameter estimate
 * missed thin-arc peaks once, see writeArc), the largest sampled distances refined to the true
 * local peaks: the estimate errs high, not low.
 */
function printedWithin(piece: ConicPiece, printed: CurveEvaluator, tol: number): boolean {
  const { samples, window, steps, peaks, margin } = INTERVAL_CHECK;
  // margin · curveHausdorff(…) ≤ tol, stopping once it cannot hold (the same answer).
  return curveHausdorffWithin(arcLengthEvaluator(conicIntervalEvaluator(piece)), arcLengthEvaluator(printed), tol, margin, samples, window, steps, peaks);
}

export function writeArc(w: PathWriter, arc: ConicArc, ellipse: EllipseMode, cubicTol: number): void {
  const { a, b, c, u } = arc;
  if (Math.abs(u - 1) < 1e-12) {
    w.quad(b.x, b.y, c.x, c.y);
    return;
  }
  if (u < 1 && ellipse === 'arc') {
    const exact = ellipticArcToSvgA(a, b, c, u);
    if (exact !== null) {
      const printed = w.arcNumbers(exact);
      // Check the arc as a renderer will see it: rounded start point and rounded parameters.
      const centre = svgArcToCenter(w.x, w.y, printed);
      if (centre !== null) {
        // Both curves sampled uniformly in angle, 64 samples, ±8, 16 golden steps; `dev` includes the
        // printed rounding, so an `A` never exceeds what the `C` fallback guarantees (docs/design.md §15.6, §18.26).
        // curveWithin decides exactly as `curveHausdorff(…) <= cubicTol`, skipping refinements that cannot matter.
        if (curveWithin(ellipticArcEvaluator(arc), (t, out) => svgArcPoint(centre, t, out), cubicTol, 64, 8, 16)) {
          w.arc(printed);
          return;
        }
      }
    }
  }
  for (const q of arcToCubics(a, b, c, u, cubicTol)) w.cubic(q[1].x, q[1].y, q[2].x, q[2].y, q[3].x, q[3].y);
}
