/**
 * Bilevel conic pieces split where their band misfit is large (conic mode, pixel-corner contours;
 * the knot loop's step after the corner passes, docs/design.md §18.35).
 *
 * Reads: the fit context of a pixel-corner contour and its knots and pieces after the corner passes.
 * Produces: the same, with a smooth knot inserted in each conic piece whose crack midpoints lie
 * far from it (RMS over BAND_SPLIT.rms) where the two halves fit the band much better.
 * Why: the knot loop's bounds (tolerance, RMS bound; §9.3–§9.4) measure a piece against the crack
 * vertices, whose own distance from a well-placed outline depends on the slope (0 on an axis edge,
 * ~0.35 px at 45°), so a piece can pass the 0.5 px RMS bound while it lies off its band; the crack
 * midpoints (the band's centres, §11.6) lie within ~0.1–0.15 px of a straight edge at any slope,
 * so their RMS tells a misfit from the staircase.
 * Method: per conic piece, its midpoints' RMS distance at its fit (bandLoss, hinges off); over
 * BAND_SPLIT.rms, a knot is made at its worst midpoint's crack (makeKnot, as the insertion makes
 * one) and both halves fitted by fitIntervalWithin (annealing and refinement, within the bounds);
 * each half and the piece itself are then fitted on the band loss (levenberg from their states),
 * and the split is kept when the halves' loss is below BAND_SPLIT.gain × the piece's with no
 * more pixel centres on the wrong side. The band fit (§11.6) then runs on the result as on any.
 */
import type { ConicPiece, FittedPiece } from '../model.js';
import { lineSpan, spanOf } from './band.js';
import { bandLoss, levenberg, loadCracks } from './band-loss.js';
import type { FitContext } from './context.js';
import { fitIntervalWithin } from './interval.js';
import { knotAt, makeKnot, type WorkKnot } from './knots.js';
import { BandWorkspace } from './workspace.js';

/** Constants of the split, one line each (docs/design.md §18.35). */
export const BAND_SPLIT = Object.freeze({
  /** A conic piece is looked at when its crack midpoints' RMS distance exceeds this, px. */
  rms: 0.4,
  /** The split is kept when the halves' band loss is below this fraction of the piece's. */
  gain: 0.5,
  /** Fewest cracks either half keeps. */
  minCracks: 4,
  /** The knot is looked for in the middle of the piece: at least this fraction of its cracks from either end. */
  margin: 1 / 3,
});

/**
 * Splits each conic piece of a pixel-corner contour whose band misfit is large (see the file
 * comment); knots and pieces are changed in place. Sub-pixel contours, linear mode and
 * `refine: false` are left alone (as by centreInBand).
 *
 * @example splitOffBand(ctx, knots, pieces);
 */
export function splitOffBand(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  if (ctx.subpixel || ctx.mode !== 'conic' || !ctx.o.refine || knots.length < 2) return;
  if (!pieces.some((p) => p.kind === 'conic')) return;
  const { n } = ctx;
  const bw = (ctx.ws.band ??= new BandWorkspace());
  loadCracks(bw, ctx);
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (piece.kind !== 'conic') continue;
    const a = knots[i];
    const last = i + 1 === knots.length;
    const b = last ? knotAt(knots[0], knots[0].at + n) : knots[i + 1];
    const cracks = b.at - a.at;
    if (cracks < 2 * BAND_SPLIT.minCracks) continue;
    const worst = worstMidpoint(bw, ctx, a, b, piece);
    if (worst < 0) continue;
    const at = a.at + worst + 1;
    // The first knot stays first (knots.ts): a split past the wrap is left.
    if (at >= n) continue;
    const split = trySplit(bw, ctx, a, b, at, piece);
    if (!split) continue;
    knots.splice(i + 1, 0, split.knot);
    pieces.splice(i, 1, split.left, split.right);
    i++;
  }
}

/**
 * The crack (0-based from a) of the piece's largest midpoint distance when the midpoints' RMS
 * distance is over BAND_SPLIT.rms and both halves keep minCracks; else −1.
 */
function worstMidpoint(bw: BandWorkspace, ctx: FitContext, a: WorkKnot, b: WorkKnot, piece: ConicPiece): number {
  const hinge = bw.hinge;
  bw.hinge = 0;
  const count = b.at - a.at;
  const loss = bandLoss(bw, ctx, [spanOf(a, b, piece)]);
  bw.hinge = hinge;
  if (!(loss > BAND_SPLIT.rms * BAND_SPLIT.rms * count)) return -1;
  let worst = -1,
    far = -1;
  // Not near an end: a misfit there is the knot's (a corner or smooth knot off its place), which
  // a short piece beside it would only hide.
  const margin = Math.max(BAND_SPLIT.minCracks, Math.floor(count * BAND_SPLIT.margin));
  for (let k = margin - 1; k < count - margin; k++) {
    const d = Math.abs(bw.residual[3 * k]);
    if (d > far) {
      far = d;
      worst = k;
    }
  }
  return worst;
}

/** The piece split at point `at` when that pays on the band loss (see the file comment), or null. */
function trySplit(
  bw: BandWorkspace,
  ctx: FitContext,
  a: WorkKnot,
  b: WorkKnot,
  at: number,
  piece: ConicPiece,
): { knot: WorkKnot; left: FittedPiece; right: FittedPiece } | null {
  const knot = makeKnot(ctx, at, 'intermediate', a.at, b.at);
  const left = fitIntervalWithin(ctx, a, knot, 'bounds');
  const right = left && fitIntervalWithin(ctx, knot, b, 'bounds');
  if (!left || !right) return null;
  const whole = levenberg(bw, ctx, [spanOf(a, b, piece)]);
  const wrong = bw.wrong;
  const l = bandOf(bw, ctx, a, knot, left);
  const wrongLeft = bw.wrong;
  const r = bandOf(bw, ctx, knot, b, right);
  if (!(l + r < BAND_SPLIT.gain * whole) || wrongLeft + bw.wrong > wrong) return null;
  return { knot, left, right };
}

/** The band loss of a piece between knots a and b (bw.wrong left for it): a conic's after levenberg from its state, a line's as it is. */
function bandOf(bw: BandWorkspace, ctx: FitContext, a: WorkKnot, b: WorkKnot, piece: FittedPiece): number {
  return piece.kind === 'conic' ? levenberg(bw, ctx, [spanOf(a, b, piece)]) : bandLoss(bw, ctx, [lineSpan(a, b)]);
}
