/**
 * Linear mode's prefix sums (docs/design.md §9.9): Σx, Σy, Σx², Σy², Σxy over two turns of a
 * contour, so that a chord's integral square error and a run of points' total-least-squares line
 * each cost O(1).
 *
 * Reads: the fit context's raw points. Produces: the sums, a chord's ISE, a side's line.
 * Method: the ISE of points to the line through two of them expanded over the sums; the
 * principal axis of the 2 × 2 scatter matrix without trigonometry. Split from polygon.ts, which
 * uses them for every chord of its programme and every side it settles.
 */
import { mod } from '../geometry/cyclic.js';
import type { FitContext } from './context.js';
import * as dm from '../geometry/fdlibm.js';

/** Total-least-squares line (centroid, unit principal direction) of points i … j (unwrapped, i < j ≤ i + n), or null under 3 points. */
export function sideLine(s: PrefixSums, i: number, j: number, n: number): [number, number, number, number] | null {
  const count = j - i + 1;
  if (count < 3) return null;
  const shift = i - mod(i, n);
  const a = i - shift,
    b = j - shift + 1;
  const a5 = 5 * a,
    b5 = 5 * b;
  const cx = (s[b5] - s[a5]) / count,
    cy = (s[b5 + 1] - s[a5 + 1]) / count;
  const sxx = (s[b5 + 2] - s[a5 + 2]) / count - cx * cx,
    syy = (s[b5 + 3] - s[a5 + 3]) / count - cy * cy,
    sxy = (s[b5 + 4] - s[a5 + 4]) / count - cx * cy;
  // Principal axis of the 2 × 2 scatter matrix, without trigonometry: (λ − syy, sxy) for the larger eigenvalue λ.
  const half = (sxx - syy) / 2;
  const lambda = (sxx + syy) / 2 + Math.sqrt(half * half + sxy * sxy);
  let dx = lambda - syy,
    dy = sxy;
  if (Math.abs(dx) + Math.abs(dy) < 1e-12) {
    dx = sxx >= syy ? 1 : 0;
    dy = sxx >= syy ? 0 : 1;
  }
  const len = dm.hypot(dx, dy);
  return [cx, cy, dx / len, dy / len];
}

/**
 * Prefix sums over two turns of the contour (so a chain may wrap): Σx, Σy, Σx², Σy², Σxy up to each
 * unwrapped index i, interleaved at 5i … 5i + 4 (a chord's ISE reads two neighbourhoods, not ten).
 */
export type PrefixSums = Float64Array;

export function prefixSums(raw: Float64Array, n: number): PrefixSums {
  const s = new Float64Array(5 * (2 * n + 1));
  for (let i = 0, q = 0, o = 0; i < 2 * n; i++, q = q + 1 < n ? q + 1 : 0, o += 5) {
    const x = raw[2 * q],
      y = raw[2 * q + 1];
    s[o + 5] = s[o] + x;
    s[o + 6] = s[o + 1] + y;
    s[o + 7] = s[o + 2] + x * x;
    s[o + 8] = s[o + 3] + y * y;
    s[o + 9] = s[o + 4] + x * y;
  }
  return s;
}

/**
 * ISE of the points strictly between unwrapped indices i and j (i ≥ 0, j ≤ i + n) to the line through
 * points i and j: Σ (dx·(yₖ − yᵢ) − dy·(xₖ − xᵢ))² / (dx² + dy²), expanded over the prefix sums.
 */
export function chordIse(ctx: FitContext, s: PrefixSums, i: number, j: number): number {
  const count = j - i - 1;
  if (count <= 0) return 0;
  const { raw, n } = ctx;
  // i's position within the first turn, and j's (i < j ≤ i + n); no division where i is already in it.
  const qi = i >= 0 && i < n ? i : mod(i, n),
    shift = i - qi;
  const qj = j - shift < n ? j - shift : j - shift - n;
  const xi = raw[2 * qi],
    yi = raw[2 * qi + 1];
  const dx = raw[2 * qj] - xi,
    dy = raw[2 * qj + 1] - yi;
  const l2 = dx * dx + dy * dy;
  // Index range [i + 1, j) in prefix-sum terms; the sums start at i's position within the first turn.
  const a = i + 1 - shift,
    b = j - shift;
  const a5 = 5 * a,
    b5 = 5 * b;
  const sx = s[b5] - s[a5],
    sy = s[b5 + 1] - s[a5 + 1],
    sxx = s[b5 + 2] - s[a5 + 2],
    syy = s[b5 + 3] - s[a5 + 3],
    sxy = s[b5 + 4] - s[a5 + 4];
  // Σ (dx·y − dy·x + c)², c = dy·xᵢ − dx·yᵢ.
  const c = dy * xi - dx * yi;
  const sum = dx * dx * syy + dy * dy * sxx - 2 * dx * dy * sxy + 2 * c * (dx * sy - dy * sx) + count * c * c;
  if (l2 === 0) {
    // A closed chord: the squared distances to the point itself.
    return sxx - 2 * xi * sx + count * xi * xi + syy - 2 * yi * sy + count * yi * yi;
  }
  return Math.max(0, sum / l2);
}
