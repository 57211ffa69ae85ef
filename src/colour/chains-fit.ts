/**
 * Colour stage 4 — fitting each boundary chain once (docs/design.md §22.5), through the public
 * single-colour fitter (`fitConic` / `fitLinear`, src/fit/index.ts) and corner detector.
 *
 * A closed chain is a closed contour and is fitted as one. An open chain (junction to junction) is
 * fitted as the closed contour "chain, then the same points back", with both junctions passed as
 * corners: corners are fixed knots with one-sided tangents, and an interval's fit depends only on
 * its two knots (docs/design.md §18.22), so the pieces from the first junction to the second are the
 * chain's fit and the way back is dropped. Junction ends are then put back on their pixel corner
 * (the corner pass may have moved them onto fitted lines), so every chain meeting there ends on the
 * same point. Chains too short to fit are polylines.
 */
import { detectCorners, type CornerOptions } from '../corners.js';
import { fitConic, fitLinear, type FitOptions } from '../fit/index.js';
import type { ConicPiece, FitMode, FittedPiece, LinePiece, PieceReport } from '../model.js';
import type { Contour, Corner } from '../types.js';
import type { Chain } from './boundaries.js';

/** Fewest points an open chain needs to be fitted (below it: straight pieces between its points). */
const MIN_FIT_POINTS = 4;
/** Detected corners closer than this to a junction (px) are the detector seeing the turnaround there, not the shape. */
const END_CLEARANCE = 3;

/** The fitted pieces of one chain, in the chain's direction. */
export function fitChain(chain: Chain, index: number, mode: FitMode, subpixel: boolean, fitOptions: FitOptions, cornerOptions: CornerOptions): FittedPiece[] {
  const P = chain.points;
  const n = P.length / 2;
  const fit = mode === 'linear' ? fitLinear : fitConic;
  const options = { ...fitOptions, contourIndex: index };
  if (chain.closed) {
    const contour = asContour(P, subpixel);
    return n < 3 ? [] : fit(contour, detectCorners(contour, cornerOptions), options).pieces;
  }
  if (n < MIN_FIT_POINTS) return polyline(P);
  // Chain then back: point k of the way back is point 2n − 2 − k of the chain.
  const m = 2 * n - 2;
  const there = new Float64Array(2 * m);
  there.set(P);
  for (let k = n; k < m; k++) {
    there[2 * k] = P[2 * (m - k)];
    there[2 * k + 1] = P[2 * (m - k) + 1];
  }
  const contour = asContour(there, subpixel);
  // The turnarounds at the junctions read as sharp corners to the detector; keep only corners clear of them.
  const clear = (i: number) =>
    Math.min(Math.hypot(P[2 * i] - P[0], P[2 * i + 1] - P[1]), Math.hypot(P[2 * i] - P[2 * n - 2], P[2 * i + 1] - P[2 * n - 1])) > END_CLEARANCE;
  const inner = detectCorners(contour, cornerOptions).filter((c) => c.index > 0 && c.index < n - 1 && clear(c.index));
  const corners: Corner[] = [{ index: 0, angle: 0, convex: true }, ...inner, { index: n - 1, angle: 0, convex: true }];
  const pieces = fit(contour, corners, options).pieces.filter((p) => p.from < n - 1 && p.to <= n - 1 && p.to > p.from);
  if (pieces.length === 0 || pieces[0].from !== 0 || pieces[pieces.length - 1].to !== n - 1) return polyline(P);
  pieces[0] = withEnd(pieces[0], 0, P[0], P[1]);
  pieces[pieces.length - 1] = withEnd(pieces[pieces.length - 1], 1, P[2 * n - 2], P[2 * n - 1]);
  return pieces;
}

function asContour(points: Float64Array, subpixel: boolean): Contour {
  return { start: { x: 0, y: 0 }, chain: new Uint8Array(0), points, hole: false, parent: -1, area: 0, pixelCount: 0, subpixel };
}

/** Straight pieces between consecutive points (a chain too short to fit). */
function polyline(P: Float64Array): LinePiece[] {
  const out: LinePiece[] = [];
  for (let k = 0; k + 1 < P.length / 2; k++) {
    const report: PieceReport = { pointCount: 2, S: 0, rms: 0, maxDeviation: 0, worstIndex: k, withinTolerance: true };
    out.push({ kind: 'line', from: k, to: k + 1, p0: { x: P[2 * k], y: P[2 * k + 1] }, p1: { x: P[2 * k + 2], y: P[2 * k + 3] }, report });
  }
  return out;
}

/** The piece with its start (end = 0) or end (end = 1) point put at (x, y); a conic keeps V, J, W and u. */
function withEnd(p: FittedPiece, end: 0 | 1, x: number, y: number): FittedPiece {
  return end === 0 ? { ...p, p0: { x, y } } : { ...p, p1: { x, y } };
}

/** A piece walked the other way: the same curve, ends, control points and tangents swapped. */
export function reversePiece(p: FittedPiece): FittedPiece {
  if (p.kind === 'line') return { ...p, from: p.to, to: p.from, p0: p.p1, p1: p.p0 };
  const c: ConicPiece = { ...p, from: p.to, to: p.from, p0: p.p1, p1: p.p0, v: p.w, w: p.v, d0: { x: -p.d1.x, y: -p.d1.y }, d1: { x: -p.d0.x, y: -p.d0.y } };
  return c;
}
