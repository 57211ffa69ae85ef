/**
 * The fitted model as lines and polynomial curves only (docs/design.md §21.1–§21.3): quadratic
 * Bézier splines (TrueType) or cubic Béziers (CFF, and SVG consumers without arcs), each
 * conversion within a tolerance of the model, with a report of what it added.
 *
 * Reads: a `TraceResult` (src/model.ts). Produces: `Outline` records in image pixels (y down) and
 * a `CurveConversionReport`; `outlinePathData` prints one as SVG path data (only M, L, Q or C, Z).
 * Pure. `toSvg(result, { curves })` and the font writers (src/font/) read it.
 *
 * Per conic interval on its own, the first that applies:
 *   1. a line to P₁ when both arcs are within `tolerance` of the chord (exact, `arcSegmentDeviation`);
 *   2. quadratic: one quadratic for the interval (control point where the end tangents meet,
 *      `intervalQuadratic`) when within `tolerance`; the interval itself when u = 1 (V, W);
 *      else both arcs split alike into the fewest equal-weight quadratics within
 *      `tolerance` (`arcsToQuadratics`): one segment of 2n off-curve points whose joints are
 *      implied midpoints, J included (docs/design.md §21.1);
 *      cubic: one cubic for the interval (`intervalCubic`, checked as the SVG writer checks it),
 *      else per arc `arcToCubics` (u = 1: the exact degree elevation) (docs/design.md §21.2).
 * Then per run of curved intervals joined C¹: the fewest G¹ pieces with joins anywhere on the run
 * (a greedy cover, `coverRun`) when that takes fewer commands (docs/design.md §21.9).
 */
import { ConicfitError, badOption, describeValue } from '../errors.js';
import { conicPieceArcs } from '../geometry/conic.js';
import { arcToCubics } from '../geometry/conversion.js';
import { arcLengthEvaluator, conicIntervalEvaluator, ConicRun, cubicEvaluator, type CurveEvaluator } from '../geometry/curves.js';
import { arcSegmentDeviation, curveHausdorff, INTERVAL_CHECK } from '../geometry/hausdorff.js';
import { g1Cubic, intervalCubic } from '../geometry/interval-cubic.js';
import { fittedQuadratic, g1Quadratic, intervalQuadratic, quadraticEvaluator } from '../geometry/interval-quadratic.js';
import { arcsToQuadratics } from '../geometry/quadratic.js';
import type { ConicPiece, FittedContour, TraceResult } from '../model.js';
import type { Point } from '../types.js';
import { PathWriter } from './path-writer.js';
import * as dm from '../geometry/fdlibm.js';

/** How conic intervals are written: as the model has them (`toSvg` only), or as polynomial curves. */
export type CurveMode = 'native' | 'quadratic' | 'cubic';

/** Largest sine of the angle between two intervals' tangents at a knot that still joins them in a run (a smooth knot shares one tangent). */
const RUN_TANGENT_SINE = 1e-9;
/** Bisection steps placing each on-curve join of a run's cover (the join moves by ≤ run length / 2¹²). */
const COVER_STEPS = 12;

/**
 * Offsets of a quadratic cover's joins from the model, in units of the tolerance, tried in this
 * order per stretch (the first with the fewest pieces wins): on the model, then to either side.
 */
const JOIN_OFFSETS = [0, 0.5, -0.5] as const;

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
  const pieces = fit.pieces;
  for (let k = 0; k < pieces.length;) {
    const piece = pieces[k];
    // A gap in the model is bridged by a line, as the SVG writer does.
    if (Math.abs(piece.p0.x - end.x) > 1e-9 || Math.abs(piece.p0.y - end.y) > 1e-9) add({ kind: 'line', to: piece.p0 });
    const straight = piece.kind === 'line' ? 0 : chordDeviation(piece);
    if (piece.kind === 'line' || straight <= tol) {
      // A conic within tol of its chord is written as a line; its distance counts in the report.
      report.maxDeviation = Math.max(report.maxDeviation, straight);
      report.intervals++;
      add({ kind: 'line', to: piece.p1 });
      end = piece.p1;
      k++;
      continue;
    }
    // The run of curved intervals joined C¹ from here (docs/design.md §21.9).
    const run: ConicPiece[] = [piece];
    while (k + run.length < pieces.length && joinsSmoothly(run[run.length - 1], pieces[k + run.length], tol)) run.push(pieces[k + run.length] as ConicPiece);
    report.intervals += run.length;
    // A run end at a corner keeps its point but not its tangent (G⁰ there in the model).
    const before = pieces[(k + pieces.length - 1) % pieces.length],
      after = pieces[(k + run.length) % pieces.length];
    const corners = { start: !sameTangent(before, piece), end: !sameTangent(run[run.length - 1], after) };
    for (const s of convertRun(run, curves, tol, corners, report, `${where}.pieces[${k}]`)) add(s);
    end = run[run.length - 1].p1;
    k += run.length;
  }
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
  return chordDeviation(piece) <= tol;
}

/** The largest distance of an interval's arcs from its chord, px (exact, `arcSegmentDeviation`). */
function chordDeviation(piece: ConicPiece): number {
  const [a, b] = conicPieceArcs(piece);
  const { p0, p1 } = piece;
  return Math.max(arcSegmentDeviation(a, p0.x, p0.y, p1.x, p1.y), arcSegmentDeviation(b, p0.x, p0.y, p1.x, p1.y));
}

/** Segments written for some model and their largest measured distance from it, px. */
interface Converted {
  segments: OutlineSegment[];
  deviation: number;
}

function quadraticSegments(piece: ConicPiece, tol: number, at: string): Converted {
  const one = intervalQuadratic(piece);
  if (one !== null) {
    const dev = checkedDeviation(conicIntervalEvaluator(piece), quadraticEvaluator(one));
    if (dev <= tol) return { segments: [{ kind: 'quadratic', controls: [one[1]], to: piece.p1 }], deviation: dev };
  }
  if (Math.abs(piece.u - 1) < 1e-12) return { segments: [{ kind: 'quadratic', controls: [piece.v, piece.w], to: piece.p1 }], deviation: 0 };
  const split = arcsToQuadratics(conicPieceArcs(piece), tol);
  if (split === null) throw badModel(`${at} (u = ${piece.u}) needs more quadratics than allowed to stay within ${tol} px`);
  return { segments: [{ kind: 'quadratic', controls: split.arcs.flat().map((a) => a.b), to: piece.p1 }], deviation: split.deviation };
}

/** The measured distance between a conic interval and one curve replacing it (`INTERVAL_CHECK`, margin included), px. */
function checkedDeviation(model: CurveEvaluator, curve: CurveEvaluator): number {
  const { samples, window, steps, peaks, margin } = INTERVAL_CHECK;
  return margin * curveHausdorff(arcLengthEvaluator(model), arcLengthEvaluator(curve), samples, window, steps, peaks);
}

function cubicSegments(piece: ConicPiece, tol: number): Converted {
  const q = intervalCubic(piece, tol);
  if (q !== null) {
    const dev = checkedDeviation(conicIntervalEvaluator(piece), cubicEvaluator(q));
    if (dev <= tol) return { segments: [{ kind: 'cubic', c1: q[1], c2: q[2], to: piece.p1 }], deviation: dev };
  }
  const segments: OutlineSegment[] = [];
  const deviations: number[] = [0];
  for (const arc of conicPieceArcs(piece)) {
    for (const c of arcToCubics(arc.a, arc.b, arc.c, arc.u, tol, deviations)) segments.push({ kind: 'cubic', c1: c[1], c2: c[2], to: c[3] });
  }
  return { segments, deviation: Math.max(...deviations) };
}

/** Which ends of a run are corners of the model (tangent not kept there). */
interface Corners {
  start: boolean;
  end: boolean;
}

/** Whether b starts with a's end tangent (a smooth knot), whatever b's kind. */
function sameTangent(a: FittedContour['pieces'][number], b: FittedContour['pieces'][number]): boolean {
  const [ax, ay] = a.kind === 'line' ? [a.p1.x - a.p0.x, a.p1.y - a.p0.y] : [a.p1.x - a.w.x, a.p1.y - a.w.y];
  const [bx, by] = b.kind === 'line' ? [b.p1.x - b.p0.x, b.p1.y - b.p0.y] : [b.v.x - b.p0.x, b.v.y - b.p0.y];
  const cross = ax * by - ay * bx,
    dot = ax * bx + ay * by;
  return dot > 0 && Math.abs(cross) <= RUN_TANGENT_SINE * dm.hypot(ax, ay) * dm.hypot(bx, by);
}

/** Commands drawn by some segments (a quadratic spline counts its off-curve points). */
function commandCount(segments: readonly OutlineSegment[]): number {
  let n = 0;
  for (const s of segments) n += s.kind === 'quadratic' ? s.controls.length : 1;
  return n;
}

/** Whether curved interval b continues a run after a: b starts where a ends, with a's end tangent (a smooth knot, C¹), and is not a line. */
function joinsSmoothly(a: ConicPiece, b: FittedContour['pieces'][number], tol: number): b is ConicPiece {
  if (b.kind !== 'conic' || Math.abs(b.p0.x - a.p1.x) > 1e-9 || Math.abs(b.p0.y - a.p1.y) > 1e-9) return false;
  const ax = a.p1.x - a.w.x,
    ay = a.p1.y - a.w.y,
    bx = b.v.x - b.p0.x,
    by = b.v.y - b.p0.y;
  const cross = ax * by - ay * bx,
    dot = ax * bx + ay * by;
  return dot > 0 && Math.abs(cross) <= RUN_TANGENT_SINE * dm.hypot(ax, ay) * dm.hypot(bx, by) && !isStraight(b, tol);
}

/**
 * A run of curved intervals joined C¹ as quadratics or cubics (docs/design.md §21.9): each
 * interval on its own (`quadraticSegments`, `cubicSegments`), or, when that takes more commands,
 * the fewest G¹ pieces with on-curve joins anywhere on the run (`coverRun`).
 */
function convertRun(
  run: ConicPiece[],
  curves: 'quadratic' | 'cubic',
  tol: number,
  corners: Corners,
  report: CurveConversionReport,
  at: string,
): OutlineSegment[] {
  const own = run.map((piece) => (curves === 'quadratic' ? quadraticSegments(piece, tol, at) : cubicSegments(piece, tol)));
  const ownSegments = own.flatMap((c) => c.segments);
  const ownCount = commandCount(ownSegments);
  const covered = ownCount > 1 ? coverRun(new ConicRun(run), curves, tol, corners, ownCount - 1) : null;
  const chosen = covered ?? { segments: ownSegments, deviation: Math.max(...own.map((c) => c.deviation)) };
  report.maxDeviation = Math.max(report.maxDeviation, chosen.deviation);
  return chosen.segments;
}

/**
 * The fewest G¹ quadratics or cubics, at most `maxPieces`, that follow a run within `tol`, or
 * null. On-curve joins lie on the model with the model's tangent there; the run is first cut
 * where it inflects (a G¹ quadratic cannot turn both ways), at J or at a knot (each arc turns one
 * way). Each stretch is covered greedily: the longest piece from the current join that is within
 * `tol` (bisection on its end, `COVER_STEPS`), then the next. While a piece's distance grows with
 * its length, the greedy cover has the fewest pieces.
 */
function coverRun(run: ConicRun, curves: 'quadratic' | 'cubic', tol: number, corners: Corners, maxPieces: number): Converted | null {
  const segments: OutlineSegment[] = [];
  let deviation = 0;
  const cuts = inflections(run);
  for (let s = 0; s + 1 < cuts.length; s++) {
    // Quadratics: joins on the model, or all moved off it by the same distance to either side (see JOIN_OFFSETS).
    let best: Converted | null = null;
    for (const offset of curves === 'quadratic' ? JOIN_OFFSETS : [0]) {
      const budget = Math.min(maxPieces - segments.length, best === null ? Infinity : best.segments.length - 1);
      const c = coverStretch(run, cuts[s], cuts[s + 1], offset * tol, curves, tol, corners, budget);
      if (c !== null) best = c;
    }
    if (best === null) return null;
    segments.push(...best.segments);
    deviation = Math.max(deviation, best.deviation);
  }
  return { segments, deviation };
}

/**
 * The greedy cover of the stretch [lo, hi] of a run (see `coverRun`) by at most `maxPieces`, or
 * null. Interior joins lie `offset` px to the left of the model (along the left normal of its
 * tangent) with the model's tangent: the G¹ quadratic through two points of a convex curve lies on
 * one side of it, so moving the joins to the other side lets the error swing both ways and a piece
 * grow (docs/design.md §21.9). The stretch's ends stay on the model.
 */
function coverStretch(
  run: ConicRun,
  lo: number,
  hi: number,
  offset: number,
  curves: 'quadratic' | 'cubic',
  tol: number,
  corners: Corners,
  maxPieces: number,
): Converted | null {
  const p = new Float64Array(2);
  /** The join at T: a knot exactly as the model has it; inside the stretch moved by `offset`. */
  const at = (T: number, d: Point): Point => {
    if (Number.isInteger(T)) {
      const knot = T === 0 ? run.pieces[0].p0 : run.pieces[T - 1].p1;
      if (T === lo || T === hi || offset === 0) return knot;
      return { x: knot.x - offset * d.y, y: knot.y + offset * d.x };
    }
    run.point(T, p);
    const k = T === lo || T === hi ? 0 : offset;
    return { x: p[0] - k * d.y, y: p[1] + k * d.x };
  };
  /** The piece over [T0, T1] when within tol. */
  const fit = (T0: number, T1: number): Converted | null => {
    const d0 = run.tangent(T0),
      d1 = run.tangent(T1);
    const from = at(T0, d0),
      to = at(T1, d1);
    const model = run.part(T0, T1);
    if (curves === 'quadratic') {
      const free0 = corners.start && T0 === 0,
        free1 = corners.end && T1 === run.length;
      // At a corner end: the control point fitted (its tangent free), else or then the G¹ quadratic.
      const tries = free0 || free1 ? [fittedQuadratic(arcLengthEvaluator(model), from, free0 ? null : d0, to, free1 ? null : d1)] : [];
      tries.push(g1Quadratic(from, d0, to, d1));
      for (const q of tries) {
        if (q === null) continue;
        const dev = checkedDeviation(model, quadraticEvaluator(q));
        if (dev <= tol) return { segments: [{ kind: 'quadratic', controls: [q[1]], to }], deviation: dev };
      }
      return null;
    }
    const c = g1Cubic(arcLengthEvaluator(model), from, d0, to, d1, tol);
    if (c === null) return null;
    const dev = checkedDeviation(model, cubicEvaluator(c));
    return dev <= tol ? { segments: [{ kind: 'cubic', c1: c[1], c2: c[2], to }], deviation: dev } : null;
  };
  const segments: OutlineSegment[] = [];
  let deviation = 0;
  let T0 = lo;
  while (T0 < hi) {
    if (segments.length >= maxPieces) return null;
    let best = fit(T0, hi),
      bestT = hi;
    if (best === null) {
      let a = T0,
        b = hi;
      for (let it = 0; it < COVER_STEPS; it++) {
        const mid = (a + b) / 2;
        const f = fit(T0, mid);
        if (f !== null) {
          best = f;
          bestT = mid;
          a = mid;
        } else b = mid;
      }
    }
    if (best === null) return null;
    segments.push(...best.segments);
    deviation = Math.max(deviation, best.deviation);
    T0 = bestT;
  }
  return { segments, deviation };
}

/** 0, the run's inflections (T at a J or a knot where the turning direction changes), and its length, ascending. */
function inflections(run: ConicRun): number[] {
  const out = [0];
  let last = 0;
  run.pieces.forEach((p, k) => {
    const turns = [turn(p.p0, p.v, p.j), turn(p.j, p.w, p.p1)];
    turns.forEach((t, h) => {
      if (t !== 0 && last !== 0 && t !== last) out.push(k + h / 2);
      if (t !== 0) last = t;
    });
  });
  out.push(run.length);
  return out;
}

/** Sign of the turn of the control polygon a → b → c (0 when straight within rounding). */
function turn(a: Point, b: Point, c: Point): number {
  const cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
  const scale = dm.hypot(b.x - a.x, b.y - a.y) * dm.hypot(c.x - b.x, c.y - b.y);
  return Math.abs(cross) <= 1e-12 * scale ? 0 : Math.sign(cross);
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
