/**
 * Linear mode's sector test (docs/design.md §9.9, §18.29): from one contour point, which chords
 * stay within the tolerance of every point they pass.
 *
 * Reads: the fit context (raw points, tolerance) and the workspace's polygonOk buffer.
 * Produces: polygonOk[k] = 1 for each admitted chord (i, i ± k), and the last index walked.
 * Method: the sector method (Sklansky & Gonzalez 1980; Chan & Chin 1996) — the directions from point
 * i whose line passes within the tolerance of every point so far form a cone, kept as two boundary
 * unit vectors and narrowed point by point. Split from polygon.ts, which calls it for every point of
 * every chain: it is most of a linear fit's time.
 */
import { mod } from '../geometry/cyclic.js';
import type { FitContext } from './context.js';

/**
 * Sector test from point i towards `end` (dir = ±1): walking j = i ± 1, i ± 2, …, the directions from
 * point i whose line passes within the tolerance of every point so far form a cone (two boundary
 * unit vectors, no trigonometry); chord (i, j) is admitted when point j's direction lies in the cone
 * of the points before it (the workspace's polygonOk[|j − i|] = 1). Returns the last index walked
 * before the cone closed (or `end`).
 */
export function sweep(ctx: FitContext, i: number, end: number, dir: 1 | -1): number {
  const { raw, n } = ctx;
  const tol = ctx.o.tolerance;
  const tol2 = tol * tol;
  const qi = mod(i, n);
  const xi = raw[2 * qi],
    yi = raw[2 * qi + 1];
  const span = Math.abs(end - i);
  // Only the entries walked are written (callers read no further than the returned index): clearing
  // the whole span cost O(K·n) per chain on long contours without corners.
  const ok = ctx.ws.polygonAdmitted(span + 1);
  // Cone [right, left] boundaries as unit vectors; unset until a point farther than tol is met.
  let lx = 0,
    ly = 0,
    rx = 0,
    ry = 0,
    open = false;
  // q: point j's index within the turn, stepped with j (no division per point: the sweep is most of
  // the linear fit's time, docs/design.md §9.9).
  for (let k = 1, q = qi; k <= span; k++) {
    q += dir;
    if (q === n) q = 0;
    else if (q < 0) q = n - 1;
    const px = raw[2 * q] - xi,
      py = raw[2 * q + 1] - yi;
    const r2 = px * px + py * py;
    // Chord (i, j) needs point j's direction inside the cone of the points before it; a point outside
    // may still leave a cone for the chords past it.
    // (A point on point i itself has no direction: admitted only while no point has narrowed the cone.)
    if (r2 <= tol2) {
      if (!open) ok[k] = 1;
      else if (r2 > 0) {
        const r = Math.sqrt(r2);
        ok[k] = inside(px / r, py / r, rx, ry, lx, ly);
      } else ok[k] = 0;
      continue;
    }
    // Point j's own constraint: directions within asin(tol / r) of its direction.
    const r = Math.sqrt(r2);
    const ux = px / r,
      uy = py / r;
    ok[k] = open ? inside(ux, uy, rx, ry, lx, ly) : 1;
    const sin = tol / r,
      cos = Math.sqrt(1 - sin * sin);
    const ax = ux * cos + uy * sin,
      ay = -ux * sin + uy * cos; // u turned by −α: the cone's right boundary
    const bx = ux * cos - uy * sin,
      by = ux * sin + uy * cos; // u turned by +α: its left boundary
    if (!open) {
      rx = ax;
      ry = ay;
      lx = bx;
      ly = by;
      open = true;
      continue;
    }
    // Intersection of two cones narrower than a half-turn: each new boundary is whichever of the two
    // lies inside the other cone (robust when the cones face apart, where comparing boundaries by
    // their cross product alone is not); neither inside: the cones are disjoint.
    const aIn = inside(ax, ay, rx, ry, lx, ly),
      bIn = inside(bx, by, rx, ry, lx, ly);
    if (!aIn && !inside(rx, ry, ax, ay, bx, by)) return i + dir * k;
    if (!bIn && !inside(lx, ly, ax, ay, bx, by)) return i + dir * k;
    if (aIn) {
      rx = ax;
      ry = ay;
    }
    if (bIn) {
      lx = bx;
      ly = by;
    }
    if (cross(rx, ry, lx, ly) < -ON_BOUNDARY) return i + dir * k;
  }
  return end;
}

/**
 * Whether unit direction v lies in the cone swept counter-clockwise from r to l (unit vectors, narrower
 * than a half-turn), a boundary included, as 1 or 0: a point exactly the tolerance off a chord (common
 * on pixel corners) is within it, whatever the last bit of the rotated boundaries. Both sides are
 * always evaluated: fewer branches in the sweep's loop.
 */
function inside(vx: number, vy: number, rx: number, ry: number, lx: number, ly: number): number {
  return +(cross(rx, ry, vx, vy) >= -ON_BOUNDARY) & +(cross(vx, vy, lx, ly) >= -ON_BOUNDARY);
}

/** Slack of the cone tests on unit vectors (sine of the angle): far below any pixel-scale distance. */
const ON_BOUNDARY = 1e-12;

/** z of the cross product (a × b). */
export function cross(ax: number, ay: number, bx: number, by: number): number {
  return ax * by - ay * bx;
}
