/**
 * The conic model's one implementation (docs/design.md §4.1, §4.2): the rational quadratic arc in standard
 * form, an interval's control points V, W, J from its knots, tangents and u, its point and
 * derivative, and the exact midpoint split of an arc.
 *
 * Reads: rational quadratic arcs — end points A, C with weight 1, inner control point B with
 * weight u > 0:
 *
 *   conic(A, B, C, u; s) = [(1−s)² A + 2u s(1−s) B + s² C] / [(1−s)² + 2u s(1−s) + s²],  s ∈ [0, 1]
 *
 * A conic interval is two such arcs, conic(P₀, V, J, u; 2θ) for θ ≤ ½ and conic(J, W, P₁, u; 2θ − 1)
 * for θ ≥ ½ (Sarfraz 2012; docs/design.md §4.1).
 *
 * Facts used throughout (all affine-invariant, since rational Bézier curves commute with affine
 * maps):
 *   - with u > 0 the arc lies in the triangle ABC (convex hull property) and turns one way only;
 *   - the arc is symmetric under the affine reflection that swaps A and C and fixes the line
 *     through B and M = (A + C)/2 ("shoulder" line); so its point at s = ½, the shoulder
 *     S = (M + uB)/(1 + u), is where the tangent is parallel to AC and the arc is farthest from
 *     the chord: dist(S, AC) = u/(1 + u) · dist(B, AC).
 */
import type { ConicPiece, FittedPiece } from '../model.js';
import type { Point } from '../types.js';
import * as dm from './fdlibm.js';

/** One rational quadratic arc in standard form (end weights 1, inner weight u > 0). */
export interface ConicArc {
  a: Point;
  b: Point;
  c: Point;
  u: number;
}

/** The geometry of a conic interval (docs/design.md §4.1). */
export type ConicInterval = Pick<ConicPiece, 'p0' | 'v' | 'j' | 'w' | 'p1' | 'u'>;

export type ConicGeometry = Pick<ConicPiece, 'p0' | 'v' | 'j' | 'w' | 'p1' | 'u' | 'd0' | 'd1'>;

/**
 * Point of the arc at parameter s ∈ [0, 1], written to out[offset], out[offset + 1]; returns `out`.
 * No allocation (hot: fitting and flattening call it per sample).
 *
 * @example rationalQuadratic(0, 0, 1, 1, 2, 0, 1, 0.5, buf) // buf = [1, 0.5]
 */
export function rationalQuadratic<T extends Float64Array | number[]>(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  u: number,
  s: number,
  out: T,
  offset = 0,
): T {
  const r = 1 - s;
  const w0 = r * r;
  const w1 = 2 * u * s * r;
  const w2 = s * s;
  const d = w0 + w1 + w2;
  out[offset] = (w0 * ax + w1 * bx + w2 * cx) / d;
  out[offset + 1] = (w0 * ay + w1 * by + w2 * cy) / d;
  return out;
}

/**
 * The two arcs of a conic interval (docs/design.md §4.1): conic(P₀, V, J, u) then conic(J, W, P₁, u).
 *
 * @example const [first, second] = conicPieceArcs(piece)
 */
export function conicPieceArcs(piece: ConicPiece): [ConicArc, ConicArc] {
  return [
    { a: piece.p0, b: piece.v, c: piece.j, u: piece.u },
    { a: piece.j, b: piece.w, c: piece.p1, u: piece.u },
  ];
}

/**
 * Split an arc at s = ½ into two arcs in standard form.
 *
 * Derivation (rational de Casteljau; Farin, "Curves and Surfaces for CAGD", 5th ed., §13.5 on
 * rational quadratic subdivision; also E. T. Y. Lee, "The rational Bézier representation for
 * conics", 1987). In homogeneous coordinates the control points are (A, 1), (uB, u), (C, 1).
 * De Casteljau at ½ gives
 *   left  = (A, 1), ((A + uB)/2, (1 + u)/2), ((A + 2uB + C)/4, (1 + u)/2)
 *   right = ((A + 2uB + C)/4, (1 + u)/2), ((uB + C)/2, (1 + u)/2), (C, 1).
 * Projecting: the inner points are (A + uB)/(1 + u) and (C + uB)/(1 + u), the split point is
 * the shoulder S = (A + 2uB + C) / (2(1 + u)). The left arc's weights are (1, (1+u)/2, (1+u)/2)
 * (the right arc's mirror them). The Möbius reparameterisation s ↦ ρs / ((1 − s) + ρs) maps
 * [0, 1] onto itself and multiplies weights (w₀, w₁, w₂) by (1, ρ, ρ²) without moving the curve;
 * with ρ = √(w₀/w₂) and division by w₀ they become (1, w₁/√(w₀w₂), 1). Hence both halves have
 *   u' = ((1 + u)/2) / √((1 + u)/2) = √((1 + u)/2).
 * (Check: a circle arc of angle θ has u = cos(θ/2); √((1 + cos(θ/2))/2) = cos(θ/4). ✓)
 */
export function splitArc(arc: ConicArc): [ConicArc, ConicArc] {
  const { a, b, c, u } = arc;
  const k = 1 / (1 + u);
  const l = { x: (a.x + u * b.x) * k, y: (a.y + u * b.y) * k };
  const r = { x: (c.x + u * b.x) * k, y: (c.y + u * b.y) * k };
  const s = { x: (a.x + 2 * u * b.x + c.x) * 0.5 * k, y: (a.y + 2 * u * b.y + c.y) * 0.5 * k };
  const w = Math.sqrt((1 + u) / 2);
  return [
    { a, b: l, c: s, u: w },
    { a: s, b: r, c, u: w },
  ];
}

/**
 * V = P₀ + λ₀·h·D₀/(4u), W = P₁ − λ₁·h·D₁/(4u), J = (V + W)/2, h = |P₁ − P₀| (λ = 1 in the paper).
 *
 * @example conicGeometry({x: 0, y: 0}, {x: 1, y: 0}, {x: 10, y: 10}, {x: 0, y: 1}, 0.7)
 */
export function conicGeometry(p0: Point, d0: Point, p1: Point, d1: Point, u: number, lambda0 = 1, lambda1 = 1): ConicGeometry {
  const h = dm.hypot(p1.x - p0.x, p1.y - p0.y);
  const c = conicControlPoints(p0.x, p0.y, d0.x, d0.y, p1.x, p1.y, d1.x, d1.y, h, u, lambda0, lambda1, [0, 0, 0, 0, 0, 0]);
  return { p0, v: { x: c[0], y: c[1] }, j: { x: c[4], y: c[5] }, w: { x: c[2], y: c[3] }, p1, u, d0, d1 };
}

/**
 * The inner control points of a conic interval without allocation (the fitter's hot loops):
 * V = P₀ + λ₀·k·D₀, W = P₁ − λ₁·k·D₁, J = (V + W)/2 with k = h/(4u), written to out as
 * [Vx, Vy, Wx, Wy, Jx, Jy] (Sarfraz 2012; docs/design.md §4.1). `h` is the chord |P₁ − P₀|.
 */
export function conicControlPoints<T extends Float64Array | number[]>(
  p0x: number,
  p0y: number,
  d0x: number,
  d0y: number,
  p1x: number,
  p1y: number,
  d1x: number,
  d1y: number,
  h: number,
  u: number,
  lambda0: number,
  lambda1: number,
  out: T,
): T {
  const k = h / (4 * u);
  const vx = p0x + lambda0 * k * d0x,
    vy = p0y + lambda0 * k * d0y;
  const wx = p1x - lambda1 * k * d1x,
    wy = p1y - lambda1 * k * d1y;
  out[0] = vx;
  out[1] = vy;
  out[2] = wx;
  out[3] = wy;
  out[4] = (vx + wx) / 2;
  out[5] = (vy + wy) / 2;
  return out;
}

/** Point of a piece at θ ∈ [0, 1]. */
export function pointOnPiece(piece: FittedPiece | ConicGeometry, theta: number): Point {
  if ('kind' in piece && piece.kind === 'line') {
    return { x: piece.p0.x + theta * (piece.p1.x - piece.p0.x), y: piece.p0.y + theta * (piece.p1.y - piece.p0.y) };
  }
  const c = piece as ConicGeometry;
  // A Float64Array, as every caller in the fit passes: a plain array here made rationalQuadratic
  // polymorphic and slowed every later conic fit in the process by a third (docs/design.md §18.30).
  const out = new Float64Array(2);
  if (theta <= 0.5) rationalQuadratic(c.p0.x, c.p0.y, c.v.x, c.v.y, c.j.x, c.j.y, c.u, 2 * theta, out);
  else rationalQuadratic(c.j.x, c.j.y, c.w.x, c.w.y, c.p1.x, c.p1.y, c.u, 2 * theta - 1, out);
  return { x: out[0], y: out[1] };
}

/** dR/dθ of a piece (for θ = ½ exactly, the first arc's end derivative). */
export function derivativeOnPiece(piece: FittedPiece | ConicGeometry, theta: number): Point {
  if ('kind' in piece && piece.kind === 'line') return { x: piece.p1.x - piece.p0.x, y: piece.p1.y - piece.p0.y };
  const c = piece as ConicGeometry;
  const [a, b, e, s] = theta <= 0.5 ? [c.p0, c.v, c.j, 2 * theta] : [c.j, c.w, c.p1, 2 * theta - 1];
  const u = c.u;
  // Quotient rule on N(s)/D(s), then ×2 for ds/dθ.
  const b0 = (1 - s) * (1 - s),
    b1 = 2 * u * s * (1 - s),
    b2 = s * s;
  const db0 = -2 * (1 - s),
    db1 = 2 * u * (1 - 2 * s),
    db2 = 2 * s;
  const den = b0 + b1 + b2,
    dden = db0 + db1 + db2;
  const nx = b0 * a.x + b1 * b.x + b2 * e.x,
    ny = b0 * a.y + b1 * b.y + b2 * e.y;
  const dnx = db0 * a.x + db1 * b.x + db2 * e.x,
    dny = db0 * a.y + db1 * b.y + db2 * e.y;
  return { x: (2 * (dnx * den - nx * dden)) / (den * den), y: (2 * (dny * den - ny * dden)) / (den * den) };
}

/** Samples per arc of the loop test (intervalLoops). */
export const LOOP_SAMPLES = 16;

/**
 * Whether a conic interval folds back: its tangent at J, along W − V, points against the chord
 * P₀ → P₁, so the curve overshoots J and turns back on itself there (a curl, drawn as a small
 * loop or cusp however close to the data it stays). With λ₀, λ₁ the tangent lengths' factors and c
 * the unit chord, (W − V)·c = h·(1 − (λ₀·D₀·c + λ₁·D₁·c)/(4u)) (§4.1), so a piece folds exactly
 * when u ≤ (λ₀·D₀·c + λ₁·D₁·c)/4 (`foldingU`). docs/design.md §11.5.
 */
export function intervalFolds(p0x: number, p0y: number, vx: number, vy: number, wx: number, wy: number, p1x: number, p1y: number): boolean {
  return (wx - vx) * (p1x - p0x) + (wy - vy) * (p1y - p0y) <= 0;
}

/**
 * The u at and below which an interval with these unit tangents and tangent-length factors folds
 * (intervalFolds): (λ₀·D₀·c + λ₁·D₁·c)/4, c the unit chord; ≤ 0 when no u > 0 folds it.
 */
export function foldingU(
  p0x: number,
  p0y: number,
  p1x: number,
  p1y: number,
  d0x: number,
  d0y: number,
  d1x: number,
  d1y: number,
  lambda0: number,
  lambda1: number,
): number {
  const cx = p1x - p0x,
    cy = p1y - p0y;
  const h = Math.sqrt(cx * cx + cy * cy);
  if (!(h > 0)) return 0;
  return (lambda0 * (d0x * cx + d0y * cy) + lambda1 * (d1x * cx + d1y * cy)) / (4 * h);
}

/**
 * Whether the two arcs of a conic interval, conic(P₀, V, J, u) and conic(J, W, P₁, u), cross each
 * other (a loop), or the interval folds back at J (intervalFolds: a curl). Each arc alone is convex
 * (u > 0) and never crosses itself; with P₀ and P₁ on opposite sides of the line V–W (an S) the arcs
 * lie on opposite sides and cannot cross either. Otherwise their LOOP_SAMPLES-chord flattenings are
 * tested pairwise (the chords next to J, which meet there, excluded). `scratch` holds
 * 4·(LOOP_SAMPLES + 1) numbers.
 */
export function intervalLoops(
  p0x: number,
  p0y: number,
  vx: number,
  vy: number,
  jx: number,
  jy: number,
  wx: number,
  wy: number,
  p1x: number,
  p1y: number,
  u: number,
  scratch: Float64Array,
): boolean {
  if (intervalFolds(p0x, p0y, vx, vy, wx, wy, p1x, p1y)) return true;
  const side0 = (wx - vx) * (p0y - vy) - (wy - vy) * (p0x - vx);
  const side1 = (wx - vx) * (p1y - vy) - (wy - vy) * (p1x - vx);
  if (side0 * side1 < 0) return false;
  const k = LOOP_SAMPLES;
  const second = 2 * (k + 1);
  for (let i = 0; i <= k; i++) {
    rationalQuadratic(p0x, p0y, vx, vy, jx, jy, u, i / k, scratch, 2 * i);
    rationalQuadratic(jx, jy, wx, wy, p1x, p1y, u, i / k, scratch, second + 2 * i);
  }
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      if (a === k - 1 && b === 0) continue; // both end at J
      if (segmentsCross(scratch, 2 * a, second + 2 * b)) return true;
    }
  }
  return false;
}

/** Whether the chords starting at offsets a and b of `pts` cross properly (each chord from its point to the next). */
export function segmentsCross(pts: Float64Array, a: number, b: number): boolean {
  const ax = pts[a],
    ay = pts[a + 1],
    bx = pts[a + 2],
    by = pts[a + 3];
  const cx = pts[b],
    cy = pts[b + 1],
    dx = pts[b + 2],
    dy = pts[b + 3];
  const d1 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d2 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  const d3 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  const d4 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  return d1 * d2 < 0 && d3 * d4 < 0;
}
