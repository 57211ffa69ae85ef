/**
 * `traceImage`: the whole pipeline (docs/design.md §1.2), one line per stage —
 * load → contours → corners → fit → raster compare → report and warnings.
 *
 * Browser-safe: it takes decoded pixels. The Node entry's `traceImage` (src/node.ts) runs the
 * same pipeline (`traceWith`) with a loader that also reads files and bytes.
 */
import { checkCornerOptions, detectCorners, type CornerOptions } from './corners.js';
import { CONTOUR_OPTION_KEYS, extractContoursWithStats, resolveContourOptions, type ContourOptions } from './contours/index.js';
import { checkKnownKeys, ConicfitError, describeValue } from './errors.js';
import { fitContourIn, resolveFitOptions, type FitOptions } from './fit/index.js';
import { FitWorkspace } from './fit/workspace.js';
import { FIT_OPTION_KEYS } from './fit/options.js';
import { LOAD_OPTION_KEYS, resolveLoadOptions, type LoadOptions } from './load/options.js';
import { loadBitmap, type PixelInput } from './load/pixels.js';
import type { FitMode, FittedContour, RasterFidelity, TraceReport, TraceResult } from './model.js';
import { compareRaster } from './output/raster-compare.js';
import { assessTrace, summarise } from './report.js';
import type { Bitmap, Contour, Corner } from './types.js';

export interface TraceOptions extends LoadOptions, ContourOptions, Omit<FitOptions, 'contourIndex'> {
  /** 'conic' (default) or 'linear'. */
  mode?: FitMode;
  /** Corner detector options (docs/design.md §3.2); defaults scale with each contour's size. */
  corners?: CornerOptions;
  /** Re-render the fit and compare it with the input (report.raster). Default true. */
  raster?: boolean;
  /**
   * Called as the trace runs (docs/design.md §8.2): `(stage, 0, 1)` when a stage starts and
   * `(stage, 1, 1)` when it ends, for 'load', 'contours', 'corners', 'raster' (when on) and
   * 'report'; for 'fit', `('fit', 0, n)` then `('fit', i, n)` after each of the n contours. It
   * observes only: no output depends on it. An exception it throws rejects the trace.
   */
  onProgress?: (stage: string, done: number, total: number) => void;
}

/**
 * What `traceImage` returns when the raster comparison ran (the `raster` option absent or true):
 * `report.raster` is then always there.
 */
export interface TraceResultWithRaster extends TraceResult {
  report: TraceReport & { raster: RasterFidelity };
}

const MODES: readonly FitMode[] = ['linear', 'conic'];

/**
 * Every `traceImage` option: the load, contour and fit options (but `contourIndex`, which
 * `traceImage` sets per contour) and its own; any other key is BAD_OPTION.
 */
export const TRACE_OPTION_KEYS: readonly string[] = [
  'mode',
  ...FIT_OPTION_KEYS.filter((k) => k !== 'contourIndex'),
  ...CONTOUR_OPTION_KEYS,
  ...LOAD_OPTION_KEYS,
  'corners',
  'raster',
  'onProgress',
];

/** The clock for report.timings: `performance` is a global in browsers, workers and Node. */
const now = (): number => globalThis.performance.now();

/**
 * Traces an image: every outer boundary and hole fitted with a linear or conic spline, plus the report.
 *
 * @example const result = await traceImage(ctx.getImageData(0, 0, w, h), { mode: 'conic', tolerance: 0.5, seed: 1 });
 */
export function traceImage(input: PixelInput, options?: TraceOptions & { raster?: true }): Promise<TraceResultWithRaster>;
export function traceImage(input: PixelInput, options?: TraceOptions): Promise<TraceResult>;
export function traceImage(input: PixelInput, options: TraceOptions = {}): Promise<TraceResult> {
  return traceWith((opts) => loadBitmap(input, opts), options);
}

/**
 * The pipeline, with `load` (given the checked options) making the Bitmap: all options are
 * validated before it runs, and its time, decoding included, is timings.load.
 */
export async function traceWith(
  load: (options: LoadOptions) => Promise<Bitmap>,
  options: TraceOptions,
  fit: FitStage = fitAll,
  findCorners: CornerStage = detectAllCorners,
): Promise<TraceResult> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConicfitError('BAD_OPTION', `options must be an object, got ${describeValue(options)}`);
  }
  checkKnownKeys(options, TRACE_OPTION_KEYS, 'traceImage');
  const mode = options.mode ?? 'conic';
  if (!MODES.includes(mode)) throw new ConicfitError('BAD_OPTION', `mode must be 'linear' or 'conic', got ${describeValue(mode)}`);
  // Validate every option before any I/O, whatever the image turns out to hold (an image with no
  // ink never reaches the per-contour checks).
  const loadOptions = loadOptionsOf(options);
  resolveLoadOptions(loadOptions);
  resolveContourOptions(contourOptionsOf(options), 'traceImage');
  checkCornerOptions(options.corners ?? {}, 'traceImage: corners');
  const fitOptions = resolveFitOptions(fitOptionsOf(options), false, 'traceImage');
  if (options.raster !== undefined && typeof options.raster !== 'boolean') {
    throw new ConicfitError('BAD_OPTION', `raster must be true or false, got ${describeValue(options.raster)}`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new ConicfitError('BAD_OPTION', `onProgress must be a function (stage, done, total), got ${describeValue(options.onProgress)}`);
  }
  const progress = options.onProgress ?? (() => {});
  const timings: Record<string, number> = {};
  const clock = (stage: string, t0: number) => (timings[stage] = now() - t0);
  const start = now();

  let t = now();
  progress('load', 0, 1);
  const bitmap = await load(loadOptions);
  clock('load', t);
  progress('load', 1, 1);

  t = now();
  progress('contours', 0, 1);
  const { contours, stats } = extractContoursWithStats(bitmap, contourOptionsOf(options));
  clock('contours', t);
  progress('contours', 1, 1);

  t = now();
  progress('corners', 0, 1);
  // Linear mode keeps its knots on pixel corners, where a sliver's cap corners give skewed sides (§3.6).
  const corners = await findCorners(contours, mode === 'linear' ? { ...options.corners, slivers: false } : (options.corners ?? {}));
  clock('corners', t);
  progress('corners', 1, 1);

  t = now();
  progress('fit', 0, contours.length);
  const fits = await fit(mode, contours, corners, options, (done) => progress('fit', done, contours.length));
  clock('fit', t);

  let raster: RasterFidelity | undefined;
  if (options.raster !== false) {
    t = now();
    progress('raster', 0, 1);
    // The render is the bitmap's size, which compareRaster always admits (loading checked maxPixels).
    raster = compareRaster(fits, bitmap);
    clock('raster', t);
    progress('raster', 1, 1);
  }
  progress('report', 0, 1);

  timings.total = now() - start;
  const report = summarise(fits, stats.removedContours, timings);
  if (raster) report.raster = raster;
  if (bitmap.levels) report.levels = bitmap.levels;
  report.subpixelFallbacks = contours.reduce((sum, c) => sum + (c.subpixelFallbacks ?? 0), 0);
  report.edgeBlur = stats.edgeBlur;
  report.warnings = assessTrace(report, contours, stats);
  progress('report', 1, 1);
  return {
    width: bitmap.width,
    height: bitmap.height,
    mode,
    tolerance: fitOptions.tolerance,
    seed: fitOptions.seed,
    ...(options.rmsTolerance !== undefined ? { rmsTolerance: fitOptions.rmsTolerance } : {}),
    ...(options.dropCorners === true && mode === 'linear' ? { dropCorners: true as const } : {}),
    contours,
    corners,
    fits,
    report,
  };
}

/**
 * The fit stage as `traceWith` runs it: `fitAll` here; the Node entry passes one that shares a
 * large image's contours among worker threads (src/fit-workers.ts), with the same result.
 */
export type FitStage = (
  mode: FitMode,
  contours: Contour[],
  corners: Corner[][],
  options: Omit<FitOptions, 'contourIndex'>,
  onFitted?: (done: number) => void,
) => FittedContour[] | Promise<FittedContour[]>;

/**
 * The corner stage as `traceWith` runs it: `detectAllCorners` here; the Node entry passes one that
 * shares a large image's contours among worker threads (src/fit-workers.ts), with the same result.
 */
export type CornerStage = (contours: Contour[], options: CornerOptions) => Corner[][] | Promise<Corner[][]>;

/** Every contour's corners (docs/design.md §3), on this thread. */
export function detectAllCorners(contours: Contour[], options: CornerOptions): Corner[][] {
  return contours.map((c) => detectCorners(c, options));
}

/**
 * Fits contour `contourIndex` (its index in the trace: it seeds the contour's random streams, §5.5),
 * in `ws` when given (one per thread, reused across contours: the same result, less allocation).
 */
export function fitContour(
  mode: FitMode,
  contour: Contour,
  corners: Corner[],
  options: Omit<FitOptions, 'contourIndex'>,
  contourIndex: number,
  ws: FitWorkspace = new FitWorkspace(),
): FittedContour {
  return fitContourIn(ws, mode, contour, corners, { ...fitOptionsOf(options), contourIndex });
}

/**
 * Fits every contour; each gets its own random streams (contourIndex), so order does not matter.
 * `onFitted(done)` is called after each contour (done = contours fitted so far).
 */
export function fitAll(
  mode: FitMode,
  contours: Contour[],
  corners: Corner[][],
  options: Omit<FitOptions, 'contourIndex'>,
  onFitted?: (done: number) => void,
): FittedContour[] {
  const ws = new FitWorkspace();
  return contours.map((c, i) => {
    const fitted = fitContour(mode, c, corners[i], options, i, ws);
    onFitted?.(i + 1);
    return fitted;
  });
}

/** The load-stage part of the trace options (only the keys given: loadBitmap's defaults fill the rest). */
function loadOptionsOf(options: TraceOptions): LoadOptions {
  const { threshold, invert, blur, maxPixels } = options;
  return { threshold, invert, blur, maxPixels };
}

/** The contour-stage part of the trace options. */
function contourOptionsOf(options: TraceOptions): ContourOptions {
  return { minArea: options.minArea, subpixel: options.subpixel, turnPolicy: options.turnPolicy };
}

/** The fitting-stage part of the trace options (contourIndex is set per contour by fitAll). */
function fitOptionsOf(options: Omit<FitOptions, 'contourIndex'>): FitOptions {
  const { tolerance, rmsTolerance, seed, tangentReach, annealTangents, refine, maxKnotFraction, moveCorners, dropCorners, anneal } = options;
  return { tolerance, rmsTolerance, seed, tangentReach, annealTangents, refine, maxKnotFraction, moveCorners, dropCorners, anneal };
}
