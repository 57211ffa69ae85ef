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
 * HOOK_SLACK of its former largest deviation, and adding no crossing with the rest of the outline
 * (a 1 px slit's end pulled past its other side, §11.8). A minimum that puts more centres on the wrong side is
 * tried once more with the hinges weighted up (BAND_DEFAULTS.cornerRetryHinge); after a move, the
 * smooth knots at the two pieces' far ends get their band-fit step again (bandKnot).
 */
import { rationalQuadratic, segmentsCross } from '../geometry/conic.js';
import { mod } from '../geometry/cyclic.js';
import type { FittedPiece } from '../model.js';
import { bandKnot, bandPiece, linePiece, lineSpan, spanOf } from './band.js';
import { BAND_DEFAULTS, bandLoss, levenberg, loadCracks } from './band-loss.js';
import type { FitContext } from './context.js';
import { movedKnot, neighbourKnots, type WorkKnot } from './knots.js';
import { BandWorkspace } from './workspace.js';

/**
 * Moves each corner knot of a pixel-corner contour that has a conic piece beside it where the band
 * loss of its two pieces is least (see the file comment); knots and pieces are changed in place.
 * Sub-pixel contours, linear mode and `refine: false` are left alone (as by centreInBand).
 *
 * @example cornersInBand(ctx, knots, pieces);
 */
export function cornersInBand(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  placeCorners(ctx, knots, pieces, false);
}

/**
 * cornersInBand's step for the corners between two line pieces, which it leaves (docs/design.md
 * §18.35): run after it, so that the corners beside a conic are placed as before, and each line
 * side stays a line from its other end. Knots and pieces are changed in place.
 *
 * @example cornersBetweenLines(ctx, knots, pieces);
 */
export function cornersBetweenLines(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  placeCorners(ctx, knots, pieces, true);
}

/** The corners beside a conic piece (`lines` false) or between two line pieces (`lines` true) placed on the band loss (see the file comment). */
function placeCorners(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[], lines: boolean): void {
  if (ctx.subpixel || ctx.mode !== 'conic' || !ctx.o.refine || knots.length < 2) return;
  const { n, raw } = ctx;
  const count = knots.length;
  const eligible = (i: number) => knots[i].kind === 'corner' && (pieces[i].kind === 'line' && pieces[mod(i - 1, count)].kind === 'line') === lines;
  if (!knots.some((_, i) => eligible(i))) return;
  const bw = (ctx.ws.band ??= new BandWorkspace());
  loadCracks(bw, ctx);
  const retraces = retracesItself(ctx);
  for (let i = 0; i < count; i++) {
    const k = knots[i];
    const prev = mod(i - 1, count);
    const left = pieces[prev],
      right = pieces[i];
    if (!eligible(i)) continue;
    const [a, b] = neighbourKnots(knots, i, n);
    const spansOf = () => [left.kind === 'conic' ? spanOf(a, k, left) : lineSpan(a, k), right.kind === 'conic' ? spanOf(k, b, right) : lineSpan(k, b)];
    // Between two lines, an axis-parallel side lies on its pixel edge, the centre of its band: the
    // corner slides along it (x held beside a vertical side, y beside a horizontal one; §18.35).
    const hold = lines ? axisHold(a, k) | axisHold(k, b) : 0;
    if (hold === 3) continue;
    let spans = spansOf();
    const before = bandLoss(bw, ctx, spans);
    const wrong = bw.wrong;
    // Between two lines, a move is kept only for a clear gain (LINE_CORNER_GAIN; §18.35).
    const need = lines ? LINE_CORNER_GAIN : 1;
    const lower = levenberg(bw, ctx, spans, k, before, hold) < need * before;
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
      ok = levenberg(bw, ctx, spans, k, start, hold) < need * start && bw.wrong <= startWrong;
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
    keepCornerMove(ctx, bw, knots, pieces, i, moved, l, r, retraces);
  }
}

/**
 * Corner knot i moved, with its two refitted pieces l (ending there) and r (starting there), put
 * into knots and pieces unless that adds a crossing with the rest of the outline; then the smooth
 * knots at the pieces' far ends get their band-fit step once more. Returns whether it was kept.
 * Shared by the corner steps (§11.8, §18.35) and the acute tips (band-tips.ts, §18.46).
 */
export function keepCornerMove(
  ctx: FitContext,
  bw: BandWorkspace,
  knots: WorkKnot[],
  pieces: FittedPiece[],
  i: number,
  moved: WorkKnot,
  l: FittedPiece,
  r: FittedPiece,
  retraces: boolean,
): boolean {
  const count = knots.length;
  const prev = mod(i - 1, count),
    next = mod(i + 1, count);
  // Every check before this is the two pieces' own; only this one sees the rest of the outline. A
  // corner at the end of a 1 px slit or spur turns almost back on itself, and the band loss can
  // pull it past the slit's other side: the outline crosses itself there (§11.8).
  // (Not on a contour that retraces itself, the colour stage's open chain there and back
  // (src/colour/chains-fit.ts): its two ways are fitted apart and cross by construction.)
  if (!retraces) {
    const crossings = crossingsAt(pieces, prev, i, l, r);
    if (crossings > 0 && crossings > crossingsAt(pieces, prev, i, pieces[prev], pieces[i])) return false;
  }
  knots[i] = moved;
  pieces[prev] = l;
  pieces[i] = r;
  // The smooth knots at the far ends of the two pieces were placed for the corner as it was:
  // their band-fit step (sweep 2 of band.ts) once more.
  bandKnot(ctx, bw, knots, pieces, prev);
  if (next !== prev) bandKnot(ctx, bw, knots, pieces, next);
  return true;
}

/**
 * The coordinate a corner keeps beside the line from p to q (levenberg's `hold`): 1 (x) on a
 * vertical line, 2 (y) on a horizontal one, else 0. Within AXIS_EPS: the fit's local coordinates
 * (context.ts) leave a pixel edge's knots ~1e-15 apart.
 */
function axisHold(p: WorkKnot, q: WorkKnot): number {
  return Math.abs(p.x - q.x) <= AXIS_EPS ? 1 : Math.abs(p.y - q.y) <= AXIS_EPS ? 2 : 0;
}

/**
 * A corner between two line pieces moves only when their band loss falls below this fraction of
 * what it was (docs/design.md §18.35): with both far ends fixed, a small gain is a tilt within the
 * pixels' own noise (kept at 1.0, 0.95 and 0.9: bilevel logos' median Hausdorff 0.708, 0.706, 0.706
 * against 0.701 at 0.8).
 */
const LINE_CORNER_GAIN = 0.8;

/** Largest difference of coordinates, px, at which a line counts as axis-parallel (axisHold). */
const AXIS_EPS = 1e-9;

/** Chords of a conic piece in the crossing check (as intervalLoops' flattening, §11.5). */
const CROSS_CHORDS = 32;

/**
 * Proper crossings of the pieces l and r, which replace pieces prev and i (meeting at corner i),
 * with each other and with the contour's other pieces whose control points' box meets theirs,
 * each flattened into CROSS_CHORDS chords (a line into one). The flattenings end exactly at their
 * knots, so chords meeting at a knot do not count.
 */
export function crossingsAt(pieces: FittedPiece[], prev: number, i: number, l: FittedPiece, r: FittedPiece): number {
  // Cost (docs/design.md §18.51): boxes without arrays, flattenings written in place, and a chord
  // of l or r checked against another polyline only where their x ranges meet; the same count.
  const near = [l, r];
  const box = new Float64Array(4),
    other = new Float64Array(4);
  pieceBox(l, box);
  pieceBox(r, other);
  box[0] = Math.min(box[0], other[0]);
  box[1] = Math.min(box[1], other[1]);
  box[2] = Math.max(box[2], other[2]);
  box[3] = Math.max(box[3], other[3]);
  for (let q = 0; q < pieces.length; q++) {
    if (q === prev || q === i) continue;
    pieceBox(pieces[q], other);
    if (other[0] <= box[2] && other[2] >= box[0] && other[1] <= box[3] && other[3] >= box[1]) near.push(pieces[q]);
  }
  // All flattenings in one array: polyline s starts at offset starts[s], with chords[s] chords.
  const count = near.length;
  const chords = new Int32Array(count),
    starts = new Int32Array(count);
  let size = 0;
  for (let s = 0; s < count; s++) {
    chords[s] = near[s].kind === 'line' ? 1 : CROSS_CHORDS;
    starts[s] = size;
    size += 2 * (chords[s] + 1);
  }
  const pts = new Float64Array(size);
  // Each polyline's x range, from its vertices.
  const lowX = new Float64Array(count),
    highX = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    flattenPiece(near[s], chords[s], pts, starts[s]);
    let lo = Infinity,
      hi = -Infinity;
    for (let v = 0, o = starts[s]; v <= chords[s]; v++, o += 2) {
      lo = Math.min(lo, pts[o]);
      hi = Math.max(hi, pts[o]);
    }
    lowX[s] = lo;
    highX[s] = hi;
  }
  let crossings = 0;
  // l with r, and each of them with the others (chords whose x ranges do not meet skipped: a chord
  // of s clear of e's whole x range is clear of each of e's chords).
  for (let s = 0; s < 2; s++) {
    for (let e = s + 1; e < count; e++) {
      for (let a = 0; a < chords[s]; a++) {
        const oa = starts[s] + 2 * a;
        const lo = Math.min(pts[oa], pts[oa + 2]),
          hi = Math.max(pts[oa], pts[oa + 2]);
        if (highX[e] < lo || lowX[e] > hi) continue;
        for (let b = 0; b < chords[e]; b++) {
          const ob = starts[e] + 2 * b;
          if (Math.max(pts[ob], pts[ob + 2]) < lo || Math.min(pts[ob], pts[ob + 2]) > hi) continue;
          if (segmentsCross(pts, oa, ob)) crossings++;
        }
      }
    }
  }
  return crossings;
}

/** The box [minX, minY, maxX, maxY] of a piece's control points into `out` (a conic interval lies in their hull). */
function pieceBox(piece: FittedPiece, out: Float64Array): void {
  const { p0, p1 } = piece;
  if (piece.kind === 'line') {
    out[0] = Math.min(p0.x, p1.x);
    out[1] = Math.min(p0.y, p1.y);
    out[2] = Math.max(p0.x, p1.x);
    out[3] = Math.max(p0.y, p1.y);
    return;
  }
  const { v, j, w } = piece;
  out[0] = Math.min(p0.x, v.x, j.x, w.x, p1.x);
  out[1] = Math.min(p0.y, v.y, j.y, w.y, p1.y);
  out[2] = Math.max(p0.x, v.x, j.x, w.x, p1.x);
  out[3] = Math.max(p0.y, v.y, j.y, w.y, p1.y);
}

/**
 * A piece flattened into k chords at pts[o …] (x, y interleaved): its knots exactly at the ends, and
 * between them the points pieceEvaluator gives at t = 1/k … (k − 1)/k (src/geometry/curves.ts), in
 * the same arithmetic.
 */
function flattenPiece(piece: FittedPiece, k: number, pts: Float64Array, o: number): void {
  if (piece.kind === 'conic') {
    const { p0, v, j, w, p1, u } = piece;
    for (let t = 1; t < k; t++) {
      const s = t / k;
      if (s <= 0.5) rationalQuadratic(p0.x, p0.y, v.x, v.y, j.x, j.y, u, 2 * s, pts, o + 2 * t);
      else rationalQuadratic(j.x, j.y, w.x, w.y, p1.x, p1.y, u, 2 * s - 1, pts, o + 2 * t);
    }
  } else {
    const { p0, p1 } = piece;
    for (let t = 1; t < k; t++) {
      const s = t / k;
      pts[o + 2 * t] = p0.x + s * (p1.x - p0.x);
      pts[o + 2 * t + 1] = p0.y + s * (p1.y - p0.y);
    }
  }
  pts[o] = piece.p0.x;
  pts[o + 1] = piece.p0.y;
  pts[o + 2 * k] = piece.p1.x;
  pts[o + 2 * k + 1] = piece.p1.y;
}

/** Whether the contour's points run there and back: point k is point n − k for every k. */
export function retracesItself(ctx: FitContext): boolean {
  const { n, raw } = ctx;
  for (let k = 1; k < n; k++) {
    if (raw[2 * k] !== raw[2 * (n - k)] || raw[2 * k + 1] !== raw[2 * (n - k) + 1]) return false;
  }
  return true;
}
