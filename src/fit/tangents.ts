/**
 * Tangent estimates at knots (docs/design.md §4.4, §10.1).
 *
 * Reads: the contour's raw and smoothed points (FitContext) and a point index with how far the
 * estimate may reach. Produces: unit tangents, in the direction of travel (or, one-sided, away
 * from a corner, with the fitted arm's point abreast of it).
 * Methods: least-squares parabola y = c + a·x + b·x² in a local frame (ParabolaSums, Cramer's
 * rule), slope a at the knot — over both sides for seeds and intermediate knots
 * (parabolaTangent), over one arm from reach to 4·reach for corners (oneSidedTangent, a straight
 * arm on pixel staircases); fallback the arithmetic-mean tangent D = (h₊Δ₋ + h₋Δ₊)/(h₋ + h₊)
 * (twoSidedTangent).
 */
import { mod } from '../geometry/cyclic.js';
import type { FitContext } from './context.js';
import * as dm from '../geometry/fdlibm.js';

/** Index steps from `i` in direction `dir` until the smoothed arc length reaches `dist` or `maxSteps` is hit. */
function stepsFor(pts: Float64Array, i: number, dir: 1 | -1, dist: number, maxSteps: number): number {
  const n = pts.length / 2;
  let s = 0;
  let prev = i;
  for (let k = 1; k <= maxSteps; k++) {
    const j = mod(i + dir * k, n);
    s += dm.hypot(pts[2 * j] - pts[2 * prev], pts[2 * j + 1] - pts[2 * prev + 1]);
    prev = j;
    if (s >= dist - 1e-9) return k; // tolerant: unit steps sum to exactly `dist` on pixel data
  }
  return maxSteps;
}

/**
 * One-sided tangent at corner i towards `dir` (±1), a unit vector pointing away from i: the slope at
 * the corner of a least-squares parabola (a line on pixel corners) through the raw points between
 * reach and 4·reach of arc length, not the three-point end derivative, which doubles the error of
 * the points right at the corner (docs/design.md §10.1, §18.6).
 */
export function oneSidedTangent(ctx: FitContext, i: number, dir: 1 | -1, reach: number, maxSteps: number): Arm {
  const { n, raw } = ctx;
  // Skip the first `reach` px: a detected corner may sit 1–2 px off the true one (tested tolerance 2 px).
  const near = reach;
  const far = 4 * reach;
  // Collect the arm: steps 1..maxSteps while the arc length stays within `far`.
  let s = 0;
  let prev = i;
  let count = 0;
  let ex = 0,
    ey = 0; // direction estimate: sum of offsets
  const first = 1;
  let last = 0;
  for (let k = first; k <= maxSteps; k++) {
    const j = mod(i + dir * k, n);
    s += dm.hypot(raw[2 * j] - raw[2 * prev], raw[2 * j + 1] - raw[2 * prev + 1]);
    prev = j;
    if (s > far) break;
    last = k;
    if (s < near) continue;
    ex += raw[2 * j] - raw[2 * i];
    ey += raw[2 * j + 1] - raw[2 * i + 1];
    count++;
  }
  const px = raw[2 * i],
    py = raw[2 * i + 1];
  if (count < 4) {
    const j = mod(i + dir * Math.max(1, last), n);
    return [...unit(raw[2 * j] - px, raw[2 * j + 1] - py, raw, i, dir), px, py, false];
  }
  const el = dm.hypot(ex, ey);
  if (el < 1e-12) return [...unit(0, 0, raw, i, dir), px, py, false];
  const cx = ex / el,
    cy = ey / el; // local x axis
  // Least-squares parabola y = c + a x + b x² over the arm points, in the local frame.
  const sums = new ParabolaSums();
  s = 0;
  prev = i;
  for (let k = first; k <= last; k++) {
    const j = mod(i + dir * k, n);
    s += dm.hypot(raw[2 * j] - raw[2 * prev], raw[2 * j + 1] - raw[2 * prev + 1]);
    prev = j;
    if (s < near) continue;
    const dx = raw[2 * j] - raw[2 * i],
      dy = raw[2 * j + 1] - raw[2 * i + 1];
    sums.add(dx * cx + dy * cy, -dx * cy + dy * cx);
  }
  const fitted = sums.solve();
  if (!fitted) return [cx, cy, px, py, false];
  const [c, a] = fitted;
  const { s0, s1, s2, t0, t1 } = sums;
  // On a pixel staircase the parabola bends to the phase of the steps, and extrapolated to the
  // corner that moved knots ~1 px off a 17°-rotated square's vertices; a straight arm y = c + a·x
  // averages the steps out (mean vertex error of the polygons in test/fit.test.ts: 0.41 px, vs
  // 0.57 px at the data point and 0.54 px with the parabola, shift bounded as in cornerPosition).
  const dl = s0 * s2 - s1 * s1;
  if (!ctx.subpixel && Math.abs(dl) > 1e-9) {
    const al = (s0 * t1 - s1 * t0) / dl;
    const cl = (t0 - al * s1) / s0;
    return [...unit(cx - al * cy, cy + al * cx, raw, i, dir), px - cl * cy, py + cl * cx, true];
  }
  // Tangent (1, a) in the local frame, back to image axes; the arm at x = 0 is (0, c).
  return [...unit(cx - a * cy, cy + a * cx, raw, i, dir), px - c * cy, py + c * cx, true];
}

/** A corner's arm as `oneSidedTangent` fits it: unit tangent (away from the corner), the fitted arm's point abreast of the corner, and whether that fit was made. */
export type Arm = [tx: number, ty: number, qx: number, qy: number, fitted: boolean];

/** Arithmetic-mean tangent D = (h₊Δ₋ + h₋Δ₊)/(h₋ + h₊) at point i on smoothed points δ either side. */
function twoSidedTangent(ctx: FitContext, i: number, reach: number, maxAhead: number, maxBehind: number): [number, number] {
  const { n, smooth, raw } = ctx;
  const ka = stepsFor(smooth, i, 1, reach, maxAhead);
  const kb = stepsFor(smooth, i, -1, reach, maxBehind);
  const ja = mod(i + ka, n);
  const jb = mod(i - kb, n);
  const px = smooth[2 * i],
    py = smooth[2 * i + 1];
  const hp = dm.hypot(smooth[2 * ja] - px, smooth[2 * ja + 1] - py);
  const hm = dm.hypot(px - smooth[2 * jb], py - smooth[2 * jb + 1]);
  if (hp < 1e-9 || hm < 1e-9) return unit(smooth[2 * ja] - smooth[2 * jb], smooth[2 * ja + 1] - smooth[2 * jb + 1], raw, i, 1);
  const dpx = (smooth[2 * ja] - px) / hp,
    dpy = (smooth[2 * ja + 1] - py) / hp;
  const dmx = (px - smooth[2 * jb]) / hm,
    dmy = (py - smooth[2 * jb + 1]) / hm;
  return unit((hp * dmx + hm * dpx) / (hm + hp), (hp * dmy + hm * dpy) / (hm + hp), raw, i, 1);
}

/**
 * Tangent at point i for seeds and intermediate knots: the slope at i of the least-squares parabola
 * (local frame, x along the window's chord) through the raw points within 2·reach either side,
 * bounded by the neighbouring knots; it averages the noise the two-point estimate (twoSidedTangent,
 * its fallback for windows of under 4 steps) takes at face value (docs/design.md §4.4, §18.5).
 */
export function parabolaTangent(ctx: FitContext, i: number, reach: number, maxAhead: number, maxBehind: number): [number, number] {
  const { n, smooth, raw } = ctx;
  const ka = stepsFor(smooth, i, 1, 2 * reach, maxAhead);
  const kb = stepsFor(smooth, i, -1, 2 * reach, maxBehind);
  if (ka + kb < 4) return twoSidedTangent(ctx, i, reach, maxAhead, maxBehind);
  const ja = mod(i + ka, n),
    jb = mod(i - kb, n);
  const [cx, cy] = unit(smooth[2 * ja] - smooth[2 * jb], smooth[2 * ja + 1] - smooth[2 * jb + 1], raw, i, 1);
  const ox = raw[2 * i],
    oy = raw[2 * i + 1];
  const sums = new ParabolaSums();
  for (let k = -kb; k <= ka; k++) {
    const j = mod(i + k, n);
    const dx = raw[2 * j] - ox,
      dy = raw[2 * j + 1] - oy;
    sums.add(dx * cx + dy * cy, -dx * cy + dy * cx);
  }
  const fitted = sums.solve();
  if (!fitted) return twoSidedTangent(ctx, i, reach, maxAhead, maxBehind);
  // The tangent at x = 0 (point i) is (1, a) in the local frame.
  const a = fitted[1];
  return unit(cx - a * cy, cy + a * cx, raw, i, 1);
}

/** Normal-equation sums of a least-squares parabola y = c + a·x + b·x² through points (x, y). */
export class ParabolaSums {
  s0 = 0;
  s1 = 0;
  s2 = 0;
  s3 = 0;
  s4 = 0;
  t0 = 0;
  t1 = 0;
  t2 = 0;

  add(x: number, y: number): void {
    const x2 = x * x;
    this.s0 += 1;
    this.s1 += x;
    this.s2 += x2;
    this.s3 += x2 * x;
    this.s4 += x2 * x2;
    this.t0 += y;
    this.t1 += x * y;
    this.t2 += x2 * y;
  }

  /** [c, a, b] by Cramer's rule on the 3 × 3 normal equations; null when they are (near-)singular. */
  solve(): [c: number, a: number, b: number] | null {
    const { s0, s1, s2, s3, s4, t0, t1, t2 } = this;
    const det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
    if (!(Math.abs(det) > 1e-9)) return null;
    const a = (s0 * (t1 * s4 - s3 * t2) - t0 * (s1 * s4 - s3 * s2) + s2 * (s1 * t2 - t1 * s2)) / det;
    const c = (t0 * (s2 * s4 - s3 * s3) - s1 * (t1 * s4 - s3 * t2) + s2 * (t1 * s3 - s2 * t2)) / det;
    const b = (s0 * (s2 * t2 - t1 * s3) - s1 * (s1 * t2 - t1 * s2) + t0 * (s1 * s3 - s2 * s2)) / det;
    return [c, a, b];
  }
}

/** Normalises (x, y); a zero vector falls back to the direction to the next distinct raw point. */
function unit(x: number, y: number, raw: Float64Array, i: number, dir: 1 | -1): [number, number] {
  const l = dm.hypot(x, y);
  if (l > 1e-12 && Number.isFinite(l)) return [x / l, y / l];
  const n = raw.length / 2;
  for (let k = 1; k < n; k++) {
    const j = mod(i + dir * k, n);
    const dx = raw[2 * j] - raw[2 * i],
      dy = raw[2 * j + 1] - raw[2 * i + 1];
    const m = dm.hypot(dx, dy);
    if (m > 1e-12) return [dx / m, dy / m];
  }
  return [1, 0];
}
