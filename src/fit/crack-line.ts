/**
 * The total-least-squares line of a run of a pixel-corner contour's crack midpoints (the centres
 * of the bands its pixels allow, docs/design.md §11.6): for the line pieces put on their own band
 * (src/fit/band-lines.ts, §18.44) and the arms of acute tips (src/fit/band-tips.ts, §18.46).
 *
 * Reads: the crack midpoints loaded into a BandWorkspace (loadCracks). Produces: the midpoints'
 * centroid, the principal direction of their 2 × 2 scatter, and the sum of their squared
 * distances across it.
 */
import { mod } from '../geometry/cyclic.js';
import type { BandWorkspace } from './workspace.js';
import * as dm from '../geometry/fdlibm.js';

/**
 * The line through crack midpoints from..to−1 (unwrapped; at least one): [x, y, ux, uy, spread],
 * (x, y) their centroid, (ux, uy) the unit principal direction, spread the sum of their squared
 * distances from the line, px².
 *
 * @example const [x, y, ux, uy] = crackLine(bw, ctx.n, 10, 30);
 */
export function crackLine(bw: BandWorkspace, n: number, from: number, to: number): [number, number, number, number, number] {
  const m = to - from;
  let sx = 0,
    sy = 0;
  for (let k = from; k < to; k++) {
    sx += bw.midX[mod(k, n)];
    sy += bw.midY[mod(k, n)];
  }
  const cx = sx / m,
    cy = sy / m;
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let k = from; k < to; k++) {
    const dx = bw.midX[mod(k, n)] - cx,
      dy = bw.midY[mod(k, n)] - cy;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  // The principal direction of the 2 × 2 scatter matrix; the spread across it is the smaller eigenvalue.
  const th = 0.5 * dm.atan2(2 * sxy, sxx - syy);
  const ux = dm.cos(th),
    uy = dm.sin(th);
  return [cx, cy, ux, uy, sxx * uy * uy - 2 * sxy * ux * uy + syy * ux * ux];
}
