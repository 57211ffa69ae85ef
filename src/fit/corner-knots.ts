/**
 * Where corner knots go: at the meeting point of their fitted arms, and later (conic mode) of
 * their sides' fitted lines.
 *
 * Reads: the fit context, a corner's index and its two fitted arms (oneSidedTangent); for the
 * pass, the knots and pieces after merging. Produces: a corner position (cornerPosition, bounded
 * by CORNER_MAX_SHIFT / CORNER_MAX_SHIFT_SUBPIXEL tolerances from the data point, and kept off
 * the arms' intersection where the coverage shows the corner rounded, sharpInImage); the pass moves
 * corners next to line pieces in place, refitting both pieces (cornersOnFittedLines).
 * Method: intersection of two lines q_b + s·t_b and q_o + r·t_o by the 2-D cross product; a side's
 * line is its total-least-squares line (centroid and principal axis, angle ½·atan2(2sxy, sxx − syy)).
 * docs/design.md §10.
 */
import { mod } from '../geometry/cyclic.js';
import { pointSegmentDistance2 } from '../geometry/segment.js';
import { lineRms, totalLeastSquaresLine as pointsLine } from '../geometry/line-fit.js';
import type { FittedPiece, PieceReport } from '../model.js';
import { COVERAGE_CHECK_RADIUS, COVERAGE_MAX_ERROR, COVERAGE_SPAN, coverageInsideLeft, coverageMismatch } from './corner-coverage.js';
import type { FitContext } from './context.js';
import { exceeds, fitInterval } from './interval.js';
import { knotAt, movedKnot, type WorkKnot } from './knots.js';
import type { Arm } from './tangents.js';
import * as dm from '../geometry/fdlibm.js';

/**
 * Where a corner knot goes: where its two fitted arms, extended as their tangent lines, meet, within
 * CORNER_MAX_SHIFT (CORNER_MAX_SHIFT_SUBPIXEL on anti-aliased data) of its data point; nearly
 * straight corners, cusps and unfitted arms keep the data point (docs/design.md §10.2).
 */
export function cornerPosition(ctx: FitContext, i: number, back: Arm, out: Arm): [number, number] {
  const px = ctx.raw[2 * i],
    py = ctx.raw[2 * i + 1];
  const meet = armIntersection(back, out);
  if (meet === null) return [px, py];
  const [x, y] = meet;
  const shift = dm.hypot(x - px, y - py);
  const limit = ctx.o.tolerance * CORNER_MAX_SHIFT;
  if (shift <= limit) return [x, y];
  // Anti-aliased data pin the arms well enough to go further, while both pieces can stay within
  // tolerance of their data: the knot near the data (no spike where an arm was extrapolated past
  // a short or curved neighbour), and the corner's data point near one arm (the piece it is
  // checked in, see WorkKnot.dataSide).
  if (ctx.subpixel && shift <= ctx.o.tolerance * CORNER_MAX_SHIFT_SUBPIXEL) {
    const near = ctx.o.tolerance * CORNER_MARGIN;
    if (
      Math.min(armOffset(px, py, x, y, back), armOffset(px, py, x, y, out)) <= near &&
      Math.min(distanceToData(ctx, i, x, y, -CORNER_DATA_WINDOW), distanceToData(ctx, i, x, y, CORNER_DATA_WINDOW)) <= near
    ) {
      return sharpInImage(ctx, i, back, out, x, y) ?? [x, y];
    }
  }
  return [px + ((x - px) * limit) / shift, py + ((y - py) * limit) / shift];
}

/**
 * Where two fitted arms' lines meet (each through its arm point, along its tangent), or null when
 * an arm is unfitted, the arms turn by less than CORNER_MIN_TURN from straight or from a cusp (an
 * ill-conditioned intersection), or the intersection is not finite (docs/design.md §10.2).
 */
export function armIntersection(back: Arm, out: Arm): [number, number] | null {
  if (!back[4] || !out[4]) return null;
  // Lines q_b + s·t_b and q_o + r·t_o; both tangents point away from the corner.
  const [bx, by, qbx, qby] = back;
  const [ox, oy, qox, qoy] = out;
  const cross = bx * oy - by * ox;
  if (Math.abs(cross) < dm.sin((CORNER_MIN_TURN * Math.PI) / 180)) return null;
  const s = ((qox - qbx) * oy - (qoy - qby) * ox) / cross;
  const x = qbx + s * bx,
    y = qby + s * by;
  return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null;
}

/** Distance from (px, py) to an arm's line through the knot (x, y). */
export function armOffset(px: number, py: number, x: number, y: number, arm: Arm): number {
  return Math.abs((px - x) * arm[1] - (py - y) * arm[0]);
}

/** Distance from (x, y) to the data polyline from point i to point i + k (k < 0: behind i). */
export function distanceToData(ctx: FitContext, i: number, x: number, y: number, k: number): number {
  const { n, raw } = ctx;
  let best = Infinity;
  for (let s = Math.min(0, k); s < Math.max(0, k); s++) {
    const a = mod(i + s, n),
      b = mod(a + 1, n);
    best = Math.min(best, pointSegmentDistance2(x, y, raw[2 * a], raw[2 * a + 1], raw[2 * b], raw[2 * b + 1]));
  }
  return Math.sqrt(best);
}

/**
 * The sub-pixel rule's consistency test (docs/design.md §10.2, §18.43): null when the arms'
 * intersection (x, y) is as near the data as a sharp corner's would be (cutBound), or when the
 * image's coverage agrees with a sharp corner there (the chord outline along both arms through
 * (x, y) predicts the data near the corner, coverageMismatch, none off by more than
 * COVERAGE_MAX_ERROR); otherwise (a corner rounded in the image: a V whose round the data follow) the
 * position on P → X at cutBound from the data.
 */
function sharpInImage(ctx: FitContext, i: number, back: Arm, out: Arm, x: number, y: number): [number, number] | null {
  const bound = cutBound(back, out, CUT_RADIUS_SUBPIXEL);
  const far = Math.min(distanceToData(ctx, i, x, y, -CUT_WINDOW), distanceToData(ctx, i, x, y, CUT_WINDOW));
  if (far <= bound) return null;
  const px = ctx.raw[2 * i],
    py = ctx.raw[2 * i + 1];
  const shift = dm.hypot(x - px, y - py);
  // Long enough that every row the check reads crosses the arms, not past their ends.
  const length = shift + COVERAGE_CHECK_RADIUS + COVERAGE_SPAN + 1;
  const chord = [x + length * back[0], y + length * back[1], x, y, x, y, x + length * out[0], y + length * out[1]];
  const [, worst] = coverageMismatch(ctx, chord, i, i - CUT_WINDOW, i + CUT_WINDOW, px, py, x, y, coverageInsideLeft(ctx));
  if (worst <= COVERAGE_MAX_ERROR) return null;
  // Back along P → X until X's distance to the data is the bound (distance falls about linearly with t).
  const t = Math.max(0, 1 - (far - bound) / Math.max(shift, 1e-9));
  return [px + t * (x - px), py + t * (y - py)];
}

/**
 * How far anti-aliased data may stop short of a sharp corner whose arms are `back` and `out`, px:
 * the 50 % contour rounds a corner of interior angle α with a radius of about CUT_RADIUS, which
 * leaves it CUT_RADIUS·(1/sin(α/2) − 1) from the vertex (0.21 px at 90°, 1.4 px at 30°), plus
 * CUT_SLACK. A corner whose data stop farther off is rounded in the image (a logo's 1.5 px
 * rounding stops 0.6 px short at 90°) and keeps its knot.
 */
export function cutBound(back: Arm, out: Arm, radius: number): number {
  // The arms point away from the corner: cos α = their dot product.
  const cosAlpha = back[0] * out[0] + back[1] * out[1];
  const sinHalf = Math.sqrt(Math.max(0, (1 - cosAlpha) / 2));
  return radius * (1 / Math.max(sinHalf, 1e-3) - 1) + CUT_SLACK;
}

/** Radius to which the 50 % contour of anti-aliased data rounds a sharp corner, px (see cutBound). */
export const CUT_RADIUS_SUBPIXEL = 0.5;
/** Points either side of the corner's data point searched for the data nearest the new knot. */
export const CUT_WINDOW = 12;
/** Room for noise and the arms' own error, px (see cutBound). */
const CUT_SLACK = 0.3;

/** Corners whose arms turn by less than this (degrees) keep their data point (see cornerPosition). */
const CORNER_MIN_TURN = 20;
/** Largest move of a corner knot from its data point, in tolerances (docs/design.md §10.2, §18.8). */
const CORNER_MAX_SHIFT = 0.5;
/**
 * The same for anti-aliased data, whose arms are well pinned, while both pieces can stay within
 * tolerance; bilevel corners keep CORNER_MAX_SHIFT (docs/design.md §10.2, §18.9).
 */
const CORNER_MAX_SHIFT_SUBPIXEL = 1.5;
/** Points either side of a corner that `distanceToData` measures against. */
const CORNER_DATA_WINDOW = 8;
/** The checks of that rule use this fraction of the tolerance, leaving room for the pieces' own bending. */
const CORNER_MARGIN = 0.9;

/**
 * Conic mode: a corner next to a line piece moves to where its sides' fitted lines meet (a whole
 * side pins its line better than the arms do), kept only when both refitted pieces stay within the
 * bounds and get closer to their data (docs/design.md §10.4, §18.10).
 */
export function cornersOnFittedLines(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  const { n, o } = ctx;
  const count = knots.length;
  if (count < 3) return;
  for (let i = 0; i < count; i++) {
    const k = knots[i];
    const prev = mod(i - 1, count),
      next = mod(i + 1, count);
    const inLine = pieces[prev].kind === 'line',
      outLine = pieces[i].kind === 'line';
    if (k.kind !== 'corner' || (!inLine && !outLine)) continue;
    // Unwrap so that a.at < k.at < b.at (as in mergeRedundantKnots).
    const a = prev > i ? knotAt(knots[prev], knots[prev].at - n) : knots[prev];
    const b = next < i ? knotAt(knots[next], knots[next].at + n) : knots[next];
    const sideIn = inLine ? sideLine(ctx, a.at, k.at) : ([k.x, k.y, k.inX, k.inY] as SideLine);
    const sideOut = outLine ? sideLine(ctx, k.at, b.at) : ([k.x, k.y, k.outX, k.outY] as SideLine);
    if (!sideIn || !sideOut) continue;
    const [ax, ay, adx, ady] = sideIn,
      [bx, by, bdx, bdy] = sideOut;
    const cross = adx * bdy - ady * bdx;
    if (Math.abs(cross) < dm.sin((CORNER_MIN_TURN * Math.PI) / 180)) continue;
    const s = ((bx - ax) * bdy - (by - ay) * bdx) / cross;
    const x = ax + s * adx,
      y = ay + s * ady;
    const at = mod(k.at, n);
    const px = ctx.raw[2 * at],
      py = ctx.raw[2 * at + 1];
    if (!(dm.hypot(x - px, y - py) <= o.tolerance * CORNER_LINE_SHIFT)) continue;
    if (!(dm.hypot(x - k.x, y - k.y) >= CORNER_LINE_MIN_MOVE)) continue;
    // Tangents in the direction of travel: into the corner, then out of it.
    const inSign = (x - ax) * adx + (y - ay) * ady >= 0 ? 1 : -1;
    const outSign = (bx - x) * bdx + (by - y) * bdy >= 0 ? 1 : -1;
    const offIn = Math.abs((px - ax) * ady - (py - ay) * adx),
      offOut = Math.abs((px - bx) * bdy - (py - by) * bdx);
    const moved = movedKnot(
      k,
      x,
      y,
      inLine ? inSign * adx : k.inX,
      inLine ? inSign * ady : k.inY,
      outLine ? outSign * bdx : k.outX,
      outLine ? outSign * bdy : k.outY,
      offIn <= offOut ? 'in' : 'out',
    );
    const left = fitInterval(ctx, a, moved);
    const right = fitInterval(ctx, moved, b);
    if (exceeds(ctx, left.report) || exceeds(ctx, right.report)) continue;
    // Both ways every point of the two pieces is measured once (the corner's in one of them).
    const before = sumOfSquares(pieces[prev].report, a, k) + sumOfSquares(pieces[i].report, k, b);
    if (!(sumOfSquares(left.report, a, moved) + sumOfSquares(right.report, moved, b) < before)) continue;
    left.report.withinTolerance = right.report.withinTolerance = true;
    knots[i] = moved;
    pieces[prev] = left;
    pieces[i] = right;
  }
}

/** Sum of squared deviations of the points a piece from knot a to knot b measured (see fitInterval's `ends`). */
function sumOfSquares(r: PieceReport, a: WorkKnot, b: WorkKnot): number {
  const skipped = (a.kind === 'corner' && a.dataSide === 'in' ? 1 : 0) + (b.kind === 'corner' && b.dataSide === 'out' ? 1 : 0);
  return r.rms * r.rms * Math.max(1, r.pointCount - skipped);
}

/** Largest move of a corner onto its sides' fitted lines, in tolerances (cornersOnFittedLines). */
const CORNER_LINE_SHIFT = 1;
/** Smallest corner move onto the side lines worth two refits, px (docs/design.md §18.10). */
const CORNER_LINE_MIN_MOVE = 0.1;
/** Points left out at each end of a side when fitting its line: the region round a corner belongs to both sides. */
export const SIDE_END_POINTS = 2;

/** A line as a point on it and a unit direction. */
export type SideLine = [x: number, y: number, dx: number, dy: number];

/**
 * Total-least-squares line through the raw points of unwrapped indices [from, to], leaving out
 * SIDE_END_POINTS at each end: the centroid and the principal axis of the scatter matrix. Null
 * under 4 points.
 */
function sideLine(ctx: FitContext, from: number, to: number): SideLine | null {
  const first = from + SIDE_END_POINTS,
    last = to - SIDE_END_POINTS;
  return last - first + 1 < 4 ? null : totalLeastSquaresLine(ctx, first, last);
}

/** Total-least-squares line through the raw points of unwrapped indices [first, last] (first ≤ last): the centroid and the principal axis of the scatter matrix (src/geometry/line-fit.ts). */
export function totalLeastSquaresLine(ctx: FitContext, first: number, last: number): SideLine {
  return pointsLine(ctx.raw, ctx.n, first, last);
}

/**
 * The total-least-squares line through the raw points `first`..`last` (unwrapped indices) as an
 * arm of the corner at index `at` (tangent pointing away from it); null when the points lie
 * farther than `limit` (RMS) from it.
 */
export function lineThrough(ctx: FitContext, at: number, first: number, last: number, limit: number): Arm | null {
  const { n, raw } = ctx;
  const line = totalLeastSquaresLine(ctx, first, last);
  if (lineRms(raw, n, first, last, line) > limit) return null;
  const [cx, cy, dx, dy] = line;
  const c = mod(at, n);
  const sign = (cx - raw[2 * c]) * dx + (cy - raw[2 * c + 1]) * dy < 0 ? -1 : 1;
  return [sign * dx, sign * dy, cx, cy, true];
}
