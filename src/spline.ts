/**
 * Evaluating fitted pieces (design.md §4) at the API edge: a conic interval's geometry from its
 * knots, tangents and u, and its point and derivative at θ ∈ [0, 1]
 * (θ ≤ ½: conic(P₀, V, J, u; 2θ); θ ≥ ½: conic(J, W, P₁, u; 2θ − 1)).
 * The fitter's hot loop inlines the same formula (src/fit.ts) to avoid allocation.
 */
import type { ConicPiece, FittedPiece } from './model.js';
import type { Point } from './types.js';

export type ConicGeometry = Pick<ConicPiece, 'p0' | 'v' | 'j' | 'w' | 'p1' | 'u' | 'd0' | 'd1'>;

/**
 * V = P₀ + λ₀·h·D₀/(4u), W = P₁ − λ₁·h·D₁/(4u), J = (V + W)/2, h = |P₁ − P₀| (λ = 1 in the paper).
 *
 * @example conicGeometry({x: 0, y: 0}, {x: 1, y: 0}, {x: 10, y: 10}, {x: 0, y: 1}, 0.7)
 */
export function conicGeometry(p0: Point, d0: Point, p1: Point, d1: Point, u: number, lambda0 = 1, lambda1 = 1): ConicGeometry {
  const h = Math.hypot(p1.x - p0.x, p1.y - p0.y);
  const k = h / (4 * u);
  const v = { x: p0.x + lambda0 * k * d0.x, y: p0.y + lambda0 * k * d0.y };
  const w = { x: p1.x - lambda1 * k * d1.x, y: p1.y - lambda1 * k * d1.y };
  return { p0, v, j: { x: (v.x + w.x) / 2, y: (v.y + w.y) / 2 }, w, p1, u, d0, d1 };
}

/** Point of a piece at θ ∈ [0, 1]. */
export function pointOnPiece(piece: FittedPiece | ConicGeometry, theta: number): Point {
  if ('kind' in piece && piece.kind === 'line') {
    return { x: piece.p0.x + theta * (piece.p1.x - piece.p0.x), y: piece.p0.y + theta * (piece.p1.y - piece.p0.y) };
  }
  const c = piece as ConicGeometry;
  const [a, b, e, s] = theta <= 0.5 ? [c.p0, c.v, c.j, 2 * theta] : [c.j, c.w, c.p1, 2 * theta - 1];
  const b0 = (1 - s) * (1 - s), b1 = 2 * c.u * s * (1 - s), b2 = s * s;
  const den = b0 + b1 + b2;
  return { x: (b0 * a.x + b1 * b.x + b2 * e.x) / den, y: (b0 * a.y + b1 * b.y + b2 * e.y) / den };
}

/** dR/dθ of a piece (for θ = ½ exactly, the first arc's end derivative). */
export function derivativeOnPiece(piece: FittedPiece | ConicGeometry, theta: number): Point {
  if ('kind' in piece && piece.kind === 'line') return { x: piece.p1.x - piece.p0.x, y: piece.p1.y - piece.p0.y };
  const c = piece as ConicGeometry;
  const [a, b, e, s] = theta <= 0.5 ? [c.p0, c.v, c.j, 2 * theta] : [c.j, c.w, c.p1, 2 * theta - 1];
  const u = c.u;
  // Quotient rule on N(s)/D(s), then ×2 for ds/dθ.
  const b0 = (1 - s) * (1 - s), b1 = 2 * u * s * (1 - s), b2 = s * s;
  const db0 = -2 * (1 - s), db1 = 2 * u * (1 - 2 * s), db2 = 2 * s;
  const den = b0 + b1 + b2, dden = db0 + db1 + db2;
  const nx = b0 * a.x + b1 * b.x + b2 * e.x, ny = b0 * a.y + b1 * b.y + b2 * e.y;
  const dnx = db0 * a.x + db1 * b.x + db2 * e.x, dny = db0 * a.y + db1 * b.y + db2 * e.y;
  return { x: (2 * (dnx * den - nx * dden)) / (den * den), y: (2 * (dny * den - ny * dden)) / (den * den) };
}
