/**
 * Axis corners at the vertex their pixels give (conic mode, pixel-corner contours; the last bilevel
 * placement pass, docs/design.md §18.47).
 *
 * Reads: the fit context of a pixel-corner contour and its knots and pieces after the band passes
 * (§11.6–§11.9, §18.44). Produces: corner knots between two axis runs moved to that vertex, their
 * arms along the runs, their two pieces refitted.
 * Why: a bilevel pixel is ink when its coverage is at least ½, so along an axis-parallel side the ink
 * changes at the pixel edge nearest the side (its band centre), and two axis sides meeting at a 90°
 * vertex v show an L whose crossing c is v to ±½ px in each coordinate. The band passes do not keep
 * a corner there: a corner's knot is placed on its arms' least squares and the band loss, so an arm
 * that runs into a curve or a sloped side tilts and the knot stops up to 0.5 px off c (§18.47). The
 * corner pixel (the one at c between the two arms) is where coverage and the pixel-centre test part:
 * with f = (fx, fy) the vertex's offset from c into that pixel, (1 − fx)(1 − fy) of it lies on the
 * arms' side (ink at a convex corner, paper at a concave one), so it is cut (paper at a convex corner)
 * or filled (ink at a concave one) exactly when fx, fy ∈ (0, ½)
 * and (1 − fx)(1 − fy) < ½: 9.7 % of placements. Then c is the one place the vertex cannot be: f
 * lies in that curved triangle, whose centroid is f = (w, w) with
 * w = (½ ln 2 − 5/16) / (½ ln 2 − ¼) = 0.3528 (AXIS_CORNERS.cutWeight). A knot there is 0.14 px from the vertex on
 * average over the triangle and 0.38 px at most; at c it would be 0.52 and 0.71 px, at the pixel's
 * middle (where the staircase's diagonal puts a knot) 0.24 and 0.50 px. Elsewhere (neither cut nor
 * filled) the centroid of the rest of the cell is c to 0.04 px.
 * Method: per corner knot, the crack steps around its data point (within AXIS_CORNERS.reach points):
 * run A (≥ minRun cracks along one axis) into run B (≥ minRun along the other) is a clean corner,
 * the knot at their shared vertex; run A, one crack along B, one along A, then run B is a cut or
 * filled corner, the knot at c + w·(the notch's middle vertex − c). The pixels refute a
 * corner there when the fit's arm at the knot leaves more than 30° off its run (a sloped side or a
 * curve whose first tread looks like a run), or, at a notch, when a run is one tread of a regular
 * staircase (the tread past its far riser as long as itself, within one crack: a sloped side whose
 * own step makes the notch). The two pieces are refitted with the arms along the runs (a line side:
 * its chord; a conic side: its (ln u, ln λ₀, ln λ₁) on the band loss from its state, §11.6, else the
 * interval fitted afresh, §9.8) and kept when both are within the bounds measured on their data (§12),
 * without a loop, no farther than HOOK_SLACK beyond their former largest deviation or the knot's own
 * distance from the staircase, and adding no crossing with the rest of the outline (§11.8). When a
 * side is refused and the knot at its far end is an inserted one within 2 px (put there for the old
 * corner's chamfer, §9.3), that knot goes and the piece beyond it runs to the corner.
 */
import { crackHeading } from '../contours/cracks.js';
import { mod } from '../geometry/cyclic.js';
import * as dm from '../geometry/fdlibm.js';
import { pointSegmentDistance2 } from '../geometry/segment.js';
import type { FittedPiece } from '../model.js';
import { bandKnot, bandPiece, HOOK_SLACK, linePiece, spanOf } from './band.js';
import { crossingsAt } from './band-corners.js';
import { bandLoss, levenberg, loadCracks } from './band-loss.js';
import type { FitContext } from './context.js';
import { fitIntervalWithin } from './interval.js';
import { knotAt, movedKnot, neighbourKnots, type WorkKnot } from './knots.js';
import { BandWorkspace } from './workspace.js';

/** Tuning of the axis-corner step, one line each (docs/design.md §18.47). */
export const AXIS_CORNERS = Object.freeze({
  /** Fewest cracks of each axis run beside the corner. */
  minRun: 3,
  /** A cut or filled corner's knot: this fraction of the way from the crossing c to the notch's middle vertex (the centroid of the vertices the pixels allow; see the file comment). */
  cutWeight: 0.3528,
  /** At a notch, a run is one tread of a staircase when the tread past its far unit riser runs the same way and is no more than this many cracks shorter. */
  treadSlack: 1,
  /** Cosine of the largest angle between the fit's arm at the knot and its run (30°). */
  armCos: 0.866,
  /** Data points either side of a corner's own within which its crossing or notch is looked for. */
  reach: 2,
  /** A knot inserted next to a moved corner goes when the corner's side is refused and it lies within this distance (px) of the knot. */
  dropReach: 2,
  /** Points either side of a corner's data point whose segments bound the knot's distance from the staircase. */
  stairReach: 4,
});

/** Cosine below which a knot's arm counts as turned by the step (0.8°). */
const ARM_SAME = 0.9999;

/** Unit vector of crack direction d (0 +x, 1 +y, 2 −x, 3 −y; crackHeading). */
const DX = [1, 0, -1, 0],
  DY = [0, 1, 0, -1];

/** Where the pixels put an axis corner: the vertex (local coordinates) and the arriving and leaving runs' directions. */
interface AxisSite {
  x: number;
  y: number;
  dA: number;
  dB: number;
}

/**
 * Moves each corner knot between two axis runs of a pixel-corner contour to the vertex its pixels
 * give (see the file comment); knots and pieces are changed in place. Sub-pixel contours, linear
 * mode and `refine: false` are left alone (as by centreInBand).
 *
 * @example axisCorners(ctx, knots, pieces);
 */
export function axisCorners(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  if (ctx.subpixel || ctx.mode !== 'conic' || !ctx.o.refine || knots.length < 2) return;
  if (!knots.some((k) => k.kind === 'corner')) return;
  const { n, raw } = ctx;
  let bw: BandWorkspace | undefined;
  for (let i = 0; i < knots.length; i++) {
    const count = knots.length;
    const k = knots[i];
    if (k.kind !== 'corner') continue;
    const site = axisSite(ctx, k.at);
    if (!site) continue;
    const { x, y, dA, dB } = site;
    // The arms the fit found must leave along the two runs (within 30°): an oblique arm is a sloped
    // side or a curve whose first tread only looks like a run.
    if (k.inX * DX[dA] + k.inY * DY[dA] < AXIS_CORNERS.armCos || k.outX * DX[dB] + k.outY * DY[dB] < AXIS_CORNERS.armCos) continue;
    const prev = mod(i - 1, count);
    const left = pieces[prev],
      right = pieces[i];
    const [a, b] = neighbourKnots(knots, i, n);
    // A conic side's arm goes along its run; a line side's tangent is its chord.
    let ix = DX[dA],
      iy = DY[dA],
      ox = DX[dB],
      oy = DY[dB];
    if (left.kind === 'line') {
      const h = dm.hypot(x - a.x, y - a.y);
      ix = (x - a.x) / h;
      iy = (y - a.y) / h;
    }
    if (right.kind === 'line') {
      const h = dm.hypot(b.x - x, b.y - y);
      ox = (b.x - x) / h;
      oy = (b.y - y) / h;
    }
    // Already there, its arms within 0.8° of the new ones: nothing to refit (the pieces would barely change).
    if (x === k.x && y === k.y && ix * k.inX + iy * k.inY > ARM_SAME && ox * k.outX + oy * k.outY > ARM_SAME) continue;
    const atN = mod(k.at, n);
    const ex = raw[2 * atN] - x,
      ey = raw[2 * atN + 1] - y;
    // The corner's data point is checked in the piece whose arm it lies nearer (WorkKnot.dataSide).
    const moved = movedKnot(k, x, y, ix, iy, ox, oy, Math.abs(ex * iy - ey * ix) <= Math.abs(ex * oy - ey * ox) ? 'in' : 'out');
    if (!bw) {
      bw = ctx.ws.band ??= new BandWorkspace();
      loadCracks(bw, ctx);
    }
    // The knot itself lies this far from the staircase (0.65 px from a cut pixel's corner): its
    // pieces may reach that far, and HOOK_SLACK beyond it as anywhere (bandPiece, linePiece).
    const reach = staircaseDistance(raw, n, k.at, x, y);
    const l = refitted(ctx, bw, a, moved, widened(left, reach));
    const r = l && refitted(ctx, bw, moved, b, widened(right, reach));
    if (l && r) {
      if (addsCrossings(crossingsAt(pieces, prev, i, l, r), crossingsAt(pieces, prev, i, left, right))) continue;
      [knots[i], pieces[prev], pieces[i]] = [moved, l, r];
      settle(ctx, bw, knots, pieces, i);
      continue;
    }
    // A side refused may end at a knot the insertion (§9.3) put next to the old corner, where its
    // chamfer left the tolerance: that knot goes, the piece beyond it runs to the corner.
    if (!l) i = withoutNeighbour(ctx, bw, knots, pieces, i, moved, reach, -1);
    else i = withoutNeighbour(ctx, bw, knots, pieces, i, moved, reach, 1);
  }
}

/**
 * Corner knot i moved to `moved` with the inserted knot beside it on one side (`side` −1: before,
 * +1: after) removed, when that knot lies within AXIS_CORNERS.dropReach of it, the piece from the
 * knot beyond to the corner (fitted afresh, §9.8) and the other side's piece (refitted) keep the
 * bounds, HOOK_SLACK and the outline's crossings as in axisCorners; knots and pieces changed in
 * place. Returns the corner's index afterwards (i, or i − 1 when a knot before it went).
 */
function withoutNeighbour(
  ctx: FitContext,
  bw: BandWorkspace,
  knots: WorkKnot[],
  pieces: FittedPiece[],
  i: number,
  moved: WorkKnot,
  reach: number,
  side: -1 | 1,
): number {
  const { n } = ctx;
  const count = knots.length;
  // The two knots may lie across the contour's first knot (unwrapped by one turn); when the first
  // knot itself goes, the next one must have its index within the first turn (§9's convention).
  const drop = mod(i + side, count),
    beyond = mod(i + 2 * side, count);
  if (count < 4 || (drop === 0 && knots[1].at >= n)) return i;
  const unwrap = (j: number) => (side < 0 && j > i ? knotAt(knots[j], knots[j].at - n) : side > 0 && j < i ? knotAt(knots[j], knots[j].at + n) : knots[j]);
  const gone = knots[drop];
  if (gone.kind !== 'intermediate' || dm.hypot(gone.x - moved.x, gone.y - moved.y) > AXIS_CORNERS.dropReach) return i;
  const far = unwrap(beyond);
  const merged = side < 0 ? fitIntervalWithin(ctx, far, moved, 'bounds') : fitIntervalWithin(ctx, moved, far, 'bounds');
  // Pieces: [beyond] and [drop] before the corner (side −1), [i] and [drop] after it (+1).
  const outer = pieces[side < 0 ? beyond : drop],
    inner = pieces[side < 0 ? drop : i];
  const limit = Math.max(outer.report.maxDeviation, inner.report.maxDeviation, reach) + HOOK_SLACK;
  if (!merged || merged.report.maxDeviation > limit) return i;
  // The other side's piece, refitted as in axisCorners.
  const o = mod(i - side, count);
  const other = side < 0 ? pieces[i] : pieces[o];
  const otherKnot = side < 0 ? (o <= i ? knotAt(knots[o], knots[o].at + n) : knots[o]) : o >= i ? knotAt(knots[o], knots[o].at - n) : knots[o];
  const kept = side < 0 ? refitted(ctx, bw, moved, otherKnot, widened(other, reach)) : refitted(ctx, bw, otherKnot, moved, widened(other, reach));
  if (!kept) return i;
  // Crossings with the rest of the outline: the new pieces against the old ones'.
  const before = side < 0 ? crossingsAt(pieces, drop, i, inner, other) : crossingsAt(pieces, o, i, other, inner);
  const after = pieces.slice();
  if (side < 0) {
    after[beyond] = merged;
    after[i] = kept;
    after.splice(drop, 1);
  } else {
    after[o] = kept;
    after[i] = merged;
    after.splice(drop, 1);
  }
  // The corner's index after the splice, and the merged piece's (before it) or its neighbour's.
  const at = drop < i ? i - 1 : i;
  const crossings = side < 0 ? crossingsAt(after, mod(at - 1, count - 1), at, merged, kept) : crossingsAt(after, mod(at - 1, count - 1), at, kept, merged);
  if (addsCrossings(crossings, before)) return i;
  knots.splice(drop, 1);
  knots[at] = moved;
  pieces.length = 0;
  pieces.push(...after);
  settle(ctx, bw, knots, pieces, at);
  return at;
}

/** Whether a move adds crossings with the rest of the outline (§11.8): some, and more than before. */
function addsCrossings(after: number, before: number): boolean {
  return after > 0 && after > before;
}

/** The band-fit step (§11.6 sweep 2) at the smooth knots beside moved corner i, placed for the corner as it was (as after §11.8). */
function settle(ctx: FitContext, bw: BandWorkspace, knots: WorkKnot[], pieces: FittedPiece[], i: number): void {
  const prev = mod(i - 1, knots.length),
    next = mod(i + 1, knots.length);
  bandKnot(ctx, bw, knots, pieces, prev);
  if (next !== prev) bandKnot(ctx, bw, knots, pieces, next);
}

/**
 * The axis corner whose crossing or notch lies within AXIS_CORNERS.reach points of data point `at`
 * (see the file comment), nearest first; null when there is none or the pixels refute it.
 */
function axisSite(ctx: FitContext, at: number): AxisSite | null {
  const { n, raw } = ctx;
  const R = AXIS_CORNERS.minRun;
  // Crack directions 0–3, −1 for a step that is not one unit crack (no run contains it).
  const step = (i: number) => crackHeading(raw, i);
  /** Whether the `len` steps from i on all go in direction d. */
  const run = (i: number, len: number, d: number) => {
    for (let s = 0; s < len; s++) if (step(i + s) !== d) return false;
    return true;
  };
  /**
   * Whether the run through step i (direction d, its far end towards `sign`) is one tread of a
   * regular staircase: past a unit riser, a tread the same way and not treadSlack cracks shorter.
   */
  const tread = (i: number, d: number, sign: number): boolean => {
    let len = 0,
      j = i;
    for (; len < n && step(j) === d; j += sign) len++;
    if (step(j + sign) === step(j)) return false;
    let next = 0;
    for (let q = j + sign; next < n && step(q) === d; q += sign) next++;
    return next >= len - AXIS_CORNERS.treadSlack;
  };
  for (let off = 0; off <= AXIS_CORNERS.reach; off++) {
    for (const p of off === 0 ? [at] : [at - off, at + off]) {
      const a = step(p - 1),
        b = step(p);
      if (a < 0 || b < 0 || (a & 1) === (b & 1)) continue;
      // Clean: run A (direction a) straight into run B (b) at point p.
      const m = 2 * mod(p, n);
      if (run(p - R, R, a) && run(p, R, b)) return { x: raw[m], y: raw[m + 1], dA: a, dB: b };
      // Cut or filled: p is the notch's middle vertex, the steps around it A…A, B | A, B…B (run A,
      // one crack along B, one along A, run B): here a is B's direction and b is A's.
      if (!run(p - 1 - R, R, b) || !run(p + 1, R, a) || tread(p - 2, b, -1) || tread(p + 1, a, 1)) continue;
      // The crossing c = the end of run A + one crack along A = the middle vertex − B + A.
      const cx = raw[m] - DX[a] + DX[b],
        cy = raw[m + 1] - DY[a] + DY[b];
      const w = AXIS_CORNERS.cutWeight;
      return { x: cx + w * (raw[m] - cx), y: cy + w * (raw[m + 1] - cy), dA: b, dB: a };
    }
  }
  return null;
}

/** The piece with its largest deviation raised to at least `reach` (what bandPiece and linePiece allow a refit, plus HOOK_SLACK). */
function widened(piece: FittedPiece, reach: number): FittedPiece {
  return piece.report.maxDeviation >= reach ? piece : ({ ...piece, report: { ...piece.report, maxDeviation: reach } } as FittedPiece);
}

/**
 * The piece between knots p and q refitted for their new positions and tangents: a line as the
 * chord; a conic on the band loss from its state (§11.6), or, when that breaks the bounds, the
 * interval fitted afresh (§9.8); null when neither is within the bounds and HOOK_SLACK of `base`.
 */
function refitted(ctx: FitContext, bw: BandWorkspace, p: WorkKnot, q: WorkKnot, base: FittedPiece): FittedPiece | null {
  if (base.kind === 'line') return linePiece(ctx, p, q, base);
  const spans = [spanOf(p, q, base)];
  levenberg(bw, ctx, spans, undefined, bandLoss(bw, ctx, spans));
  const banded = bandPiece(bw, ctx, p, q, spans[0], base);
  if (banded) return banded;
  // The band fit starts from the old piece's state, which a turned arm can leave far off.
  const fresh = fitIntervalWithin(ctx, p, q, 'bounds');
  return fresh && fresh.report.maxDeviation <= base.report.maxDeviation + HOOK_SLACK ? fresh : null;
}

/** Distance from (x, y) to the contour's polyline within AXIS_CORNERS.stairReach points of index `at`, px. */
function staircaseDistance(raw: Float64Array, n: number, at: number, x: number, y: number): number {
  let best = Infinity;
  for (let d = -AXIS_CORNERS.stairReach; d < AXIS_CORNERS.stairReach; d++) {
    const p = 2 * mod(at + d, n),
      q = 2 * mod(at + d + 1, n);
    best = Math.min(best, pointSegmentDistance2(x, y, raw[p], raw[p + 1], raw[q], raw[q + 1]));
  }
  return Math.sqrt(best);
}
