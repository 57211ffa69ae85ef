/**
 * Acute bilevel tips: the corner knot moved out to where its straight arms meet (conic mode,
 * pixel-corner contours; the knot loop's last bilevel step, docs/design.md §18.46).
 *
 * Reads: the fit context of a pixel-corner contour and its knots and pieces after the band passes
 * (src/fit/band-corners.ts, src/fit/band-lines.ts). Produces: corner knots at acute tips moved, in
 * place, towards where their arms' lines meet; their two pieces refitted.
 * Why: a bilevel wedge narrower than a pixel between pixel centres shows no pixels, so the contour
 * stops 1–2 px short of an acute tip (notoserif-V-64-bilevel's paper wedge: 2.2 px), and the band
 * passes hold a corner within 0.5 px of its data point (BAND_DEFAULTS.cornerShift, §11.8), so the
 * knot stays near the last pixel with the arms bent into it (that tip's local Hausdorff 1.9 px).
 * The arms' own pixels say where they run; the wedge between them beyond the last pixel is what the
 * pixels cannot see, and is allowed as long as it holds no pixel centre of the other colour.
 * Method: per corner knot whose two pieces' tangents meet at an interior angle ≤ TIP_DEFAULTS.angle,
 * each arm's total-least-squares line through its crack midpoints (the band centres, §11.6) next to
 * the tip (`trim` cracks at the tip left off, at most `arm` cracks, spanning ≥ `minArm` px, RMS ≤
 * `rms` from the line); when the lines too meet at ≤ `angle`, beyond the knot, their meeting point
 * drawn back towards the knot until it lies within `reach` × tolerance of the contour's points (a
 * piece's bounds measure the curve against the data both ways, §12.3, so the tip cannot go farther
 * without counting as over tolerance) and within `move` px of the knot and its data point. A
 * truncated tip is not extended: its flat, between two corner knots, is shorter than `minArm` and
 * so no arm (§18.46: a flat of ≤ 2.5 px under one corner knot cannot be told from a sharp tip whose
 * last pixel row holds two centres). A line arm becomes the chord
 * from its far knot, or if that fails, a quadratic from the far knot (its tangent there kept) ending
 * along the arm's line (an arm that curves in near the tip); a conic arm is refitted on the band loss
 * (Levenberg–Marquardt on (ln u, ln λ₀, ln λ₁)) with the arm's line as its tip tangent. Kept when no
 * pixel centre of the other colour lies in the wedge the move adds (wedgeClear), no more centres
 * beside the cracks are on the wrong side (the band loss's hinges), each piece stays within the
 * bounds measured on its data (§12) without a loop and within HOOK_SLACK plus the move of its former
 * largest deviation, and no crossing with the rest of the outline is added (§11.8's check).
 */
import { mod } from '../geometry/cyclic.js';
import { pointSegmentDistance2 } from '../geometry/segment.js';
import type { ConicPiece, FittedPiece } from '../model.js';
import { bandPiece, linePiece, lineSpan, spanOf } from './band.js';
import { keepCornerMove, retracesItself } from './band-corners.js';
import { crackLine } from './crack-line.js';
import { bandLoss, levenberg, loadCracks, type Span } from './band-loss.js';
import type { FitContext } from './context.js';
import { movedKnot, neighbourKnots, type WorkKnot } from './knots.js';
import { BandWorkspace } from './workspace.js';
import * as dm from '../geometry/fdlibm.js';

/** Constants of the tip step, one line each (docs/design.md §18.46). */
export const TIP_DEFAULTS = Object.freeze({
  /** Cracks left off each arm at the tip before its line is fitted: they turn into the tip. */
  trim: 1,
  /** Most cracks of an arm fitted (a conic arm is straight near the tip only). */
  arm: 12,
  /** Shortest extent of an arm's fitted midpoints along its line, px. */
  minArm: 4,
  /** Largest RMS distance of an arm's midpoints from its line, px (a digital straight line's midpoints: ≲ 0.2). */
  rms: 0.25,
  /** Largest interior angle between the arms, degrees. */
  angle: 40,
  /** Largest move of the knot, and distance from its data point, px. */
  move: 3,
  /** Largest distance of the tip from the contour's points near it, as a fraction of the tolerance (§12.3's curve → data bound). */
  reach: 0.95,
} as const);
const T = TIP_DEFAULTS;

/**
 * Moves each corner knot of a pixel-corner contour at an acute tip to where its arms meet (see the
 * file comment); knots and pieces are changed in place. Sub-pixel contours, linear mode and
 * `refine: false` are left alone (as by centreInBand).
 *
 * @example tipsInBand(ctx, knots, pieces);
 */
export function tipsInBand(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  if (ctx.subpixel || ctx.mode !== 'conic' || !ctx.o.refine || knots.length < 2) return;
  const maxCos = dm.cos((T.angle * Math.PI) / 180);
  // Only a corner its pieces already draw acute is a candidate (the cracks are loaded only then).
  const acute = (k: WorkKnot) => k.kind === 'corner' && -(k.inX * k.outX + k.inY * k.outY) >= maxCos;
  if (!knots.some(acute)) return;
  const { n, raw } = ctx;
  const count = knots.length;
  const bw = (ctx.ws.band ??= new BandWorkspace());
  loadCracks(bw, ctx);
  const retraces = retracesItself(ctx);
  for (let i = 0; i < count; i++) {
    const k = knots[i];
    if (!acute(k)) continue;
    const prev = mod(i - 1, count);
    const left = pieces[prev],
      right = pieces[i];
    const [a, b] = neighbourKnots(knots, i, n);
    // The arms' lines, each directed along the walk (into the tip, then out of it).
    const inArm = armLine(bw, n, Math.max(a.at + 1, k.at - T.trim - T.arm), k.at - T.trim, k.x - a.x, k.y - a.y);
    const outArm = inArm && armLine(bw, n, k.at + T.trim, Math.min(b.at - 1, k.at + T.trim + T.arm), b.x - k.x, b.y - k.y);
    if (!inArm || !outArm) continue;
    const [cx, cy, ux, uy] = inArm;
    const [dx, dy, vx, vy] = outArm;
    // Interior angle: between the way back along the in-arm and the way out.
    if (-(ux * vx + uy * vy) < maxCos) continue;
    const cross = ux * vy - uy * vx;
    if (Math.abs(cross) < 1e-9) continue;
    // c + s·u = d + t·v.
    const s = ((dx - cx) * vy - (dy - cy) * vx) / cross;
    const at = mod(k.at, n);
    // The meeting point, drawn back towards the knot until within `reach` × tolerance of the
    // contour's points near it: a piece's bounds measure the curve against the data both ways
    // (§12.3), so a tip farther out would count as over tolerance.
    const [px, py] = withinReach(ctx, at, k.x, k.y, cx + s * ux, cy + s * uy);
    const move = dm.hypot(px - k.x, py - k.y);
    // Beyond the knot (along the tip's bisector u − v), within `move` px of it and of its data point.
    if (!((px - k.x) * (ux - vx) + (py - k.y) * (uy - vy) > 0)) continue;
    if (move > T.move || dm.hypot(px - raw[2 * at], py - raw[2 * at + 1]) > T.move) continue;
    if (!wedgeClear(ctx, bw, px, py, ux, uy, vx, vy, move)) continue;
    const spansOld = [left.kind === 'conic' ? spanOf(a, k, left) : lineSpan(a, k), right.kind === 'conic' ? spanOf(k, b, right) : lineSpan(k, b)];
    bandLoss(bw, ctx, spansOld);
    const wrongBefore = bw.wrong;
    // A line arm first as the chord from its far knot; failing that, bent: a quadratic from the far
    // knot (its tangent there kept) that ends along the arm's line at the tip (an arm that curves in
    // near the tip: notoserif-V-64's, §18.46). A conic arm ends along the arm's line.
    let placed = tryTip(bw, ctx, a, k, b, left, right, px, py, inArm, outArm, move, wrongBefore, false);
    if (!placed && (left.kind === 'line' || right.kind === 'line'))
      placed = tryTip(bw, ctx, a, k, b, left, right, px, py, inArm, outArm, move, wrongBefore, true);
    if (!placed) continue;
    keepCornerMove(ctx, bw, knots, pieces, i, placed.moved, placed.l, placed.r, retraces);
  }
}

/**
 * The point farthest along the segment from the knot (kx, ky) to the arms' meeting (px, py) that
 * lies within TIP_DEFAULTS.reach × tolerance of the contour's polyline near point `at` (its points
 * within `arm` + `trim` of it); sampled in REACH_STEPS steps.
 */
function withinReach(ctx: FitContext, at: number, kx: number, ky: number, px: number, py: number): [number, number] {
  const { raw, n } = ctx;
  const limit = T.reach * ctx.o.tolerance;
  const span = T.arm + T.trim;
  for (let step = REACH_STEPS; step > 0; step--) {
    const t = step / REACH_STEPS;
    const x = kx + t * (px - kx),
      y = ky + t * (py - ky);
    let best = Infinity;
    for (let k = at - span; k < at + span; k++) {
      const p = mod(k, n),
        q = mod(k + 1, n);
      best = Math.min(best, pointSegmentDistance2(x, y, raw[2 * p], raw[2 * p + 1], raw[2 * q], raw[2 * q + 1]));
    }
    if (best <= limit * limit) return [x, y];
  }
  return [kx, ky];
}

/** Steps of withinReach's search along the move. */
const REACH_STEPS = 32;

/** tryTip's result: the moved knot and its two refitted pieces. */
interface Placed {
  moved: WorkKnot;
  l: FittedPiece;
  r: FittedPiece;
}

/**
 * Knot k (between a and b) moved to the tip (px, py), its pieces refitted: a conic arm on the band
 * loss from its state with the arm's line as its tip tangent; a line arm as the chord from its far
 * knot, or when `bend`, as a quadratic from the far knot (that knot's tangent kept) to the tip along
 * the arm's line, fitted on the band loss. Null when more pixel centres beside the cracks fall on
 * the wrong side than `wrongBefore` or a piece leaves its bounds (bandPiece, linePiece; their
 * HOOK_SLACK test widened by the move).
 */
function tryTip(
  bw: BandWorkspace,
  ctx: FitContext,
  a: WorkKnot,
  k: WorkKnot,
  b: WorkKnot,
  left: FittedPiece,
  right: FittedPiece,
  px: number,
  py: number,
  [, , ux, uy]: number[],
  [, , vx, vy]: number[],
  move: number,
  wrongBefore: number,
  bend: boolean,
): Placed | null {
  const chordIn = left.kind === 'line' && !bend,
    chordOut = right.kind === 'line' && !bend;
  const [ix, iy] = chordIn ? unit(px - a.x, py - a.y) : [ux, uy];
  const [ox, oy] = chordOut ? unit(b.x - px, b.y - py) : [vx, vy];
  const at = mod(k.at, ctx.n);
  const moved = movedKnot(k, px, py, ix, iy, ox, oy, dataSideOf(ctx.raw, at, px, py, ix, iy, ox, oy));
  const spans = [
    chordIn ? lineSpan(a, moved) : left.kind === 'conic' ? spanOf(a, moved, left) : bentSpan(a, moved),
    chordOut ? lineSpan(moved, b) : right.kind === 'conic' ? spanOf(moved, b, right) : bentSpan(moved, b),
  ];
  for (const sp of spans) if (!sp.line) levenberg(bw, ctx, [sp], undefined, bandLoss(bw, ctx, [sp]));
  bandLoss(bw, ctx, spans);
  if (bw.wrong > wrongBefore) return null;
  // bandPiece reads only its base's report (the bounds, and the annealing figures it carries on).
  const l = chordIn ? linePiece(ctx, a, moved, slack(left, move)) : bandPiece(bw, ctx, a, moved, spans[0], slack(left, move) as ConicPiece);
  const r = l && (chordOut ? linePiece(ctx, moved, b, slack(right, move)) : bandPiece(bw, ctx, moved, b, spans[1], slack(right, move) as ConicPiece));
  return l && r ? { moved, l, r } : null;
}

/** A quadratic span from knot p to knot q along p's out-tangent and q's in-tangent; state u = λ₀ = λ₁ = 1. */
function bentSpan(p: WorkKnot, q: WorkKnot): Span {
  return {
    p0x: p.x,
    p0y: p.y,
    d0x: p.outX,
    d0y: p.outY,
    p1x: q.x,
    p1y: q.y,
    d1x: q.inX,
    d1y: q.inY,
    state: new Float64Array(3),
    quadratic: true,
    line: false,
    holdU: false,
    first: p.at,
    count: q.at - p.at,
    step: 1,
  };
}

/**
 * Total-least-squares line of the crack midpoints from..to−1 (unwrapped) as [x, y, ux, uy], u a
 * unit direction with (ux, uy)·(fx, fy) ≥ 0; null when the midpoints span less than
 * TIP_DEFAULTS.minArm px along it or lie farther than TIP_DEFAULTS.rms (RMS) from it.
 */
function armLine(bw: BandWorkspace, n: number, from: number, to: number, fx: number, fy: number): [number, number, number, number] | null {
  const m = to - from;
  if (m < T.minArm) return null;
  const [cx, cy, x, y, spread] = crackLine(bw, n, from, to);
  if (spread > T.rms * T.rms * m) return null;
  const sign = x * fx + y * fy < 0 ? -1 : 1;
  const ux = sign * x,
    uy = sign * y;
  let lo = Infinity,
    hi = -Infinity;
  for (let k = from; k < to; k++) {
    const t = (bw.midX[mod(k, n)] - cx) * ux + (bw.midY[mod(k, n)] - cy) * uy;
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  return hi - lo >= T.minArm ? [cx, cy, ux, uy] : null;
}

/**
 * Whether every pixel centre in the wedge of the tip (px, py) and its arms (in along u, out along
 * v) back to the move + WEDGE_BACK px has the wedge's colour. Colours are read from the contour itself (its winding number): the pixel-side check of
 * the area the move adds, which holds no crack and so no hinge of the band loss.
 */
function wedgeClear(ctx: FitContext, bw: BandWorkspace, px: number, py: number, ux: number, uy: number, vx: number, vy: number, move: number): boolean {
  const { raw, n } = ctx;
  const back = move + WEDGE_BACK;
  const ax = px - back * ux,
    ay = py - back * uy,
    bx = px + back * vx,
    by = py + back * vy;
  // The wedge's colour (the walk keeps the ink on its right, §2.5: a right turn, cross(u, v) > 0
  // with y down, is an ink tip), and the winding of an ink centre (0 round a hole).
  const inkTip = ux * vy - uy * vx > 0;
  const inkInside = winding(raw, n, bw.midX[0] + 0.5 * bw.inkX[0], bw.midY[0] + 0.5 * bw.inkY[0]) !== 0;
  const x0 = Math.floor(Math.min(px, ax, bx)),
    x1 = Math.ceil(Math.max(px, ax, bx)),
    y0 = Math.floor(Math.min(py, ay, by)),
    y1 = Math.ceil(Math.max(py, ay, by));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const cx = x + 0.5,
        cy = y + 0.5;
      if (!inTriangle(cx, cy, px, py, ax, ay, bx, by)) continue;
      if (((winding(raw, n, cx, cy) !== 0) === inkInside) !== inkTip) return false;
    }
  }
  return true;
}

/** How far behind the old knot wedgeClear looks, px: the move adds area only near the tip, and farther back a conic arm leaves its tip line. */
const WEDGE_BACK = 1;

/** Whether (x, y) lies inside or on the triangle pqr (either orientation). */
function inTriangle(x: number, y: number, px: number, py: number, qx: number, qy: number, rx: number, ry: number): boolean {
  const d1 = (qx - px) * (y - py) - (qy - py) * (x - px);
  const d2 = (rx - qx) * (y - qy) - (ry - qy) * (x - qx);
  const d3 = (px - rx) * (y - ry) - (py - ry) * (x - rx);
  return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
}

/** Winding number of the closed polygon of the contour's points about (x, y) (a point off its edges). */
function winding(raw: Float64Array, n: number, x: number, y: number): number {
  let w = 0;
  for (let k = 0; k < n; k++) {
    const q = k + 1 < n ? k + 1 : 0;
    const y0 = raw[2 * k + 1],
      y1 = raw[2 * q + 1];
    if (y0 <= y) {
      if (y1 > y && isLeft(raw[2 * k], y0, raw[2 * q], y1, x, y) > 0) w++;
    } else if (y1 <= y && isLeft(raw[2 * k], y0, raw[2 * q], y1, x, y) < 0) w--;
  }
  return w;
}

function isLeft(x0: number, y0: number, x1: number, y1: number, x: number, y: number): number {
  return (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0);
}

/** The side whose arm the corner's data point lies nearer once the knot is off it (WorkKnot.dataSide, as §11.8). */
function dataSideOf(raw: Float64Array, at: number, x: number, y: number, ix: number, iy: number, ox: number, oy: number): 'in' | 'out' {
  const dx = raw[2 * at] - x,
    dy = raw[2 * at + 1] - y;
  return Math.abs(dx * iy - dy * ix) <= Math.abs(dx * oy - dy * ox) ? 'in' : 'out';
}

/** The piece with its largest deviation raised by the knot's move, for the HOOK_SLACK test of bandPiece / linePiece (a tip point is that much farther from the moved end). */
function slack<P extends FittedPiece>(piece: P, move: number): P {
  return { ...piece, report: { ...piece.report, maxDeviation: piece.report.maxDeviation + move } };
}

/** The unit vector along (dx, dy) ((1, 0) when it is zero). */
function unit(dx: number, dy: number): [number, number] {
  const len = dm.hypot(dx, dy);
  return len > 0 ? [dx / len, dy / len] : [1, 0];
}
