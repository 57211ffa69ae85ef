/**
 * Corners drawn back towards their data point where a piece beside them is over tolerance (conic
 * mode; the last placement pass, docs/design.md §18.50).
 *
 * Reads: the fit context and the knots and pieces after every other pass. Produces: corner knots
 * moved, in place, part of the way back to their data points, and their two pieces refitted.
 * Why: a corner knot sits where its two fitted arms meet, up to 1.5 × tolerance off its data point
 * (§10.2). On a contour only a few pixels round (a speck of a scan: 10–13 points, the corner's arms
 * as long as the contour) that meeting point can lie 1–1.4 px off, and a piece of one or two steps
 * beside it cannot come within the tolerance of its data: flagged, and drawn as a dent or a spike
 * (`baiona_gray.png`: all 23 of its intervals over tolerance were such pieces).
 * Method: per piece over tolerance, each of its end knots that is a corner off its data point is
 * moved RETREAT_STEPS of the way back (tangents kept) and its two pieces refitted (§9.8, kept only
 * within the tolerance); the first step at which both are within it is kept, else the knot stays.
 */
import { mod } from '../geometry/cyclic.js';
import type { FittedPiece } from '../model.js';
import type { FitContext } from './context.js';
import { fitIntervalWithin } from './interval.js';
import { movedKnot, neighbourKnots, type WorkKnot } from './knots.js';

/** Fractions of the way from the corner's position back to its data point that are tried, in order. */
export const RETREAT_STEPS = Object.freeze([0.25, 0.5, 0.75, 1]);

/**
 * Moves back each corner knot beside a piece over tolerance (see the file comment); knots and pieces
 * are changed in place. Does nothing when every piece is within tolerance.
 *
 * @example retreatCorners(ctx, knots, pieces);
 */
export function retreatCorners(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  const count = knots.length;
  if (count < 2 || pieces.every((p) => p.report.withinTolerance)) return;
  const { n, raw } = ctx;
  for (let i = 0; i < count; i++) {
    if (pieces[i].report.withinTolerance) continue;
    for (const j of [i, mod(i + 1, count)]) {
      const k = knots[j];
      if (k.kind !== 'corner') continue;
      const at = mod(k.at, n);
      const dx = raw[2 * at] - k.x,
        dy = raw[2 * at + 1] - k.y;
      if (dx === 0 && dy === 0) continue;
      const [a, b] = neighbourKnots(knots, j, n);
      for (const t of RETREAT_STEPS) {
        const moved = movedKnot(k, k.x + t * dx, k.y + t * dy, k.inX, k.inY, k.outX, k.outY);
        const before = fitIntervalWithin(ctx, a, moved, 'tolerance');
        const after = before && fitIntervalWithin(ctx, moved, b, 'tolerance');
        if (!before || !after) continue;
        knots[j] = moved;
        pieces[mod(j - 1, count)] = before;
        pieces[j] = after;
        break;
      }
      if (pieces[i].report.withinTolerance) break;
    }
  }
}
