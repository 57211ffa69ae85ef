/**
 * One cubic Bézier for a whole conic interval (both arcs), keeping its end tangents: the SVG
 * writer's one-command-per-interval form (docs/design.md §15.5).
 */
import type { Point } from '../types.js';
import { conicIntervalEvaluator, arcLengthEvaluator, sampleCurve, type Cubic, type CurveEvaluator } from './curves.js';
import type { ConicInterval } from './conic.js';
import * as dm from './fdlibm.js';

/** Model samples per interval for `intervalCubic`'s fit, spaced evenly along the curve (docs/design.md §18.26). */
const INTERVAL_FIT_SAMPLES = 16;
/** Least-squares rounds, each followed by a Newton re-projection of the samples' parameters. */
const INTERVAL_FIT_ROUNDS = 4;
/** Nelder–Mead steps minimising the largest sample distance. */
const INTERVAL_FIT_NM_STEPS = 30;
/** Skip the Nelder–Mead polish when the least-squares cubic is more than this many times the target away (docs/design.md §18.26). */
const INTERVAL_FIT_HOPELESS = 8;

/**
 * One cubic Bézier for a whole conic interval (both arcs): P₀, P₀ + a·D₀, P₁ − b·D₁, P₁, with
 * D₀ the unit direction P₀→V and D₁ the unit direction W→P₁, so the interval's end tangents
 * (and hence G¹ continuity with its neighbours) are kept. Null when the interval is degenerate,
 * when the best a, b found are not both positive, or when the cubic is more than `target` from
 * one of the interval's sample points (so it cannot be within `target`).
 *
 * a and b: least squares on INTERVAL_FIT_SAMPLES + 1 points with Newton re-projection of their
 * parameters, then a Nelder–Mead minimax polish on (a, b) (docs/design.md §15.5, §18.26).
 * The returned cubic is not checked here: its distance estimate is one-sided and at the sample
 * points only. Callers check it (`curveHausdorff`, both ways, as printed).
 */
export function intervalCubic(piece: ConicInterval, target: number): Cubic | null {
  const { p0, v, w, p1 } = piece;
  const n0 = dm.hypot(v.x - p0.x, v.y - p0.y),
    n1 = dm.hypot(p1.x - w.x, p1.y - w.y);
  if (!(n0 > 0 && n1 > 0) || !(dm.hypot(p1.x - p0.x, p1.y - p0.y) > 0)) return null;
  const d0x = (v.x - p0.x) / n0,
    d0y = (v.y - p0.y) / n0;
  const d1x = (p1.x - w.x) / n1,
    d1y = (p1.y - w.y) / n1;
  return g1Cubic(arcLengthEvaluator(conicIntervalEvaluator(piece), 8 * INTERVAL_FIT_SAMPLES), p0, { x: d0x, y: d0y }, p1, { x: d1x, y: d1y }, target);
}

/**
 * One cubic Bézier P₀, P₀ + a·D₀, P₁ − b·D₁, P₁ for a curve `model` from P₀ to P₁ with unit end
 * tangents D₀, D₁ (`model` spaced evenly along the curve, e.g. by `arcLengthEvaluator`): a and b
 * by least squares (a 2×2 system) on INTERVAL_FIT_SAMPLES + 1 samples of `model`, re-projected,
 * then a Nelder–Mead minimax polish. Null as `intervalCubic`; callers check the distance.
 * `intervalCubic` (one conic interval) and the font conversion's runs (docs/design.md §21.2) use it.
 */
export function g1Cubic(model: CurveEvaluator, p0: Point, d0: Point, p1: Point, d1: Point, target: number): Cubic | null {
  const d0x = d0.x,
    d0y = d0.y,
    d1x = d1.x,
    d1y = d1.y;
  if (!(dm.hypot(p1.x - p0.x, p1.y - p0.y) > 0)) return null;
  const n = INTERVAL_FIT_SAMPLES;
  const qs = sampleCurve(model, n);
  const ts = Float64Array.from({ length: n + 1 }, (_, i) => i / n);
  // Cubic control points for (a, b): c1 = p0 + a d0, c2 = p1 − b d1.
  let c1x = 0,
    c1y = 0,
    c2x = 0,
    c2y = 0;
  const setAB = (a: number, b: number) => {
    c1x = p0.x + a * d0x;
    c1y = p0.y + a * d0y;
    c2x = p1.x - b * d1x;
    c2y = p1.y - b * d1y;
  };
  /** Newton steps projecting sample i onto the current cubic from parameter t; returns [t, squared distance]. */
  const project = (i: number, t: number, stepsN: number): number => {
    const qx = qs[2 * i],
      qy = qs[2 * i + 1];
    for (let k = 0; k < stepsN; k++) {
      const r = 1 - t;
      const b0 = r * r * r,
        b1 = 3 * r * r * t,
        b2 = 3 * r * t * t,
        b3 = t * t * t;
      const ex = b0 * p0.x + b1 * c1x + b2 * c2x + b3 * p1.x - qx;
      const ey = b0 * p0.y + b1 * c1y + b2 * c2y + b3 * p1.y - qy;
      const dx = 3 * (r * r * (c1x - p0.x) + 2 * r * t * (c2x - c1x) + t * t * (p1.x - c2x));
      const dy = 3 * (r * r * (c1y - p0.y) + 2 * r * t * (c2y - c1y) + t * t * (p1.y - c2y));
      const ddx = 6 * (r * (c2x - 2 * c1x + p0.x) + t * (p1.x - 2 * c2x + c1x));
      const ddy = 6 * (r * (c2y - 2 * c1y + p0.y) + t * (p1.y - 2 * c2y + c1y));
      const den = dx * dx + dy * dy + ex * ddx + ey * ddy;
      if (!(den > 0)) break;
      t = Math.min(1, Math.max(0, t - (ex * dx + ey * dy) / den));
    }
    return t;
  };
  const dist2At = (i: number, t: number): number => {
    const r = 1 - t;
    const b0 = r * r * r,
      b1 = 3 * r * r * t,
      b2 = 3 * r * t * t,
      b3 = t * t * t;
    const ex = b0 * p0.x + b1 * c1x + b2 * c2x + b3 * p1.x - qs[2 * i];
    const ey = b0 * p0.y + b1 * c1y + b2 * c2y + b3 * p1.y - qs[2 * i + 1];
    return ex * ex + ey * ey;
  };
  // 1. Least squares in (a, b) for fixed parameters, then re-project; repeat.
  const dd = d0x * d1x + d0y * d1y;
  let a = NaN,
    b = NaN;
  for (let round = 0; round < INTERVAL_FIT_ROUNDS; round++) {
    let s11 = 0,
      s12 = 0,
      s22 = 0,
      r1 = 0,
      r2 = 0;
    for (let i = 1; i < n; i++) {
      const t = ts[i],
        r = 1 - t;
      const b0 = r * r * r,
        b1 = 3 * r * r * t,
        b2 = 3 * r * t * t,
        b3 = t * t * t;
      const ex = qs[2 * i] - (b0 + b1) * p0.x - (b2 + b3) * p1.x;
      const ey = qs[2 * i + 1] - (b0 + b1) * p0.y - (b2 + b3) * p1.y;
      s11 += b1 * b1;
      s22 += b2 * b2;
      s12 += b1 * b2 * dd;
      r1 += b1 * (d0x * ex + d0y * ey);
      r2 -= b2 * (d1x * ex + d1y * ey);
    }
    // [s11 −s12; −s12 s22]·[a; b] = [r1; r2]
    const det = s11 * s22 - s12 * s12;
    if (!(Math.abs(det) > 1e-12 * (s11 * s22))) return null;
    a = (r1 * s22 + s12 * r2) / det;
    b = (s11 * r2 + s12 * r1) / det;
    if (!(Number.isFinite(a) && Number.isFinite(b))) return null;
    setAB(a, b);
    for (let i = 1; i < n; i++) ts[i] = project(i, ts[i], 2);
  }
  /** Largest sample distance² to the cubic (a, b), each sample projected from its last parameter. */
  const worst2 = (aa: number, bb: number): number => {
    setAB(aa, bb);
    let m = 0;
    for (let i = 1; i < n; i++) m = Math.max(m, dist2At(i, project(i, ts[i], 3)));
    return m;
  };
  let best = worst2(a, b);
  const target2 = target * target;
  if (best > target2 && best <= (INTERVAL_FIT_HOPELESS * target) ** 2) {
    // 2. Nelder–Mead on (a, b), started at the least-squares answer (deterministic).
    const h = 0.02 * dm.hypot(p1.x - p0.x, p1.y - p0.y);
    const xs = [a, a + h, a],
      ys = [b, b, b + h];
    const fs = [best, worst2(a + h, b), worst2(a, b + h)];
    for (let it = 0; it < INTERVAL_FIT_NM_STEPS; it++) {
      // Order: 0 best, 2 worst.
      for (let i = 0; i < 2; i++)
        for (let k = 0; k < 2 - i; k++) {
          if (fs[k] > fs[k + 1]) {
            [fs[k], fs[k + 1]] = [fs[k + 1], fs[k]];
            [xs[k], xs[k + 1]] = [xs[k + 1], xs[k]];
            [ys[k], ys[k + 1]] = [ys[k + 1], ys[k]];
          }
        }
      const cx = (xs[0] + xs[1]) / 2,
        cy = (ys[0] + ys[1]) / 2;
      const rx = 2 * cx - xs[2],
        ry = 2 * cy - ys[2],
        fr = worst2(rx, ry);
      if (fr < fs[0]) {
        const ex = 3 * cx - 2 * xs[2],
          ey = 3 * cy - 2 * ys[2],
          fe = worst2(ex, ey);
        if (fe < fr) [xs[2], ys[2], fs[2]] = [ex, ey, fe];
        else [xs[2], ys[2], fs[2]] = [rx, ry, fr];
      } else if (fr < fs[1]) {
        [xs[2], ys[2], fs[2]] = [rx, ry, fr];
      } else {
        const kx = (cx + xs[2]) / 2,
          ky = (cy + ys[2]) / 2,
          fk = worst2(kx, ky);
        if (fk < fs[2]) [xs[2], ys[2], fs[2]] = [kx, ky, fk];
        else {
          for (const i of [1, 2]) {
            xs[i] = (xs[i] + xs[0]) / 2;
            ys[i] = (ys[i] + ys[0]) / 2;
            fs[i] = worst2(xs[i], ys[i]);
          }
        }
      }
    }
    let k = 0;
    for (let i = 1; i < 3; i++) if (fs[i] < fs[k]) k = i;
    if (fs[k] < best) {
      best = fs[k];
      a = xs[k];
      b = ys[k];
    }
  }
  // The sample distances are a lower bound of the cubic's distance to the model (up to the
  // Newton projection, which errs high): beyond `target` no check can pass it.
  if (best > target2 || !(a > 0 && b > 0)) return null;
  setAB(a, b);
  return [
    { x: p0.x, y: p0.y },
    { x: c1x, y: c1y },
    { x: c2x, y: c2y },
    { x: p1.x, y: p1.y },
  ];
}
