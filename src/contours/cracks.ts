/**
 * Contours (docs/design.md §2.5): the tables of a crack walk, shared by walk.ts and points.ts.
 *
 * A crack is a unit pixel edge, walked from vertex (x, y) with a heading d; these give each
 * heading's step, the pixels around a vertex the walk looks at, and the Freeman codes of pixel
 * moves (the chain code).
 */
/** Heading of a crack walk step: 0 = +x, 1 = +y, 2 = −x, 3 = −y (clockwise on screen). */
export const STEP_X = [1, 0, -1, 0];
export const STEP_Y = [0, 1, 0, -1];
/** Pixel on the right of a crack that starts at vertex (x, y) with heading d: offset from (x, y). */
export const RIGHT_PX = [0, -1, -1, 0];
export const RIGHT_PY = [0, 0, -1, -1];
/** Pixel ahead-left of vertex (x, y) for heading d (ahead-right is RIGHT_P of the next heading… see walk). */
export const AHEAD_LEFT_PX = [0, 0, -1, -1];
export const AHEAD_LEFT_PY = [-1, 0, 0, -1];
export const AHEAD_RIGHT_PX = [0, -1, -1, 0];
export const AHEAD_RIGHT_PY = [0, 0, -1, -1];

/**
 * Freeman code for a move (dx, dy), both in {−1, 0, 1}: index (dy + 1)·3 + (dx + 1).
 * 0 = +x, 1 = +x+y, 2 = +y, 3 = −x+y, 4 = −x, 5 = −x−y, 6 = −y, 7 = +x−y.
 */
export const FREEMAN_OF_MOVE = [5, 6, 7, 4, 255, 0, 3, 2, 1];
/** Move of Freeman code k. */
export const FREEMAN_DX = [1, 1, 0, -1, -1, -1, 0, 1];
export const FREEMAN_DY = [0, 1, 1, 1, 0, -1, -1, -1];

/**
 * Heading (as STEP_X/STEP_Y) of the step from point i to the next of a closed contour's
 * interleaved points, or −1 when that step is not one unit crack (sub-pixel points, a gap).
 */
export function crackHeading(points: Float64Array, i: number): number {
  const n = points.length / 2;
  const a = ((i % n) + n) % n,
    b = a + 1 === n ? 0 : a + 1;
  const dx = points[2 * b] - points[2 * a],
    dy = points[2 * b + 1] - points[2 * a + 1];
  if (Math.abs(dx) + Math.abs(dy) !== 1) return -1;
  return dx === 1 ? 0 : dy === 1 ? 1 : dx === -1 ? 2 : 3;
}
