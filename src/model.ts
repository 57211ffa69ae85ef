/**
 * The fitted model and its report (docs/design.md §4.1, §7.3). Filled by `fitLinear` / `fitConic`
 * (src/fit/) and `traceImage` (src/trace.ts); read by `toSvg`, `toJson` and the raster compare.
 * Everything here is plain data (numbers, strings, arrays, `{x, y}`), so it serialises as is.
 *
 * Coordinates: image pixels, x right, y down (docs/design.md §2.1).
 */
import type { ImageLevels } from './load/levels.js';
import type { Point } from './types.js';

export type KnotKind = 'corner' | 'intermediate' | 'seed';
export type FitMode = 'linear' | 'conic';

/** A knot: a contour point the spline passes through exactly. */
export interface Knot {
  /** Index into the contour's points. */
  index: number;
  x: number;
  y: number;
  /** 'corner' from the detector (G⁰ there); 'intermediate' inserted for tolerance (C¹ for conics); 'seed' chosen by the fitter on a contour with no corner (C¹). */
  kind: KnotKind;
}

/** Per-interval report (docs/design.md §7.3). Deviations are geometric (orthogonal) distances in px. */
export interface PieceReport {
  /** Data points of the interval, both knots included. */
  pointCount: number;
  /** Σ |R(θⱼ) − Cⱼ|² over the interval's points at chord-length parameters (the paper's objective), px². */
  S: number;
  /** Root mean square of the orthogonal distances of the points to the fitted piece, px. */
  rms: number;
  /**
   * Largest distance between the piece and its data, px, measured both ways (symmetric
   * Hausdorff): each point to the curve, and each part of the curve to the polyline through the
   * points — so a piece that overshoots between or beyond its points is caught too. At a corner
   * knot, which may sit off the data where its arms meet, the corner's data point counts in the
   * one of its two pieces whose arm it lies nearer, and the polyline runs on to the neighbouring
   * piece's first point; so every data point is within the largest `maxDeviation` of the spline.
   */
  maxDeviation: number;
  /** Contour point index where `maxDeviation` occurs (for a curve overshoot: the data point nearest to it). */
  worstIndex: number;
  /** False when the interval could not be brought within tolerance (loop bound reached); never silently accepted. */
  withinTolerance: boolean;
  /** Conic only: simulated-annealing steps taken. */
  annealIterations?: number;
  /**
   * Conic only: S at the annealing start (u = 1), after annealing, and after the golden-section
   * polish. The piece's `S` can be up to 1 % above `energyPolish` when u was snapped to 1 (exact
   * quadratic Béziers, shorter SVG); it never exceeds `energyStart`.
   */
  energyStart?: number;
  energyAnneal?: number;
  energyPolish?: number;
}

export interface LinePiece {
  kind: 'line';
  /** Contour point indices of the start and end knots (walking forward, cyclic). */
  from: number;
  to: number;
  p0: Point;
  p1: Point;
  report: PieceReport;
}

/**
 * One conic interval (docs/design.md §4.1): two rational quadratic arcs with weights (1, u, 1),
 * conic(P₀, V, J, u) then conic(J, W, P₁, u), C¹ at J. V = P₀ + h·D₀/(4u),
 * W = P₁ − h·D₁/(4u), J = (V + W)/2, h = |P₁ − P₀|, D₀ and D₁ unit tangents.
 * u = 1: two quadratic Béziers; 0 < u < 1: elliptic arcs; u > 1: hyperbolic arcs.
 */
export interface ConicPiece {
  kind: 'conic';
  from: number;
  to: number;
  p0: Point;
  v: Point;
  j: Point;
  w: Point;
  p1: Point;
  u: number;
  /** Unit tangents at P₀ and P₁ (direction of travel). */
  d0: Point;
  d1: Point;
  report: PieceReport;
}

export type FittedPiece = LinePiece | ConicPiece;

export interface ContourReport {
  points: number;
  corners: number;
  intermediatePoints: number;
  intervals: number;
  /** Largest piece deviation, px. */
  maxDeviation: number;
  /** RMS deviation over the pieces' points, px (a knot shared by two pieces counts in both); ≤ maxDeviation. */
  rms: number;
  /** Intervals flagged as not within tolerance. */
  failedIntervals: number;
}

/** One contour's fit: knots in contour order and the pieces between consecutive knots (closed: the last piece ends at the first knot). */
export interface FittedContour {
  mode: FitMode;
  /** True for a hole; the fitted path runs opposite to outer boundaries, so either fill rule renders holes. */
  hole: boolean;
  /** Index of the enclosing fitted contour, or −1 (same hierarchy as the contours). */
  parent: number;
  knots: Knot[];
  pieces: FittedPiece[];
  report: ContourReport;
}

/** Raster fidelity: the fit re-rendered (scanline, coverage anti-aliasing) and compared with the input bitmap. */
export interface RasterFidelity {
  /** Intersection over union of the ink masks (fit rendered at 50 % coverage vs the input's ink). */
  iou: number;
  /**
   * The same IoU outside the one-pixel band either side of the fit's outline: 1 for a fit that
   * follows the ink within a pixel, however thin its strokes; missing or extra shapes lower it.
   * The warning LOW_FIDELITY and the CLI's exit code 3 read this one (docs/design.md §14.3).
   */
  iouBeyondEdge: number;
  /** Pixels whose ink differs between the rendered fit and the input mask. */
  differingPixels: number;

  /** Mean |coverage(fit) − coverage(input)| over all pixels. */
  meanCoverageError: number;
  /**
   * Ink area of the input, px²: the sum of its coverage above the paper's noise floor, flat tints
   * (a pixel equal to its four neighbours) left out. Coverage
   * keeps area through anti-aliasing and blur, so this is the true ink area even where a thin or
   * faint stroke never reaches 50 % and drops out of the ink mask.
   */
  inkArea: number;
  /** Area of the fit, px² (the sum of its exact coverage): compare with inkArea. */
  fitArea: number;
  /** Pixels at least half covered by the input's ink (its coverage ≥ 0.5, whatever the load threshold). */
  inkPixels: number;
  /** Of those, the ones the fit covers less than half and at least 0.1 less than the input does. */
  missedInkPixels: number;
  /**
   * missedInkPixels / inkPixels (0 with no such pixel): the share of the input's ink the fit leaves
   * out. Over 10 %: INK_MISSED (docs/design.md §7.4) — ink dropped in one place and added in
   * another, which neither the area ratio nor the IoU beyond the edge sees.
   */
  missedInk: number;
}

export interface TraceTotals {
  contours: number;
  points: number;
  corners: number;
  intermediatePoints: number;
  intervals: number;
  maxDeviation: number;
}

export interface TraceReport {
  totals: TraceTotals;
  /** Milliseconds per stage: load, contours, corners, fit, raster, total. Diagnostics only: excluded from deterministic output. */
  timings: Record<string, number>;
  /** Speckles removed by the contour stage's minArea filter. */
  removedContours: number;
  /** Intervals not within tolerance, over all contours. */
  failedIntervals: number;
  /** Sum over conic intervals of S after annealing minus S after polish (≥ 0): what the polish added. */
  polishGain: number;
  /** Raster fidelity, when computed. */
  raster?: RasterFidelity;
  /** The paper and ink levels the coverage was measured between (src/load/levels.ts), when the loader measured them. */
  levels?: ImageLevels;
  /** Sub-pixel points placed by the fallback over all contours (Contour.subpixelFallbacks). */
  subpixelFallbacks: number;
  /** Blur of the input's edges, px: the σ of a Gaussian that would give their measured width (docs/design.md §13.1); 0 for pixel-corner tracing. */
  edgeBlur: number;
  /** What a user should know: empty, low contrast, a fit that misses the ink, … (src/report.ts; empty when all is well). */
  warnings: TraceWarning[];
}

/** One warning of a trace: a stable code and a sentence for people (docs/design.md §7.4). */
export interface TraceWarning {
  code:
    | 'NO_INK'
    | 'LOW_CONTRAST'
    | 'LOW_FIDELITY'
    | 'AREA_MISMATCH'
    | 'INK_MISSED'
    | 'BLURRED'
    | 'TONE_LEVELS'
    | 'NOISY'
    | 'SUBPIXEL_FALLBACKS'
    | 'OVER_TOLERANCE'
    | 'MANY_SPECKS';
  message: string;
}

/** What `traceImage` returns: the source contours, their fits, and the report. */
export interface TraceResult {
  width: number;
  height: number;
  mode: FitMode;
  tolerance: number;
  seed: number;
  /** The rmsTolerance option, when one was given (the default depends on each contour's point kind; see FitOptions). */
  rmsTolerance?: number;
  /** Set when the dropCorners option was (linear mode): some detected corners may carry no knot. */
  dropCorners?: true;
  /** Source contours (docs/design.md §2.3), in the same order as `fits`. */
  contours: import('./types.js').Contour[];
  /** Corner lists, one per contour (indices into that contour's points). */
  corners: import('./types.js').Corner[][];
  fits: FittedContour[];
  report: TraceReport;
}
