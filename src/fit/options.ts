/**
 * Options of the fitting stage: the public FitOptions, the one table of defaults, and their
 * validation.
 *
 * Reads: user FitOptions (any shape: everything is checked) and whether the contour's points are
 * sub-pixel estimates. Produces: ResolvedFitOptions, every field set and in range, or a
 * ConicfitError('BAD_OPTION'). Defaults that depend on the point kind (rmsTolerance, tangentReach)
 * are chosen here: rmsTolerance = max(fraction × tolerance, floor) per kind (docs/design.md §9.1).
 */
import { checkKnownKeys, ConicfitError, describeValue, optionKeys } from '../errors.js';
import { ANNEAL_DEFAULTS } from './anneal.js';

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
  /**
   * Linear mode: a corner may sit on the data point beside its detected one where that gives the
   * polygon fewer vertices, or as many with less squared error (docs/design.md §9.9). False keeps
   * every corner on its detected point (the colour tracer always does: its junctions are shared).
   */
  moveCorners?: boolean;
  /**
   * Linear mode: a detected corner may be dropped where the polygon without it has fewer vertices
   * and no more squared error (docs/design.md §9.9, §18.42) — a polygonal approximation judged by
   * vertices and error alone. Off by default: corners are always knots (the shared design's
   * contract). Needs `moveCorners`.
   */
  dropCorners?: boolean;
  /** Mixed into the seed so each contour of an image gets its own random streams. */
  contourIndex?: number;
  /** Annealing schedule overrides (see ANNEAL_DEFAULTS). */
  anneal?: Partial<typeof ANNEAL_DEFAULTS>;
}

/** Defaults, one comment each. */
export const FIT_DEFAULTS = Object.freeze({
  /** 1 px (docs/design.md §6); a bilevel boundary is only known to ±0.5 px anyway. */
  tolerance: 1,
  /** Seed of the annealing random streams. */
  seed: 1,
  /**
   * Default rmsTolerance as a fraction of the tolerance on sub-pixel points: a piece within tolerance
   * can still lie most of a tolerance off one side of its data (docs/design.md §9.4, figures §18.19).
   */
  rmsFractionSubpixel: 0.18,
  /** The same for pixel-corner (bilevel) points, whose staircase scatters ~0.35 px (docs/design.md §18.19). */
  rmsFractionBilevel: 0.5,
  /** Floor of the default rmsTolerance on sub-pixel points, px: the data's own scatter, which no piece can beat (docs/design.md §18.19). */
  rmsFloorSubpixel: 0.08,
  /** The same for pixel-corner points, px (a straight edge's corners scatter 0.29–0.35 px RMS; docs/design.md §18.19). */
  rmsFloorBilevel: 0.45,
  /** Tangent reach on sub-pixel points, px: past the coverage noise, not around tight curves (docs/design.md §4.4, §18.5). */
  tangentReachSubpixel: 2,
  /** Tangent reach on pixel-corner points, px: spans a staircase step of the usual slopes (docs/design.md §4.4, §18.5). */
  tangentReachBilevel: 3,
  /** Anneal u only: the tangent lengths are left to the refinement. */
  annealTangents: false,
  /** Geometric refinement on by default: about half the RMS distance per piece (docs/design.md §11.1, §18.13). */
  refine: true,
  /** At most one knot per 2 points: beyond that, a piece would hold no point between its knots. */
  maxKnotFraction: 0.5,
  /** Linear mode's corners may move to a neighbouring data point (docs/design.md §9.9, §18.29). */
  moveCorners: true,
  /** Detected corners are always knots (docs/design.md §9.9); true lets linear mode drop one the polygon is better without. */
  dropCorners: false,
  /** Bounds of u: a bounded positive range, searched on a log scale (docs/design.md §4.1). */
  uMin: 0.05,
  /** (upper bound of u, see uMin) */
  uMax: 20,
  /** Bounds of the annealed tangent-length factors λ₀, λ₁. */
  lambdaMin: 0.25,
  /** (upper bound of λ₀, λ₁, see lambdaMin) */
  lambdaMax: 4,
} as const);

/** Fit options with every default applied and every value checked (resolveFitOptions). */
export interface ResolvedFitOptions {
  tolerance: number;
  rmsTolerance: number;
  seed: number;
  tangentReach: number;
  annealTangents: boolean;
  refine: boolean;
  maxKnotFraction: number;
  moveCorners: boolean;
  dropCorners: boolean;
  contourIndex: number;
  schedule: typeof ANNEAL_DEFAULTS;
}

/** Every `FitOptions` key: any other is BAD_OPTION. */
export const FIT_OPTION_KEYS = optionKeys<FitOptions>()([
  'tolerance',
  'rmsTolerance',
  'seed',
  'tangentReach',
  'annealTangents',
  'refine',
  'maxKnotFraction',
  'moveCorners',
  'dropCorners',
  'contourIndex',
  'anneal',
]);

/** Every key of the `anneal` option (ANNEAL_DEFAULTS). */
export const ANNEAL_OPTION_KEYS = optionKeys<typeof ANNEAL_DEFAULTS>()(['iterations', 'initialTemperature', 'cooling', 'initialStep', 'polishIterations']);

/** Checks every fit option and fills in the defaults; `where` names the caller in the unknown-option error. */
export function resolveFitOptions(options: FitOptions, subpixel: boolean, where = 'resolveFitOptions'): ResolvedFitOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConicfitError('BAD_OPTION', `fit options must be an object, got ${describeValue(options)}`);
  }
  checkKnownKeys(options, FIT_OPTION_KEYS, where);
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
  const moveCorners = options.moveCorners ?? FIT_DEFAULTS.moveCorners;
  if (typeof moveCorners !== 'boolean') throw new ConicfitError('BAD_OPTION', `moveCorners must be true or false, got ${describeValue(moveCorners)}`);
  const dropCorners = options.dropCorners ?? FIT_DEFAULTS.dropCorners;
  if (typeof dropCorners !== 'boolean') throw new ConicfitError('BAD_OPTION', `dropCorners must be true or false, got ${describeValue(dropCorners)}`);
  const contourIndex = num('contourIndex', options.contourIndex ?? 0, 0, 2 ** 31, 'a non-negative integer');
  const a = options.anneal ?? {};
  if (a === null || typeof a !== 'object' || Array.isArray(a)) throw new ConicfitError('BAD_OPTION', `anneal must be an object of schedule values`);
  checkKnownKeys(a, ANNEAL_OPTION_KEYS, `${where}: anneal`);
  const schedule = {
    iterations: Math.round(num('anneal.iterations', a.iterations ?? ANNEAL_DEFAULTS.iterations, 0, 1e6, 'a count from 0 to 1000000')),
    initialTemperature: num('anneal.initialTemperature', a.initialTemperature ?? ANNEAL_DEFAULTS.initialTemperature, 1e-9, 1e6, 'a positive number'),
    cooling: num('anneal.cooling', a.cooling ?? ANNEAL_DEFAULTS.cooling, 0.01, 0.9999, 'a factor between 0.01 and 0.9999'),
    initialStep: num('anneal.initialStep', a.initialStep ?? ANNEAL_DEFAULTS.initialStep, 1e-6, 10, 'a positive number up to 10'),
    polishIterations: Math.round(num('anneal.polishIterations', a.polishIterations ?? ANNEAL_DEFAULTS.polishIterations, 0, 200, 'a count from 0 to 200')),
  } as typeof ANNEAL_DEFAULTS;
  return { tolerance, rmsTolerance, seed, tangentReach, annealTangents, refine, maxKnotFraction, moveCorners, dropCorners, contourIndex, schedule };
}
