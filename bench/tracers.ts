/**
 * The four tracers of bench/compare.ts, each as `run(png) → TraceOutput`: from the PNG bytes
 * (decoding included) to the path data of the fill the tracer would draw.
 *
 * - conicfit linear / conic: `traceImage(png, { mode })` (defaults otherwise), then `toSvg` with
 *   precision 3; the `d` attribute of its one `<path>` (fill-rule nonzero). Two conic variants
 *   show what the defaults buy: `refine: false` (the paper's fit: u by annealing, tangent lengths
 *   fixed) and `tolerance: 0.75` (the accuracy/size trade-off).
 * - potrace (npm `potrace` 2.1.8, a JS port of Potrace 1.x): `new Potrace()` with default
 *   parameters (threshold auto, turdSize 2, alphaMax 1, optCurve true, optTolerance 0.2),
 *   `loadImage(png)` (its own Jimp 0.14 decodes), `getPathTag()`; fill-rule evenodd.
 * - imagetracerjs 1.2.6: the PNG decoded with jimp (the project's), then
 *   `imagedataToSVG(imgd, IMAGETRACER_OPTIONS)`; only the paths whose fill is dark
 *   (luminance < 128) are kept, concatenated (fill-rule nonzero: its holes run backwards).
 */
import { createRequire } from 'node:module';
import { Jimp } from 'jimp';
import { traceImage, type TraceOptions } from '../src/node.js';
import { toSvg } from '../src/output/svg.js';

const require = createRequire(import.meta.url);

export type TracerName = 'conicfit-linear' | 'conicfit-conic' | 'conicfit-conic-paper' | 'conicfit-conic-0.75' | 'potrace' | 'imagetracer';
export const TRACERS: TracerName[] = ['conicfit-linear', 'conicfit-conic', 'conicfit-conic-paper', 'conicfit-conic-0.75', 'potrace', 'imagetracer'];

export interface TraceOutput {
  /** Path data as the tracer emitted it. */
  d: string;
  fillRule: 'nonzero' | 'evenodd';
  /** conicfit only: `report.totals.intervals` (pieces of the model). */
  intervals?: number;
  /** conicfit only: intervals not brought within tolerance. */
  failedIntervals?: number;
}

// ---------------------------------------------------------------------------------------------
// conicfit
// ---------------------------------------------------------------------------------------------

async function conicfit(png: Buffer, mode: 'linear' | 'conic', options: TraceOptions = {}): Promise<TraceOutput> {
  const result = await traceImage(png, { mode, ...options });
  const svg = toSvg(result, { precision: 3 });
  const m = /<path d="([^"]*)"/.exec(svg);
  return {
    d: m ? m[1] : '',
    fillRule: 'nonzero',
    intervals: result.report.totals.intervals,
    failedIntervals: result.report.failedIntervals,
  };
}

// ---------------------------------------------------------------------------------------------
// potrace
// ---------------------------------------------------------------------------------------------

interface PotraceInstance {
  loadImage(target: Buffer, cb: (this: PotraceInstance, err: Error | null) => void): void;
  getPathTag(): string;
}
const potraceLib = require('potrace') as { Potrace: new (params?: Record<string, unknown>) => PotraceInstance };

/** Potrace on the image bytes, with its default parameters or the given ones (e.g. `{ threshold: 128, blackOnWhite: false }`). */
export function potrace(png: Buffer, params?: Record<string, unknown>): Promise<TraceOutput> {
  return new Promise((resolve, reject) => {
    const tracer = new potraceLib.Potrace(params);
    tracer.loadImage(png, (err) => {
      if (err) return reject(err);
      try {
        const tag = tracer.getPathTag();
        const m = /\bd="([^"]*)"/.exec(tag);
        resolve({ d: m ? m[1] : '', fillRule: 'evenodd' });
      } catch (e) {
        reject(e);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// imagetracerjs
// ---------------------------------------------------------------------------------------------

interface ImageTracerLib {
  imagedataToSVG(imgd: { width: number; height: number; data: Uint8Array | Uint8ClampedArray }, options: Record<string, unknown>): string;
}
const imageTracer = require('imagetracerjs') as ImageTracerLib;

/**
 * A two-colour trace comparable to a bilevel tracer. `pal` fixes the palette to black and white;
 * `colorquantcycles: 1` keeps it fixed (with more cycles imagetracer re-averages the palette
 * from the pixels and mutates `options.pal`), so each pixel goes to the nearer of black/white,
 * i.e. a 50 % threshold. `roundcoords: -1` (no rounding): imagetracerjs 1.2.6 rounds hole
 * coordinates to integers whenever roundcoords ≥ 0 (it calls roundtodec without the places
 * argument), so we take full precision and re-serialise at 3 decimals like the others.
 * `strokewidth: 0`: the fill alone is compared (its default 1 px stroke would fatten shapes).
 */
export function imagetracerOptions(): Record<string, unknown> {
  return {
    numberofcolors: 2,
    colorsampling: 0,
    colorquantcycles: 1,
    pal: [
      { r: 0, g: 0, b: 0, a: 255 },
      { r: 255, g: 255, b: 255, a: 255 },
    ],
    ltres: 1,
    qtres: 1,
    pathomit: 0,
    roundcoords: -1,
    blurradius: 0,
    linefilter: false,
    strokewidth: 0,
    viewbox: false,
  };
}

async function imagetracer(png: Buffer): Promise<TraceOutput> {
  const img = await Jimp.read(png);
  const { width, height, data } = img.bitmap;
  const svg = imageTracer.imagedataToSVG({ width, height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) }, imagetracerOptions());
  const parts: string[] = [];
  const re = /<path [^>]*?fill="rgb\((\d+),(\d+),(\d+)\)"[^>]*?d="([^"]*)"/g;
  for (let m; (m = re.exec(svg));) {
    const lum = 0.299 * Number(m[1]) + 0.587 * Number(m[2]) + 0.114 * Number(m[3]);
    if (lum < 128) parts.push(m[4]);
  }
  return { d: parts.join(' '), fillRule: 'nonzero' };
}

export function runTracer(name: TracerName, png: Buffer): Promise<TraceOutput> {
  switch (name) {
    case 'conicfit-linear':
      return conicfit(png, 'linear');
    case 'conicfit-conic':
      return conicfit(png, 'conic');
    case 'conicfit-conic-paper':
      return conicfit(png, 'conic', { refine: false });
    case 'conicfit-conic-0.75':
      return conicfit(png, 'conic', { tolerance: 0.75 });
    case 'potrace':
      return potrace(png);
    case 'imagetracer':
      return imagetracer(png);
  }
}
