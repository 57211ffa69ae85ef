/**
 * Total-least-squares line through a run of contour points.
 *
 * Reads: a closed contour's points (x, y interleaved), its point count n and a run of unwrapped
 * indices [first, last] (first ≤ last, at most one turn). Produces: the centroid and the unit
 * principal axis of the points' scatter matrix, angle ½·atan2(2·sxy, sxx − syy) (the line that
 * minimises the sum of squared orthogonal distances; Pearson 1901).
 */
import { mod } from './cyclic.js';
import * as dm from './fdlibm.js';

/** [cx, cy, dx, dy]: a point of the line (the centroid) and its unit direction. */
export type PointsLine = [number, number, number, number];

/**
 * Total-least-squares line through points first..last (unwrapped indices) of a closed contour.
 *
 * @example const [cx, cy, dx, dy] = totalLeastSquaresLine(contour.points, n, 10, 16);
 */
export function totalLeastSquaresLine(raw: Float64Array, n: number, first: number, last: number): PointsLine {
  const count = last - first + 1;
  let sx = 0,
    sy = 0;
  for (let k = first; k <= last; k++) {
    const q = mod(k, n);
    sx += raw[2 * q];
    sy += raw[2 * q + 1];
  }
  const cx = sx / count,
    cy = sy / count;
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let k = first; k <= last; k++) {
    const q = mod(k, n);
    const dx = raw[2 * q] - cx,
      dy = raw[2 * q + 1] - cy;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const angle = 0.5 * dm.atan2(2 * sxy, sxx - syy);
  return [cx, cy, dm.cos(angle), dm.sin(angle)];
}

/** RMS distance of points first..last (unwrapped) from the line through (cx, cy) along unit (dx, dy). */
export function lineRms(raw: Float64Array, n: number, first: number, last: number, [cx, cy, dx, dy]: PointsLine): number {
  let sum = 0;
  for (let k = first; k <= last; k++) {
    const q = mod(k, n);
    const d = (raw[2 * q] - cx) * dy - (raw[2 * q + 1] - cy) * dx;
    sum += d * d;
  }
  return Math.sqrt(sum / (last - first + 1));
}
