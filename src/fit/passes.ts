/**
 * The passes of the knot loop (docs/design.md §9.3–§9.7), in the order src/fit/index.ts runs them.
 *
 * Reads: the fit context and the knots so far. Produces: fitted intervals (knot pair + piece), then
 * the final knots and pieces and the contour's FittedContour in image coordinates.
 * Method: greedy insertion — an interval over tolerance gets a knot at its worst point and both
 * halves are refitted, within a knot budget (insertUntilWithinTolerance); conic pieces over the
 * RMS bound are split when both halves stay within tolerance (splitOverRms); knots whose two pieces
 * refit as one within the bounds are removed (mergeRedundantKnots). The fit of an interval depends
 * only on its two knots, so intervals found over the bounds are remembered (`failed`, by pairKey)
 * and never refitted. A fit whose piece would be split or thrown away stops as soon as that is
 * certain (fitIntervalWithin): a hopeless interval is split without refinement or measurement.
 */
import { mod } from '../geometry/cyclic.js';
import type { ContourReport, FittedContour, FittedPiece, Knot } from '../model.js';
import type { Contour } from '../types.js';
import type { FitContext } from './context.js';
import { fitInterval, fitIntervalWithin } from './interval.js';
import { knotAt, makeKnot, pairKey, worstUnwrapped, type WorkKnot } from './knots.js';

/** A fitted interval between two knots, while fitting. */
export interface FittedInterval {
  a: WorkKnot;
  b: WorkKnot;
  piece: FittedPiece;
}

/**
 * First pass: fit every interval between consecutive knots; split the ones over tolerance at their
 * worst point while the budget (maxKnots) lasts, the farthest-off interval first, so that a budget
 * too small for the tolerance is spent where the fit is worst (docs/design.md §9.3). An interval
 * left over tolerance is flagged (withinTolerance false), never silently accepted. The closing
 * interval ends at a copy of the first knot, one turn on (at + n). Intervals found over tolerance
 * go into `failed`, which the merge pass does not refit (docs/design.md §9.3, §18.22). Returned in
 * knot order.
 */
export function insertUntilWithinTolerance(
  ctx: FitContext,
  knots: WorkKnot[],
  maxKnots: number,
  failed: Set<string>,
): { intervals: FittedInterval[]; knotCount: number } {
  const { n, o } = ctx;
  const done: FittedInterval[] = [];
  // Intervals over tolerance that may be split, each with its piece (null when hopeless: not
  // measured), the deviation that orders them (for a hopeless one, its largest residual at the
  // chord-length parameters) and the point to split at.
  const over: Array<{ a: WorkKnot; b: WorkKnot; piece: FittedPiece | null; deviation: number; splitAt: number }> = [];
  let knotCount = knots.length;
  const fit = (a: WorkKnot, b: WorkKnot): void => {
    // An interval that may be split need not be measured when its annealed conic is hopeless:
    // null, split at ws.splitAt (docs/design.md §9.3, §18.28).
    const splittable = b.at - a.at >= 2 && knotCount < maxKnots;
    const piece = splittable ? fitIntervalWithin(ctx, a, b, 'split') : fitInterval(ctx, a, b);
    const tooFar = piece === null || piece.report.maxDeviation > o.tolerance;
    if (tooFar) failed.add(pairKey(a.at, b.at, n));
    if (piece === null || (tooFar && splittable)) {
      const at = piece === null ? ctx.ws.splitAt : piece.report.worstIndex;
      over.push({ a, b, piece, deviation: piece === null ? ctx.ws.splitResidual : piece.report.maxDeviation, splitAt: at });
      return;
    }
    piece.report.withinTolerance = !tooFar;
    done.push({ a, b, piece });
  };
  for (let k = 0; k < knots.length; k++) fit(knots[k], knots[k + 1] ?? knotAt(knots[0], knots[0].at + n));
  while (over.length > 0) {
    let worst = 0;
    for (let k = 1; k < over.length; k++) if (over[k].deviation > over[worst].deviation) worst = k;
    const { a, b, piece, splitAt } = over[worst];
    over[worst] = over[over.length - 1];
    over.pop();
    if (knotCount >= maxKnots) {
      // Budget spent: the interval stays whole, flagged; a hopeless one is measured now (the
      // others were fitted whole and measured: 'split' stops early only when hopeless).
      const whole = piece ?? fitInterval(ctx, a, b);
      whole.report.withinTolerance = whole.report.maxDeviation <= o.tolerance;
      done.push({ a, b, piece: whole });
      continue;
    }
    const mid = makeKnot(ctx, worstUnwrapped(a.at, b.at, splitAt, n), 'intermediate', a.at, b.at);
    knotCount++;
    fit(a, mid);
    fit(mid, b);
  }
  done.sort((p, q) => p.a.at - q.a.at);
  return { intervals: done, knotCount };
}

/**
 * Second pass (conic mode): pieces within tolerance but over rmsTolerance are split at their
 * worst point with the knots the first pass left, kept only when both halves stay within
 * tolerance, so the bound never takes a knot the tolerance needed (docs/design.md §9.4).
 * Returned in the order given, each split's halves in its place.
 */
export function splitOverRms(ctx: FitContext, done: FittedInterval[], failed: Set<string>, budget: number): FittedInterval[] {
  const { n, o } = ctx;
  const out: FittedInterval[] = [];
  const stack = [...done].reverse();
  while (stack.length > 0) {
    const { a, b, piece } = stack.pop()!;
    const r = piece.report;
    if (r.withinTolerance && r.rms > o.rmsTolerance && b.at - a.at >= 2 && budget > 0) {
      failed.add(pairKey(a.at, b.at, n));
      const mid = makeKnot(ctx, worstUnwrapped(a.at, b.at, r.worstIndex, n), 'intermediate', a.at, b.at);
      // Kept only when both halves are within tolerance: a half over it need not be measured whole,
      // and the right half not fitted at all (fitIntervalWithin, docs/design.md §18.28).
      const left = fitIntervalWithin(ctx, a, mid, 'tolerance');
      const right = left && fitIntervalWithin(ctx, mid, b, 'tolerance');
      if (left && right) {
        budget--;
        left.report.withinTolerance = right.report.withinTolerance = true;
        stack.push({ a: mid, b, piece: right }, { a, b: mid, piece: left });
        continue;
      }
    }
    out.push({ a, b, piece });
  }
  return out;
}

/**
 * Removes each non-corner knot whose two pieces refit as one within the bounds, until none can go
 * (insertion is greedy); a closed contour keeps at least two knots (docs/design.md §9.5, §18.22).
 * Knots in `held` (contour indices; the run-end seeds of run-knots.ts) are never removed either:
 * a conic over round + straight side + round passes the bounds (docs/design.md §18.37).
 */
export function mergeRedundantKnots(
  ctx: FitContext,
  knots: WorkKnot[],
  pieces: FittedPiece[],
  failed: Set<string>,
  held: ReadonlySet<number> = new Set(),
): { knots: WorkKnot[]; pieces: FittedPiece[] } {
  const { n } = ctx;
  let changed = true;
  while (changed && knots.length > 2) {
    changed = false;
    for (let i = 0; i < knots.length && knots.length > 2;) {
      const at = mod(knots[i].at, n);
      if (knots[i].kind === 'corner' || held.has(at)) {
        i++;
        continue;
      }
      const prev = mod(i - 1, knots.length);
      const next = mod(i + 1, knots.length);
      // Unwrap so that a.at < knots[i].at < b.at.
      const a = prev > i ? knotAt(knots[prev], knots[prev].at - n) : knots[prev];
      const b = next < i ? knotAt(knots[next], knots[next].at + n) : knots[next];
      const key = pairKey(a.at, b.at, n);
      if (failed.has(key)) {
        i++;
        continue;
      }
      // Kept only within the bounds: a refit that breaks them is abandoned as soon as that is certain.
      const merged = fitIntervalWithin(ctx, a, b, 'bounds');
      if (merged) {
        merged.report.withinTolerance = true;
        pieces[prev] = merged;
        knots.splice(i, 1);
        pieces.splice(i, 1);
        changed = true;
      } else {
        failed.add(key);
        i++;
      }
    }
  }
  return { knots, pieces };
}

/**
 * Last pass: the knots and pieces back in image coordinates (from the context's local origin;
 * corners included: cornerPosition may have moved them off the data), each piece's ends set to its
 * knots, and the contour's report.
 */
export function finishContour(ctx: FitContext, contour: Contour, kept: WorkKnot[], pieces: FittedPiece[]): FittedContour {
  const { n, mode, originX: ox, originY: oy } = ctx;
  const finalKnots: Knot[] = kept.map((a) => {
    const index = mod(a.at, n);
    // Back from local coordinates (corners included: cornerPosition may have moved them off the data).
    return { index, x: a.x + ox, y: a.y + oy, kind: a.kind };
  });
  pieces.forEach((p, i) => {
    translatePiece(p, ox, oy);
    const start = finalKnots[i],
      end = finalKnots[mod(i + 1, finalKnots.length)];
    p.p0 = { x: start.x, y: start.y };
    p.p1 = { x: end.x, y: end.y };
  });
  return { mode, hole: contour.hole, parent: contour.parent, knots: finalKnots, pieces, report: contourReport(ctx, finalKnots, pieces) };
}

/** Moves every point of a piece by (dx, dy), in place. */
function translatePiece(p: FittedPiece, dx: number, dy: number): void {
  const points = p.kind === 'line' ? [p.p0, p.p1] : [p.p0, p.v, p.j, p.w, p.p1];
  for (const q of points) {
    q.x += dx;
    q.y += dy;
  }
}

/** The contour's totals: knots by kind, intervals, the largest deviation, the RMS over all points, the intervals over tolerance. */
function contourReport(ctx: FitContext, knots: Knot[], pieces: FittedPiece[]): ContourReport {
  let maxDeviation = 0;
  let sumSq = 0;
  let counted = 0;
  let failed = 0;
  for (const p of pieces) {
    const r = p.report;
    if (r.maxDeviation > maxDeviation) maxDeviation = r.maxDeviation;
    // Over the pieces' points: a knot two pieces share counts in both (a corner knot may lie off its
    // data point, so dropping one of the two would let the RMS exceed the largest deviation).
    sumSq += r.rms * r.rms * r.pointCount;
    counted += r.pointCount;
    if (!r.withinTolerance) failed++;
  }
  return {
    points: ctx.n,
    corners: knots.filter((k) => k.kind === 'corner').length,
    intermediatePoints: knots.filter((k) => k.kind === 'intermediate').length,
    intervals: pieces.length,
    maxDeviation,
    rms: counted > 0 ? Math.sqrt(sumSq / counted) : 0,
    failedIntervals: failed,
  };
}
