/**
 * Line pieces put on the line of their own band (conic mode, pixel-corner contours; the knot loop's
 * last bilevel step, docs/design.md §18.44).
 *
 * Reads: the fit context of a pixel-corner contour and its knots and pieces after the corner steps
 * (src/fit/band-corners.ts). Produces: line pieces moved, in place, onto the total-least-squares
 * line of their own crack midpoints, their end knots with them, the pieces beside them refitted.
 * Why: a line piece is the chord between its two knots, and each knot is placed for its own
 * neighbourhood (a corner on its arms, clamped near its data point; a smooth knot on the smoothed
 * contour), so the line takes the tilt of its ends: a stroke side of baskerville-w-lc-64-bilevel
 * 38 px long runs 0.4 px off the truth at one end, 0.02 at the other, where the line through its
 * own cracks' midpoints (the centres of the bands its pixels allow, §11.6) is within 0.06 px of
 * the truth along it. The band fit moves corners only within its step limits and a line side only
 * as a chord from its other end (§11.8, §18.35), so it does not find that line.
 * Method: per sloped line piece (not axis-parallel: there the midpoints lie on the pixel edge the
 * line already follows) with at least LINE_MIN_CRACKS cracks after LINE_TRIM are left off at
 * each end (they belong to the turn into the next piece), the total-least-squares line of the
 * midpoints; each end knot goes to that line: a corner between two lines to where it meets the
 * other line (as it stands), any other end knot to its foot on it. Each end moves at most LINE_MOVE
 * px. The line is the chord between the moved knots; a smooth end takes the line's direction as its
 * tangent (G¹ with the conic beyond it), a corner keeps its other arm; a conic beside is refitted on
 * the band loss from its state (Levenberg–Marquardt on (ln u, ln λ₀, ln λ₁), band-loss.ts), a line
 * beside is the chord to its far knot. Kept when the three pieces' band loss falls below
 * what it was with no more pixel centres on the wrong side, each piece within the
 * bounds measured on its data (§12), without a loop and within HOOK_SLACK of its former largest
 * deviation (bandPiece, linePiece), and adding no crossing with the rest of the outline (as §11.8).
 */
import { mod } from '../geometry/cyclic.js';
import type { FittedPiece } from '../model.js';
import { bandPiece, linePiece, lineSpan, spanOf } from './band.js';
import { crossingsAt } from './band-corners.js';
import { crackLine } from './crack-line.js';
import { bandLoss, levenberg, loadCracks, type Span } from './band-loss.js';
import type { FitContext } from './context.js';
import { knotAt, movedKnot, type WorkKnot } from './knots.js';
import { BandWorkspace } from './workspace.js';
import * as dm from '../geometry/fdlibm.js';

/** Cracks left off at each end of a line piece before its midpoints are fitted: they turn into the next piece. */
const LINE_TRIM = 2;
/** Fewest cracks a line piece's fit uses (after LINE_TRIM at each end). */
const LINE_MIN_CRACKS = 8;
/** Largest move of an end knot onto the fitted line, px (0.5 and 1 gave the same glyph figures, 0.5 a higher logo Hausdorff; §18.44). */
const LINE_MOVE = 0.75;
/** Largest difference of coordinates, px, at which a line counts as axis-parallel (its midpoints lie on its pixel edge). */
const AXIS_EPS = 1e-9;
/** Smallest sine of the angle between two lines for their intersection to place a corner (else its foot). */
const MIN_SINE = 0.1;

/**
 * Puts each sloped line piece of a pixel-corner contour on the line of its own band (see the file
 * comment); knots and pieces are changed in place. Sub-pixel contours, linear mode and
 * `refine: false` are left alone (as by centreInBand).
 *
 * @example linesInBand(ctx, knots, pieces);
 */
export function linesInBand(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  if (ctx.subpixel || ctx.mode !== 'conic' || !ctx.o.refine || knots.length < 3) return;
  if (!pieces.some((p) => p.kind === 'line')) return;
  const { n } = ctx;
  const count = knots.length;
  const bw = (ctx.ws.band ??= new BandWorkspace());
  loadCracks(bw, ctx);
  for (let i = 0; i < count; i++) {
    const line = pieces[i];
    if (line.kind !== 'line') continue;
    const prev = mod(i - 1, count),
      next = mod(i + 1, count),
      after = mod(i + 2, count);
    // Knots in unwrapped order: z (far end of the piece before), a, b, c (far end of the piece after).
    const a = knots[i];
    const b = knotAt(knots[next], unwrapAfter(knots[next].at, a.at, n));
    const c = knotAt(knots[after], unwrapAfter(knots[after].at, b.at, n));
    let zAt = knots[prev].at;
    while (zAt >= a.at) zAt -= n;
    const z = knotAt(knots[prev], zAt);
    if (Math.abs(a.x - b.x) <= AXIS_EPS || Math.abs(a.y - b.y) <= AXIS_EPS) continue;
    const fit = bandLine(bw, n, a.at + LINE_TRIM, b.at - LINE_TRIM);
    if (!fit) continue;
    // The direction along the piece (b after a).
    const [px, py] = fit;
    const sign = fit[2] * (b.x - a.x) + fit[3] * (b.y - a.y) < 0 ? -1 : 1;
    const ux = sign * fit[2],
      uy = sign * fit[3];
    const left = pieces[prev],
      right = pieces[next];
    const na = endOnLine(a, z, left, px, py, ux, uy);
    const nb = endOnLine(b, c, right, px, py, ux, uy);
    if (!na || !nb) continue;
    if (dm.hypot(na[0] - a.x, na[1] - a.y) > LINE_MOVE || dm.hypot(nb[0] - b.x, nb[1] - b.y) > LINE_MOVE) continue;
    const spansOld = [sideSpan(z, a, left), lineSpan(a, b), sideSpan(b, c, right)];
    const before = bandLoss(bw, ctx, spansOld);
    const wrongBefore = bw.wrong;
    const moved = onLine(bw, ctx, [z, a, b, c], [left, line, right], na, nb, ux, uy, before, wrongBefore);
    if (!moved) continue;
    const { a2, b2, l, m, r } = moved;
    // The crossing check of §11.8, once per end (each pair of pieces meeting at a moved knot).
    const withRight = pieces.slice();
    withRight[next] = r;
    const withLeft = pieces.slice();
    withLeft[prev] = l;
    const crossings = crossingsAt(withRight, prev, i, l, m) + crossingsAt(withLeft, i, next, m, r);
    if (crossings > 0 && crossings > crossingsAt(pieces, prev, i, left, line) + crossingsAt(pieces, i, next, line, right)) continue;
    knots[i] = knotAt(a2, a.at);
    knots[next] = knotAt(b2, knots[next].at);
    pieces[prev] = l;
    pieces[i] = m;
    pieces[next] = r;
  }
}

/** onLine's result: the line's moved end knots and the three refitted pieces. */
interface Moved {
  a2: WorkKnot;
  b2: WorkKnot;
  l: FittedPiece;
  m: FittedPiece;
  r: FittedPiece;
}

/**
 * The line's end knots moved to na and nb (the line's direction u), the pieces beside it refitted
 * for their moved ends (their far knots stay; a conic's state on the band loss, a line as the chord);
 * null unless the band loss over the three falls below `before` with no more centres
 * on the wrong side and each piece stays within its bounds (bandPiece, linePiece).
 */
function onLine(
  bw: BandWorkspace,
  ctx: FitContext,
  [z, a, b, c]: WorkKnot[],
  [left, line, right]: FittedPiece[],
  na: [number, number],
  nb: [number, number],
  ux: number,
  uy: number,
  before: number,
  wrongBefore: number,
): Moved | null {
  // A smooth end takes the line's direction on both sides (G¹); a corner keeps its other arm, or
  // lies along the neighbouring line's new chord.
  const [ix, iy] = a.kind !== 'corner' ? [ux, uy] : left.kind === 'line' ? unit(na[0] - z.x, na[1] - z.y, a.inX, a.inY) : [a.inX, a.inY];
  const a2 = movedKnot(a, na[0], na[1], ix, iy, ux, uy, dataSide(ctx, a, na[0], na[1], ix, iy, ux, uy));
  const [ox, oy] = b.kind !== 'corner' ? [ux, uy] : right.kind === 'line' ? unit(c.x - nb[0], c.y - nb[1], b.outX, b.outY) : [b.outX, b.outY];
  const b2 = movedKnot(b, nb[0], nb[1], ux, uy, ox, oy, dataSide(ctx, b, nb[0], nb[1], ux, uy, ox, oy));
  const spans = [sideSpan(z, a2, left), lineSpan(a2, b2), sideSpan(b2, c, right)];
  for (const s of [0, 2]) if (!spans[s].line) levenberg(bw, ctx, [spans[s]], undefined, bandLoss(bw, ctx, [spans[s]]));
  if (!(bandLoss(bw, ctx, spans) < before) || bw.wrong > wrongBefore) return null;
  const l = left.kind === 'conic' ? bandPiece(bw, ctx, z, a2, spans[0], left) : linePiece(ctx, z, a2, slack(left));
  const m = l && linePiece(ctx, a2, b2, slack(line));
  const r = m && (right.kind === 'conic' ? bandPiece(bw, ctx, b2, c, spans[2], right) : linePiece(ctx, b2, c, slack(right)));
  return l && m && r ? { a2, b2, l, m, r } : null;
}

/** Total least squares line of the crack midpoints from..to−1 (unwrapped): [x, y, ux, uy] (a point and a unit direction), or null when too few. */
function bandLine(bw: BandWorkspace, n: number, from: number, to: number): [number, number, number, number] | null {
  if (to - from < LINE_MIN_CRACKS) return null;
  const [cx, cy, ux, uy] = crackLine(bw, n, from, to);
  return [cx, cy, ux, uy];
}

/** Where end knot k of the line goes: a corner between two lines to the other line's meeting with (p, u); any other to its foot on it. Null when degenerate. */
function endOnLine(k: WorkKnot, far: WorkKnot, other: FittedPiece, px: number, py: number, ux: number, uy: number): [number, number] | null {
  if (k.kind === 'corner' && other.kind === 'line') {
    const dx = k.x - far.x,
      dy = k.y - far.y;
    const len = dm.hypot(dx, dy);
    const cross = ux * dy - uy * dx;
    if (len > 0 && Math.abs(cross) >= MIN_SINE * len) {
      // far + s·d on the line through p along u: cross(u, far + s·d − p) = 0.
      const s = (ux * (py - far.y) - uy * (px - far.x)) / cross;
      return [far.x + s * dx, far.y + s * dy];
    }
  }
  const t = (k.x - px) * ux + (k.y - py) * uy;
  const x = px + t * ux,
    y = py + t * uy;
  return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null;
}

/** Unwrapped index of a knot at `at` that follows the knot at `from` (the next one round the contour). */
function unwrapAfter(at: number, from: number, n: number): number {
  let k = at;
  while (k <= from) k += n;
  while (k - n > from) k -= n;
  return k;
}

/**
 * A corner's data point is checked in the piece whose arm it lies nearer once the knot is off it
 * (WorkKnot.dataSide; as band-corners.ts does); a smooth knot keeps its own.
 */
function dataSide(ctx: FitContext, k: WorkKnot, x: number, y: number, ix: number, iy: number, ox: number, oy: number): 'in' | 'out' | undefined {
  if (k.kind !== 'corner') return k.dataSide;
  const at = mod(k.at, ctx.n);
  const dx = ctx.raw[2 * at] - x,
    dy = ctx.raw[2 * at + 1] - y;
  return Math.abs(dx * iy - dy * ix) <= Math.abs(dx * oy - dy * ox) ? 'in' : 'out';
}

/**
 * A line piece with its largest deviation raised by LINE_MOVE for linePiece's HOOK_SLACK test: that
 * test guards against a curve folding where no midpoint sees it (§11.6), which a chord cannot do,
 * while a chord whose end moves by up to LINE_MOVE may be that much farther from a point near it
 * (a 3-crack foot between two stroke sides: 0 → 0.18 px).
 */
function slack(piece: FittedPiece): FittedPiece {
  return { ...piece, report: { ...piece.report, maxDeviation: piece.report.maxDeviation + LINE_MOVE } };
}

/** A tangent for a line side: the unit vector (dx, dy), or the fallback when it is zero. */
function unit(dx: number, dy: number, fx: number, fy: number): [number, number] {
  const len = dm.hypot(dx, dy);
  return len > 0 ? [dx / len, dy / len] : [fx, fy];
}

/** The span of the piece between knots p and q (a conic from its state, a line as its chord). */
function sideSpan(p: WorkKnot, q: WorkKnot, piece: FittedPiece): Span {
  return piece.kind === 'conic' ? spanOf(p, q, piece) : lineSpan(p, q);
}
