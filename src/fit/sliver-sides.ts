/**
 * A sliver's sides on the two lines that hold its pixels' area (conic mode, pixel-corner contours;
 * the knot loop's last step, docs/design.md §3.6).
 *
 * Reads: the fit context of a sliver fitted from its cap corners (`ctx.sliver`, src/corners-sliver.ts)
 * and its 4 corner knots. Produces: the knots moved, in place, onto two lines
 * parallel to the sliver's centre line, half its mean width off it, and the pieces the chords
 * between them; nothing when a chord would break the bounds.
 * Why: the cap corners are pixel corners, and a side between two of them can run along the chain's
 * outer corners at one end and through its joints at the other: a stroke thinner than its pixels
 * and off to one side (an 8-connected 40 px line at 31°: mask IoU 1.0 before slivers, 0.49 with
 * chords between cap corners). The band passes (§11.6–§11.9) keep a move only where the band loss
 * falls, and a side's joints, which touch the other side, hold it where it is.
 * Method: the centre line is the total-least-squares line of all the contour's points (on a
 * straight chain the joints lie on it and the outer corners pair off across it). Each knot goes to
 * the foot of its data point on the line offset to its side (the side whose points lie that way of
 * the centre line on average) by the half width that keeps the pixels' area: area / (the two sides'
 * extents along the line, summed).
 */
import { polygonArea } from '../contours/points.js';
import { totalLeastSquaresLine } from '../geometry/line-fit.js';
import type { FittedPiece } from '../model.js';
import type { FitContext } from './context.js';
import { exceeds, fitInterval, fitLine, loadInterval } from './interval.js';
import { knotAt, movedKnot, type WorkKnot } from './knots.js';
import { mod } from '../geometry/cyclic.js';
import * as dm from '../geometry/fdlibm.js';

/**
 * Puts a sliver's sides on the lines of its mean width (see the file comment); knots and pieces are
 * changed in place. Any contour but a sliver with 4 knots is left alone.
 *
 * @example sliverSides(ctx, knots, pieces);
 */
export function sliverSides(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  if (!ctx.sliver || knots.length !== 4) return;
  const { n, raw } = ctx;
  const [cx, cy, dx, dy] = totalLeastSquaresLine(raw, n, 0, n - 1);
  const nx = -dy,
    ny = dx;
  // The two longer pieces are the sides; each side's points lie one way of the centre line.
  const span = (i: number) => mod(knots[(i + 1) % 4].at - knots[i].at, n);
  const sides = [0, 1, 2, 3].sort((p, q) => span(q) - span(p) || p - q).slice(0, 2);
  const sign = new Float64Array(4);
  for (const i of sides) {
    let sum = 0;
    const a = knots[i].at,
      m = span(i);
    for (let k = 1; k < m; k++) {
      const q = (a + k) % n;
      sum += (raw[2 * q] - cx) * nx + (raw[2 * q + 1] - cy) * ny;
    }
    if (sum === 0) return;
    // The side's two knots: its start and its end.
    sign[i] = sign[(i + 1) % 4] = Math.sign(sum);
  }
  if (sign.some((s) => s === 0)) return;
  // Half the width that gives the quadrilateral its pixels' area: area = half × (the sides' extents
  // along the line summed), a trapezoid between the two offset lines.
  const along = (k: WorkKnot) => {
    const q = mod(k.at, n);
    return (raw[2 * q] - cx) * dx + (raw[2 * q + 1] - cy) * dy;
  };
  let extents = 0;
  for (const i of sides) extents += Math.abs(along(knots[(i + 1) % 4]) - along(knots[i]));
  if (!(extents > 0)) return;
  const half = Math.abs(polygonArea(raw)) / extents;
  const moved = knots.map((k, i) => {
    const q = mod(k.at, n);
    const off = (raw[2 * q] - cx) * nx + (raw[2 * q + 1] - cy) * ny - sign[i] * half;
    return movedKnot(k, raw[2 * q] - off * nx, raw[2 * q + 1] - off * ny, k.inX, k.inY, k.outX, k.outY);
  });
  // Each side the chord between its moved knots, its direction their arm on that side; a cap is
  // fitted as any piece (a line where one is within the bounds, §3.6), with the arms it had.
  for (const i of sides) {
    const a = moved[i],
      b = moved[(i + 1) % 4];
    const len = dm.hypot(b.x - a.x, b.y - a.y);
    if (!(len > 0)) return;
    a.outX = b.inX = (b.x - a.x) / len;
    a.outY = b.inY = (b.y - a.y) / len;
  }
  const refitted: FittedPiece[] = [];
  for (let i = 0; i < 4; i++) {
    const a = moved[i];
    // The piece's far knot, unwrapped past the list's end for the last piece.
    const b = i + 1 < 4 ? moved[i + 1] : knotAt(moved[0], moved[0].at + n);
    const piece = sides.includes(i) ? fitLine(ctx, mod(a.at, n), mod(b.at, n), loadInterval(ctx, a, b), a.x, a.y, b.x, b.y) : fitInterval(ctx, a, b);
    if (exceeds(ctx, piece.report)) return;
    refitted.push(piece);
  }
  for (let i = 0; i < 4; i++) {
    knots[i] = moved[i];
    pieces[i] = refitted[i];
  }
}
