/**
 * The demo's worker: runs the browser-safe library (src/index.ts) off the page's thread, reports
 * progress per stage and per fitted contour, and sends back the SVG, the JSON, what the page
 * draws, and the red/blue overlay.
 */
import { fitToPathData, isConicfitError, loadBitmap, renderCoverage, toJson, toSvg, traceImage, type TraceResult } from '../src/index.js';
import type { PieceView, TraceRequest, TraceView, WorkerMessage } from './protocol.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent<TraceRequest>) => void) | null;
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  void run(e.data);
};

async function run(req: TraceRequest): Promise<void> {
  const { id, width, height, mode, tolerance } = req;
  const pixels = { width, height, data: new Uint8ClampedArray(req.rgba) };
  try {
    const t0 = performance.now();
    const result = await traceImage(pixels, {
      mode,
      tolerance,
      onProgress: (stage, done, total) => scope.postMessage({ type: 'progress', id, mode, stage, done, total }),
    });
    const ms = performance.now() - t0;
    const svg = toSvg(result);
    const json = toJson(result);
    const overlay = await overlayPixels(pixels, result);
    scope.postMessage({ type: 'result', id, mode, svg, json, view: viewOf(result, ms), overlay }, [overlay]);
  } catch (err) {
    const code = isConicfitError(err) ? err.code : 'ERROR';
    scope.postMessage({ type: 'error', id, mode, code, message: err instanceof Error ? err.message : String(err) });
  }
}

function viewOf(result: TraceResult, ms: number): TraceView {
  const pieces: PieceView[] = [];
  result.fits.forEach((fit, contour) => {
    fit.pieces.forEach((piece, index) => {
      const d = fitToPathData({ ...fit, pieces: [piece] }).replace(/Z$/, '');
      const r = piece.report;
      pieces.push({
        contour,
        index,
        kind: piece.kind,
        d,
        pointCount: r.pointCount,
        u: piece.kind === 'conic' ? piece.u : null,
        rms: r.rms,
        maxDeviation: r.maxDeviation,
        withinTolerance: r.withinTolerance,
      });
    });
  });
  const source = result.contours
    .map((c) => {
      const p = c.points;
      if (p.length < 4) return '';
      let d = `M${fmt(p[0])} ${fmt(p[1])}`;
      for (let k = 2; k + 1 < p.length; k += 2) d += `L${fmt(p[k])} ${fmt(p[k + 1])}`;
      return d + 'Z';
    })
    .join('');
  return {
    width: result.width,
    height: result.height,
    mode: result.mode,
    tolerance: result.tolerance,
    fill: result.fits.map((f) => fitToPathData(f)).join(''),
    source,
    pieces,
    knots: result.fits.flatMap((f) => f.knots.map((k) => ({ x: k.x, y: k.y, kind: k.kind }))),
    totals: result.report.totals,
    raster: result.report.raster ?? null,
    warnings: result.report.warnings,
    failedIntervals: result.report.failedIntervals,
    ms,
  };
}

const fmt = (x: number): string => String(Math.round(x * 1000) / 1000);

/** The fit re-rendered against the input's ink: grey where both, red where only the ink, blue where only the fit. */
async function overlayPixels(pixels: { width: number; height: number; data: Uint8ClampedArray }, result: TraceResult): Promise<ArrayBuffer> {
  const { width, height } = pixels;
  const ink = (await loadBitmap(pixels)).coverage;
  const fit = renderCoverage(result.fits, width, height);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const a = ink[i],
      f = fit[i];
    const both = Math.min(a, f),
      miss = Math.max(0, a - f),
      extra = Math.max(0, f - a);
    const paper = 1 - both - miss - extra;
    // paper white, both grey (150), miss red (220, 40, 40), extra blue (30, 100, 235)
    out[i * 4] = 255 * paper + 150 * both + 220 * miss + 30 * extra;
    out[i * 4 + 1] = 255 * paper + 150 * both + 40 * miss + 100 * extra;
    out[i * 4 + 2] = 255 * paper + 150 * both + 40 * miss + 235 * extra;
    out[i * 4 + 3] = 255;
  }
  return out.buffer;
}
