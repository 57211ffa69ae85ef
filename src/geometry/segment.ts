/**
 * Point-to-segment projection.
 *
 * Reads: a point P and a segment A–B, given as A and D = B − A. Produces: the foot parameter
 * t ∈ [0, 1] of P's nearest point A + t·D, and the squared distance |A + t·D − P|².
 * Formula: t = clamp((P − A)·D / |D|², 0, 1), t = 0 for a zero-length segment.
 *
 * Used by the deviation measure (src/fit/deviation.ts, corner checks) and by the refinement's foot
 * search (src/fit/refine.ts); both wrote this projection inline with the same arithmetic.
 */

/**
 * Foot parameter of (px, py) on the segment from (ax, ay) along (dx, dy), clamped to [0, 1].
 * t = num / l2 clamped to [0, 1], dividing only when the clamp does not decide it (the same values
 * as dividing first; most segments searched lie wholly ahead of or behind the point).
 */
export function segmentFoot(px: number, py: number, ax: number, ay: number, dx: number, dy: number): number {
  const l2 = dx * dx + dy * dy;
  const num = (px - ax) * dx + (py - ay) * dy;
  let t = 0;
  if (l2 > 0) t = num <= 0 ? 0 : num >= l2 ? 1 : num / l2;
  return t;
}

/** Squared distance from (px, py) to the point at parameter t of the segment from (ax, ay) along (dx, dy). */
export function footDistance2(px: number, py: number, ax: number, ay: number, dx: number, dy: number, t: number): number {
  const ex = ax + t * dx - px,
    ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** Squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
export function pointSegmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax,
    dy = by - ay;
  return footDistance2(px, py, ax, ay, dx, dy, segmentFoot(px, py, ax, ay, dx, dy));
}
