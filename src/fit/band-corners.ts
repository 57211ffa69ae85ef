/**
 * Corner knots placed on the band loss (conic mode, pixel-corner contours; the knot loop's step
 * after the band fit, docs/design.md §11.8).
 *
 * Reads: the fit context of a pixel-corner contour and its knots and pieces after the band fit
 * (src/fit/band.ts). Produces: corner knots moved in place (position and arm directions), their two
 * pieces refitted on the band.
 * Why: the corner passes place a corner on least squares to short arms (cornerPosition, clamped to
 * tolerance/2 from its data point; sharpenCorners), so a corner whose arm runs into a curve or a
 * short side gets a tilted arm and a knot up to half a pixel off the pixel edges around it (a
 * 64 px bilevel "D": the counter's lower corner 0.5 px below its edge, the side leaving it 7°
 * tilted). The band loss (§11.6) is the pixels' own measure of where the outline may lie, so the
 * corner is placed by minimising it.
 * Method: per corner beside at least one conic piece, Levenberg–Marquardt on the corner's move in
 * x and y (≤ BAND_DEFAULTS.cornerShift each), each conic side's arm turn (≤ cornerTurn) and both
 * conic pieces' (ln u, ln λ₀, ln λ₁) (band-loss.ts); a line side stays a line, its tangent its
 * chord's. Kept as the band fit keeps a smooth knot's move: lower band loss, no more pixel centres
 * on the wrong side, each piece within the bounds measured on its data (§12), no loop, and within
 * HOOK_SLACK of its former largest deviation. A minimum that puts more centres on the wrong side is
 * tried once more with the hinges weighted up (BAND_DEFAULTS.cornerRetryHinge); after a move, the
 * smooth knots at the two pieces' far ends get their band-fit step again (bandKnot).
 */
import { mod } from '../geometry/cyclic.js';
import type { FittedPiece } from '../model.js';
import { bandKnot, bandPiece, linePiece, lineSpan, spanOf } from './band.js';
import { BAND_DEFAULTS, bandLoss, levenberg, loadCracks } from './band-loss.js';
import type { FitContext } from './context.js';
import { knotAt, movedKnot, type WorkKnot } from './knots.js';
import { BandWorkspace } from './workspace.js';

/**
 * Moves each corner knot of a pixel-corner contour that has a conic piece beside it where the band
 * loss of its two pieces is least (see the file comment); knots and pieces are changed in place.
 * Sub-pixel contours, linear mode and `refine: false` are left alone (as by centreInBand).
 *
 * @example cornersInBand(ctx, knots, pieces);
 */
export function cornersInBand(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  if (ctx.subpixel || ctx.mode !== 'conic' || !ctx.o.refine || knots.length < 2) return;
  const { n, raw } = ctx;
  const count = knots.length;
  if (!knots.some((k, i) => k.kind === 'corner' && (pieces[i].kind === 'conic' || pieces[mod(i - 1, count)].kind === 'conic'))) return;
  const bw = (ctx.ws.band ??= new BandWorkspace());
  loadCracks(bw, ctx);
  for (let i = 0; i < count; i++) {
    const k = knots[i];
    const prev = mod(i - 1, count),
      next = mod(i + 1, count);
    const left = pieces[prev],
      right = pieces[i];
    if (k.kind !== 'corner' || (left.kind !== 'conic' && right.kind !== 'conic')) continue;
    const a = prev >= i ? knotAt(knots[prev], knots[prev].at - n) : knots[prev];
    const b = next <= i ? knotAt(knots[next], knots[next].at + n) : knots[next];
    const spansOf = () => [left.kind === 'conic' ? spanOf(a, k, left) : lineSpan(a, k), right.kind === 'conic' ? spanOf(k, b, right) : lineSpan(k, b)];
    let spans = spansOf();
    const before = bandLoss(bw, ctx, spans);
    const wrong = bw.wrong;
    const lower = levenberg(bw, ctx, spans, k, before) < before;
    let ok = lower && bw.wrong <= wrong;
    if (!ok && (lower || wrong > 0)) {
      // A minimum that trades a few centres for a lower loss (a hinge of weight 1 barely sees a
      // centre 0.01 px over), or none lower from a start with centres wrong: once more from the
      // start with the hinges weighted up, compared at that weight (median mean distance of bilevel
      // glyphs 0.660 → 0.652; retrying only after a rise in wrong centres, or comparing at weight 1,
      // gave 0.656). With no centre wrong and no lower loss the retry would start as the first try
      // did (no hinge active): skipped, outputs unchanged.
      spans = spansOf();
      bw.hinge = BAND_DEFAULTS.cornerRetryHinge;
      const start = bandLoss(bw, ctx, spans);
      const startWrong = bw.wrong;
      ok = levenberg(bw, ctx, spans, k, start) < start && bw.wrong <= startWrong;
      bw.hinge = BAND_DEFAULTS.hinge;
    }
    if (!ok) continue;
    const { p1x: x, p1y: y, d1x: ix, d1y: iy } = spans[0];
    const { d0x: ox, d0y: oy } = spans[1];
    const atN = mod(k.at, n);
    const dx = raw[2 * atN] - x,
      dy = raw[2 * atN + 1] - y;
    // The corner's data point is checked in the piece whose arm it lies nearer (WorkKnot.dataSide).
    const dataSide = Math.abs(dx * iy - dy * ix) <= Math.abs(dx * oy - dy * ox) ? 'in' : 'out';
    const moved = movedKnot(k, x, y, ix, iy, ox, oy, dataSide);
    const l = left.kind === 'conic' ? bandPiece(bw, ctx, a, moved, spans[0], left) : linePiece(ctx, a, moved, left);
    const r = l && (right.kind === 'conic' ? bandPiece(bw, ctx, moved, b, spans[1], right) : linePiece(ctx, moved, b, right));
    if (!l || !r) continue;
    knots[i] = moved;
    pieces[prev] = l;
    pieces[i] = r;
    // The smooth knots at the far ends of the two pieces were placed for the corner as it was:
    // their band-fit step (sweep 2 of band.ts) once more.
    bandKnot(ctx, bw, knots, pieces, prev);
    if (next !== prev) bandKnot(ctx, bw, knots, pieces, next);
  }
}
