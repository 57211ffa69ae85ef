/**
 * Stage 4 — spline fitting (docs/design.md §9; splines §4, annealing §5, intermediate points §6).
 *
 * Reads one contour and its corners and produces a `FittedContour`: knots (the corners, plus
 * seeds on a contour without corners, plus intermediate points) and one piece per interval
 * between consecutive knots, each with its error report.
 *
 * - Linear spline: the chord between consecutive knots.
 * - Conic spline (M. Sarfraz 2012, docs/design.md §4.1): per interval two rational quadratic arcs
 *   with one weight u, V = P₀ + λ₀·h·D₀/(4u), W = P₁ − λ₁·h·D₁/(4u), J = (V + W)/2; u anneals on
 *   the paper's S (src/fit/anneal.ts, §5), then u, λ₀, λ₁ are refined on orthogonal distances
 *   (`refine`, on by default; src/fit/refine.ts, docs/design.md §11, §18.13).
 * - Tangents: a least-squares parabola at seeds and intermediate knots (shared by both pieces),
 *   one fitted arm per side at corners (G⁰ there); docs/design.md §4.4, §10.1.
 * - Intermediate points (docs/design.md §6, §9.3): while an interval's largest orthogonal deviation
 *   exceeds the tolerance, a knot goes in at its worst point; an interval left over tolerance is
 *   flagged, never silently accepted.
 *
 * Files: options.ts (options and defaults), context.ts (per-contour state), workspace.ts (all
 * scratch buffers, one workspace per fit), knots.ts, tangents.ts, corner-knots.ts and corner-sharpen.ts
 * (knots and their tangents), interval.ts (one interval's piece), deviation.ts (its error report), anneal.ts
 * and refine.ts (the searches for u, λ₀, λ₁), passes.ts (the knot loop's passes, run below), band.ts and
 * band-loss.ts (bilevel pieces centred in the band their pixels allow), band-corners.ts (bilevel corners
 * placed on that band), band-split.ts (bilevel conics split where far off it), run-knots.ts (bilevel knots where straight runs meet rounds), axis-corners.ts (bilevel corners between axis runs at the vertex their pixels give), coverage-fit.ts (anti-aliased smooth knots fitted to the image's coverage sums).
 */
import type { ContourReport, FitMode, FittedContour, FittedPiece } from '../model.js';
import type { Contour, Corner } from '../types.js';
import { centreInBand } from './band.js';
import { cornersBetweenLines, cornersInBand } from './band-corners.js';
import { axisCorners } from './axis-corners.js';
import { linesInBand } from './band-lines.js';
import { tipsInBand } from './band-tips.js';
import { lineEndsInBand } from './band-runs.js';
import { splitOffBand } from './band-split.js';
import { createFitContext, type FitContext } from './context.js';
import { sliverCorners } from '../corners-sliver.js';
import { fitCoverage } from './coverage-fit.js';
import { cornersOnFittedLines } from './corner-knots.js';
import { retreatCorners } from './corner-retreat.js';
import { sharpenCorners } from './corner-sharpen.js';
import { sliverSides } from './sliver-sides.js';
import { cornerIndices, initialKnots, lowestPoint, type WorkKnot } from './knots.js';
import { optimalPolygonKnots } from './polygon.js';
import { resolveFitOptions, type FitOptions } from './options.js';
import { withRunEndKnots } from './run-knots.js';
import { finishContour, insertUntilWithinTolerance, mergeRedundantKnots, splitOverRms } from './passes.js';
import { FitWorkspace } from './workspace.js';

export { FIT_DEFAULTS, resolveFitOptions, type FitOptions, type ResolvedFitOptions } from './options.js';

/**
 * Linear spline: the fewest-vertex polygon within tolerance, vertices chosen among the contour's
 * points with the least squared error, then settled onto their sides' lines (src/fit/polygon.ts,
 * docs/design.md §9.9).
 *
 * @example const fit = fitLinear(contour, detectCorners(contour), { tolerance: 1 });
 */
export function fitLinear(contour: Contour, corners: readonly Corner[], options: FitOptions = {}): FittedContour {
  return fitContour('linear', contour, corners, options);
}

/**
 * Conic spline through the corners (plus intermediate points until within tolerance), u per interval by annealing.
 *
 * @example const fit = fitConic(contour, detectCorners(contour), { tolerance: 1, seed: 7 });
 */
export function fitConic(contour: Contour, corners: readonly Corner[], options: FitOptions = {}): FittedContour {
  return fitContour('conic', contour, corners, options);
}

/**
 * `fitLinear` / `fitConic` with the caller's scratch buffers: fitAll and the fit workers keep one
 * FitWorkspace per thread across a trace's contours, since making one per contour (some thirty
 * typed arrays) is a measurable share of a large scan's fit (docs/design.md §1.4). Every buffer is
 * written before it is read within a fit, so the result does not depend on the workspace's history.
 */
export function fitContourIn(ws: FitWorkspace, mode: FitMode, contour: Contour, corners: readonly Corner[], options: FitOptions): FittedContour {
  return fitContour(mode, contour, corners, options, ws);
}

/**
 * Conic mode's passes after the knot search, in order (docs/design.md §9.6); each moves knots or
 * pieces in place. Named so bench/fit-floor.ts can time them one by one.
 */
export const PLACEMENT_PASSES: ReadonlyArray<readonly [string, (ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]) => void]> = [
  // Corners next to line pieces onto their sides' fitted lines (corner-knots.ts).
  ['cornersOnFittedLines', cornersOnFittedLines],
  // Corners to their arms' intersection where the pixels allow (corner-sharpen.ts).
  ['sharpenCorners', sharpenCorners],
  // Bilevel data: conic pieces far off their band split where the halves fit it much better (band-split.ts).
  ['splitOffBand', splitOffBand],
  // Bilevel data: the smooth knot at a line piece's end placed where the band loss is least (band-runs.ts).
  ['lineEndsInBand', lineEndsInBand],
  // Bilevel data: pieces and smooth knots centred in the band the pixels allow (band.ts).
  ['centreInBand', centreInBand],
  // Bilevel data: corners placed where the band loss of their two pieces is least (band-corners.ts).
  ['cornersInBand', cornersInBand],
  // Bilevel data: corners between two line pieces placed the same way (band-corners.ts).
  ['cornersBetweenLines', cornersBetweenLines],
  // Bilevel data: sloped line pieces onto the line of their own band, their ends with them (band-lines.ts).
  ['linesInBand', linesInBand],
  // Bilevel data: corners at acute tips to where their straight arms meet (band-tips.ts).
  ['tipsInBand', tipsInBand],
  // Bilevel data: corners between two axis runs at the vertex their pixels give (axis-corners.ts).
  ['axisCorners', axisCorners],
  // Anti-aliased data: pieces and smooth knots fitted to the coverage along the boundary (coverage-fit.ts).
  ['fitCoverage', fitCoverage],
  // Corners beside a piece over tolerance drawn back towards their data point (corner-retreat.ts).
  ['retreatCorners', retreatCorners],
  // A sliver's sides on the two lines that hold its pixels' area (sliver-sides.ts).
  ['sliverSides', sliverSides],
];

/**
 * The knot loop, pass by pass (each pass is in passes.ts unless noted; docs/design.md §9). `failed`
 * collects the intervals found over the bounds (by their knots' indices): an interval's fit depends
 * only on its two knots, so no later pass refits them (docs/design.md §18.22).
 */
function fitContour(mode: FitMode, contour: Contour, corners: readonly Corner[], options: FitOptions, ws = new FitWorkspace()): FittedContour {
  const o = resolveFitOptions(options, contour.subpixel, mode === 'linear' ? 'fitLinear' : 'fitConic');
  const n = contour.points.length / 2;
  const emptyReport: ContourReport = { points: n, corners: 0, intermediatePoints: 0, intervals: 0, maxDeviation: 0, rms: 0, failedIntervals: 0 };
  if (n < 2) return { mode, hole: contour.hole, parent: contour.parent, knots: [], pieces: [], report: emptyReport };
  const ctx = createFitContext(mode, contour, o, ws);
  // Lines wherever within the bounds only for a sliver fitted from its cap corners (§3.6): with other
  // corners (`slivers: false`, the caller's own) a side between them is not straight.
  // (A sliver has 3 or 4 cap corners: only then is it worth finding them again.)
  const cornerAt = cornerIndices(corners, n);
  ctx.sliver =
    mode === 'conic' && !contour.subpixel && (cornerAt.length === 3 || cornerAt.length === 4) && sameIndices(cornerAt, sliverCorners(contour.points));
  const failed = new Set<string>();
  // Linear mode: between the corners (a seed without any), the fewest-vertex polygon within tolerance
  // (polygon.ts), then as below for any chord that measures over tolerance; no merge (the polygon
  // has the fewest vertices already).
  if (mode === 'linear') {
    const fixed = cornerIndices(corners, n);
    const polygon = fixed.length > 0 ? optimalPolygonKnots(ctx, fixed, 'corner') : optimalPolygonKnots(ctx, [lowestPoint(ctx.raw, n)], 'seed');
    const maxKnots = Math.max(polygon.length, Math.floor(n * o.maxKnotFraction), 2);
    const { intervals } = insertUntilWithinTolerance(ctx, polygon, maxKnots, failed);
    return finishContour(
      ctx,
      contour,
      intervals.map((d) => d.a),
      intervals.map((d) => d.piece),
    );
  }
  // 1. Seed knots: the corners, or two seeds on a contour without any (knots.ts); on bilevel
  // contours also where each straight axis run meets a round (run-knots.ts).
  const { knots: seeds, held } = withRunEndKnots(ctx, initialKnots(ctx, corners));
  const maxKnots = Math.max(seeds.length, Math.floor(n * o.maxKnotFraction), 2);
  // 2. Insert a knot at the worst point of every interval over tolerance, while the budget lasts.
  const inserted = insertUntilWithinTolerance(ctx, seeds, maxKnots, failed);
  // 3. Split pieces over the RMS bound with the knots left, when both halves stay within tolerance.
  const done = splitOverRms(ctx, inserted.intervals, failed, maxKnots - inserted.knotCount);
  // 4. Merge: remove knots whose two pieces refit as one within the bounds (not the run-end seeds).
  const { knots, pieces } = mergeRedundantKnots(
    ctx,
    done.map((d) => d.a),
    done.map((d) => d.piece),
    failed,
    held,
  );
  // 5–9. Knots and pieces moved where the data says (each pass keeps every bound; docs/design.md §9.6).
  // (Indexed: destructuring each entry went through the iterator protocol once per pass and contour.)
  for (let p = 0; p < PLACEMENT_PASSES.length; p++) PLACEMENT_PASSES[p][1](ctx, knots, pieces);
  // 10. Report, back in image coordinates.
  return finishContour(ctx, contour, knots, pieces);
}

/** Whether two ascending index lists are the same (b undefined: no). */
function sameIndices(a: readonly number[], b: readonly number[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
}
