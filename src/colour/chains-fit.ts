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
import * as dm from '../geometry/fdlibm.js';

/** Fewest points an open chain needs to be fitted (below it: straight pieces between its points). */
const MIN_FIT_POINTS = 4;
/** Longest conic, in point steps, that `straighten` may replace. */
const SHORT_SPAN = 3;
/** Largest distance of its points from the chord for that, px (the staircase's own ±½ px and a margin). */
const STRAIGHT_DEVIATION = 0.75;
/** Detected corners closer than this to a junction (px) are the detector seeing the turnaround there, not the shape. */
const END_CLEARANCE = 3;

/**
 * The corners the detector finds on a chain (docs/design.md §3), point indices: on an open chain
 * those clear of its junctions (the chain-and-back contour turns round at each end).
 */
export function chainCorners(chain: Chain, subpixel: boolean, cornerOptions: CornerOptions): Corner[] {
  const P = chain.points;
  const n = P.length / 2;
  if (chain.closed) return n < 3 ? [] : detectCorners(asContour(P, subpixel), cornerOptions);
  if (n < MIN_FIT_POINTS) return [];
  // The turnarounds at the junctions read as sharp corners to the detector; keep only corners clear of them.
  const clear = (i: number) =>
    Math.min(dm.hypot(P[2 * i] - P[0], P[2 * i + 1] - P[1]), dm.hypot(P[2 * i] - P[2 * n - 2], P[2 * i + 1] - P[2 * n - 1])) > END_CLEARANCE;
  return detectCorners(asContour(thereAndBack(P), subpixel), cornerOptions).filter((c) => c.index > 0 && c.index < n - 1 && clear(c.index));
}

/**
 * The fitted pieces of one chain, in the chain's direction. `forced`: point indices that are knots
 * besides the corners (the coverage repair's, src/colour/repair.ts); `corners`: the chain's
 * detected corners when already known (`chainCorners`).
 */
export function fitChain(
  chain: Chain,
  index: number,
  mode: FitMode,
  subpixel: boolean,
  fitOptions: FitOptions,
  cornerOptions: CornerOptions,
  forced: readonly number[] = [],
  corners: readonly Corner[] = chainCorners(chain, subpixel, cornerOptions),
): FittedPiece[] {
  const P = chain.points;
  const n = P.length / 2;
  const fit = mode === 'linear' ? fitLinear : fitConic;
  // Junctions and the coverage repair's knots are shared with the neighbouring region: they stay where they are.
  const options = { ...fitOptions, contourIndex: index, moveCorners: false };
  const tolerance = fitOptions.tolerance ?? 1;
  if (chain.closed) {
    return n < 3 ? [] : straighten(fit(asContour(P, subpixel), withForced(corners, forced, n), options).pieces, P, subpixel, tolerance);
  }
  if (n < MIN_FIT_POINTS) return polyline(P);
  const knots: Corner[] = [
    { index: 0, angle: 0, convex: true },
    ...withForced(
      corners,
      forced.filter((i) => i > 0 && i < n - 1),
      n,
    ),
    { index: n - 1, angle: 0, convex: true },
  ];
  const pieces = fit(asContour(thereAndBack(P), subpixel), knots, options).pieces.filter((p) => p.from < n - 1 && p.to <= n - 1 && p.to > p.from);
  if (pieces.length === 0 || pieces[0].from !== 0 || pieces[pieces.length - 1].to !== n - 1) return polyline(P);
  pieces[0] = withEnd(pieces[0], 0, P[0], P[1]);
  pieces[pieces.length - 1] = withEnd(pieces[pieces.length - 1], 1, P[2 * n - 2], P[2 * n - 1]);
  return straighten(pieces, P, subpixel, tolerance);
}

/** An open chain's points, then the same points back (point k of the way back is point 2n − 2 − k). */
function thereAndBack(P: Float64Array): Float64Array {
  const n = P.length / 2;
  const m = 2 * n - 2;
  const there = new Float64Array(2 * m);
  there.set(P);
  for (let k = n; k < m; k++) {
    there[2 * k] = P[2 * (m - k)];
    there[2 * k + 1] = P[2 * (m - k) + 1];
  }
  return there;
}

/**
 * On pixel-corner points, a conic over at most SHORT_SPAN steps whose points all lie within
 * min(STRAIGHT_DEVIATION, tolerance) of its chord becomes that line: over so few staircase vertices (each ±½ px
 * off the edge) the curve only follows the staircase, and a line prints in a third of the bytes
 * (docs/design.md §22.5).
 */
function straighten(pieces: FittedPiece[], P: Float64Array, subpixel: boolean, tolerance: number): FittedPiece[] {
  const limit = Math.min(STRAIGHT_DEVIATION, tolerance);
  if (subpixel) return pieces;
  return pieces.map((p) => {
    if (p.kind !== 'conic' || p.to - p.from < 1 || p.to - p.from > SHORT_SPAN) return p;
    const dx = p.p1.x - p.p0.x,
      dy = p.p1.y - p.p0.y;
    const len = dm.hypot(dx, dy);
    if (len === 0) return p;
    let max = 0,
      sum = 0,
      worst = p.from;
    for (let i = p.from + 1; i < p.to; i++) {
      const d = Math.abs((P[2 * i] - p.p0.x) * dy - (P[2 * i + 1] - p.p0.y) * dx) / len;
      if (d > limit) return p;
      sum += d * d;
      if (d > max) [max, worst] = [d, i];
    }
    // The report is the line's own: deviations of the piece's points from it.
    const report: PieceReport = { ...p.report, S: sum, rms: Math.sqrt(sum / p.report.pointCount), maxDeviation: max, worstIndex: worst };
    const line: LinePiece = { kind: 'line', from: p.from, to: p.to, p0: p.p0, p1: p.p1, report };
    return line;
  });
}

/** Corners with the forced indices added (angle 0: the fitter reads only the index), sorted, no duplicates. */
function withForced(corners: readonly Corner[], forced: readonly number[], n: number): Corner[] {
  if (forced.length === 0) return [...corners];
  const have = new Set(corners.map((c) => c.index));
  const extra = forced.filter((i) => i >= 0 && i < n && !have.has(i)).map((index) => ({ index, angle: 0, convex: true }));
  return [...corners, ...extra].sort((a, b) => a.index - b.index);
}

function asContour(points: Float64Array, subpixel: boolean): Contour {
  return { start: { x: 0, y: 0 }, chain: new Uint8Array(0), points, hole: false, parent: -1, area: 0, pixelCount: 0, subpixel };
}

/**
 * Pixel art (docs/design.md §22.9): the chain as the polygon of its pixel corners, one line per
 * straight run (knots where the walk turns), so the shapes cover exactly their pixels.
 */
export function pixelPolygon(chain: Chain): LinePiece[] {
  const P = chain.points;
  const n = P.length / 2;
  const turns = (i: number): boolean => {
    const a = (i - 1 + n) % n,
      b = (i + 1) % n;
    return (P[2 * i] - P[2 * a]) * (P[2 * b + 1] - P[2 * i + 1]) - (P[2 * i + 1] - P[2 * a + 1]) * (P[2 * b] - P[2 * i]) !== 0;
  };
  const knots: number[] = [];
  for (let i = 0; i < n; i++) if (!chain.closed ? i === 0 || i === n - 1 || turns(i) : turns(i)) knots.push(i);
  if (chain.closed) knots.push(knots[0]);
  const out: LinePiece[] = [];
  for (let k = 0; k + 1 < knots.length; k++) {
    const [a, b] = [knots[k], knots[k + 1]];
    const report: PieceReport = { pointCount: ((b - a + n) % n || n) + 1, S: 0, rms: 0, maxDeviation: 0, worstIndex: a, withinTolerance: true };
    out.push({ kind: 'line', from: a, to: b, p0: { x: P[2 * a], y: P[2 * a + 1] }, p1: { x: P[2 * b], y: P[2 * b + 1] }, report });
  }
  return out;
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
export function withEnd(p: FittedPiece, end: 0 | 1, x: number, y: number): FittedPiece {
  return end === 0 ? { ...p, p0: { x, y } } : { ...p, p1: { x, y } };
}

/** A piece walked the other way: the same curve, ends, control points and tangents swapped. */
export function reversePiece(p: FittedPiece): FittedPiece {
  if (p.kind === 'line') return { ...p, from: p.to, to: p.from, p0: p.p1, p1: p.p0 };
  const c: ConicPiece = { ...p, from: p.to, to: p.from, p0: p.p1, p1: p.p0, v: p.w, w: p.v, d0: { x: -p.d1.x, y: -p.d1.y }, d1: { x: -p.d0.x, y: -p.d0.y } };
  return c;
}
