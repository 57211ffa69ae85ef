/**
 * The smooth knot at the end of a bilevel line piece placed by a search over the band loss (conic
 * mode, pixel-corner contours; the knot loop's step before the band fit, docs/design.md §11.9).
 *
 * Reads: the fit context of a pixel-corner contour and its knots and pieces after the corner passes.
 * Produces: each smooth knot between a line piece and a conic piece moved back along the line, in
 * place, with the line and the conic refitted there.
 * Why: the insertion pass (§9.3) puts a knot where a piece leaves the tolerance, so a line that runs
 * into a curve (a stem into its bowl) keeps going until it is a whole pixel off, and the knot sits
 * where the curve has already turned: the line tilts to reach it and the whole edge lies off its
 * pixels (baskerville-q-lc-300-bilevel: a 256 px stem 0.65 px tilted, 0.76 px from the truth on
 * average). Where the line should end is where the band loss (§11.6) of the two pieces is least.
 * Method: for each smooth end of each line piece in turn (a conic beyond it), the knot there moved
 * back along the line by each of RUN_STEPS cracks (makeKnot, on the smoothed contour as any inserted
 * knot); the line the chord to it, the conic piece's (ln u, ln λ₀, ln λ₁) fitted on the band loss from its state (Levenberg–Marquardt,
 * band-loss.ts); the knot as it is scored the same way. The candidate of least loss is kept when
 * that is below the knot's own with no more pixel centres on the wrong side, and both pieces are
 * within the bounds measured on their data (§12), without a loop and within HOOK_SLACK of their
 * former largest deviation (bandPiece, linePiece); else the next best. The knot count is unchanged.
 */
import { mod } from '../geometry/cyclic.js';
import type { ConicPiece, FittedPiece } from '../model.js';
import { bandPiece, linePiece, lineSpan, spanOf } from './band.js';
import { bandLoss, levenberg, loadCracks, type Span } from './band-loss.js';
import type { FitContext } from './context.js';
import { knotAt, makeKnot, type WorkKnot } from './knots.js';
import { BandWorkspace } from './workspace.js';

/** How far back (cracks) the smooth knot at the end of a line piece is tried (§11.9: 2–8 win most often). */
const RUN_STEPS = [2, 4, 8, 16, 32];
/** Fewest cracks a shortened line piece keeps. */
const RUN_MIN_CRACKS = 4;

/**
 * Moves each smooth knot between a line piece and a conic piece back along the line where the band
 * loss of the two is least (see the file comment); knots and pieces are changed in place. Sub-pixel
 * contours, linear mode and `refine: false` are left alone (as by centreInBand).
 *
 * @example lineEndsInBand(ctx, knots, pieces);
 */
export function lineEndsInBand(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  if (ctx.subpixel || ctx.mode !== 'conic' || !ctx.o.refine || knots.length < 2) return;
  const { n } = ctx;
  const count = knots.length;
  let bw: BandWorkspace | null = null;
  for (let i = 0; i < count; i++) {
    // Each smooth end of the line piece i in turn: forward, its end knot b (the conic from b to c);
    // backward, its start knot a (the conic from c to a).
    for (const forward of [true, false]) {
      if (pieces[i].kind !== 'line') break;
      const next = mod(i + 1, count),
        prev = mod(i - 1, count);
      const a = knots[i];
      const b = unwrapAfter(knots[next], a.at, n);
      const end = forward ? b : a;
      if (end.kind === 'corner') continue;
      const conic = forward ? pieces[next] : pieces[prev];
      if (conic.kind !== 'conic') continue;
      if (!bw) {
        bw = ctx.ws.band ??= new BandWorkspace();
        loadCracks(bw, ctx);
      }
      const c = forward ? unwrapAfter(knots[mod(next + 1, count)], b.at, n) : unwrapBefore(knots[prev], a.at, n);
      const found = search(ctx, bw, forward, a, b, c, pieces[i], conic);
      if (!found) continue;
      const [j, shift] = forward ? [next, b.at - found.knot.at] : [i, a.at - found.knot.at];
      const at = knots[j].at - shift;
      // The first knot stays in [0, n) (knots.ts).
      if (j === 0 && (at < 0 || at >= n)) continue;
      knots[j] = knotAt(found.knot, at);
      pieces[forward ? i : prev] = forward ? found.line : found.conic;
      pieces[forward ? next : i] = forward ? found.conic : found.line;
    }
  }
}

/**
 * The search of lineEndsInBand for one smooth end of a line piece (forward: line a → b, conic b → c,
 * knot b; else conic c → a, line a → b, knot a): the moved knot and its two pieces, or null.
 */
function search(
  ctx: FitContext,
  bw: BandWorkspace,
  forward: boolean,
  a: WorkKnot,
  b: WorkKnot,
  c: WorkKnot,
  line: FittedPiece,
  conic: ConicPiece,
): { knot: WorkKnot; line: FittedPiece; conic: ConicPiece } | null {
  const cracks = b.at - a.at;
  /**
   * The band loss of the line to knot k and the conic from it, its state refitted; null on too
   * short a conic, or when the line alone already has `limit`'s loss or more, or more centres on
   * the wrong side (the conic's loss is ≥ 0: such a candidate cannot win, so its conic is not
   * fitted; docs/design.md §18.51).
   */
  const score = (k: WorkKnot, limit?: { loss: number; wrong: number }) => {
    const sp = forward ? spanOf(k, c, conic) : spanOf(c, k, conic);
    if (sp.count < 2) return null;
    const lineLoss = bandLoss(bw, ctx, [forward ? lineSpan(a, k) : lineSpan(k, b)]);
    const lineWrong = bw.wrong;
    if (limit && (lineLoss >= limit.loss || lineWrong > limit.wrong)) return null;
    const conicLoss = levenberg(bw, ctx, [sp]);
    return { loss: conicLoss + lineLoss, wrong: bw.wrong + lineWrong, sp };
  };
  const own = score(forward ? b : a);
  if (!own) return null;
  const found: { loss: number; knot: WorkKnot; sp: Span }[] = [];
  for (const d of RUN_STEPS) {
    if (cracks - d < RUN_MIN_CRACKS) break;
    const knot = forward ? makeKnot(ctx, b.at - d, b.kind, a.at, c.at) : makeKnot(ctx, a.at + d, a.kind, c.at, b.at);
    const s = score(knot, own);
    if (s && s.loss < own.loss && s.wrong <= own.wrong) found.push({ loss: s.loss, knot, sp: s.sp });
  }
  found.sort((p, q) => p.loss - q.loss);
  for (const { knot, sp } of found) {
    const curve = forward ? bandPiece(bw, ctx, knot, c, sp, conic) : bandPiece(bw, ctx, c, knot, sp, conic);
    const straight = curve && (forward ? linePiece(ctx, a, knot, line) : linePiece(ctx, knot, b, line));
    if (curve && straight) return { knot, line: straight, conic: curve };
  }
  return null;
}

/** Knot k with its index unwrapped into (at − n, at). */
function unwrapBefore(k: WorkKnot, at: number, n: number): WorkKnot {
  const back = mod(at - k.at, n) || n;
  return k.at === at - back ? k : knotAt(k, at - back);
}

/** Knot k with its index unwrapped into (at, at + n]. */
function unwrapAfter(k: WorkKnot, at: number, n: number): WorkKnot {
  const on = mod(k.at - at, n) || n;
  return k.at === at + on ? k : knotAt(k, at + on);
}
