/**
 * The arms of a bilevel notch with one curved side (docs/design.md §10.5 step 7): an arch running
 * into a stem (the h's, n's and b's junctions) curves towards the stem, so a straight arm fitted
 * past the corner is a chord that meets the stem short of the notch's tip.
 *
 * Reads: the fit context, a concave corner's index and the other side's straight arm.
 * Produces: both arms refitted on the points near the corner, the curved one as the tangent of a
 * least-squares parabola (y = c + a·x + b·x² in the frame of its chord, Cramer's rule as in
 * tangents.ts) where it meets the straight one. sharpenCorners checks the move as any other.
 */
import { mod } from '../geometry/cyclic.js';
import type { FitContext } from './context.js';
import { lineThrough, SIDE_END_POINTS } from './corner-knots.js';
import { ParabolaSums, type Arm } from './tangents.js';
import * as dm from '../geometry/fdlibm.js';

/** The first and last step (from the corner at `at` along `dir`) of the points CURVED_ARM_NEAR to CURVED_ARM_FAR px of arc length away, within `room` − SIDE_END_POINTS; null under CURVED_ARM_POINTS. */
function nearWindow(ctx: FitContext, at: number, dir: 1 | -1, room: number): [number, number] | null {
  const { n, raw } = ctx;
  let s = 0,
    p = at,
    first = -1,
    last = -1;
  for (let k = 1; k <= room - SIDE_END_POINTS; k++) {
    const q = mod(p + dir, n);
    s += dm.hypot(raw[2 * q] - raw[2 * p], raw[2 * q + 1] - raw[2 * p + 1]);
    p = q;
    if (s > CURVED_ARM_FAR) break;
    if (s < CURVED_ARM_NEAR) continue;
    if (first < 0) first = k;
    last = k;
  }
  return first < 0 || last - first + 1 < CURVED_ARM_POINTS ? null : [first, last];
}

/** A notch's straight arm over curvedArm's window: the total-least-squares line, tangent away from the corner; null when its points scatter by more than `limit` (RMS). */
export function nearArm(ctx: FitContext, at: number, dir: 1 | -1, room: number, limit: number): Arm | null {
  const w = nearWindow(ctx, at, dir, room);
  return w && lineThrough(ctx, at, dir > 0 ? at + w[0] : at - w[1], dir > 0 ? at + w[1] : at - w[0], limit);
}

/**
 * A bilevel notch's curved arm (docs/design.md §10.5 step 7): the least-squares parabola through
 * the raw points from CURVED_ARM_NEAR to CURVED_ARM_FAR px of arc length from the concave corner
 * at index `at` along `dir` (at most `room` − SIDE_END_POINTS points), in the frame of their chord,
 * cut with the other side's straight arm `line`: returned as an arm through that cut along the
 * parabola's tangent there (pointing away from the corner). An arch running into a stem curves
 * towards the stem, so its straight chord meets the stem short of the notch's tip. Null for a
 * convex corner (a serif's bracket would become a hook), too few points, points off the parabola
 * by more than `limit` (RMS), or no cut within `maxShift` px of the corner.
 */
export function curvedArm(ctx: FitContext, at: number, dir: 1 | -1, room: number, line: Arm, limit: number, maxShift: number): Arm | null {
  const { n, raw } = ctx;
  const px = raw[2 * at],
    py = raw[2 * at + 1];
  const w = nearWindow(ctx, at, dir, room);
  if (!w) return null;
  const [first, last] = w;
  const e = mod(at + dir * last, n);
  const el = dm.hypot(raw[2 * e] - px, raw[2 * e + 1] - py);
  if (!(el > 1e-9)) return null;
  const cx = (raw[2 * e] - px) / el,
    cy = (raw[2 * e + 1] - py) / el;
  // A notch turns away from the ink: outer contours run with the ink on the left of the shoelace
  // orientation and holes the other way round (docs/design.md §2.3), so the turn from the incoming
  // to the outgoing direction is negative (the straight arm on its side, the chord on the other).
  const [ltx, lty] = line;
  const turn = dir > 0 ? -ltx * cy + lty * cx : -cx * lty + cy * ltx;
  if (!(turn < 0)) return null;
  const sums = new ParabolaSums();
  for (let k = first; k <= last; k++) {
    const j = mod(at + dir * k, n);
    const dx = raw[2 * j] - px,
      dy = raw[2 * j + 1] - py;
    sums.add(dx * cx + dy * cy, -dx * cy + dy * cx);
  }
  const fitted = sums.solve();
  if (!fitted) return null;
  const [c, a, b] = fitted;
  let sum = 0;
  for (let k = first; k <= last; k++) {
    const j = mod(at + dir * k, n);
    const dx = raw[2 * j] - px,
      dy = raw[2 * j + 1] - py;
    const u = dx * cx + dy * cy;
    const d = -dx * cy + dy * cx - (c + a * u + b * u * u);
    sum += d * d;
  }
  if (Math.sqrt(sum / (last - first + 1)) > limit) return null;
  // The straight arm in the frame: point (lx, ly) + t·(dx, dy); the parabola y = c + a·x + b·x².
  const [, , qx, qy] = line;
  const lx = (qx - px) * cx + (qy - py) * cy,
    ly = -(qx - px) * cy + (qy - py) * cx;
  const dx = ltx * cx + lty * cy,
    dy = -ltx * cy + lty * cx;
  const qa = b * dx * dx,
    qb = a * dx + 2 * b * lx * dx - dy,
    qc = c + a * lx + b * lx * lx - ly;
  let best: number | null = null;
  const pick = (t: number) => {
    const x = lx + t * dx;
    if (Number.isFinite(x) && (best === null || Math.abs(x) < Math.abs(lx + best * dx))) best = t;
  };
  if (Math.abs(qa) < 1e-12) {
    if (Math.abs(qb) > 1e-12) pick(-qc / qb);
  } else {
    const disc = qb * qb - 4 * qa * qc;
    if (disc >= 0) {
      const r = Math.sqrt(disc);
      pick((-qb - r) / (2 * qa));
      pick((-qb + r) / (2 * qa));
    }
  }
  if (best === null) return null;
  const x = lx + best * dx,
    y = c + a * x + b * x * x;
  if (!(dm.hypot(x, y) <= maxShift)) return null;
  // Tangent (1, a + 2b·x) in the frame, back to image axes.
  const slope = a + 2 * b * x;
  const tl = dm.hypot(1, slope);
  return [(cx - slope * cy) / tl, (cy + slope * cx) / tl, px + x * cx - y * cy, py + x * cy + y * cx, true];
}

/** A notch's curved arm: its points from NEAR to FAR px of arc length from the corner, at least POINTS of them (curvedArm). */
const CURVED_ARM_NEAR = 1;
const CURVED_ARM_FAR = 9;
const CURVED_ARM_POINTS = 5;
