/**
 * Cyclic indices on a closed contour.
 *
 * Reads: an integer index i (any sign, e.g. an unwrapped knot position or i ± a step) and a
 * length n > 0. Produces: the equivalent index in [0, n). Formula: ((i mod n) + n) mod n, since
 * JavaScript's % keeps the sign of the dividend.
 */

/** i modulo n in [0, n), for any integer i (negative included) and integer n > 0. */
export function mod(i: number, n: number): number {
  return ((i % n) + n) % n;
}

/**
 * i modulo n for −n ≤ i < 2n (an index at most one length past either end), without a division:
 * the same value as `mod` there, for the inner loops that step outwards from a point (corners).
 */
export function wrap(i: number, n: number): number {
  return i < 0 ? i + n : i >= n ? i - n : i;
}
