/**
 * The band fit: conic pieces of pixel-corner (bilevel) contours centred in the band their pixels
 * allow (conic mode, last pass of the knot loop; docs/design.md §11.6).
 *
 * Reads: the fit context of a pixel-corner contour and its knots and pieces after the corner passes.
 * Produces: the same knots and pieces, with conic pieces' (u, λ₀, λ₁) and smooth knots' positions
 * and tangents moved where that lowers the band loss; every moved piece is measured on its data as
 * any piece is (docs/design.md §12) and kept only within the bounds (tolerance, RMS bound), without
 * a loop, within HOOK_SLACK of its former largest deviation, and with no more pixel centres on the
 * wrong side than before.
 * Why: a bilevel pixel is ink iff its centre is inside the shape, so the true edge crosses each
 * boundary crack between the ink pixel's centre and the paper pixel's; least squares to the crack
 * vertices (the staircase's corners) is not that. The band loss per crack: the signed distance of
 * the crack's midpoint (the band's centre) to the curve, squared, plus a hinge on either centre
 * lying on the wrong side — the idea of Potrace's optimal polygon (P. Selinger, "Potrace: a
 * polygon-based tracing algorithm", 2003; section unverified), that the outline may lie anywhere
 * the pixels allow, carried to conics.
 * Method (the loss and its minimisation in band-loss.ts): Levenberg–Marquardt on the band
 * residuals, each crack's midpoint re-projected on the current curve at every evaluation, the
 * Jacobian by forward differences with the feet held:
 * per conic piece on (ln u, ln λ₀, ln λ₁) (u held at 1 on quadratic pieces), then per smooth knot
 * between two conic pieces on its offset along its normal and its tangent's turn, with both
 * pieces' parameters. Knots keep their data points (indices), and their tangent stays shared by
 * both pieces (G¹ as before). Like the refinement (§11), this moves u from the annealed state on;
 * a piece next to a moved knot keeps the annealing figures of its interval before the move.
 */
import { intervalLoops, rationalQuadratic } from '../geometry/conic.js';
import { mod } from '../geometry/cyclic.js';
import type { ConicPiece, FittedPiece } from '../model.js';
import { bandLoss, levenberg, LN_LAMBDA, LN_U, loadCracks, spanCurve, type Span } from './band-loss.js';
import { chordTangents } from './band-moves.js';
import type { FitContext } from './context.js';
import { deviationReport } from './deviation.js';
import { exceeds, fitLine, flattenConic, loadInterval } from './interval.js';
import { knotAt, movedKnot, neighbourKnots, type WorkKnot } from './knots.js';
import { BandWorkspace } from './workspace.js';
import * as dm from '../geometry/fdlibm.js';

/**
 * Centres the conic pieces of a pixel-corner contour in the band its pixels allow (see the file
 * comment); knots and pieces are changed in place. Sub-pixel contours, linear mode and `refine: false`
 * are left alone.
 *
 * @example centreInBand(ctx, knots, pieces);
 */
export function centreInBand(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  // `refine: false` keeps the paper's fit (λ = 1; docs/design.md §18.13), so no band fit either.
  if (ctx.subpixel || ctx.mode !== 'conic' || !ctx.o.refine || knots.length < 2) return;
  const { n } = ctx;
  if (!pieces.some((p) => p.kind === 'conic')) return;
  const bw = (ctx.ws.band ??= new BandWorkspace());
  loadCracks(bw, ctx);
  const count = knots.length;
  // 1. Each conic piece on its own knots: (ln u, ln λ₀, ln λ₁).
  for (let i = 0; i < count; i++) {
    const piece = pieces[i];
    if (piece.kind !== 'conic') continue;
    const a = knots[i];
    const b = i + 1 < count ? knots[i + 1] : knotAt(knots[0], knots[0].at + n);
    const spans = [spanOf(a, b, piece)];
    if (improve(bw, ctx, spans)) pieces[i] = bandPiece(bw, ctx, a, b, spans[0], piece) ?? piece;
  }
  // 2. Each smooth knot between two conic pieces: its offset along its normal and its tangent's
  // turn, with both pieces' parameters.
  moveSmoothKnots(bw, ctx, knots, pieces, false);
}

/**
 * The knot sweep (docs/design.md §11.6 sweep 2; §11.7 runs it on anti-aliased points): each smooth
 * knot between two conic pieces moved along its normal and turned, with both pieces' parameters (u
 * held where `holdU`), on the points loaded into bw (loadCracks, or the coverage fit's loadPoints);
 * kept under the band fit's rule (improve, bandPiece). Knots and pieces are changed in place.
 */
export function moveSmoothKnots(bw: BandWorkspace, ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[], holdU: boolean): void {
  for (let i = 0; i < knots.length; i++) bandKnot(ctx, bw, knots, pieces, i, holdU);
}

/**
 * Sweep 2 at knot i: a smooth knot between two conic pieces moved along its normal and its
 * tangent turned, with both pieces' parameters, where that lowers the band loss (kept as the file
 * comment says); true when it moved.
 */
export function bandKnot(ctx: FitContext, bw: BandWorkspace, knots: WorkKnot[], pieces: FittedPiece[], i: number, holdU = false): boolean {
  const { n } = ctx;
  const count = knots.length;
  const k = knots[i];
  const prev = mod(i - 1, count);
  const left = pieces[prev],
    right = pieces[i];
  if (k.kind === 'corner' || left.kind !== 'conic' || right.kind !== 'conic') return false;
  const [a, b] = neighbourKnots(knots, i, n);
  const spans = [spanOf(a, k, left), spanOf(k, b, right)];
  spans[0].holdU = spans[1].holdU = holdU;
  if (!improve(bw, ctx, spans, k)) return false;
  const { p1x: x, p1y: y, d1x: tx, d1y: ty } = spans[0];
  const moved = movedKnot(k, x, y, tx, ty, tx, ty);
  const l = bandPiece(bw, ctx, a, moved, spans[0], left);
  const r = l && bandPiece(bw, ctx, moved, b, spans[1], right);
  if (!l || !r) return false;
  knots[i] = moved;
  pieces[prev] = l;
  pieces[i] = r;
  return true;
}

/** A line piece between knots a and b as a span: a quadratic whose tangents lie along its chord (straight; docs/design.md §11.8). */
export function lineSpan(a: WorkKnot, b: WorkKnot): Span {
  const span: Span = {
    p0x: a.x,
    p0y: a.y,
    d0x: 0,
    d0y: 0,
    p1x: b.x,
    p1y: b.y,
    d1x: 0,
    d1y: 0,
    state: new Float64Array(3),
    quadratic: true,
    line: true,
    holdU: false,
    first: a.at,
    count: b.at - a.at,
    step: 1,
  };
  chordTangents(span);
  return span;
}

/** The line piece between knots a and b measured on its data (docs/design.md §12), or null when it breaks the bounds or strays HOOK_SLACK further than `base`. */
export function linePiece(ctx: FitContext, a: WorkKnot, b: WorkKnot, base: FittedPiece): FittedPiece | null {
  const m = loadInterval(ctx, a, b);
  const line = fitLine(ctx, mod(a.at, ctx.n), mod(b.at, ctx.n), m, a.x, a.y, b.x, b.y);
  return exceeds(ctx, line.report) || line.report.maxDeviation > base.report.maxDeviation + HOOK_SLACK ? null : line;
}

/**
 * Runs the optimisation on the spans (and the knot between them, if given: a smooth knot's shift
 * and turn, or a corner's move and arms' turns, §11.8); true when it lowered the band loss over all
 * their cracks without putting more centres on the wrong side.
 */
function improve(bw: BandWorkspace, ctx: FitContext, spans: Span[], knot?: WorkKnot): boolean {
  const before = bandLoss(bw, ctx, spans);
  const wrongBefore = bw.wrong;
  const after = levenberg(bw, ctx, spans, knot, before);
  return after < before && bw.wrong <= wrongBefore;
}

/** The span of a conic piece between knots a and b, its state read back from V and W (λ = (V − P₀)·D₀·4u/h). */
export function spanOf(a: WorkKnot, b: WorkKnot, piece: ConicPiece): Span {
  const h = dm.hypot(b.x - a.x, b.y - a.y);
  const u = piece.u;
  const l0 = (((piece.v.x - a.x) * a.outX + (piece.v.y - a.y) * a.outY) * 4 * u) / h;
  const l1 = (((b.x - piece.w.x) * b.inX + (b.y - piece.w.y) * b.inY) * 4 * u) / h;
  const clamp = (v: number, [lo, hi]: readonly [number, number]) => (v < lo ? lo : v > hi ? hi : v);
  const state = Float64Array.of(
    clamp(dm.log(u), LN_U),
    clamp(l0 > 0 ? dm.log(l0) : LN_LAMBDA[0], LN_LAMBDA),
    clamp(l1 > 0 ? dm.log(l1) : LN_LAMBDA[0], LN_LAMBDA),
  );
  return {
    p0x: a.x,
    p0y: a.y,
    d0x: a.outX,
    d0y: a.outY,
    p1x: b.x,
    p1y: b.y,
    d1x: b.inX,
    d1y: b.inY,
    state,
    quadratic: u === 1,
    line: false,
    holdU: false,
    first: a.at,
    count: b.at - a.at,
    step: 1,
  };
}

/**
 * The conic piece of the span's state between knots a and b, measured on its data as every piece
 * is (docs/design.md §12; S at chord-length parameters, §4.3), with the annealing's figures of
 * `base`; null when it breaks the bounds, loops or degenerates.
 */
export function bandPiece(bw: BandWorkspace, ctx: FitContext, a: WorkKnot, b: WorkKnot, span: Span, base: ConicPiece): ConicPiece | null {
  const { ws } = ctx;
  const m = loadInterval(ctx, a, b);
  const p0x = a.x,
    p0y = a.y,
    p1x = b.x,
    p1y = b.y;
  const u = spanCurve(bw, span);
  const cp = bw.controlPoints;
  const vx = cp[0],
    vy = cp[1],
    wx = cp[2],
    wy = cp[3],
    jx = cp[4],
    jy = cp[5];
  if (!(Number.isFinite(vx) && Number.isFinite(vy) && Number.isFinite(wx) && Number.isFinite(wy) && Number.isFinite(u))) return null;
  if (intervalLoops(p0x, p0y, vx, vy, jx, jy, wx, wy, p1x, p1y, u, ws.loopScratch)) return null;
  // The paper's S at chord-length parameters (docs/design.md §4.3), for the report.
  const point = bw.point;
  let S = 0;
  for (let q = 0; q < m; q++) {
    const t = ws.bufT[q];
    if (t <= 0.5) rationalQuadratic(p0x, p0y, vx, vy, jx, jy, u, 2 * t, point);
    else rationalQuadratic(jx, jy, wx, wy, p1x, p1y, u, 2 * t - 1, point);
    S += (point[0] - ws.bufX[q]) ** 2 + (point[1] - ws.bufY[q]) ** 2;
  }
  const segments = flattenConic(ws, p0x, p0y, vx, vy, jx, jy, wx, wy, p1x, p1y, u);
  const from = mod(a.at, ctx.n);
  const report = deviationReport(ctx, from, m, segments + 1, S);
  if (exceeds(ctx, report) || report.maxDeviation > base.report.maxDeviation + HOOK_SLACK) return null;
  report.annealIterations = base.report.annealIterations;
  report.energyStart = base.report.energyStart;
  report.energyAnneal = base.report.energyAnneal;
  report.energyPolish = base.report.energyPolish;
  return {
    kind: 'conic',
    from,
    to: mod(b.at, ctx.n),
    p0: { x: p0x, y: p0y },
    v: { x: vx, y: vy },
    j: { x: jx, y: jy },
    w: { x: wx, y: wy },
    p1: { x: p1x, y: p1y },
    u,
    d0: { x: a.outX, y: a.outY },
    d1: { x: b.inX, y: b.inY },
    report,
  };
}

/**
 * How far a band piece's largest deviation from the data (§12, both ways) may exceed the piece's it
 * replaces, px: the band loss looks from the data to the curve only, so a stretched tangent length
 * can fold the curve away from the data where no midpoint sees it (a hook into a false corner).
 */
export const HOOK_SLACK = 0.1;
