/**
 * The image report (docs/design.md §7.3): totals from the per-contour reports, and the warnings
 * that make a trace which does not match its input impossible to miss (docs/design.md §7.4).
 *
 * Reads the fitted contours, the contour stage's counts, the raster comparison and the levels.
 * Produces `TraceReport` (src/model.ts) and its `warnings`. Pure.
 */
import type { ContourStats } from './contours/index.js';
import type { FittedContour, TraceReport, TraceWarning } from './model.js';
import { isNoiseOnly } from './load/levels.js';
import type { Contour } from './types.js';

/** When a trace gets a warning (docs/design.md §7.4). */
export const REPORT_DEFAULTS = Object.freeze({
  /** Raster IoU of the fit with the input's ink beyond the outline's own pixels (iouBeyondEdge) below this: the fit misses or adds ink. */
  minIou: 0.9,
  /** Contrast (|paper − ink| / 255) below this: the levels are close and noise may make edges. */
  minContrast: 0.15,
  /** Share of sub-pixel points placed by the fallback (docs/design.md §13.4) above this. */
  maxFallbackShare: 0.1,
  /** Specks removed by minArea above this many, and more than the contours kept: a noisy image. */
  manySpecks: 50,
  /** The fit's area differs from the input's ink area (its coverage) by more than this share. */
  maxAreaMismatch: 0.08,
  /** Share of the input's ink the fit leaves out (RasterFidelity.missedInk) above this: INK_MISSED. */
  maxMissedInk: 0.08,
  /** Ink areas below this (px²) are too small to judge their area by. */
  minJudgedArea: 20,
  /** Edge blur (σ, px) at or above which the input's corners and fine details are gone. */
  maxEdgeBlur: 1.2,
  /** Paper noise (levels.noise, a share of the contrast) at or above which thin strokes and edges suffer. */
  maxNoise: 0.03,
});

/** Image totals from the per-contour reports (docs/design.md §7.3); warnings and the rest are added by the caller. */
export function summarise(fits: FittedContour[], removedContours: number, timings: Record<string, number>): TraceReport {
  let points = 0,
    corners = 0,
    intermediatePoints = 0,
    intervals = 0,
    maxDeviation = 0,
    failedIntervals = 0,
    polishGain = 0;
  for (const f of fits) {
    points += f.report.points;
    corners += f.report.corners;
    intermediatePoints += f.report.intermediatePoints;
    intervals += f.report.intervals;
    failedIntervals += f.report.failedIntervals;
    if (f.report.maxDeviation > maxDeviation) maxDeviation = f.report.maxDeviation;
    for (const p of f.pieces) {
      const r = p.report;
      if (r.energyAnneal !== undefined && r.energyPolish !== undefined) polishGain += r.energyAnneal - r.energyPolish;
    }
  }
  return {
    totals: { contours: fits.length, points, corners, intermediatePoints, intervals, maxDeviation },
    timings,
    removedContours,
    failedIntervals,
    polishGain,
    subpixelFallbacks: 0,
    edgeBlur: 0,
    warnings: [],
  };
}

/** The OVER_TOLERANCE message, for single-colour traces (assessTrace) and colour traces (the CLI's, whose report counts pieces). */
export function overToleranceMessage(failed: number, total: number, noun: 'intervals' | 'pieces', maxDeviation: number): string {
  return `${failed} of ${total} ${noun} could not be brought within tolerance (largest deviation ${maxDeviation.toFixed(2)} px)`;
}

/**
 * What a user should know about a trace, each as a code and a sentence: no ink; ink and paper
 * too close; the fit not matching the input's ink (raster IoU beyond the outline's own pixels);
 * the fit's area not matching the ink area the coverage holds; blurred edges; flat tone levels
 * besides paper and ink (a multi-colour image); a noisy image; many sub-pixel
 * fallbacks; pieces over tolerance; many specks removed (docs/design.md §7.4).
 *
 * @example for (const w of result.report.warnings) console.warn(`${w.code}: ${w.message}`)
 */
export function assessTrace(report: TraceReport, contours: Contour[], stats: ContourStats): TraceWarning[] {
  const out: TraceWarning[] = [];
  const d = REPORT_DEFAULTS;
  const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;
  const levels = report.levels;
  if (contours.length === 0) {
    out.push({
      code: 'NO_INK',
      message:
        stats.removedContours > 0
          ? stats.removedContours === 1
            ? 'no ink left: the one shape was smaller than minArea'
            : `no ink left: all ${stats.removedContours} shapes were smaller than minArea`
          : levels && isNoiseOnly(levels)
            ? `no ink found: the image's two levels differ by ${pct(levels.contrast)} of the grey range, within the paper's own noise (σ ≈ ${pct(levels.noise)} of that difference): a blank page to the automatic threshold (a numeric threshold traces what it selects)`
            : 'no ink found: the image is blank (one level throughout), or the threshold leaves no pixel as ink',
    });
  }
  if (levels && levels.source === 'luminance' && contours.length > 0 && levels.contrast < d.minContrast) {
    out.push({
      code: 'LOW_CONTRAST',
      message: `ink and paper differ by ${pct(levels.contrast)} of the grey range (paper ${levels.paper}, ink ${levels.ink}): edges may follow noise`,
    });
  }
  const raster = report.raster;
  if (raster && raster.iouBeyondEdge < d.minIou && contours.length > 0) {
    out.push({
      code: 'LOW_FIDELITY',
      message: `the fit does not match the input's ink: IoU ${raster.iouBeyondEdge.toFixed(3)} beyond the outline's own pixels (< ${d.minIou}; ${raster.iou.toFixed(3)} with them), ${raster.differingPixels} pixels differ`,
    });
  }
  // Ink dropped in one place and added in another keeps the area and, within a pixel of the
  // outline, the IoU beyond the edge: a tolerance coarse for 1–2 px strokes (docs/design.md §7.4).
  if (raster && raster.inkArea >= d.minJudgedArea && raster.missedInk > d.maxMissedInk && !out.some((w) => w.code === 'LOW_FIDELITY')) {
    out.push({
      code: 'INK_MISSED',
      message: `the fit leaves out ${pct(raster.missedInk)} of the input's ink (${raster.missedInkPixels} of its ${raster.inkPixels} ink pixels): features near the tolerance in size are simplified away; a smaller tolerance keeps them`,
    });
  }
  if (raster && raster.inkArea >= d.minJudgedArea && Math.abs(raster.fitArea / raster.inkArea - 1) > d.maxAreaMismatch) {
    const share = raster.fitArea / raster.inkArea;
    // Only a tone between paper and ink changes the area: nearer the paper it is dropped, nearer the
    // ink it counts as full ink (a tone beyond either is what that level's side makes it, 0 or 1).
    const explains = (paper: number, ink: number, level: number) => {
      const c = (paper - level) / (paper - ink);
      return share < 1 ? c > 0 && c < 0.5 : c >= 0.5 && c < 1;
    };
    const tonesExplain = levels !== undefined && levels.tones.some((t) => explains(levels.paper, levels.ink, t.level));
    out.push({
      code: 'AREA_MISMATCH',
      message:
        `the fit's area is ${pct(share)} of the ink the image holds (${raster.fitArea.toFixed(0)} of ${raster.inkArea.toFixed(0)} px²)` +
        (tonesExplain
          ? share < 1
            ? ': fills of a tone nearer the paper than the ink are dropped (TONE_LEVELS)'
            : ': fills of a tone nearer the ink than the paper count as full ink (TONE_LEVELS)'
          : share < 1
            ? ': thin or faint strokes that never reach 50 % coverage are lost'
            : ''),
    });
  }
  if (report.edgeBlur >= d.maxEdgeBlur) {
    out.push({
      code: 'BLURRED',
      message: `the edges are blurred (σ ≈ ${report.edgeBlur.toFixed(1)} px): the trace follows the blurred shape, with corners rounded and details under ~${(2 * report.edgeBlur).toFixed(0)} px lost`,
    });
  }
  if (levels && levels.tones.length > 0) {
    const list = levels.tones.map((t) => `luminance ${t.level} over ${pct(t.share)} of the image`).join(', ');
    const [count, noun] = levels.tones.length === 1 ? ['one', 'level'] : [String(levels.tones.length), 'levels'];
    out.push({
      code: 'TONE_LEVELS',
      message:
        `the image has ${count} flat tone ${noun} besides its paper (${levels.paper}) and ink (${levels.ink}): ${list}; ` +
        'one ink threshold keeps each such fill whole as ink or drops it, and the edges between tones are not traced; traceColour (--colors auto) traces each',
    });
  }
  if (levels && levels.noise >= d.maxNoise && contours.length > 0) {
    out.push({
      code: 'NOISY',
      message: `the image is noisy (σ ≈ ${pct(levels.noise)} of the contrast): strokes thinner than a pixel or two may be lost and edges may wander; the blur option helps`,
    });
  }
  const subpixelPoints = contours.reduce((sum, c) => sum + (c.subpixel ? c.points.length / 2 : 0), 0);
  if (subpixelPoints > 0 && report.subpixelFallbacks > d.maxFallbackShare * subpixelPoints) {
    out.push({
      code: 'SUBPIXEL_FALLBACKS',
      message: `${report.subpixelFallbacks} of ${subpixelPoints} boundary points (${pct(report.subpixelFallbacks / subpixelPoints)}) could not be measured on the coverage: each sits where the coverage crosses 50 % between its two pixels, within ½ px of the pixel edge`,
    });
  }
  if (report.failedIntervals > 0) {
    out.push({
      code: 'OVER_TOLERANCE',
      message: overToleranceMessage(report.failedIntervals, report.totals.intervals, 'intervals', report.totals.maxDeviation),
    });
  }
  if (stats.removedContours > d.manySpecks && stats.removedContours > contours.length) {
    out.push({
      code: 'MANY_SPECKS',
      message: `${stats.removedContours} specks smaller than minArea were removed (${contours.length} contours kept): a noisy image; the blur option may help`,
    });
  }
  return out;
}
