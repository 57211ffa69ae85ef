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
 */
import { anneal, ANNEAL_DEFAULTS } from './fit/anneal.js';
import { refineInterval } from './fit/refine.js';
import { RefineWorkspace } from './fit/workspace.js';
import { pointSegmentDistance2 } from './geometry/segment.js';
import { CORNER_DEFAULTS, smoothClosed } from './corners.js';
import { ConicfitError, describeValue } from './errors.js';
import type { ConicPiece, ContourReport, FitMode, FittedContour, FittedPiece, Knot, KnotKind, LinePiece, PieceReport } from './model.js';
import { mixSeed, mulberry32 } from './random.js';
import type { Contour, Corner } from './types.js';

export interface FitOptions {
  /** Largest allowed orthogonal deviation of any contour point from its piece, px. */
  tolerance?: number;
  /**
   * Conic mode: largest RMS deviation of a piece's points, px; a piece within `tolerance` but above
   * it is split at its worst point with the knots left, when both halves stay within tolerance.
   * Default by point kind: max(0.18 × tolerance, 0.08 px) on sub-pixel contours, max(0.5 ×
   * tolerance, 0.45 px) on pixel-corner contours. A value ≥ tolerance turns it off (RMS ≤ max).
   */
  rmsTolerance?: number;
  /** Seed of the annealing random streams (an integer). */
  seed?: number;
  /** Distance along the contour to the points the tangent estimate uses, px. Default by point kind. */
  tangentReach?: number;
  /** Anneal the two tangent lengths as well as u (conic mode). */
  annealTangents?: boolean;
  /** After annealing, refine u and both tangent lengths on orthogonal distances (conic mode; src/fit/refine.ts). */
  refine?: boolean;
  /** Upper bound on knots per contour, as a fraction of its points (the insertion loop's bound). */
  maxKnotFraction?: number;
  /** Mixed into the seed so each contour of an image gets its own random streams. */
  contourIndex?: number;
  /** Annealing schedule overrides (see ANNEAL_DEFAULTS). */
  anneal?: Partial<typeof ANNEAL_DEFAULTS>;
}

/** Defaults, one line each. */
export const FIT_DEFAULTS = {
  /** 1 px: design.md §6; a bilevel boundary is only known to ±0.5 px anyway. */
  tolerance: 1,
  seed: 1,
  /**
   * rmsTolerance as a fraction of the tolerance, by point kind. A piece can stay within the
   * tolerance everywhere while lying most of a tolerance off one side of its data (pinned to a
   * misplaced knot, or a line cut across a thin serif); the RMS bound splits it. Sub-pixel points
   * carry ~0.05 px of noise, pixel corners ~0.35 px (a staircase), hence the two values. Bench
   * corpus, conic/Potrace (with the parabola tangents): sub-pixel 0.15 → path bytes 1.06× on
   * anti-aliased glyphs, 0.18 → 0.97× with mean distance 0.30×, 0.20 → mean 0.31×; without the
   * bound 0.87× and 0.43×. Bilevel 0.5 (measured before the parabola tangents): mean distance
   * 0.78× → 0.75×, segments 0.76× → 0.79×.
   */
  rmsFractionSubpixel: 0.18,
  rmsFractionBilevel: 0.5,
  /**
   * ...but never below the data's own scatter, which no piece can beat: splitting for it only
   * spends knots. Pixel corners of a straight edge scatter by 0.29–0.35 px RMS (0.35 at 45°),
   * sub-pixel points by ~0.05 px. Bench corpus at tolerance 0.75 px, bilevel glyphs: 2.79×
   * Potrace's segments and 10× its time with the bound at 0.375 px, 1.28× with 0.45 px.
   */
  rmsFloorSubpixel: 0.08,
  rmsFloorBilevel: 0.45,
  /** Tangent reach for sub-pixel points: 2 px sees past the coverage noise but not around tight curves. */
  tangentReachSubpixel: 2,
  /** Tangent reach for pixel-corner points: 3 px spans a staircase step of the usual slopes. */
  tangentReachBilevel: 3,
  annealTangents: false,
  /** Geometric refinement on by default: half the RMS distance per piece (src/fit/refine.ts header). */
  refine: true,
  /** At most one knot per 2 points: beyond that, a piece would hold no point between its knots. */
  maxKnotFraction: 0.5,
  /** Bounds of u (design.md §4: bounded positive range, searched on a log scale). */
  uMin: 0.05,
  uMax: 20,
  /** Bounds of the annealed tangent-length factors λ₀, λ₁. */
  lambdaMin: 0.25,
  lambdaMax: 4,
} as const;

interface ResolvedFitOptions {
  tolerance: number;
  rmsTolerance: number;
  seed: number;
  tangentReach: number;
  annealTangents: boolean;
  refine: boolean;
  maxKnotFraction: number;
  contourIndex: number;
  schedule: typeof ANNEAL_DEFAULTS;
}

export function resolveFitOptions(options: FitOptions, subpixel: boolean): ResolvedFitOptions {
  if (options === null || typeof options !== 'object') {
    throw new ConicfitError('BAD_OPTION', `fit options must be an object, got ${describeValue(options)}`);
  }
  const num = (name: string, value: unknown, lo: number, hi: number, what: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
      throw new ConicfitError('BAD_OPTION', `${name} must be ${what}, got ${describeValue(value)}`);
    }
    return value;
  };
  const tolerance = num('tolerance', options.tolerance ?? FIT_DEFAULTS.tolerance, 1e-3, 1e4, 'a number of pixels from 0.001 to 10000');
  const rmsDefault = subpixel
    ? Math.max(FIT_DEFAULTS.rmsFractionSubpixel * tolerance, FIT_DEFAULTS.rmsFloorSubpixel)
    : Math.max(FIT_DEFAULTS.rmsFractionBilevel * tolerance, FIT_DEFAULTS.rmsFloorBilevel);
  const rmsTolerance = num('rmsTolerance', options.rmsTolerance ?? rmsDefault, 1e-3, 1e4, 'a number of pixels from 0.001 to 10000');
  const seed = num('seed', options.seed ?? FIT_DEFAULTS.seed, -(2 ** 53), 2 ** 53, 'an integer');
  if (!Number.isSafeInteger(seed)) throw new ConicfitError('BAD_OPTION', `seed must be a safe integer (|seed| < 2^53), got ${seed}`);
  const reachDefault = subpixel ? FIT_DEFAULTS.tangentReachSubpixel : FIT_DEFAULTS.tangentReachBilevel;
  const tangentReach = num('tangentReach', options.tangentReach ?? reachDefault, 0.5, 100, 'a number of pixels from 0.5 to 100');
  const annealTangents = options.annealTangents ?? FIT_DEFAULTS.annealTangents;
  if (typeof annealTangents !== 'boolean') throw new ConicfitError('BAD_OPTION', `annealTangents must be true or false, got ${describeValue(annealTangents)}`);
  const refine = options.refine ?? FIT_DEFAULTS.refine;
  if (typeof refine !== 'boolean') throw new ConicfitError('BAD_OPTION', `refine must be true or false, got ${describeValue(refine)}`);
  const maxKnotFraction = num('maxKnotFraction', options.maxKnotFraction ?? FIT_DEFAULTS.maxKnotFraction, 0, 1, 'a fraction from 0 to 1');
  const contourIndex = num('contourIndex', options.contourIndex ?? 0, 0, 2 ** 31, 'a non-negative integer');
  const a = options.anneal ?? {};
  if (a === null || typeof a !== 'object') throw new ConicfitError('BAD_OPTION', `anneal must be an object of schedule values`);
  const schedule = {
    iterations: Math.round(num('anneal.iterations', a.iterations ?? ANNEAL_DEFAULTS.iterations, 0, 1e6, 'a count from 0 to 1000000')),
    initialTemperature: num('anneal.initialTemperature', a.initialTemperature ?? ANNEAL_DEFAULTS.initialTemperature, 1e-9, 1e6, 'a positive number'),
    cooling: num('anneal.cooling', a.cooling ?? ANNEAL_DEFAULTS.cooling, 0.01, 0.9999, 'a factor between 0.01 and 0.9999'),
    initialStep: num('anneal.initialStep', a.initialStep ?? ANNEAL_DEFAULTS.initialStep, 1e-6, 10, 'a positive number up to 10'),
    polishIterations: Math.round(num('anneal.polishIterations', a.polishIterations ?? ANNEAL_DEFAULTS.polishIterations, 0, 200, 'a count from 0 to 200')),
  } as typeof ANNEAL_DEFAULTS;
  return { tolerance, rmsTolerance, seed, tangentReach, annealTangents, refine, maxKnotFraction, contourIndex, schedule };
}

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

// ---------------------------------------------------------------------------------------------

/** A knot while fitting: position in unwrapped index space and its tangents (unit, direction of travel). */
interface WorkKnot {
  /** Unwrapped index: first knot at k₀ ∈ [0, n), the rest increasing, the closing copy at k₀ + n. */
  at: number;
  kind: KnotKind;
  /** Position the spline passes through: at a corner where its fitted arms meet (cornerPosition; in conic mode possibly moved onto its sides' fitted lines, cornersOnFittedLines), the smoothed point elsewhere (a raw staircase corner lies up to 0.7 px off the true curve), clamped to tolerance/2 from the raw point. */
  x: number;
  y: number;
  inX: number;
  inY: number;
  outX: number;
  outY: number;
  /**
   * A corner's data point is the last point of the piece ending here and the first of the piece
   * starting here; once the knot has moved off it, it is checked in the piece whose arm it lies
   * nearer ('in' or 'out'), since it lies on the other arm's side of the corner (deviationReport).
   */
  dataSide?: 'in' | 'out';
}

/** Everything an interval fit needs about its contour, computed once per contour. */
interface FitContext {
  mode: FitMode;
  /** Points are sub-pixel estimates (anti-aliased input), not pixel corners. */
  subpixel: boolean;
  n: number;
  raw: Float64Array;
  smooth: Float64Array;
  o: ResolvedFitOptions;
}

function fitContour(mode: FitMode, contour: Contour, corners: readonly Corner[], options: FitOptions): FittedContour {
  const o = resolveFitOptions(options, contour.subpixel);
  const n = contour.points.length / 2;
  const emptyReport: ContourReport = { points: n, corners: 0, intermediatePoints: 0, intervals: 0, maxDeviation: 0, rms: 0, failedIntervals: 0 };
  if (n < 2) return { mode, hole: contour.hole, parent: contour.parent, knots: [], pieces: [], report: emptyReport };
  // Work relative to the contour's integer bounding-box corner, so that translating the image
  // by whole pixels changes no rounding (and no tie) inside the fit; added back at the end.
  let ox = Infinity, oy = Infinity;
  for (let i = 0; i < n; i++) {
    if (contour.points[2 * i] < ox) ox = contour.points[2 * i];
    if (contour.points[2 * i + 1] < oy) oy = contour.points[2 * i + 1];
  }
  ox = Math.floor(ox);
  oy = Math.floor(oy);
  const raw = new Float64Array(contour.points.length);
  for (let i = 0; i < n; i++) {
    raw[2 * i] = contour.points[2 * i] - ox;
    raw[2 * i + 1] = contour.points[2 * i + 1] - oy;
  }
  const sigma = contour.subpixel ? CORNER_DEFAULTS.smoothingSubpixel : CORNER_DEFAULTS.smoothingBilevel;
  const ctx: FitContext = { mode, subpixel: contour.subpixel, n, raw, smooth: smoothClosed(raw, sigma), o };

  const knots = initialKnots(ctx, corners);
  const maxKnots = Math.max(knots.length, Math.floor(n * o.maxKnotFraction), 2);

  // Fit every interval; split the ones over tolerance at their worst point while the budget lasts.
  // Explicit stack of [knot a, knot b] (indices into `knots`, which only grows by insertion).
  let done: FittedInterval[] = [];
  const stack: Array<[WorkKnot, WorkKnot]> = [];
  for (let k = knots.length - 1; k >= 0; k--) stack.push([knots[k], knots[k + 1] ?? { ...knots[0], at: knots[0].at + n }]);
  let knotCount = knots.length;
  // Intervals found over tolerance (by their knots' indices): the fit of an interval depends only
  // on its two knots, so the merge pass need not refit these (on the bench corpus most merge
  // attempts were such refits of a split interval).
  const failed = new Set<string>();
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    const piece = fitInterval(ctx, a, b);
    const r = piece.report;
    const splittable = b.at - a.at >= 2;
    const tooFar = r.maxDeviation > o.tolerance;
    if (tooFar) failed.add(pairKey(a.at, b.at, n));
    if (tooFar && splittable && knotCount < maxKnots) {
      const w = worstUnwrapped(a.at, b.at, r.worstIndex, n);
      const mid = makeKnot(ctx, w, 'intermediate', a.at, b.at);
      knotCount++;
      stack.push([mid, b], [a, mid]);
      continue;
    }
    r.withinTolerance = !tooFar;
    done.push({ a, b, piece });
  }
  if (mode === 'conic') done = splitOverRms(ctx, done, failed, maxKnots - knotCount);
  done.sort((p, q) => p.a.at - q.a.at);
  const { knots: kept, pieces } = mergeRedundantKnots(ctx, done.map((d) => d.a), done.map((d) => d.piece), failed);
  if (mode === 'conic') cornersOnFittedLines(ctx, kept, pieces);

  const finalKnots: Knot[] = kept.map((a) => {
    const index = mod(a.at, n);
    // Back from local coordinates (corners included: cornerPosition may have moved them off the data).
    return { index, x: a.x + ox, y: a.y + oy, kind: a.kind };
  });
  pieces.forEach((p, i) => {
    translatePiece(p, ox, oy);
    const start = finalKnots[i], end = finalKnots[(i + 1) % finalKnots.length];
    p.p0 = { x: start.x, y: start.y };
    p.p1 = { x: end.x, y: end.y };
  });
  return { mode, hole: contour.hole, parent: contour.parent, knots: finalKnots, pieces, report: contourReport(ctx, finalKnots, pieces) };
}

/**
 * Insertion is greedy (design.md §6), so some inserted knots turn out unnecessary once their
 * neighbours exist. Each non-corner knot whose two pieces refit as one within tolerance is
 * removed; repeated until none can go. A closed contour keeps at least two knots. Measured on the
 * curved-shape set of test/fit.test.ts: 10–25 % fewer conic intervals.
 */
function mergeRedundantKnots(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[], failed: Set<string>): { knots: WorkKnot[]; pieces: FittedPiece[] } {
  const { n } = ctx;
  let changed = true;
  while (changed && knots.length > 2) {
    changed = false;
    for (let i = 0; i < knots.length && knots.length > 2; ) {
      if (knots[i].kind === 'corner') {
        i++;
        continue;
      }
      const prev = (i - 1 + knots.length) % knots.length;
      const next = (i + 1) % knots.length;
      // Unwrap so that a.at < knots[i].at < b.at.
      const a = prev > i ? { ...knots[prev], at: knots[prev].at - n } : knots[prev];
      const b = next < i ? { ...knots[next], at: knots[next].at + n } : knots[next];
      const key = pairKey(a.at, b.at, n);
      if (failed.has(key)) {
        i++;
        continue;
      }
      const merged = fitInterval(ctx, a, b);
      if (!exceeds(ctx, merged.report)) {
        merged.report.withinTolerance = true;
        pieces[prev] = merged;
        knots.splice(i, 1);
        pieces.splice(i, 1);
        changed = true;
      } else {
        failed.add(key);
        i++;
      }
    }
  }
  return { knots, pieces };
}

/** A fitted interval between two knots, while fitting. */
interface FittedInterval {
  a: WorkKnot;
  b: WorkKnot;
  piece: FittedPiece;
}

/**
 * Second pass of the insertion loop (conic mode): pieces within tolerance but over the RMS bound
 * (rmsTolerance; defaults in FIT_DEFAULTS.rmsFractionSubpixel) are split at their worst point
 * with the knots the first pass left, and a split is kept only when both halves stay within
 * tolerance. So the bound never takes knots the tolerance needed, nor leaves a piece over
 * tolerance that was within it.
 */
function splitOverRms(ctx: FitContext, done: FittedInterval[], failed: Set<string>, budget: number): FittedInterval[] {
  const { n, o } = ctx;
  const out: FittedInterval[] = [];
  const stack = [...done].reverse();
  while (stack.length > 0) {
    const { a, b, piece } = stack.pop()!;
    const r = piece.report;
    if (r.withinTolerance && r.rms > o.rmsTolerance && b.at - a.at >= 2 && budget > 0) {
      failed.add(pairKey(a.at, b.at, n));
      const mid = makeKnot(ctx, worstUnwrapped(a.at, b.at, r.worstIndex, n), 'intermediate', a.at, b.at);
      const left = fitInterval(ctx, a, mid);
      const right = fitInterval(ctx, mid, b);
      if (left.report.maxDeviation <= o.tolerance && right.report.maxDeviation <= o.tolerance) {
        budget--;
        left.report.withinTolerance = right.report.withinTolerance = true;
        stack.push({ a: mid, b, piece: right }, { a, b: mid, piece: left });
        continue;
      }
    }
    out.push({ a, b, piece });
  }
  return out;
}

/**
 * Whether a piece breaks the bounds: beyond the tolerance (design.md §6) or, in conic mode, over
 * the RMS bound (see splitOverRms). Merges and corner moves are kept only when it is false.
 */
function exceeds(ctx: FitContext, r: PieceReport): boolean {
  return r.maxDeviation > ctx.o.tolerance || (ctx.mode === 'conic' && r.rms > ctx.o.rmsTolerance);
}

/**
 * "Corners where the fitted neighbours intersect": a corner next to a line piece moves to where
 * that side's least-squares line meets the other side's (its least-squares line too when it is a
 * line piece, else its tangent line through the knot). cornerPosition intersected arms fitted over
 * 1–4 tangent reaches, which on a staircase leaves a knot ~0.3 px off, and a line piece is no
 * truer than its end knots; a whole side pins its line far better. The move is kept when it is at
 * least CORNER_LINE_MIN_MOVE, within CORNER_LINE_SHIFT of the corner's data point, and both pieces,
 * refitted, stay within the bounds and get closer to their data (smaller sum of squares).
 * Mean distance from the corner knots to the true vertices of the bilevel test polygons
 * (test/fit.test.ts): 0.41 → 0.29 px. Bench corpus, conic/Potrace mean distance: bilevel glyphs
 * 0.72 → 0.70, bilevel logos 0.78 → 0.75, anti-aliased unchanged; fit time 0.94–1.15× (noise).
 * Conic mode only: in linear mode it lowered the mean distance too (AA glyphs 1.13 → 1.10, AA logos 1.06 → 0.94)
 * but raised the median Hausdorff distance of bilevel logos 0.87 → 0.94.
 */
function cornersOnFittedLines(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  const { n, o } = ctx;
  const count = knots.length;
  if (count < 3) return;
  for (let i = 0; i < count; i++) {
    const k = knots[i];
    const prev = (i - 1 + count) % count, next = (i + 1) % count;
    const inLine = pieces[prev].kind === 'line', outLine = pieces[i].kind === 'line';
    if (k.kind !== 'corner' || (!inLine && !outLine)) continue;
    // Unwrap so that a.at < k.at < b.at (as in mergeRedundantKnots).
    const a = prev > i ? { ...knots[prev], at: knots[prev].at - n } : knots[prev];
    const b = next < i ? { ...knots[next], at: knots[next].at + n } : knots[next];
    const sideIn = inLine ? sideLine(ctx, a.at, k.at) : ([k.x, k.y, k.inX, k.inY] as SideLine);
    const sideOut = outLine ? sideLine(ctx, k.at, b.at) : ([k.x, k.y, k.outX, k.outY] as SideLine);
    if (!sideIn || !sideOut) continue;
    const [ax, ay, adx, ady] = sideIn, [bx, by, bdx, bdy] = sideOut;
    const cross = adx * bdy - ady * bdx;
    if (Math.abs(cross) < Math.sin((CORNER_MIN_TURN * Math.PI) / 180)) continue;
    const s = ((bx - ax) * bdy - (by - ay) * bdx) / cross;
    const x = ax + s * adx, y = ay + s * ady;
    const at = mod(k.at, n);
    const px = ctx.raw[2 * at], py = ctx.raw[2 * at + 1];
    if (!(Math.hypot(x - px, y - py) <= o.tolerance * CORNER_LINE_SHIFT)) continue;
    if (!(Math.hypot(x - k.x, y - k.y) >= CORNER_LINE_MIN_MOVE)) continue;
    // Tangents in the direction of travel: into the corner, then out of it.
    const inSign = (x - ax) * adx + (y - ay) * ady >= 0 ? 1 : -1;
    const outSign = (bx - x) * bdx + (by - y) * bdy >= 0 ? 1 : -1;
    const offIn = Math.abs((px - ax) * ady - (py - ay) * adx), offOut = Math.abs((px - bx) * bdy - (py - by) * bdx);
    const moved: WorkKnot = {
      ...k, x, y,
      inX: inLine ? inSign * adx : k.inX, inY: inLine ? inSign * ady : k.inY,
      outX: outLine ? outSign * bdx : k.outX, outY: outLine ? outSign * bdy : k.outY,
      dataSide: offIn <= offOut ? 'in' : 'out',
    };
    const left = fitInterval(ctx, a, moved);
    const right = fitInterval(ctx, moved, b);
    if (exceeds(ctx, left.report) || exceeds(ctx, right.report)) continue;
    // Both ways every point of the two pieces is measured once (the corner's in one of them).
    const before = sumOfSquares(pieces[prev].report, a, k) + sumOfSquares(pieces[i].report, k, b);
    if (!(sumOfSquares(left.report, a, moved) + sumOfSquares(right.report, moved, b) < before)) continue;
    left.report.withinTolerance = right.report.withinTolerance = true;
    knots[i] = moved;
    pieces[prev] = left;
    pieces[i] = right;
  }
}

/** Sum of squared deviations of the points a piece from knot a to knot b measured (see fitInterval's `ends`). */
function sumOfSquares(r: PieceReport, a: WorkKnot, b: WorkKnot): number {
  const skipped = (a.kind === 'corner' && a.dataSide === 'in' ? 1 : 0) + (b.kind === 'corner' && b.dataSide === 'out' ? 1 : 0);
  return r.rms * r.rms * Math.max(1, r.pointCount - skipped);
}

/** Largest move of a corner onto its sides' fitted lines, in tolerances (cornersOnFittedLines). */
const CORNER_LINE_SHIFT = 1;
/** Smaller moves are not worth two refits, px: most corners would move by less (bench corpus: 763 of 1400). */
const CORNER_LINE_MIN_MOVE = 0.1;
/** Points left out at each end of a side when fitting its line: the region round a corner belongs to both sides. */
const SIDE_END_POINTS = 2;

/** A line as a point on it and a unit direction. */
type SideLine = [x: number, y: number, dx: number, dy: number];

/**
 * Total-least-squares line through the raw points of unwrapped indices [from, to], leaving out
 * SIDE_END_POINTS at each end: the centroid and the principal axis of the scatter matrix. Null
 * under 4 points.
 */
function sideLine(ctx: FitContext, from: number, to: number): SideLine | null {
  const first = from + SIDE_END_POINTS, last = to - SIDE_END_POINTS;
  const count = last - first + 1;
  if (count < 4) return null;
  let sx = 0, sy = 0;
  for (let k = first; k <= last; k++) {
    const q = mod(k, ctx.n);
    sx += ctx.raw[2 * q];
    sy += ctx.raw[2 * q + 1];
  }
  const cx = sx / count, cy = sy / count;
  let sxx = 0, sxy = 0, syy = 0;
  for (let k = first; k <= last; k++) {
    const q = mod(k, ctx.n);
    const dx = ctx.raw[2 * q] - cx, dy = ctx.raw[2 * q + 1] - cy;
    sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
  }
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  return [cx, cy, Math.cos(angle), Math.sin(angle)];
}

/** A key per interval, from its knots' contour indices (each index holds at most one knot). */
function pairKey(a: number, b: number, n: number): string {
  return `${mod(a, n)}:${mod(b, n)}`;
}

function translatePiece(p: FittedPiece, dx: number, dy: number): void {
  const points = p.kind === 'line' ? [p.p0, p.p1] : [p.p0, p.v, p.j, p.w, p.p1];
  for (const q of points) {
    q.x += dx;
    q.y += dy;
  }
}

function mod(i: number, n: number): number {
  return ((i % n) + n) % n;
}

function worstUnwrapped(a: number, b: number, worstIndex: number, n: number): number {
  let w = worstIndex;
  while (w <= a) w += n;
  while (w >= b) w -= n;
  // Guard: the worst point of an interval is strictly inside it; fall back to the middle.
  return w > a && w < b ? w : Math.floor((a + b) / 2);
}

function contourReport(ctx: FitContext, knots: Knot[], pieces: FittedPiece[]): ContourReport {
  let maxDeviation = 0;
  let sumSq = 0;
  let counted = 0;
  let failed = 0;
  for (const p of pieces) {
    const r = p.report;
    if (r.maxDeviation > maxDeviation) maxDeviation = r.maxDeviation;
    // Each piece's points minus its end knot (shared with the next piece, deviation 0 there).
    sumSq += r.rms * r.rms * r.pointCount;
    counted += r.pointCount - 1;
    if (!r.withinTolerance) failed++;
  }
  return {
    points: ctx.n,
    corners: knots.filter((k) => k.kind === 'corner').length,
    intermediatePoints: knots.filter((k) => k.kind === 'intermediate').length,
    intervals: pieces.length,
    maxDeviation,
    rms: counted > 0 ? Math.sqrt(sumSq / counted) : 0,
    failedIntervals: failed,
  };
}

// ---------------------------------------------------------------------------------------------
// Knots and tangents.

function initialKnots(ctx: FitContext, corners: readonly Corner[]): WorkKnot[] {
  const { n, raw } = ctx;
  const idx = [...new Set(corners.map((c) => c.index))].filter((i) => Number.isInteger(i) && i >= 0 && i < n).sort((a, b) => a - b);
  if (idx.length === 0) {
    // No corner (an "O"): seed two knots, the lowest (x, y) point and the point farthest from it.
    let first = 0;
    for (let i = 1; i < n; i++) {
      if (raw[2 * i] < raw[2 * first] || (raw[2 * i] === raw[2 * first] && raw[2 * i + 1] < raw[2 * first + 1])) first = i;
    }
    const second = farthestFrom(raw, first, first + 1, first + n);
    const pair = [first, second % n].sort((a, b) => a - b);
    if (pair[0] === pair[1]) return [makeKnot(ctx, pair[0], 'seed', pair[0] - n, pair[0] + n)];
    return [makeKnot(ctx, pair[0], 'seed', pair[1] - n, pair[1]), makeKnot(ctx, pair[1], 'seed', pair[0], pair[0] + n)];
  }
  const knots: WorkKnot[] = [];
  for (let k = 0; k < idx.length; k++) {
    const prev = k > 0 ? idx[k - 1] : idx[idx.length - 1] - n;
    const next = k + 1 < idx.length ? idx[k + 1] : idx[0] + n;
    knots.push(makeKnot(ctx, idx[k], 'corner', prev, next));
  }
  if (knots.length === 1) {
    // One corner: a single interval from the corner back to itself has no chord; seed the farthest point.
    const c = idx[0];
    const far = farthestFrom(raw, c, c + 1, c + n);
    if (far > c && far < c + n) {
      const seed = makeKnot(ctx, far, 'seed', c, c + n);
      knots.push(seed);
    }
  }
  return knots;
}

/** Unwrapped index in (from, to) of the point farthest from point `i` (Euclidean), first on ties. */
function farthestFrom(raw: Float64Array, i: number, from: number, to: number): number {
  const n = raw.length / 2;
  let best = from;
  let bestD = -1;
  for (let k = from; k < to; k++) {
    const q = k % n;
    const d = (raw[2 * q] - raw[2 * i]) ** 2 + (raw[2 * q + 1] - raw[2 * i + 1]) ** 2;
    // Ties (within float noise, so that a translated image picks the same point) go to the first.
    if (d > bestD + 1e-7 * (1 + bestD)) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/**
 * A knot at unwrapped index `at`, with tangents estimated from points within (prev, next): shared
 * two-sided for seeds and intermediate points, one-sided per side for corners.
 */
function makeKnot(ctx: FitContext, at: number, kind: KnotKind, prev: number, next: number): WorkKnot {
  const { n } = ctx;
  const atN = ((at % n) + n) % n;
  const reach = ctx.o.tangentReach;
  if (kind === 'corner') {
    const out = oneSidedTangent(ctx, atN, 1, reach, Math.max(1, Math.floor((next - at) / 2)));
    const back = oneSidedTangent(ctx, atN, -1, reach, Math.max(1, Math.floor((at - prev) / 2)));
    const [x, y] = cornerPosition(ctx, atN, back, out);
    const px = ctx.raw[2 * atN], py = ctx.raw[2 * atN + 1];
    const dataSide = armOffset(px, py, x, y, back) <= armOffset(px, py, x, y, out) ? 'in' : 'out';
    return { at: atN, kind, x, y, inX: -back[0], inY: -back[1], outX: out[0], outY: out[1], dataSide };
  }
  const [tx, ty] = parabolaTangent(ctx, atN, reach, Math.max(1, next - at - 1), Math.max(1, at - prev - 1));
  // On the smoothed contour, but never more than half the tolerance from its own data point:
  // where smoothing moves a point further (tight bends), a knot there could never be within tolerance.
  const rx = ctx.raw[2 * atN], ry = ctx.raw[2 * atN + 1];
  const dx = ctx.smooth[2 * atN] - rx, dy = ctx.smooth[2 * atN + 1] - ry;
  const shift = Math.hypot(dx, dy);
  const keep = shift > ctx.o.tolerance / 2 ? ctx.o.tolerance / 2 / shift : 1;
  return { at, kind, x: rx + keep * dx, y: ry + keep * dy, inX: tx, inY: ty, outX: tx, outY: ty };
}

/** Index steps from `i` in direction `dir` until the smoothed arc length reaches `dist` or `maxSteps` is hit. */
function stepsFor(pts: Float64Array, i: number, dir: 1 | -1, dist: number, maxSteps: number): number {
  const n = pts.length / 2;
  let s = 0;
  let prev = i;
  for (let k = 1; k <= maxSteps; k++) {
    const j = (((i + dir * k) % n) + n) % n;
    s += Math.hypot(pts[2 * j] - pts[2 * prev], pts[2 * j + 1] - pts[2 * prev + 1]);
    prev = j;
    if (s >= dist - 1e-9) return k; // tolerant: unit steps sum to exactly `dist` on pixel data
  }
  return maxSteps;
}

/**
 * One-sided tangent at corner i towards `dir` (±1), a unit vector pointing away from i along the
 * contour: the slope at the corner of a least-squares parabola y = c + a·x + b·x² (local frame,
 * x along the arm) through the raw points between reach and 4·reach of arc length from the corner.
 * Why not the three-point end derivative D = Δ₁ + h₁(Δ₁ − Δ₂)/(h₁ + h₂) on points at 0, δ, 2δ:
 * the points right at a corner are the least reliable (coverage sums there span both edges), and
 * that formula doubles their error: measured tilts of up to 30° on the straight edges of the npm
 * logo at 600 px, against < 1° with this fit.
 */
function oneSidedTangent(ctx: FitContext, i: number, dir: 1 | -1, reach: number, maxSteps: number): Arm {
  const { n, raw } = ctx;
  // Skip the first `reach` px: a detected corner may sit 1–2 px off the true one (tested tolerance 2 px).
  const near = reach;
  const far = 4 * reach;
  // Collect the arm: steps 1..maxSteps while the arc length stays within `far`.
  let s = 0;
  let prev = i;
  let count = 0;
  let ex = 0, ey = 0; // direction estimate: sum of offsets
  const first = 1;
  let last = 0;
  for (let k = first; k <= maxSteps; k++) {
    const j = (((i + dir * k) % n) + n) % n;
    s += Math.hypot(raw[2 * j] - raw[2 * prev], raw[2 * j + 1] - raw[2 * prev + 1]);
    prev = j;
    if (s > far) break;
    last = k;
    if (s < near) continue;
    ex += raw[2 * j] - raw[2 * i];
    ey += raw[2 * j + 1] - raw[2 * i + 1];
    count++;
  }
  const px = raw[2 * i], py = raw[2 * i + 1];
  if (count < 4) {
    const j = (((i + dir * Math.max(1, last)) % n) + n) % n;
    return [...unit(raw[2 * j] - px, raw[2 * j + 1] - py, raw, i, dir), px, py, false];
  }
  const el = Math.hypot(ex, ey);
  if (el < 1e-12) return [...unit(0, 0, raw, i, dir), px, py, false];
  const cx = ex / el, cy = ey / el; // local x axis
  // Least-squares parabola y = c + a x + b x² over the arm points, in the local frame.
  const sums = new ParabolaSums();
  s = 0;
  prev = i;
  for (let k = first; k <= last; k++) {
    const j = (((i + dir * k) % n) + n) % n;
    s += Math.hypot(raw[2 * j] - raw[2 * prev], raw[2 * j + 1] - raw[2 * prev + 1]);
    prev = j;
    if (s < near) continue;
    const dx = raw[2 * j] - raw[2 * i], dy = raw[2 * j + 1] - raw[2 * i + 1];
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
type Arm = [tx: number, ty: number, qx: number, qy: number, fitted: boolean];

/**
 * Where a corner knot goes: where the two fitted arms, extended as their tangent lines, meet.
 * The data round every corner — coverage sums cut an anti-aliased corner, and a bilevel corner
 * sits on the pixel grid — while the arms away from it are well determined (IPAN99 gives only
 * the index). The shift is bounded by half the tolerance, so the corner's own data stay within
 * tolerance of the curve (on anti-aliased data by 1.5 tolerances while the knot stays within
 * tolerance of the data; in conic mode cornersOnFittedLines may later move a corner next to a
 * line piece up to a tolerance, checking both pieces); nearly straight corners (arms within 20°
 * of a line), where the intersection is ill-conditioned (as it is for a cusp, arms within 20° of
 * each other), and arms too short to fit stay at the data point.
 */
function cornerPosition(ctx: FitContext, i: number, back: Arm, out: Arm): [number, number] {
  const px = ctx.raw[2 * i], py = ctx.raw[2 * i + 1];
  if (!back[4] || !out[4]) return [px, py];
  // Lines q_b + s·t_b and q_o + r·t_o; both tangents point away from the corner.
  const [bx, by, qbx, qby] = back;
  const [ox, oy, qox, qoy] = out;
  const cross = bx * oy - by * ox;
  if (Math.abs(cross) < Math.sin((CORNER_MIN_TURN * Math.PI) / 180)) return [px, py];
  const s = ((qox - qbx) * oy - (qoy - qby) * ox) / cross;
  const x = qbx + s * bx, y = qby + s * by;
  const shift = Math.hypot(x - px, y - py);
  const limit = ctx.o.tolerance * CORNER_MAX_SHIFT;
  if (!Number.isFinite(shift)) return [px, py];
  if (shift <= limit) return [x, y];
  // Anti-aliased data pin the arms well enough to go further, while both pieces can stay within
  // tolerance of their data: the knot near the data (no spike where an arm was extrapolated past
  // a short or curved neighbour), and the corner's data point near one arm (the piece it is
  // checked in, see WorkKnot.dataSide).
  if (ctx.subpixel && shift <= ctx.o.tolerance * CORNER_MAX_SHIFT_SUBPIXEL) {
    const near = ctx.o.tolerance * CORNER_MARGIN;
    if (
      Math.min(armOffset(px, py, x, y, back), armOffset(px, py, x, y, out)) <= near &&
      Math.min(distanceToData(ctx, i, x, y, -CORNER_DATA_WINDOW), distanceToData(ctx, i, x, y, CORNER_DATA_WINDOW)) <= near
    ) {
      return [x, y];
    }
  }
  return [px + ((x - px) * limit) / shift, py + ((y - py) * limit) / shift];
}

/** Distance from (px, py) to an arm's line through the knot (x, y). */
function armOffset(px: number, py: number, x: number, y: number, arm: Arm): number {
  return Math.abs((px - x) * arm[1] - (py - y) * arm[0]);
}

/** Distance from (x, y) to the data polyline from point i to point i + k (k < 0: behind i). */
function distanceToData(ctx: FitContext, i: number, x: number, y: number, k: number): number {
  const { n, raw } = ctx;
  let best = Infinity;
  for (let s = Math.min(0, k); s < Math.max(0, k); s++) {
    const a = (((i + s) % n) + n) % n, b = (a + 1) % n;
    best = Math.min(best, pointSegmentDistance2(x, y, raw[2 * a], raw[2 * a + 1], raw[2 * b], raw[2 * b + 1]));
  }
  return Math.sqrt(best);
}

/** Corners whose arms turn by less than this (degrees) keep their data point (see cornerPosition). */
const CORNER_MIN_TURN = 20;
/** Largest move of a corner knot from its data point, as a fraction of the tolerance. */
const CORNER_MAX_SHIFT = 0.5;
/**
 * The same for anti-aliased data while both pieces can stay within tolerance (see cornerPosition).
 * Bench corpus, conic/Potrace (tmp/exp.ts): mean distance AA glyphs 0.47 → 0.45, AA logos
 * 0.53 → 0.43; path bytes 0.91 → 0.89 and 0.84 → 0.79; Hausdorff unchanged (0.71, 0.76). A first
 * form of the rule raised the bilevel Hausdorff ratio (glyphs 0.83 → 0.85–0.87, logos 0.89 →
 * 0.94): a staircase pins the short arms less well, so here bilevel corners keep the
 * half-tolerance bound (cornersOnFittedLines, which fits whole sides, may move them further).
 */
const CORNER_MAX_SHIFT_SUBPIXEL = 1.5;
/** Points either side of a corner that `distanceToData` measures against. */
const CORNER_DATA_WINDOW = 8;
/** The checks of that rule use this fraction of the tolerance, leaving room for the pieces' own bending. */
const CORNER_MARGIN = 0.9;

/** Arithmetic-mean tangent D = (h₊Δ₋ + h₋Δ₊)/(h₋ + h₊) at point i on smoothed points δ either side. */
function twoSidedTangent(ctx: FitContext, i: number, reach: number, maxAhead: number, maxBehind: number): [number, number] {
  const { n, smooth, raw } = ctx;
  const ka = stepsFor(smooth, i, 1, reach, maxAhead);
  const kb = stepsFor(smooth, i, -1, reach, maxBehind);
  const ja = (i + ka) % n;
  const jb = (((i - kb) % n) + n) % n;
  const px = smooth[2 * i], py = smooth[2 * i + 1];
  const hp = Math.hypot(smooth[2 * ja] - px, smooth[2 * ja + 1] - py);
  const hm = Math.hypot(px - smooth[2 * jb], py - smooth[2 * jb + 1]);
  if (hp < 1e-9 || hm < 1e-9) return unit(smooth[2 * ja] - smooth[2 * jb], smooth[2 * ja + 1] - smooth[2 * jb + 1], raw, i, 1);
  const dpx = (smooth[2 * ja] - px) / hp, dpy = (smooth[2 * ja + 1] - py) / hp;
  const dmx = (px - smooth[2 * jb]) / hm, dmy = (py - smooth[2 * jb + 1]) / hm;
  return unit((hp * dmx + hm * dpx) / (hm + hp), (hp * dmy + hm * dpy) / (hm + hp), raw, i, 1);
}

/**
 * Tangent at point i for seeds and intermediate knots: the slope at i of the least-squares
 * parabola y = c + a·x + b·x² (local frame, x along the chord of the window) through the raw
 * points within 2·reach of arc length either side (bounded by the neighbouring knots). A
 * parabola through ~2·reach·2 points averages the noise that the two-point estimate
 * (twoSidedTangent, its fallback for windows of under 4 steps) takes at face value. Bench corpus,
 * conic/Potrace with the RMS bound: mean distance AA glyphs 0.30 → 0.29, bilevel glyphs
 * 0.75 → 0.72, bilevel logos 0.79 → 0.77.
 */
function parabolaTangent(ctx: FitContext, i: number, reach: number, maxAhead: number, maxBehind: number): [number, number] {
  const { n, smooth, raw } = ctx;
  const ka = stepsFor(smooth, i, 1, 2 * reach, maxAhead);
  const kb = stepsFor(smooth, i, -1, 2 * reach, maxBehind);
  if (ka + kb < 4) return twoSidedTangent(ctx, i, reach, maxAhead, maxBehind);
  const ja = (i + ka) % n, jb = (((i - kb) % n) + n) % n;
  const [cx, cy] = unit(smooth[2 * ja] - smooth[2 * jb], smooth[2 * ja + 1] - smooth[2 * jb + 1], raw, i, 1);
  const ox = raw[2 * i], oy = raw[2 * i + 1];
  const sums = new ParabolaSums();
  for (let k = -kb; k <= ka; k++) {
    const j = (((i + k) % n) + n) % n;
    const dx = raw[2 * j] - ox, dy = raw[2 * j + 1] - oy;
    sums.add(dx * cx + dy * cy, -dx * cy + dy * cx);
  }
  const fitted = sums.solve();
  if (!fitted) return twoSidedTangent(ctx, i, reach, maxAhead, maxBehind);
  // The tangent at x = 0 (point i) is (1, a) in the local frame.
  const a = fitted[1];
  return unit(cx - a * cy, cy + a * cx, raw, i, 1);
}

/** Normal-equation sums of a least-squares parabola y = c + a·x + b·x² through points (x, y). */
class ParabolaSums {
  s0 = 0; s1 = 0; s2 = 0; s3 = 0; s4 = 0;
  t0 = 0; t1 = 0; t2 = 0;

  add(x: number, y: number): void {
    const x2 = x * x;
    this.s0 += 1; this.s1 += x; this.s2 += x2; this.s3 += x2 * x; this.s4 += x2 * x2;
    this.t0 += y; this.t1 += x * y; this.t2 += x2 * y;
  }

  /** [c, a] by Cramer's rule on the 3 × 3 normal equations; null when they are (near-)singular. */
  solve(): [c: number, a: number] | null {
    const { s0, s1, s2, s3, s4, t0, t1, t2 } = this;
    const det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
    if (!(Math.abs(det) > 1e-9)) return null;
    const a = (s0 * (t1 * s4 - s3 * t2) - t0 * (s1 * s4 - s3 * s2) + s2 * (s1 * t2 - t1 * s2)) / det;
    const c = (t0 * (s2 * s4 - s3 * s3) - s1 * (t1 * s4 - s3 * t2) + s2 * (t1 * s3 - s2 * t2)) / det;
    return [c, a];
  }
}

/** Normalises (x, y); a zero vector falls back to the direction to the next distinct raw point. */
function unit(x: number, y: number, raw: Float64Array, i: number, dir: 1 | -1): [number, number] {
  const l = Math.hypot(x, y);
  if (l > 1e-12 && Number.isFinite(l)) return [x / l, y / l];
  const n = raw.length / 2;
  for (let k = 1; k < n; k++) {
    const j = (((i + dir * k) % n) + n) % n;
    const dx = raw[2 * j] - raw[2 * i], dy = raw[2 * j + 1] - raw[2 * i + 1];
    const m = Math.hypot(dx, dy);
    if (m > 1e-12) return [dx / m, dy / m];
  }
  return [1, 0];
}

// ---------------------------------------------------------------------------------------------
// One interval.

/** Scratch buffers reused across intervals (grown on demand): data points, parameters, flattening. */
let bufX = new Float64Array(256);
let bufY = new Float64Array(256);
let bufT = new Float64Array(256);
let bufB0 = new Float64Array(256);
let bufC1 = new Float64Array(256);
let bufB2 = new Float64Array(256);
let bufFlat = new Float64Array(1024);
/** Scratch of the geometric refinement (transitional: moves into the fit workspace with the rest of this file's buffers). */
const refineScratch = new RefineWorkspace();

function ensureScratch(m: number, flat: number): void {
  if (bufX.length < m) {
    const size = Math.max(m, bufX.length * 2);
    bufX = new Float64Array(size);
    bufY = new Float64Array(size);
    bufT = new Float64Array(size);
    bufB0 = new Float64Array(size);
    bufC1 = new Float64Array(size);
    bufB2 = new Float64Array(size);
  }
  if (bufFlat.length < 2 * flat) bufFlat = new Float64Array(Math.max(2 * flat, bufFlat.length * 2));
}

function fitInterval(ctx: FitContext, a: WorkKnot, b: WorkKnot): FittedPiece {
  const { n, raw } = ctx;
  const m = b.at - a.at + 1;
  ensureScratch(m, 0);
  // Data points and chord-length parameters θⱼ.
  let total = 0;
  for (let k = 0; k < m; k++) {
    const q = mod(a.at + k, n);
    bufX[k] = raw[2 * q];
    bufY[k] = raw[2 * q + 1];
    if (k > 0) total += Math.hypot(bufX[k] - bufX[k - 1], bufY[k] - bufY[k - 1]);
    bufT[k] = total;
  }
  for (let k = 0; k < m; k++) bufT[k] = total > 0 ? bufT[k] / total : k / Math.max(1, m - 1);
  // At a corner end the knot may sit off the data (cornerPosition): its data point is checked in
  // one of the two pieces only, and the curve is measured against the data a point past the end too.
  ends.skipFirst = a.kind === 'corner' && a.dataSide === 'in';
  ends.skipLast = b.kind === 'corner' && b.dataSide === 'out';
  ends.before = a.kind === 'corner' ? mod(a.at - 1, n) : -1;
  ends.after = b.kind === 'corner' ? mod(b.at + 1, n) : -1;
  const from = mod(a.at, n);
  const to = mod(b.at, n);
  const p0x = a.x, p0y = a.y, p1x = b.x, p1y = b.y;
  const h = Math.hypot(p1x - p0x, p1y - p0y);
  if (ctx.mode === 'linear' || h < 1e-9) return fitLine(ctx, from, to, m, p0x, p0y, p1x, p1y);
  // A straight run (a logo's edge, a stem) is a line in conic mode too, when the chord is within
  // tolerance and about as close to the data as the conic (STRAIGHT_RMS): exact, and 2 numbers in SVG.
  const line = fitLine(ctx, from, to, m, p0x, p0y, p1x, p1y);
  if (line.report.maxDeviation > ctx.o.tolerance) return fitConicInterval(ctx, a, b, from, to, m, h);
  // The rule below keeps such a line whatever the conic's RMS (≥ 0): no need to fit it. (Exact
  // pixel edges: on bilevel logos most straight runs.)
  if (line.report.rms <= STRAIGHT_RMS.px) return line;
  const conic = fitConicInterval(ctx, a, b, from, to, m, h);
  return line.report.rms <= conic.report.rms * STRAIGHT_RMS.ratio + STRAIGHT_RMS.px ? line : conic;
}

function fitLine(ctx: FitContext, from: number, to: number, m: number, p0x: number, p0y: number, p1x: number, p1y: number): LinePiece {
  let S = 0;
  for (let k = 0; k < m; k++) {
    const t = bufT[k];
    S += (p0x + t * (p1x - p0x) - bufX[k]) ** 2 + (p0y + t * (p1y - p0y) - bufY[k]) ** 2;
  }
  bufFlat[0] = p0x; bufFlat[1] = p0y; bufFlat[2] = p1x; bufFlat[3] = p1y;
  const report = deviationReport(ctx, from, m, 2, S);
  return { kind: 'line', from, to, p0: { x: p0x, y: p0y }, p1: { x: p1x, y: p1y }, report };
}

function fitConicInterval(ctx: FitContext, a: WorkKnot, b: WorkKnot, from: number, to: number, m: number, h: number): FittedPiece {
  const { o } = ctx;
  const p0x = a.x, p0y = a.y, p1x = b.x, p1y = b.y;
  const d0x = a.outX, d0y = a.outY, d1x = b.inX, d1y = b.inY;

  // S(u, λ₀, λ₁) over the interval's points; state is (ln u[, ln λ₀, ln λ₁]). No allocation.
  // The Bernstein factors depend on θⱼ only, so they are computed once per interval (bufB0/bufC1/
  // bufB2: (1−s)², 2s(1−s), s²); points with θ ≤ ½ (a prefix, θ increases) lie on the first arc.
  let half = 0;
  let stride = 1; // every point while searching (set below); the reported S uses all of them
  for (let q = 0; q < m; q++) {
    const theta = bufT[q];
    if (theta <= 0.5) half = q + 1;
    const s = theta <= 0.5 ? 2 * theta : 2 * theta - 1;
    bufB0[q] = (1 - s) * (1 - s);
    bufC1[q] = 2 * s * (1 - s);
    bufB2[q] = s * s;
  }
  const energy = (state: Float64Array): number => {
    const u = Math.exp(state[0]);
    const l0 = state.length > 1 ? Math.exp(state[1]) : 1;
    const l1 = state.length > 1 ? Math.exp(state[2]) : 1;
    const k = h / (4 * u);
    const vx = p0x + l0 * k * d0x, vy = p0y + l0 * k * d0y;
    const wx = p1x - l1 * k * d1x, wy = p1y - l1 * k * d1y;
    const jx = (vx + wx) / 2, jy = (vy + wy) / 2;
    let S = 0;
    // First arc conic(P₀, V, J, u; s), then conic(J, W, P₁, u; s) (design.md §4).
    for (let q = 0; q < half; q += stride) {
      const b0 = bufB0[q], b1 = u * bufC1[q], b2 = bufB2[q];
      const den = b0 + b1 + b2;
      const rx = (b0 * p0x + b1 * vx + b2 * jx) / den - bufX[q], ry = (b0 * p0y + b1 * vy + b2 * jy) / den - bufY[q];
      S += rx * rx + ry * ry;
    }
    for (let q = half + ((stride - (half % stride)) % stride); q < m; q += stride) {
      const b0 = bufB0[q], b1 = u * bufC1[q], b2 = bufB2[q];
      const den = b0 + b1 + b2;
      const rx = (b0 * jx + b1 * wx + b2 * p1x) / den - bufX[q], ry = (b0 * jy + b1 * wy + b2 * p1y) / den - bufY[q];
      S += rx * rx + ry * ry;
    }
    return S;
  };

  const dims = o.annealTangents ? 3 : 1;
  const lo = new Float64Array(dims), hi = new Float64Array(dims), start = new Float64Array(dims);
  lo[0] = Math.log(FIT_DEFAULTS.uMin);
  hi[0] = Math.log(FIT_DEFAULTS.uMax);
  for (let d = 1; d < dims; d++) {
    lo[d] = Math.log(FIT_DEFAULTS.lambdaMin);
    hi[d] = Math.log(FIT_DEFAULTS.lambdaMax);
  }
  const random = mulberry32(mixSeed(o.seed, o.contourIndex, from, to));
  // Long intervals are searched on every stride-th point (≤ SEARCH_POINTS of them, evenly spread):
  // S changes smoothly with u, and most long intervals get split anyway. On the bench corpus the
  // fitter evaluates 7.4 points per contour point; this halves the energy's point evaluations
  // (68.6 M → 34.9 M) at the same interval count on the samples (6236 → 6237). The reported
  // energies are rescaled to all points.
  stride = Math.max(1, Math.ceil(m / SEARCH_POINTS));
  const result = anneal(energy, start, lo, hi, random, o.schedule);
  if (stride > 1) {
    stride = 1;
    const scale = energy(result.best) / Math.max(result.energyPolish, 1e-300);
    result.energyStart *= scale;
    result.energyAnneal *= scale;
    result.energyPolish *= scale;
  }

  let finalS = result.energyPolish;
  // Geometric refinement of u, λ₀, λ₁ (src/fit/refine.ts), skipped where the annealed fit is far off
  // (RMS at the chord-length parameters over REFINE_SKIP tolerances); see REFINE_SKIP for why.
  let refined = false;
  if (o.refine && finalS <= m * (REFINE_SKIP * o.tolerance) ** 2) {
    const state = Float64Array.of(result.best[0], dims > 1 ? result.best[1] : 0, dims > 1 ? result.best[2] : 0);
    const geometry = { xs: bufX, ys: bufY, m, p0x, p0y, p1x, p1y, d0x, d0y, d1x, d1y, h };
    const ss = refineInterval(geometry, state, REFINE_BOUNDS.lo, REFINE_BOUNDS.hi, refineScratch);
    if (state[0] !== 0) {
      // The same piece with u = 1 and its own tangent lengths: two quadratic Béziers, written
      // exactly as SVG `Q`+`T` (6 numbers, where other pieces need one `C` at best and two `A` at worst).
      const quadratic = Float64Array.of(0, state[1], state[2]);
      const ssQ = refineInterval(geometry, quadratic, QUADRATIC_BOUNDS.lo, QUADRATIC_BOUNDS.hi, refineScratch);
      if (ssQ <= ss * QUADRATIC_SLACK + 1e-12) state.set(quadratic);
    }
    result.best = state;
    finalS = energy(state);
    refined = true;
  }
  // Without refinement: prefer u = 1 (two quadratic Béziers, written exactly as SVG `Q`) when it
  // fits within 1 % of the optimum's S: measured on the 48 samples, path data 18 % shorter at the
  // same intervals.
  if (!refined && result.best[0] !== 0) {
    const chosen = result.best[0];
    result.best[0] = 0;
    const atOne = energy(result.best);
    if (atOne <= result.energyPolish * (1 + U_ONE_SLACK) + 1e-12) finalS = atOne;
    else result.best[0] = chosen;
  }
  const u = Math.exp(result.best[0]);
  const l0 = result.best.length > 1 ? Math.exp(result.best[1]) : 1;
  const l1 = result.best.length > 1 ? Math.exp(result.best[2]) : 1;
  const k = h / (4 * u);
  const v = { x: p0x + l0 * k * d0x, y: p0y + l0 * k * d0y };
  const w = { x: p1x - l1 * k * d1x, y: p1y - l1 * k * d1y };
  const j = { x: (v.x + w.x) / 2, y: (v.y + w.y) / 2 };
  if (![v.x, v.y, w.x, w.y, u].every(Number.isFinite)) {
    // Partial success is a status: a degenerate conic falls back to a line (reported as such).
    return fitLine(ctx, from, to, m, p0x, p0y, p1x, p1y);
  }
  const segments = flattenConic(p0x, p0y, v.x, v.y, j.x, j.y, w.x, w.y, p1x, p1y, u);
  const report = deviationReport(ctx, from, m, segments + 1, finalS);
  report.annealIterations = result.iterations;
  report.energyStart = result.energyStart;
  report.energyAnneal = result.energyAnneal;
  report.energyPolish = result.energyPolish;
  const piece: ConicPiece = {
    kind: 'conic', from, to,
    p0: { x: p0x, y: p0y }, v, j, w, p1: { x: p1x, y: p1y }, u,
    d0: { x: d0x, y: d0y }, d1: { x: d1x, y: d1y },
    report,
  };
  return piece;
}

/**
 * Refinement is skipped when the annealed RMS (at chord-length parameters) exceeds this many
 * tolerances. Many such intervals would fit after refinement (always refining: 1273 instead of
 * 1576 conic intervals on the samples), but as longer pieces that use their whole tolerance: on the
 * bench corpus the median mean distance of AA glyphs rose 0.124 → 0.181 px, at 1.5× the fit time;
 * and at equal interval counts (tolerance 0.75 with the skip, 0.6 without) the skip was closer
 * (0.119 vs 0.137 px). The skip is the better balance, not a proof of hopelessness.
 */
const REFINE_SKIP = 2;

/**
 * A refined piece becomes quadratic (u = 1) when that at most doubles its sum of squared
 * distances. The tolerance still holds (checked after), and a piece needing u ≠ 1 keeps it.
 * Measured on the 48 samples (path bytes / conic intervals): never 129,407 / 1576; ≤ 1.05×
 * 96,136 / 1538; ≤ 2× 76,151 / 1573; ≤ 4× 70,897 / 1587; always 67,415 / 1624. On the bench
 * corpus ≤ 2× left the median mean distance unchanged (AA glyphs 0.124 → 0.118 px).
 */
const QUADRATIC_SLACK = 2;

/** Bounds of the refined state (ln u, ln λ₀, ln λ₁), from FIT_DEFAULTS; the quadratic variant holds u = 1 (ln u = 0). */
const REFINE_BOUNDS = {
  lo: Float64Array.of(Math.log(FIT_DEFAULTS.uMin), Math.log(FIT_DEFAULTS.lambdaMin), Math.log(FIT_DEFAULTS.lambdaMin)),
  hi: Float64Array.of(Math.log(FIT_DEFAULTS.uMax), Math.log(FIT_DEFAULTS.lambdaMax), Math.log(FIT_DEFAULTS.lambdaMax)),
} as const;
const QUADRATIC_BOUNDS = {
  lo: Float64Array.of(0, REFINE_BOUNDS.lo[1], REFINE_BOUNDS.lo[2]),
  hi: Float64Array.of(0, REFINE_BOUNDS.hi[1], REFINE_BOUNDS.hi[2]),
} as const;

/** Points the annealing evaluates S on, at most (see fitConicInterval). */
const SEARCH_POINTS = 96;

/**
 * A line replaces a conic piece when its RMS distance ≤ ratio × the conic's + px (fitInterval).
 * Measured on the bench corpus (tmp/exp.ts): path bytes ratio to Potrace 1.01/1.04/0.94/1.02 →
 * 0.74/0.94/0.72/0.85 (glyph/logo × bilevel/AA) with the median mean distance within ±0.01 px;
 * a ratio of 1.25 saved more bytes but cost 0.01–0.02 px of mean distance.
 */
const STRAIGHT_RMS = { ratio: 1.1, px: 0.02 } as const;

/** Relative increase of S accepted to use u = 1 exactly (see fitConicInterval). */
const U_ONE_SLACK = 0.01;

/** Flattens both arcs into bufFlat (segments ≤ 0.5 px along the control polygon); returns the segment count. */
function flattenConic(p0x: number, p0y: number, vx: number, vy: number, jx: number, jy: number, wx: number, wy: number, p1x: number, p1y: number, u: number): number {
  const len1 = Math.hypot(vx - p0x, vy - p0y) + Math.hypot(jx - vx, jy - vy);
  const len2 = Math.hypot(wx - jx, wy - jy) + Math.hypot(p1x - wx, p1y - wy);
  const k1 = Math.min(4096, Math.max(8, Math.ceil(len1 * 2)));
  const k2 = Math.min(4096, Math.max(8, Math.ceil(len2 * 2)));
  ensureScratch(0, k1 + k2 + 1);
  let q = 0;
  const put = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number, steps: number, first: boolean) => {
    for (let i = first ? 0 : 1; i <= steps; i++) {
      const s = i / steps;
      const b0 = (1 - s) * (1 - s), b1 = 2 * u * s * (1 - s), b2 = s * s;
      const den = b0 + b1 + b2;
      bufFlat[q++] = (b0 * ax + b1 * bx + b2 * cx) / den;
      bufFlat[q++] = (b0 * ay + b1 * by + b2 * cy) / den;
    }
  };
  put(p0x, p0y, vx, vy, jx, jy, k1, true);
  put(jx, jy, wx, wy, p1x, p1y, k2, false);
  return k1 + k2;
}

/**
 * Segments searched behind and ahead of the previous point's foot before falling back to a full
 * scan. Feet advance along the curve with the points (data ~1 px apart, curve segments ≤ 0.5 px),
 * so the window leans forward. A window that misses the nearest segment can only overstate a
 * distance, and any distance over the tolerance is re-checked by a full scan.
 */
const SEARCH_BEHIND = 4;
const SEARCH_AHEAD = 8;
/**
 * Full scans allowed per interval. A local answer is never below the true distance, so past this
 * bound an interval far over tolerance can only look worse (and be split), never better. Without
 * it a 40,000-point interval far off its data cost O(m²) per fit: 10 s (found by fuzzing). 16
 * rather than 64: full scans were the largest single cost on the bench corpus (long first
 * intervals are far off and about to be split), and the samples' conic intervals moved 2035 → 2038.
 */
const MAX_FULL_SCANS = 16;

/** Index of the segment `nearestSegment` found (a module slot, so the hot loop allocates nothing). */
let nearestIndex = 0;

/**
 * Smallest squared distance from (px, py) to segments [from, to) of a polyline whose vertex i is
 * (xs[i·stride], ys[i·stride + yOffset]) — the interleaved curve (bufFlat, stride 2, y offset 1)
 * or the split data points (bufX/bufY, stride 1) — starting from `best` (and the index already
 * in `nearestIndex`); only a strictly closer segment replaces it. Serves both directions of the
 * deviation measure. Arrays rather than a distance callback: a callback made this call site
 * polymorphic and the 1,691-point bench twice as slow.
 */
function nearestSegment(px: number, py: number, from: number, to: number, xs: Float64Array, ys: Float64Array, stride: number, yOffset: number, best: number): number {
  for (let s = from; s < to; s++) {
    const i = s * stride, j = i + stride;
    const d2 = pointSegmentDistance2(px, py, xs[i], ys[i + yOffset], xs[j], ys[j + yOffset]);
    if (d2 < best) {
      best = d2;
      nearestIndex = s;
    }
  }
  return best;
}

/** Segments per bounding box in deviationReport's full scans. */
const SCAN_BLOCK = 16;
/** Bounding boxes (min x, min y, max x, max y) of blocks of SCAN_BLOCK segments; see blockBoxes. */
let bufBoxes = new Float64Array(4 * 256);

/** Bounding boxes of the blocks of segments [0, segments) of a polyline laid out as in nearestSegment, into bufBoxes from block `first` on. */
function blockBoxes(first: number, segments: number, xs: Float64Array, ys: Float64Array, stride: number, yOffset: number): void {
  const blocks = Math.ceil(segments / SCAN_BLOCK);
  if (bufBoxes.length < 4 * (first + blocks)) {
    const grown = new Float64Array(Math.max(4 * (first + blocks), 2 * bufBoxes.length));
    grown.set(bufBoxes);
    bufBoxes = grown;
  }
  for (let b = 0; b < blocks; b++) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let v = b * SCAN_BLOCK; v <= Math.min(segments, (b + 1) * SCAN_BLOCK); v++) {
      const x = xs[v * stride], y = ys[v * stride + yOffset];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const o = 4 * (first + b);
    bufBoxes[o] = minX; bufBoxes[o + 1] = minY; bufBoxes[o + 2] = maxX; bufBoxes[o + 3] = maxY;
  }
}

/**
 * Margin for skipping a block by its box: with every coordinate below M in magnitude, rounding
 * moves pointSegmentDistance2's distance and the box test by well under 64·2⁻⁵³·M, far below
 * 2⁻⁴⁰·(1 + M). M over all data points and curve vertices (the query points of both directions).
 */
function scanSlack(m: number, count: number): number {
  let big = 0;
  for (let k = 0; k < m; k++) big = Math.max(big, Math.abs(bufX[k]), Math.abs(bufY[k]));
  for (let i = 0; i < 2 * count; i++) big = Math.max(big, Math.abs(bufFlat[i]));
  return 2 ** -40 * (1 + big);
}

/**
 * nearestSegment over all `segments` (boxes from block `first` of bufBoxes), skipping each block
 * whose box lies farther than √best + slack: none of its segments could come out strictly closer,
 * so the result and nearestIndex are those of the plain scan. A NaN anywhere skips nothing.
 */
function nearestSegmentBoxed(px: number, py: number, segments: number, xs: Float64Array, ys: Float64Array, stride: number, yOffset: number, best: number, first: number, slack: number): number {
  let bound = (Math.sqrt(best) + slack) ** 2;
  for (let b = first, s = 0; s < segments; b++, s += SCAN_BLOCK) {
    const gx = Math.max(bufBoxes[4 * b] - px, px - bufBoxes[4 * b + 2], 0);
    const gy = Math.max(bufBoxes[4 * b + 1] - py, py - bufBoxes[4 * b + 3], 0);
    if (gx * gx + gy * gy >= bound) continue;
    const before = best;
    best = nearestSegment(px, py, s, Math.min(segments, s + SCAN_BLOCK), xs, ys, stride, yOffset, best);
    if (best !== before) bound = (Math.sqrt(best) + slack) ** 2;
  }
  return best;
}

/** The interval's ends as deviationReport treats them (set by fitInterval; see WorkKnot.dataSide). */
const ends = {
  /** Leave out the first / last data point (a corner's, checked in the neighbouring piece). */
  skipFirst: false,
  skipLast: false,
  /** Contour index of the data point before the first / after the last, or −1: the curve→data check also measures against those segments. */
  before: -1,
  after: -1,
};

/** Orthogonal distance of every data point (bufX/bufY, m) to the polyline in bufFlat (count vertices). */
function deviationReport(ctx: FitContext, from: number, m: number, count: number, S: number): PieceReport {
  let maxD = 0;
  let worst = 0;
  let sumSq = 0;
  const segments = count - 1;
  const tol2 = ctx.o.tolerance * ctx.o.tolerance;
  let near = 0; // segment nearest to the previous point: consecutive points have nearby feet
  let fullScans = 0;
  // Full scans skip blocks of segments by their bounding boxes, set up at a report's first full scan.
  let slack = -1;
  let curveBoxes = false, dataBoxes = false;
  const curveBlocks = Math.ceil(segments / SCAN_BLOCK);
  let measured = 0;
  for (let k = 0; k < m; k++) {
    if ((k === 0 && ends.skipFirst) || (k === m - 1 && ends.skipLast)) continue;
    measured++;
    const px = bufX[k], py = bufY[k];
    // Local search around the previous foot; a full scan whenever the local answer exceeds the
    // tolerance, so every over-tolerance distance (the ones that drive decisions) is exact.
    nearestIndex = near;
    let best = nearestSegment(px, py, Math.max(0, near - SEARCH_BEHIND), Math.min(segments, near + SEARCH_AHEAD + 1), bufFlat, bufFlat, 2, 1, Infinity);
    if (best > tol2 * 0.99 && fullScans++ < MAX_FULL_SCANS) {
      if (slack < 0) slack = scanSlack(m, count);
      if (!curveBoxes) {
        blockBoxes(0, segments, bufFlat, bufFlat, 2, 1);
        curveBoxes = true;
      }
      best = nearestSegmentBoxed(px, py, segments, bufFlat, bufFlat, 2, 1, best, 0, slack);
    }
    near = nearestIndex;
    sumSq += best;
    // The first of (near-)equal worst points wins, whatever the rounding.
    if (best > maxD + 1e-12) {
      maxD = best;
      worst = k;
    }
  }
  // The other direction: how far the curve strays from the data (polyline through the points).
  // A piece can overshoot between or beyond its points (e.g. a tangent estimated backwards at a
  // serif) while every point lies close to it; measured one way only, that went unreported.
  let nearData = 0;
  // Curve vertices may be sparser than the data (a line piece has two): widen the window to match.
  const aheadData = Math.max(SEARCH_AHEAD, 2 * Math.ceil((m - 1) / Math.max(1, segments)));
  for (let s = 0; s < count && m > 1; s++) {
    const qx = bufFlat[2 * s], qy = bufFlat[2 * s + 1];
    nearestIndex = nearData;
    let best = nearestSegment(qx, qy, Math.max(0, nearData - SEARCH_BEHIND), Math.min(m - 1, nearData + aheadData + 1), bufX, bufY, 1, 0, Infinity);
    if (best > tol2 * 0.99 && fullScans++ < MAX_FULL_SCANS) {
      if (slack < 0) slack = scanSlack(m, count);
      if (!dataBoxes) {
        blockBoxes(curveBlocks, m - 1, bufX, bufY, 1, 0);
        dataBoxes = true;
      }
      best = nearestSegmentBoxed(qx, qy, m - 1, bufX, bufY, 1, 0, best, curveBlocks, slack);
    }
    const bestSeg = nearestIndex;
    nearData = bestSeg;
    const { raw } = ctx;
    if (ends.before >= 0) best = Math.min(best, pointSegmentDistance2(qx, qy, raw[2 * ends.before], raw[2 * ends.before + 1], bufX[0], bufY[0]));
    if (ends.after >= 0) best = Math.min(best, pointSegmentDistance2(qx, qy, bufX[m - 1], bufY[m - 1], raw[2 * ends.after], raw[2 * ends.after + 1]));
    if (best > maxD + 1e-12) {
      maxD = best;
      // Split at the data point nearer to that stray part of the curve (interior points only).
      const k = bestSeg + ((qx - bufX[bestSeg]) ** 2 + (qy - bufY[bestSeg]) ** 2 > (qx - bufX[bestSeg + 1]) ** 2 + (qy - bufY[bestSeg + 1]) ** 2 ? 1 : 0);
      worst = Math.min(m - 2, Math.max(1, k));
    }
  }
  const maxDeviation = Math.sqrt(maxD);
  return {
    pointCount: m,
    S,
    rms: Math.sqrt(sumSq / Math.max(1, measured)),
    maxDeviation,
    worstIndex: (from + worst) % ctx.n,
    withinTolerance: maxDeviation <= ctx.o.tolerance,
  };
}
