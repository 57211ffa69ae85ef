/**
 * The per-contour state every stage of the fit reads.
 *
 * Reads: a contour, the resolved options and a workspace. Produces: a FitContext — the contour's
 * points in local coordinates (raw) and smoothed as for corner detection (Gaussian σ by point
 * kind, CORNER_DEFAULTS), the options, and the workspace whose buffers the stages share.
 * Local coordinates: relative to the contour's integer bounding-box corner (origin), so that
 * translating the image by whole pixels changes no rounding (and no tie) inside the fit.
 */
import { CORNER_DEFAULTS } from '../corners.js';
import { smoothClosed, stepLengths } from '../corners-smooth.js';
import type { FitMode } from '../model.js';
import type { Contour } from '../types.js';
import type { ResolvedFitOptions } from './options.js';
import type { FitWorkspace } from './workspace.js';

/**
 * Everything an interval fit needs about its contour, computed once per contour. A class with its
 * fields declared (defined undefined first): every context has one hidden class whose fields take
 * any value from the start, so options or workspaces of another shape, or a double where an
 * integer was, change nothing that optimised code relied on (an object literal here deoptimised
 * measureDeviation, loadInterval and scanSlack on such a change; docs/design.md §8.4).
 */
export class FitContext {
  mode: FitMode;
  /** Points are sub-pixel estimates (anti-aliased input), not pixel corners. */
  subpixel: boolean;
  n: number;
  raw: Float64Array;
  /** Smoothed as for corner detection (conic mode); linear mode: raw itself. */
  smooth: Float64Array;
  /** Length of each step of the raw points, steps[k] = |raw[k + 1] − raw[k]| (k + 1 wrapping to 0): the interval loads' chord lengths and the band's cracks, taken once per contour (docs/design.md §18.51). */
  steps: Float64Array;
  /** The largest local coordinate of the raw points (all are ≥ 0): bounds the data's magnitude for the deviation search's slack (src/fit/deviation.ts scanSlack). */
  rawMax: number;
  o: ResolvedFitOptions;
  /** Integer origin of the local coordinates, added back at the end (finishContour). */
  originX: number;
  originY: number;
  /** Scratch buffers of this fit (src/fit/workspace.ts). */
  ws: FitWorkspace;
  /** A sliver fitted from its cap corners (conic mode, pixel corners; src/corners-sliver.ts): its pieces are lines wherever a line is within the bounds (docs/design.md §3.6). Set by fitContour (src/fit/index.ts). */
  sliver = false;

  constructor(
    mode: FitMode,
    subpixel: boolean,
    n: number,
    raw: Float64Array,
    smooth: Float64Array,
    steps: Float64Array,
    rawMax: number,
    o: ResolvedFitOptions,
    originX: number,
    originY: number,
    ws: FitWorkspace,
  ) {
    this.mode = mode;
    this.subpixel = subpixel;
    this.n = n;
    this.raw = raw;
    this.smooth = smooth;
    this.steps = steps;
    this.rawMax = rawMax;
    this.o = o;
    this.originX = originX;
    this.originY = originY;
    this.ws = ws;
  }
}

/** The context of one contour (n ≥ 2 points): points relative to the integer corner of their bounding box, and smoothed. */
export function createFitContext(mode: FitMode, contour: Contour, o: ResolvedFitOptions, ws: FitWorkspace): FitContext {
  const n = contour.points.length / 2;
  // Work relative to the contour's integer bounding-box corner, so that translating the image
  // by whole pixels changes no rounding (and no tie) inside the fit; added back at the end.
  let ox = Infinity,
    oy = Infinity;
  for (let i = 0; i < n; i++) {
    if (contour.points[2 * i] < ox) ox = contour.points[2 * i];
    if (contour.points[2 * i + 1] < oy) oy = contour.points[2 * i + 1];
  }
  ox = Math.floor(ox);
  oy = Math.floor(oy);
  const raw = new Float64Array(contour.points.length);
  let rawMax = 0;
  for (let i = 0; i < 2 * n; i++) {
    raw[i] = contour.points[i] - (i & 1 ? oy : ox);
    if (raw[i] > rawMax) rawMax = raw[i];
  }
  const sigma = contour.subpixel ? CORNER_DEFAULTS.smoothingSubpixel : CORNER_DEFAULTS.smoothingBilevel;
  // Linear mode chooses its knots among the data points (docs/design.md §9.9): it needs no smoothed copy.
  const steps = stepLengths(raw);
  const smooth = mode === 'linear' ? raw : smoothClosed(raw, sigma, steps);
  return new FitContext(mode, contour.subpixel, n, raw, smooth, steps, rawMax, o, ox, oy, ws);
}
