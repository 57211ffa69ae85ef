/**
 * The fitted model as lines and polynomial curves only (docs/design.md §21.1–§21.3): quadratic
 * Bézier splines (TrueType) or cubic Béziers (CFF, and SVG consumers without arcs), each
 * conversion within a tolerance of the model, with a report of what it added.
 *
 * Reads: a `TraceResult` (src/model.ts). Produces: `Outline` records in image pixels (y down) and
 * a `CurveConversionReport`; `outlinePathData` prints one as SVG path data (only M, L, Q or C, Z).
 * Pure. `toSvg(result, { curves })` and the font writers (src/font/) read it.
 *
 * Per conic interval, the first that applies:
 *   1. a line to P₁ when both arcs are within `tolerance` of the chord (exact, `arcSegmentDeviation`);
 *   2. quadratic: one quadratic for the interval (control point where the end tangents meet,
 *      `intervalQuadratic`) when within `tolerance`; the interval itself when u = 1 (V, W);
 *      else both arcs split alike into the fewest equal-weight quadratics within
 *      `tolerance` (`arcsToQuadratics`): one segment of 2n off-curve points whose joints are
 *      implied midpoints, J included (docs/design.md §21.1);
 *      cubic: one cubic for the interval (`intervalCubic`, checked as the SVG writer checks it),
 *      else per arc `arcToCubics` (u = 1: the exact degree elevation) (docs/design.md §21.2).
 */
import { ConicfitError, badOption, describeValue } from '../errors.js';
import { conicPieceArcs } from '../geometry/conic.js';
import { arcToCubics } from '../geometry/conversion.js';
import { arcLengthEvaluator, conicIntervalEvaluator, cubicEvaluator, type CurveEvaluator } from '../geometry/curves.js';
import { arcSegmentDeviation, curveHausdorff, INTERVAL_CHECK } from '../geometry/hausdorff.js';
import { intervalCubic } from '../geometry/interval-cubic.js';
import { intervalQuadratic, quadraticEvaluator } from '../geometry/interval-quadratic.js';
import { arcsToQuadratics } from '../geometry/quadratic.js';
import type { ConicPiece, FittedContour, TraceResult } from '../model.js';
import type { Point } from '../types.js';
import { PathWriter } from './path-writer.js';

/** How conic intervals are written: as the model has them (`toSvg` only), or as polynomial curves. */
export type CurveMode = 'native' | 'quadratic' | 'cubic';

/** The one place for the conversion's defaults. */
export const CURVE_DEFAULTS = Object.freeze({
  /** Largest distance, px, between a conic interval and its quadratics or cubics (issue 17). */
  tolerance: 0.05,
  /** Smallest tolerance accepted, px (below the distance estimate's accuracy, docs/design.md §18.26). */
  minTolerance: 1e-6,
});

/** One drawn segment, ending at `to` (the start is the previous segment's end). */
export type OutlineSegment =
  | { kind: 'line'; to: Point }
  /** A quadratic spline: off-curve points, the on-curve joints between them implied at their midpoints (TrueType). */
  | { kind: 'quadratic'; controls: Point[]; to: Point }
  | { kind: 'cubic'; c1: Point; c2: Point; to: Point };

/** One closed contour of lines and curves; `hole`, `parent` as the fitted contour's, `fit` its index in `result.fits`. */
export interface OutlineContour {
  fit: number;
  start: Point;
  segments: OutlineSegment[];
  hole: boolean;
  parent: number;
}

/** What a conversion did (docs/design.md §21.3). */
export interface CurveConversionReport {
  curves: 'quadratic' | 'cubic';
  /** px */
  tolerance: number;
  /** Pieces of the model (lines and conic intervals). */
  intervals: number;
  /** Segments written, on-curve point to on-curve point (a quadratic spline with implied joints counts once). */
  segments: number;
  /** Path commands drawn (L, Q, C; M and Z not counted): a quadratic spline of m off-curve points counts m. */
  commands: number;
  /** commands − intervals: the pieces the conversion added. */
  added: number;
  /** Largest measured distance between a converted interval and the model, px (0 when all exact). */
  maxDeviation: number;
}

export interface CurveOptions {
  curves?: CurveMode;
  /** px, default `CURVE_DEFAULTS.tolerance`. */
  tolerance?: number;
}

/** Validate a curve mode and tolerance (`where` names the public function for the message). */
export function resolveCurveOptions(curves: unknown, tolerance: unknown, where: string): { curves: CurveMode; curveTolerance: number } {
  if (curves !== undefined && curves !== 'native' && curves !== 'quadratic' && curves !== 'cubic') {
    throw badOption(where, 'curves', curves, "'native', 'quadratic' or 'cubic'");
  }
  if (tolerance !== undefined && !(typeof tolerance === 'number' && Number.isFinite(tolerance) && tolerance >= CURVE_DEFAULTS.minTolerance)) {
    throw badOption(where, 'curveTolerance', tolerance, `a number of px ≥ ${CURVE_DEFAULTS.minTolerance}`);
  }
  return { curves: curves ?? 'native', curveTolerance: tolerance ?? CURVE_DEFAULTS.tolerance };
}

/**
 * Every fitted contour as lines and quadratic splines, or lines and cubics, within `tolerance`.
 *
 * @example const { contours, report } = convertCurves(result, { curves: 'quadratic' }) // report.added
 * @throws ConicfitError BAD_OPTION, BAD_MODEL (a piece that is not a line or a finite conic with u > 0).
 */
export function convertCurves(result: TraceResult, options: CurveOptions = {}): { contours: OutlineContour[]; report: CurveConversionReport } {
  const o = resolveCurveOptions(options.curves ?? 'quadratic', options.tolerance, 'convertCurves');
  if (o.curves === 'native') throw badOption('convertCurves', 'curves', o.curves, "'quadratic' or 'cubic'");
  if (result === null || typeof result !== 'object' || !Array.isArray(result.fits)) throw badModel('the result has no fits array');
  const report: CurveConversionReport = { curves: o.curves, tolerance: o.curveTolerance, intervals: 0, segments: 0, commands: 0, added: 0, maxDeviation: 0 };
  const contours: OutlineContour[] = [];
  result.fits.forEach((fit, i) => {
    const c = convertFit(fit, o.curves as 'quadratic' | 'cubic', o.curveTolerance, report, `fits[${i}]`);
    if (c !== null) contours.push({ fit: i, ...c });
  });
  report.added = report.commands - report.intervals;
  return { contours, report };
}

function convertFit(
  fit: FittedContour,
  curves: 'quadratic' | 'cubic',
  tol: number,
  report: CurveConversionReport,
  where: string,
): Omit<OutlineContour, 'fit'> | null {
  if (fit === null || typeof fit !== 'object' || !Array.isArray(fit.pieces)) throw badModel(`${where}.pieces is not an array`);
  if (fit.pieces.length === 0) return null;
  const start = finitePoint(fit.pieces[0]?.p0, `${where}.pieces[0].p0`);
  const segments: OutlineSegment[] = [];
  let end = start;
  const add = (s: OutlineSegment) => {
    segments.push(s);
    report.segments++;
    report.commands += s.kind === 'quadratic' ? s.controls.length : 1;
  };
  fit.pieces.forEach((piece, k) => checkPiece(piece, `${where}.pieces[${k}]`));
  fit.pieces.forEach((piece, k) => {
    report.intervals++;
    // A gap in the model is bridged by a line, as the SVG writer does.
    if (Math.abs(piece.p0.x - end.x) > 1e-9 || Math.abs(piece.p0.y - end.y) > 1e-9) add({ kind: 'line', to: piece.p0 });
    end = piece.p1;
    if (piece.kind === 'line' || isStraight(piece, tol)) return add({ kind: 'line', to: piece.p1 });
    const segs = curves === 'quadratic' ? quadraticSegments(piece, tol, report, `${where}.pieces[${k}]`) : cubicSegments(piece, tol, report);
    segs.forEach(add);
  });
  return { start, segments, hole: fit.hole === true, parent: typeof fit.parent === 'number' ? fit.parent : -1 };
}

/** Checks a piece of the model: finite points, a known kind, a finite u > 0. */
function checkPiece(piece: FittedContour['pieces'][number], at: string): void {
  finitePoint(piece?.p0, `${at}.p0`);
  finitePoint(piece.p1, `${at}.p1`);
  if (piece.kind === 'line') return;
  if (piece.kind !== 'conic') throw badModel(`${at}.kind must be 'line' or 'conic', got ${describeValue((piece as { kind: unknown }).kind)}`);
  for (const key of ['v', 'j', 'w'] as const) finitePoint(piece[key], `${at}.${key}`);
  if (!(typeof piece.u === 'number' && Number.isFinite(piece.u) && piece.u > 0))
    throw badModel(`${at}.u must be a finite positive number, got ${describeValue(piece.u)}`);
}

/** Both arcs within `tol` of the chord (exact, `arcSegmentDeviation`). */
function isStraight(piece: ConicPiece, tol: number): boolean {
  const [a, b] = conicPieceArcs(piece);
  const { p0, p1 } = piece;
  return Math.max(arcSegmentDeviation(a, p0.x, p0.y, p1.x, p1.y), arcSegmentDeviation(b, p0.x, p0.y, p1.x, p1.y)) <= tol;
}

function quadraticSegments(piece: ConicPiece, tol: number, report: CurveConversionReport, at: string): OutlineSegment[] {
  const one = intervalQuadratic(piece);
  if (one !== null) {
    const dev = checkedDeviation(conicIntervalEvaluator(piece), quadraticEvaluator(one));
    if (dev <= tol) {
      report.maxDeviation = Math.max(report.maxDeviation, dev);
      return [{ kind: 'quadratic', controls: [one[1]], to: piece.p1 }];
    }
  }
  if (Math.abs(piece.u - 1) < 1e-12) return [{ kind: 'quadratic', controls: [piece.v, piece.w], to: piece.p1 }];
  const split = arcsToQuadratics(conicPieceArcs(piece), tol);
  if (split === null) throw badModel(`${at} (u = ${piece.u}) needs more quadratics than allowed to stay within ${tol} px`);
  report.maxDeviation = Math.max(report.maxDeviation, split.deviation);
  return [{ kind: 'quadratic', controls: split.arcs.flat().map((a) => a.b), to: piece.p1 }];
}

/** The measured distance between a conic interval and one curve replacing it (`INTERVAL_CHECK`, margin included), px. */
function checkedDeviation(model: CurveEvaluator, curve: CurveEvaluator): number {
  const { samples, window, steps, peaks, margin } = INTERVAL_CHECK;
  return margin * curveHausdorff(arcLengthEvaluator(model), arcLengthEvaluator(curve), samples, window, steps, peaks);
}

function cubicSegments(piece: ConicPiece, tol: number, report: CurveConversionReport): OutlineSegment[] {
  const q = intervalCubic(piece, tol);
  if (q !== null) {
    const dev = checkedDeviation(conicIntervalEvaluator(piece), cubicEvaluator(q));
    if (dev <= tol) {
      report.maxDeviation = Math.max(report.maxDeviation, dev);
      return [{ kind: 'cubic', c1: q[1], c2: q[2], to: piece.p1 }];
    }
  }
  const out: OutlineSegment[] = [];
  for (const arc of conicPieceArcs(piece)) {
    const deviations: number[] = [];
    for (const c of arcToCubics(arc.a, arc.b, arc.c, arc.u, tol, deviations)) out.push({ kind: 'cubic', c1: c[1], c2: c[2], to: c[3] });
    report.maxDeviation = Math.max(report.maxDeviation, ...deviations);
  }
  return out;
}

/**
 * SVG path data of an outline contour: `M`, then `L`, `Q` (one per off-curve point, joints at
 * the midpoints) or `C`, and `Z`; numbers as `toSvg` prints them (docs/design.md §15.7).
 *
 * @example convertCurves(result).contours.map((c) => outlinePathData(c, 3)).join('')
 */
export function outlinePathData(contour: OutlineContour, precision: number): string {
  const w = new PathWriter(precision);
  w.move(contour.start.x, contour.start.y);
  for (const s of contour.segments) {
    if (s.kind === 'line') w.line(s.to.x, s.to.y);
    else if (s.kind === 'cubic') w.cubic(s.c1.x, s.c1.y, s.c2.x, s.c2.y, s.to.x, s.to.y);
    else {
      const m = s.controls.length;
      s.controls.forEach((c, k) => {
        const to = k === m - 1 ? s.to : { x: (c.x + s.controls[k + 1].x) / 2, y: (c.y + s.controls[k + 1].y) / 2 };
        w.quad(c.x, c.y, to.x, to.y);
      });
    }
  }
  w.close();
  return w.toString();
}

function finitePoint(p: unknown, where: string): Point {
  const q = p as { x?: unknown; y?: unknown } | null;
  if (q === null || typeof q !== 'object' || typeof q.x !== 'number' || typeof q.y !== 'number' || !Number.isFinite(q.x) || !Number.isFinite(q.y)) {
    throw badModel(`${where} must be a point with finite x and y`);
  }
  return q as Point;
}

function badModel(why: string): ConicfitError {
  return new ConicfitError('BAD_MODEL', `convertCurves: ${why}`);
}
