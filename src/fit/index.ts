/**
 * Stage 4 — spline fitting (design.md §4–§6).
 *
 * Reads one contour and its corners and produces a `FittedContour`: knots (the corners, plus
 * seeds on a contour without corners, plus intermediate points) and one piece per interval
 * between consecutive knots, each with its error report.
 *
 * - Linear spline: the chord between consecutive knots.
 * - Conic spline (M. Sarfraz 2012, design.md §4): per interval two rational quadratic arcs with
 *   one weight u, V = P₀ + h·D₀/(4u), W = P₁ − h·D₁/(4u), J = (V + W)/2; u minimises the paper's
 *   S = Σ|R(θⱼ) − Cⱼ|² at chord-length parameters θⱼ, found by simulated annealing on ln u
 *   (src/fit/anneal.ts). Optionally (`annealTangents`) the two tangent lengths are annealed too:
 *   V = P₀ + λ₀·h·D₀/(4u), W = P₁ − λ₁·h·D₁/(4u).
 * - Geometric refinement (`refine`, on by default; src/fit/refine.ts): u, λ₀ and λ₁ are then fitted
 *   to the orthogonal distances the tolerance is checked on. On the 48 samples this cut conic
 *   intervals 2038 → 1576 at the same tolerance. A refined piece becomes quadratic (u = 1, refined
 *   again) when that at most doubles its squared distances (QUADRATIC_SLACK).
 * - Tangents: the arithmetic-mean (three-point parabola) estimate D = (h₊Δ₋ + h₋Δ₊)/(h₋ + h₊) on
 *   contour points a few pixels either side of the knot; at a corner the one-sided parabola end
 *   derivative D = Δ₁ + h₁(Δ₁ − Δ₂)/(h₁ + h₂) on each side separately (G⁰ there); an intermediate
 *   knot's tangent is shared by both neighbours (C¹). Points are first smoothed along the contour
 *   as for corner detection (bilevel staircases would tilt a 3-point estimate by up to ~10°).
 * - Intermediate points (design.md §6): while an interval's largest orthogonal deviation exceeds
 *   the tolerance, a knot goes in at its worst point and both halves are refitted. The number of
 *   knots is bounded; an interval left over tolerance is flagged, never silently accepted.
 *
 * Orthogonal deviations are measured against the piece flattened into segments at most 0.5 px
 * long; the flattening error (sagitta L²/8ρ) is below 0.02 px for curvature radii ≥ 2 px.
 *
 * Files: options.ts (options and defaults), context.ts (per-contour state), workspace.ts (all
 * scratch buffers, one workspace per fit), knots.ts, tangents.ts and corner-knots.ts (knots and
 * their tangents), interval.ts (one interval's piece), deviation.ts (its error report), anneal.ts
 * and refine.ts (the searches for u, λ₀, λ₁), passes.ts (the knot loop's passes, run below).
 */
import type { ContourReport, FitMode, FittedContour } from '../model.js';
import type { Contour, Corner } from '../types.js';
import { createFitContext } from './context.js';
import { cornersOnFittedLines } from './corner-knots.js';
import { initialKnots } from './knots.js';
import { resolveFitOptions, type FitOptions } from './options.js';
import { finishContour, insertUntilWithinTolerance, mergeRedundantKnots, splitOverRms } from './passes.js';
import { FitWorkspace } from './workspace.js';

export { FIT_DEFAULTS, resolveFitOptions, type FitOptions, type ResolvedFitOptions } from './options.js';

/**
 * Linear spline through the corners (plus intermediate points until within tolerance).
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
 * The knot loop, pass by pass (each pass is in passes.ts unless noted). `failed` collects the
 * intervals found over the bounds (by their knots' indices): an interval's fit depends only on its
 * two knots, so no later pass refits them.
 */
function fitContour(mode: FitMode, contour: Contour, corners: readonly Corner[], options: FitOptions, ws = new FitWorkspace()): FittedContour {
  const o = resolveFitOptions(options, contour.subpixel);
  const n = contour.points.length / 2;
  const emptyReport: ContourReport = { points: n, corners: 0, intermediatePoints: 0, intervals: 0, maxDeviation: 0, rms: 0, failedIntervals: 0 };
  if (n < 2) return { mode, hole: contour.hole, parent: contour.parent, knots: [], pieces: [], report: emptyReport };
  const ctx = createFitContext(mode, contour, o, ws);
  // 1. Seed knots: the corners, or two seeds on a contour without any (knots.ts).
  const seeds = initialKnots(ctx, corners);
  const maxKnots = Math.max(seeds.length, Math.floor(n * o.maxKnotFraction), 2);
  const failed = new Set<string>();
  // 2. Insert a knot at the worst point of every interval over tolerance, while the budget lasts.
  const inserted = insertUntilWithinTolerance(ctx, seeds, maxKnots, failed);
  // 3. Conic mode: split pieces over the RMS bound with the knots left, when both halves stay within tolerance.
  const done = mode === 'conic' ? splitOverRms(ctx, inserted.intervals, failed, maxKnots - inserted.knotCount) : inserted.intervals;
  done.sort((p, q) => p.a.at - q.a.at);
  // 4. Merge: remove knots whose two pieces refit as one within the bounds.
  const { knots, pieces } = mergeRedundantKnots(
    ctx,
    done.map((d) => d.a),
    done.map((d) => d.piece),
    failed,
  );
  // 5. Conic mode: move corners next to line pieces onto their sides' fitted lines (corner-knots.ts).
  if (mode === 'conic') cornersOnFittedLines(ctx, knots, pieces);
  // 6. Report, back in image coordinates.
  return finishContour(ctx, contour, knots, pieces);
}
