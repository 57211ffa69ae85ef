/**
 * conicfit's Node entry (package.json "exports" → "import"/"require"): every name of the
 * browser-safe entry (src/index.ts), with `loadBitmap` and `traceImage` that also take a file
 * path or image bytes (PNG, JPEG, BMP, GIF, TIFF as Uint8Array/Buffer/ArrayBuffer), decoded in
 * Node (src/load/decode-node.ts). Decoded pixels behave exactly as in the browser entry.
 */
import { fitOnWorkers, fitWorkerMain } from './fit-workers.js';
import { loadBitmap, type LoadInput } from './load/decode-node.js';
import type { TraceResult } from './model.js';
import { traceWith, type TraceOptions, type TraceResultWithRaster } from './trace.js';

export * from './index.js';
export { loadBitmap, type LoadInput };

/**
 * Traces an image (a file path, image bytes or decoded pixels): every outer boundary and hole
 * fitted with a linear or conic spline, plus the report. timings.load includes decoding. From
 * `FIT_WORKER_POINTS` contour points on, the fit runs on all cores (the result is the same).
 *
 * @example const result = await traceImage('logo.png', { mode: 'conic', tolerance: 0.5, seed: 1 });
 */
export function traceImage(input: LoadInput, options?: TraceOptions & { raster?: true }): Promise<TraceResultWithRaster>;
export function traceImage(input: LoadInput, options?: TraceOptions): Promise<TraceResult>;
export function traceImage(input: LoadInput, options: TraceOptions = {}): Promise<TraceResult> {
  return traceWith((opts) => loadBitmap(input, opts), options, fitOnWorkers);
}

// Loaded as a fit worker (fit-workers.ts starts this bundle with workerData marking the role): serve fits.
fitWorkerMain();
