/**
 * conicfit's Node entry (package.json "exports" → "import"/"require"): every name of the
 * browser-safe entry (src/index.ts), with `loadBitmap` and `traceImage` that also take a file
 * path or image bytes (PNG, JPEG, BMP, GIF, TIFF as Uint8Array/Buffer/ArrayBuffer), decoded in
 * Node (src/load/decode-node.ts). Decoded pixels behave exactly as in the browser entry.
 */
import { checkColourOptions, traceColour as traceColourPixels, type ColourOptions, type ColourTraceResult } from './colour/index.js';
import { decodeRgba, loadBitmap, type LoadInput } from './load/decode-node.js';
import { isArrayBuffer } from './load/pixels.js';
import { fitWorkerMain, workerStages } from './fit-workers.js';
import type { TraceResult } from './model.js';
import { traceWith, type TraceOptions, type TraceResultWithRaster } from './trace.js';

export * from './index.js';
export { loadBitmap, type LoadInput };
export { captureFontFromSheet, captureFontFromFolder, charOfFileName, writeFont } from './font/node.js';

/**
 * Traces an image (a file path, image bytes or decoded pixels): every outer boundary and hole
 * fitted with a linear or conic spline, plus the report. timings.load includes decoding. From
 * `FIT_WORKER_POINTS` contour points on, the corner and fit stages run on all cores (the result is the same).
 *
 * @example const result = await traceImage('logo.png', { mode: 'conic', tolerance: 0.5, seed: 1 });
 */
export function traceImage(input: LoadInput, options?: TraceOptions & { raster?: true }): Promise<TraceResultWithRaster>;
export function traceImage(input: LoadInput, options?: TraceOptions): Promise<TraceResult>;
export async function traceImage(input: LoadInput, options: TraceOptions = {}): Promise<TraceResult> {
  const stages = workerStages(); // one trace's worker threads, ended with it
  try {
    return await traceWith((opts) => loadBitmap(input, opts), options, stages.fit, stages.corners);
  } finally {
    await stages.close();
  }
}

/**
 * Traces a colour image (a file path, image bytes or decoded pixels) as palette regions with shared boundaries (docs/design.md §22).
 *
 * @example const result = await traceColour('logo.png', { colors: 'auto' }); writeFileSync('logo.svg', colourToSvg(result));
 */
export async function traceColour(input: LoadInput, options: ColourOptions = {}): Promise<ColourTraceResult> {
  if (typeof input !== 'string' && !(input instanceof Uint8Array) && !isArrayBuffer(input)) return traceColourPixels(input, options);
  const { maxPixels } = checkColourOptions(options); // options before any I/O
  const bytes = typeof input === 'string' || input instanceof Uint8Array ? input : new Uint8Array(input);
  const { width, height, data } = await decodeRgba(bytes, maxPixels);
  return traceColourPixels({ width, height, data: data.subarray(0, 4 * width * height), channels: 4 }, options);
}
// Loaded as a fit worker (fit-workers.ts starts this bundle with workerData marking the role): serve fits.
fitWorkerMain();
