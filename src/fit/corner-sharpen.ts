/**
 * Sharp corners at their true vertex (conic mode, after merging): each corner knot moves to where
 * its two arms meet, without the tolerance clamp of cornerPosition, when both arms are fitted and
 * the move keeps every nearby pixel centre on its side.
 *
 * Reads: the fit context and the knots and pieces after merging (and cornersOnFittedLines).
 * Produces: corner knots moved in place, their two pieces refitted.
 * Method (docs/design.md §10.5): the data round every corner off (coverage sums at a blurred or
 * anti-aliased corner, the staircase at a bilevel one), so the arms are fitted past that zone and
 * intersected, when each arm fits its data as a line and the intersection is as near the data as
 * a sharp corner's would be (a corner rounded in the image keeps its knot); the move is kept only
 * when both refitted pieces stay within the bounds and no
 * pixel centre near the corner changes side against the data's outline (the region between the
 * new outline and the contour holds no more pixel centres than before): on a bilevel image the
 * contour is the boundary of the ink pixels, so that is the image's own evidence. Anti-aliased
 * corners whose sides are too short for an arm get short arms instead (sharpenShortSides), the
 * move kept only when the outline's exact-area coverage predicts the data near the corner as well
 * as before (§10.5 step 6).
 */
import { mod } from '../geometry/cyclic.js';
import { pieceEvaluator } from '../geometry/curves.js';
import type { FittedPiece } from '../model.js';
import type { FitContext } from './context.js';
import { armIntersection, armOffset, CUT_RADIUS_SUBPIXEL, CUT_WINDOW, cutBound, distanceToData, lineThrough, SIDE_END_POINTS } from './corner-knots.js';
import { curvedArm, nearArm } from './corner-notch.js';
import { COVERAGE_MAX_ERROR, coverageInsideLeft, coverageMismatch, outlineSegments, samplesFor } from './corner-coverage.js';
import { exceeds, fitInterval } from './interval.js';
import { movedKnot, neighbourKnots, type WorkKnot } from './knots.js';
import { oneSidedTangent, type Arm } from './tangents.js';
import * as dm from '../geometry/fdlibm.js';

/** Moves each corner knot to its arms' intersection where the checks allow (see the file comment). */
export function sharpenCorners(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  const { n } = ctx;
  const count = knots.length;
  if (count < 2) return;
  for (let i = 0; i < count; i++) {
    const k = knots[i];
    if (k.kind !== 'corner') continue;
    const prev = mod(i - 1, count);
    const [a, b] = neighbourKnots(knots, i, n);
    const atN = mod(k.at, n);
    const reach = ctx.o.tangentReach;
    // A side's arm may reach to the neighbouring corner, past any intermediate knot between.
    const [backRoom, outRoom] = roomToCorners(knots, i, n);
    let back =
      (pieces[prev].kind === 'line' && lineArm(ctx, k.at, a.at, reach)) || oneSidedTangent(ctx, atN, -1, reach, Math.max(1, backRoom - SIDE_END_POINTS));
    let out = (pieces[i].kind === 'line' && lineArm(ctx, k.at, b.at, reach)) || oneSidedTangent(ctx, atN, 1, reach, Math.max(1, outRoom - SIDE_END_POINTS));
    // Each arm must fit its data: on a smooth bend mistaken for a corner the arms are chords of a curve.
    if (!armFits(ctx, atN, -1, back, reach, backRoom) || !armFits(ctx, atN, 1, out, reach, outRoom)) {
      // An anti-aliased side too short to fit an arm: short arms, checked against the coverage
      // (§10.5 step 6). A fitted arm that fails its check is a curve's chord: that corner is left,
      // unless it is a bilevel notch whose other arm is straight (step 7).
      if (ctx.subpixel) {
        if (!back[4] || !out[4]) sharpenShortSides(ctx, knots, pieces, i, a, b, backRoom, outRoom);
        continue;
      }
      const backFits = back[4] && armFits(ctx, atN, -1, back, reach, backRoom);
      const outFits = out[4] && armFits(ctx, atN, 1, out, reach, outRoom);
      if (backFits === outFits) continue;
      // The straight side's arm over the same window as the curved one: a side that bends farther
      // out tilts its own arm.
      const straight = nearArm(ctx, atN, backFits ? -1 : 1, backFits ? backRoom : outRoom, ARM_RMS_BILEVEL);
      if (!straight) continue;
      if (backFits) back = straight;
      else out = straight;
      const curved = curvedArm(ctx, atN, backFits ? 1 : -1, backFits ? outRoom : backRoom, straight, ARM_RMS_BILEVEL, SHARPEN_MAX_SHIFT);
      if (!curved) continue;
      if (backFits) out = curved;
      else back = curved;
    }
    const x0 = armIntersection(back, out);
    if (!x0) continue;
    const [x, y] = x0;
    const px = ctx.raw[2 * atN],
      py = ctx.raw[2 * atN + 1];
    const shift = dm.hypot(x - px, y - py);
    if (!(shift <= SHARPEN_MAX_SHIFT) || dm.hypot(x - k.x, y - k.y) < SHARPEN_MIN_MOVE) continue;
    const toData = Math.min(distanceToData(ctx, atN, x, y, -CUT_WINDOW), distanceToData(ctx, atN, x, y, CUT_WINDOW));
    if (!(toData <= cutBound(back, out, ctx.subpixel ? CUT_RADIUS_SUBPIXEL : CUT_RADIUS_BILEVEL))) continue;
    const refit = refitAt(ctx, k, a, b, x, y, back, out);
    if (!refit) continue;
    const [, left, right] = refit;
    const radius = shift + SIDE_CHECK_RADIUS;
    const before = centresOffSide(ctx, pieces[prev], pieces[i], a.at, k.at, b.at, px, py, radius);
    const after = centresOffSide(ctx, left, right, a.at, k.at, b.at, px, py, radius);
    if (after > before) continue;
    applyMove(knots, pieces, i, refit);
  }
}

/**
 * A corner between short anti-aliased sides (docs/design.md §10.5 step 6): each side's arm is the
 * total-least-squares line through a few raw points next to the corner (from SHORT_ARM_STARTS
 * points out, SHORT_ARM_POINTS long, within the side), every pair is intersected and checked as
 * in sharpenCorners (shift, a wider cut bound), and the candidates whose chord outline a → X → b
 * best predicts the data near the corner (corner-coverage.ts) are refitted; one is taken when its
 * pieces keep the bounds and predict those data about as well as the current ones
 * (COVERAGE_SLACK), none off by over COVERAGE_MAX_ERROR.
 */
function sharpenShortSides(
  ctx: FitContext,
  knots: WorkKnot[],
  pieces: FittedPiece[],
  i: number,
  a: WorkKnot,
  b: WorkKnot,
  backRoom: number,
  outRoom: number,
): void {
  const { n } = ctx;
  const count = knots.length;
  const k = knots[i];
  const prev = mod(i - 1, count);
  const atN = mod(k.at, n);
  const px = ctx.raw[2 * atN],
    py = ctx.raw[2 * atN + 1];
  const inkLeft = coverageInsideLeft(ctx);
  // The outline around the corner: the neighbouring pieces too, whose rows the check may reach.
  const outer = [pieces[mod(i - 2, count)], pieces[mod(i + 1, count)]].filter((_, s) => count > 2 + s);
  // Every data point near the corner counts, up to the ends of the outer pieces.
  const from = knots[mod(i - 2, count)].at,
    to = knots[mod(i + 2, count)].at;
  const lo = count > 2 ? k.at - (mod(k.at - from, n) || n) : a.at,
    hi = count > 2 ? k.at + (mod(to - k.at, n) || n) : b.at;
  // Outline segments near the corner, sampled once: the outer pieces, and the current two.
  const outerSegs = outlineSegments(outer, px, py, SHARPEN_MAX_SHIFT, []);
  const currentSegs = outlineSegments([pieces[prev], pieces[i]], px, py, SHARPEN_MAX_SHIFT, outerSegs.slice());
  // Candidates, screened on the outline a → X → b (cheap; the refitted pieces lie close to it).
  const candidates: { x: number; y: number; back: Arm; out: Arm; before: number; screen: number }[] = [];
  for (const startBack of SHORT_ARM_STARTS) {
    const back = shortArm(ctx, k.at, -1, startBack, backRoom);
    if (!back) continue;
    for (const startOut of SHORT_ARM_STARTS) {
      const out = shortArm(ctx, k.at, 1, startOut, outRoom);
      if (!out) continue;
      const x0 = armIntersection(back, out);
      if (!x0) continue;
      const [x, y] = x0;
      if (!(dm.hypot(x - px, y - py) <= SHARPEN_MAX_SHIFT) || dm.hypot(x - k.x, y - k.y) < SHARPEN_MIN_MOVE) continue;
      // Arms from overlapping points often meet at the same place.
      if (candidates.some((c) => dm.hypot(x - c.x, y - c.y) < SHORT_ARM_SAME)) continue;
      const toData = Math.min(distanceToData(ctx, atN, x, y, -CUT_WINDOW), distanceToData(ctx, atN, x, y, CUT_WINDOW));
      // The data next to a corner are a chord of points 1 px apart (§13.1), which cuts a square
      // vertex by ~0.5 px beyond the coverage's own rounding: the coverage check decides the rest.
      if (!(toData <= cutBound(back, out, CUT_RADIUS_SUBPIXEL) + SHORT_CUT_SLACK)) continue;
      const [before] = coverageMismatch(ctx, currentSegs, k.at, lo, hi, px, py, x, y, inkLeft);
      const chord = outerSegs.concat([a.x, a.y, x, y, x, y, b.x, b.y]);
      const [screen] = coverageMismatch(ctx, chord, k.at, lo, hi, px, py, x, y, inkLeft);
      candidates.push({ x, y, back, out, before, screen: screen - before });
    }
  }
  candidates.sort((c, d) => c.screen - d.screen);
  let chosen: [WorkKnot, FittedPiece, FittedPiece] | null = null;
  for (let c = 0; c < Math.min(candidates.length, SHORT_ARM_REFITS) && !chosen; c++) {
    const { x, y, back, out, before } = candidates[c];
    const refit = refitAt(ctx, k, a, b, x, y, back, out);
    if (!refit) continue;
    // The data near the old and the new corner, predicted by the old and the new outline: a
    // rounded corner's data, sharpened, come out too far; a sharp one's fit as well or better.
    // A corner rounded in the image also gets no sharp knot when its pieces were as far off.
    const movedSegs = outlineSegments([refit[1], refit[2]], px, py, SHARPEN_MAX_SHIFT, outerSegs.slice());
    const [mismatch, worst] = coverageMismatch(ctx, movedSegs, k.at, lo, hi, px, py, x, y, inkLeft);
    if (mismatch <= before + COVERAGE_SLACK && worst <= COVERAGE_MAX_ERROR) chosen = refit;
  }
  if (chosen) applyMove(knots, pieces, i, chosen);
}

/** Puts corner i's moved knot and its two refitted pieces in place (their bounds were checked). */
function applyMove(knots: WorkKnot[], pieces: FittedPiece[], i: number, [moved, left, right]: [WorkKnot, FittedPiece, FittedPiece]): void {
  left.report.withinTolerance = right.report.withinTolerance = true;
  knots[i] = moved;
  pieces[mod(i - 1, knots.length)] = left;
  pieces[i] = right;
}

/**
 * The corner knot k moved to (x, y) with the arms `back` and `out` as its tangents (its data point
 * measured in the piece whose arm it lies nearer, §10.3), and its two pieces refitted; null when
 * either breaks the bounds.
 */
function refitAt(
  ctx: FitContext,
  k: WorkKnot,
  a: WorkKnot,
  b: WorkKnot,
  x: number,
  y: number,
  back: Arm,
  out: Arm,
): [WorkKnot, FittedPiece, FittedPiece] | null {
  const atN = mod(k.at, ctx.n);
  const px = ctx.raw[2 * atN],
    py = ctx.raw[2 * atN + 1];
  const moved = movedKnot(k, x, y, -back[0], -back[1], out[0], out[1], armOffset(px, py, x, y, back) <= armOffset(px, py, x, y, out) ? 'in' : 'out');
  const left = fitInterval(ctx, a, moved);
  if (exceeds(ctx, left.report)) return null;
  const right = fitInterval(ctx, moved, b);
  if (exceeds(ctx, right.report)) return null;
  return [moved, left, right];
}

/**
 * A short arm: the total-least-squares line through the raw points `start` to `start` +
 * SHORT_ARM_POINTS − 1 steps from the corner at index `at` along `dir`, stopping one point short of
 * the neighbouring corner `room` points away; tangent pointing away from the corner. Null under 2
 * points, under SHORT_ARM_SPAN px, or when the points scatter by more than ARM_RMS_SUBPIXEL.
 */
function shortArm(ctx: FitContext, at: number, dir: 1 | -1, start: number, room: number): Arm | null {
  const end = Math.min(start + SHORT_ARM_POINTS - 1, room - 1);
  if (end - start + 1 < 2) return null;
  const first = dir > 0 ? at + start : at - end,
    last = dir > 0 ? at + end : at - start;
  const { n, raw } = ctx;
  const f = mod(first, n),
    l = mod(last, n);
  if (dm.hypot(raw[2 * l] - raw[2 * f], raw[2 * l + 1] - raw[2 * f + 1]) < SHORT_ARM_SPAN) return null;
  return lineThrough(ctx, at, first, last, ARM_RMS_SUBPIXEL);
}

/** Points from knot i back to the previous corner knot and on to the next one (the whole contour when i is the only corner). */
function roomToCorners(knots: WorkKnot[], i: number, n: number): [number, number] {
  const count = knots.length;
  let back = n,
    out = n;
  for (let s = 1; s < count; s++) {
    const q = knots[mod(i - s, count)];
    if (q.kind === 'corner') {
      back = mod(knots[i].at - q.at, n) || n;
      break;
    }
  }
  for (let s = 1; s < count; s++) {
    const q = knots[mod(i + s, count)];
    if (q.kind === 'corner') {
      out = mod(q.at - knots[i].at, n) || n;
      break;
    }
  }
  return [back, out];
}

/**
 * A line piece's arm: the total-least-squares line (centroid and principal axis) through the raw
 * points from `reach` px of arc length past the corner at index `at` to SIDE_END_POINTS short of the
 * far knot at `end` (either direction); tangent pointing away from the corner. Null under 4 points.
 */
function lineArm(ctx: FitContext, at: number, end: number, reach: number): Arm | null {
  const { n, raw } = ctx;
  const dir = end > at ? 1 : -1;
  const last = end - dir * SIDE_END_POINTS;
  // A side shorter than its end points has no arm (and the walk below must not pass its end:
  // on repeated points the arc length never reaches `reach`).
  if ((last - at) * dir < 4) return null;
  let first = at,
    s = 0;
  while (first !== last && s < reach) {
    const p = mod(first, n),
      q = mod(first + dir, n);
    s += dm.hypot(raw[2 * q] - raw[2 * p], raw[2 * q + 1] - raw[2 * p + 1]);
    first += dir;
  }
  if ((last - first) * dir + 1 < 4) return null;
  return lineThrough(ctx, at, Math.min(first, last), Math.max(first, last), Infinity);
}

/**
 * Whether the raw points from `reach` to ARM_CHECK_REACH·reach of arc length along direction `dir`
 * from point i (at most `room` − SIDE_END_POINTS points) lie within ARM_RMS (RMS, by point kind)
 * of the arm's line: a straight side does, a curve's chord does not.
 */
function armFits(ctx: FitContext, i: number, dir: 1 | -1, arm: Arm, reach: number, room: number): boolean {
  const { n, raw } = ctx;
  const [tx, ty, qx, qy] = arm;
  let s = 0,
    sum = 0,
    count = 0;
  // Step by the previous index (i + dir·(k − 1) is −0 at k = 1 when dir = −1: a heap number that
  // turned `mod` generic and slowed every caller, corner detection twice over).
  for (let k = 1, p = i; k <= room - SIDE_END_POINTS; k++) {
    const q = mod(p + dir, n);
    s += dm.hypot(raw[2 * q] - raw[2 * p], raw[2 * q + 1] - raw[2 * p + 1]);
    p = q;
    if (s > ARM_CHECK_REACH * reach) break;
    if (s < reach) continue;
    const d = (raw[2 * q] - qx) * ty - (raw[2 * q + 1] - qy) * tx;
    sum += d * d;
    count++;
  }
  const limit = ctx.subpixel ? ARM_RMS_SUBPIXEL : ARM_RMS_BILEVEL;
  return count > 0 && Math.sqrt(sum / count) <= limit;
}

/**
 * Pixel centres within `radius` of (cx, cy) that lie between the outline (piece `inPiece` into the
 * corner, then `outPiece`) and the contour's own points from index `from` to `to`: the centres whose
 * side the outline changes. Both are cut to the points within radius + CUT_MARGIN of the centre and
 * closed into one polygon; a centre counts when its winding number is not 0.
 */
function centresOffSide(
  ctx: FitContext,
  inPiece: FittedPiece,
  outPiece: FittedPiece,
  from: number,
  at: number,
  to: number,
  cx: number,
  cy: number,
  radius: number,
): number {
  const cut = radius + CUT_MARGIN;
  const poly: number[] = [];
  // Outline: the tail of the piece into the corner, the head of the piece out of it.
  const tail: number[] = [];
  const inSamples = samplesFor(inPiece),
    outSamples = samplesFor(outPiece);
  // Sampled into a Float64Array: the fit's hot loops call rationalQuadratic on those only (§18.30).
  const p = new Float64Array(2);
  const inCurve = pieceEvaluator(inPiece),
    outCurve = pieceEvaluator(outPiece);
  for (let s = inSamples; s >= 0; s--) {
    inCurve(s / inSamples, p);
    if (dm.hypot(p[0] - cx, p[1] - cy) > cut && s < inSamples) break;
    tail.push(p[0], p[1]);
  }
  for (let k = tail.length - 2; k >= 0; k -= 2) poly.push(tail[k], tail[k + 1]);
  for (let s = 1; s <= outSamples; s++) {
    outCurve(s / outSamples, p);
    poly.push(p[0], p[1]);
    if (dm.hypot(p[0] - cx, p[1] - cy) > cut) break;
  }
  // Back along the contour, from past the corner to before it.
  const { n, raw } = ctx;
  let last = at;
  while (last < to && dm.hypot(raw[2 * mod(last, n)] - cx, raw[2 * mod(last, n) + 1] - cy) <= cut) last++;
  let first = at;
  while (first > from && dm.hypot(raw[2 * mod(first, n)] - cx, raw[2 * mod(first, n) + 1] - cy) <= cut) first--;
  for (let q = last; q >= first; q--) poly.push(raw[2 * mod(q, n)], raw[2 * mod(q, n) + 1]);
  let offSide = 0;
  const r2 = radius * radius;
  for (let gy = Math.floor(cy - radius); gy <= Math.ceil(cy + radius); gy++) {
    for (let gx = Math.floor(cx - radius); gx <= Math.ceil(cx + radius); gx++) {
      const x = gx + 0.5,
        y = gy + 0.5;
      if ((x - cx) * (x - cx) + (y - cy) * (y - cy) > r2) continue;
      if (winding(poly, x, y) !== 0) offSide++;
    }
  }
  return offSide;
}

/** Winding number of the closed polygon `poly` (interleaved x, y) around (x, y) (Sunday's crossing rule). */
function winding(poly: number[], x: number, y: number): number {
  let w = 0;
  const m = poly.length / 2;
  for (let k = 0; k < m; k++) {
    const x0 = poly[2 * k],
      y0 = poly[2 * k + 1];
    const k1 = k + 1 < m ? k + 1 : 0;
    const x1 = poly[2 * k1],
      y1 = poly[2 * k1 + 1];
    const side = (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0);
    if (y0 <= y) {
      if (y1 > y && side > 0) w++;
    } else if (y1 <= y && side < 0) w--;
  }
  return w;
}

/** Largest move from the corner's data point, px: an acute tip's data may stop ~2.5 px short of its vertex. */
const SHARPEN_MAX_SHIFT = 3;
/** Radius to which the 50 % contour of bilevel data (the staircase) rounds a sharp corner, px (see cutBound). */
const CUT_RADIUS_BILEVEL = 1;
/** The arm check spans the arm's own window, reach to 4·reach (oneSidedTangent). */
const ARM_CHECK_REACH = 4;
/** RMS of a straight side's data about its line: a bilevel staircase scatters up to ~0.35 px (docs/design.md §18.19), coverage points ~0.05. */
const ARM_RMS_BILEVEL = 0.4;
const ARM_RMS_SUBPIXEL = 0.12;
/** Smallest move worth two refits, px (as CORNER_LINE_MIN_MOVE). */
const SHARPEN_MIN_MOVE = 0.1;
/** Pixel centres checked: within this distance of the data point, beyond the move itself, px. */
const SIDE_CHECK_RADIUS = 2;
/** Start (points from the corner) of each short arm tried, and its number of points (sharpenShortSides). */
const SHORT_ARM_STARTS = [1, 2, 3];
const SHORT_ARM_POINTS = 4;
/** Shortest span of a short arm's points, px: two points closer than this pin no direction. */
const SHORT_ARM_SPAN = 0.9;
/** Extra room of the cut bound for short arms, px (see sharpenShortSides). */
const SHORT_CUT_SLACK = 0.35;
/** How much worse (sum of squares, px²) the new outline may predict those points: one point off by 0.07 px. */
const COVERAGE_SLACK = 0.005;
/** Candidates refitted and checked per corner, best screened first (sharpenShortSides). */
const SHORT_ARM_REFITS = 1;
/** Intersections closer than this are one candidate, px. */
const SHORT_ARM_SAME = 0.02;
/** Outline and contour are cut this far beyond the checked disc, so the closing chords pass outside it, px. */
const CUT_MARGIN = 1.5;
