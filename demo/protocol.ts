/**
 * Messages between the demo page (demo/main.ts) and its worker (demo/worker.ts). Plain data only
 * (structured clone); pixel buffers are transferred, not copied.
 */
import type { FitMode, KnotKind, RasterFidelity, TraceTotals, TraceWarning } from '../src/index.js';

/** Page → worker: trace these decoded RGBA pixels in one mode. */
export interface TraceRequest {
  id: number;
  width: number;
  height: number;
  /** RGBA, width·height·4 bytes (as `getImageData` gives them). */
  rgba: ArrayBuffer;
  mode: FitMode;
  tolerance: number;
}

/** One fitted piece as the page draws it and lists it in the table. */
export interface PieceView {
  contour: number;
  /** Index within its contour. */
  index: number;
  kind: 'line' | 'conic';
  /** SVG path data of this piece alone (`M p0 …`, exact commands as in the downloaded SVG). */
  d: string;
  pointCount: number;
  u: number | null;
  rms: number;
  maxDeviation: number;
  withinTolerance: boolean;
}

export interface TraceView {
  width: number;
  height: number;
  mode: FitMode;
  tolerance: number;
  /** Path data of the whole fit (all contours), as in the downloaded SVG. */
  fill: string;
  /** Source contour points as closed polylines. */
  source: string;
  pieces: PieceView[];
  knots: { x: number; y: number; kind: KnotKind }[];
  totals: TraceTotals;
  raster: RasterFidelity | null;
  warnings: TraceWarning[];
  failedIntervals: number;
  /** Milliseconds, the whole trace in the worker. */
  ms: number;
}

export type WorkerMessage =
  | { type: 'progress'; id: number; mode: FitMode; stage: string; done: number; total: number }
  | {
      type: 'result';
      id: number;
      mode: FitMode;
      /** `toSvg(result)`: exactly what the Node entry writes for the same pixels and options. */
      svg: string;
      /** `toJson(result)`. */
      json: string;
      view: TraceView;
      /** RGBA overlay, width·height·4: red = ink the fit misses, blue = fit without ink, grey = both. */
      overlay: ArrayBuffer;
    }
  | { type: 'error'; id: number; mode: FitMode; code: string; message: string };
