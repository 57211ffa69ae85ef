/** Building fitted models by hand, for the SVG and raster tests. */
import type { ConicPiece, FittedContour, Knot, LinePiece, PieceReport } from '../src/model.js';
import { conicGeometry } from '../src/geometry/conic.js';
import { renderCoverage } from '../src/output/raster.js';
import type { Bitmap, Point } from '../src/types.js';

export const REPORT: PieceReport = { pointCount: 0, S: 0, rms: 0, maxDeviation: 0, worstIndex: 0, withinTolerance: true };

/** A conic interval per model.ts (tangents normalised here): V = P₀ + h·D₀/(4u), W = P₁ − h·D₁/(4u), J = (V + W)/2. */
export function makeConicPiece(p0: Point, d0: Point, p1: Point, d1: Point, u: number): ConicPiece {
  const n0 = Math.hypot(d0.x, d0.y),
    n1 = Math.hypot(d1.x, d1.y);
  const g = conicGeometry(p0, { x: d0.x / n0, y: d0.y / n0 }, p1, { x: d1.x / n1, y: d1.y / n1 }, u);
  return { kind: 'conic', from: 0, to: 0, ...g, report: REPORT };
}

export function linePiece(p0: Point, p1: Point): LinePiece {
  return { kind: 'line', from: 0, to: 0, p0, p1, report: REPORT };
}

/** A fitted contour from pieces, one knot at each piece's start (corners unless told). */
export function fitOf(pieces: Array<LinePiece | ConicPiece>, opts: { hole?: boolean; knotKinds?: Knot['kind'][] } | boolean = {}): FittedContour {
  const o = typeof opts === 'boolean' ? { hole: opts } : opts;
  return {
    mode: pieces.some((p) => p.kind === 'conic') ? 'conic' : 'linear',
    hole: o.hole ?? false,
    parent: -1,
    knots: pieces.map((p, i) => ({ index: i, x: p.p0.x, y: p.p0.y, kind: o.knotKinds?.[i] ?? 'corner' })),
    pieces,
    report: { points: 0, corners: 0, intermediatePoints: 0, intervals: pieces.length, maxDeviation: 0, rms: 0, failedIntervals: 0 },
  };
}

/** The exact-coverage bitmap (size × size) of a closed polygon ([x, y] vertices), ink where coverage ≥ ½: the bench corpus's bilevel rendering (docs/design.md §18.40). */
export function coverageBitmap(pts: number[][], size: number): Bitmap {
  const pieces = pts.map((p, k): LinePiece => linePiece({ x: p[0], y: p[1] }, { x: pts[(k + 1) % pts.length][0], y: pts[(k + 1) % pts.length][1] }));
  const coverage = renderCoverage([fitOf(pieces)], size, size);
  const ink = new Uint8Array(size * size).map((_, q) => (coverage[q] >= 0.5 ? 1 : 0));
  return { width: size, height: size, ink, coverage, threshold: 128, grey: true };
}
