/**
 * Orthogonal deviation of a fitted piece from its data, which the tolerance is checked on (docs/design.md §12).
 *
 * Reads: the interval's data points (workspace bufX/bufY, m of them) and the piece flattened into
 * a polyline (workspace bufFlat, `count` vertices), plus the interval's ends (workspace `ends`).
 * Produces: a PieceReport — max and RMS orthogonal distance, the worst point, within tolerance.
 * Method: both directions, data point → nearest curve segment and curve vertex → nearest data
 * segment (so a piece overshooting between its points is caught). Each nearest-segment search is
 * local (a window around the previous foot), with a full scan, boxed in blocks of SCAN_BLOCK
 * segments, whenever the local answer exceeds the tolerance; at most MAX_FULL_SCANS per interval.
 * A caller that keeps the piece only within a bound may stop the measurement once the piece is
 * certain to break it (measureDeviation).
 */
import { mod } from '../geometry/cyclic.js';
import { pointSegmentDistance2 as importedDistance2 } from '../geometry/segment.js';
import type { PieceReport } from '../model.js';
import type { FitContext } from './context.js';
import type { FitWorkspace } from './workspace.js';

/**
 * The projection, bound once to a module constant for nearestSegment's hot loop: called through
 * the import, each call was a property read on the importing module's exports object under
 * vitest's module runner, which kept it from being inlined (golden test CPU time +15 %, most of it
 * here and in refine.ts). Same function, same arithmetic.
 */
const pointSegmentDistance2 = importedDistance2;

/**
 * Segments searched behind and ahead of the previous point's foot before a full scan: feet advance
 * with the points, and a window can only overstate a distance (docs/design.md §12.2, §18.23).
 */
const SEARCH_BEHIND = 4;
const SEARCH_AHEAD = 8;
/**
 * Full scans allowed per interval: bounds the O(m²) cost of a long interval far off its data; past it
 * an interval can only look worse (and be split), never better (docs/design.md §12.2, §18.23).
 */
const MAX_FULL_SCANS = 16;

/**
 * Smallest squared distance from (px, py) to segments [from, to) of a polyline whose vertex i is
 * (xs[i·stride], ys[i·stride + yOffset]) — the interleaved curve (bufFlat, stride 2, y offset 1)
 * or the split data points (bufX/bufY, stride 1) — starting from `best` (and the index already
 * in `ws.nearestIndex`); only a strictly closer segment replaces it. Serves both directions of the
 * deviation measure. Arrays rather than a distance callback, which made this call site
 * polymorphic and slow (docs/design.md §18.23).
 */
function nearestSegment(
  ws: FitWorkspace,
  px: number,
  py: number,
  from: number,
  to: number,
  xs: Float64Array,
  ys: Float64Array,
  stride: number,
  yOffset: number,
  best: number,
): number {
  for (let s = from; s < to; s++) {
    const i = s * stride,
      j = i + stride;
    const d2 = pointSegmentDistance2(px, py, xs[i], ys[i + yOffset], xs[j], ys[j + yOffset]);
    if (d2 < best) {
      best = d2;
      ws.nearestIndex = s;
    }
  }
  return best;
}

/** Segments per bounding box in deviationReport's full scans. */
const SCAN_BLOCK = 16;

/** Bounding boxes of the blocks of segments [0, segments) of a polyline laid out as in nearestSegment, into ws.bufBoxes from block `first` on. */
function blockBoxes(ws: FitWorkspace, first: number, segments: number, xs: Float64Array, ys: Float64Array, stride: number, yOffset: number): void {
  const blocks = Math.ceil(segments / SCAN_BLOCK);
  ws.ensureBoxes(first + blocks);
  const bufBoxes = ws.bufBoxes;
  for (let b = 0; b < blocks; b++) {
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (let v = b * SCAN_BLOCK; v <= Math.min(segments, (b + 1) * SCAN_BLOCK); v++) {
      const x = xs[v * stride],
        y = ys[v * stride + yOffset];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const o = 4 * (first + b);
    bufBoxes[o] = minX;
    bufBoxes[o + 1] = minY;
    bufBoxes[o + 2] = maxX;
    bufBoxes[o + 3] = maxY;
  }
}

/**
 * Margin for skipping a block by its box: with every coordinate below M in magnitude, rounding
 * moves pointSegmentDistance2's distance and the box test by well under 64·2⁻⁵³·M, far below
 * 2⁻⁴⁰·(1 + M). M bounds all data points and curve vertices (the query points of both
 * directions): the data's by the contour's largest local coordinate (FitContext.rawMax; any
 * larger M only skips fewer blocks, the result is the plain scan's either way), which saves a
 * pass over the interval's points per measure.
 */
function scanSlack(ctx: FitContext, count: number): number {
  const bufFlat = ctx.ws.bufFlat;
  let big = ctx.rawMax;
  for (let i = 0; i < 2 * count; i++) {
    const a = Math.abs(bufFlat[i]);
    if (a > big) big = a;
    else if (a !== a) return NaN; // then no block is skipped, as before
  }
  return 2 ** -40 * (1 + big);
}

/**
 * nearestSegment over all `segments` (boxes from block `first` of ws.bufBoxes), skipping each block
 * whose box lies farther than √best + slack: none of its segments could come out strictly closer,
 * so the result and ws.nearestIndex are those of the plain scan. A NaN anywhere skips nothing.
 */
function nearestSegmentBoxed(
  ws: FitWorkspace,
  px: number,
  py: number,
  segments: number,
  xs: Float64Array,
  ys: Float64Array,
  stride: number,
  yOffset: number,
  best: number,
  first: number,
  slack: number,
): number {
  const bufBoxes = ws.bufBoxes;
  let bound = (Math.sqrt(best) + slack) ** 2;
  for (let b = first, s = 0; s < segments; b++, s += SCAN_BLOCK) {
    const gx = Math.max(bufBoxes[4 * b] - px, px - bufBoxes[4 * b + 2], 0);
    const gy = Math.max(bufBoxes[4 * b + 1] - py, py - bufBoxes[4 * b + 3], 0);
    if (gx * gx + gy * gy >= bound) continue;
    const before = best;
    best = nearestSegment(ws, px, py, s, Math.min(segments, s + SCAN_BLOCK), xs, ys, stride, yOffset, best);
    if (best !== before) bound = (Math.sqrt(best) + slack) ** 2;
  }
  return best;
}

/**
 * When a measurement may stop early, its piece being rejected anyway (docs/design.md §9.8, §18.28):
 * 'never'; 'tolerance' — once the piece is certain to measure over the tolerance; 'bounds' — once it
 * is certain to break the bounds of `exceeds` (over the tolerance, or in conic mode over the RMS bound).
 */
export type DeviationStop = 'never' | 'tolerance' | 'bounds';

/** Orthogonal distance of every data point (bufX/bufY, m) to the polyline in bufFlat (count vertices). */
export function deviationReport(ctx: FitContext, from: number, m: number, count: number, S: number): PieceReport {
  return measureDeviation(ctx, from, m, count, S, 'never')!;
}

/**
 * deviationReport, or null as soon as the report is certain to break the bound `stop` names. Exact:
 * every distance is the one the full report would count, the largest can only grow and the sum of
 * squares only rise (non-negative terms), so null ⇔ the full report breaks that bound.
 */
export function measureDeviation(ctx: FitContext, from: number, m: number, count: number, S: number, stop: DeviationStop): PieceReport | null {
  const { ws } = ctx;
  const { bufX, bufY, bufFlat, ends } = ws;
  let maxD = 0;
  let worst = 0;
  let sumSq = 0;
  const segments = count - 1;
  const tol2 = ctx.o.tolerance * ctx.o.tolerance;
  let near = 0; // segment nearest to the previous point: consecutive points have nearby feet
  let fullScans = 0;
  // Full scans skip blocks of segments by their bounding boxes, set up at a report's first full scan.
  let slack = -1;
  let curveBoxes = false,
    dataBoxes = false;
  const curveBlocks = Math.ceil(segments / SCAN_BLOCK);
  const tolerance = ctx.o.tolerance;
  // The RMS bound, when the report may stop on it: over the points measured, known in advance.
  const rmsBound = stop === 'bounds' && ctx.mode === 'conic' ? ctx.o.rmsTolerance : Infinity;
  const skipped = m === 1 ? (ends.skipFirst || ends.skipLast ? 1 : 0) : (ends.skipFirst ? 1 : 0) + (ends.skipLast ? 1 : 0);
  const toMeasure = Math.max(1, m - skipped);
  let measured = 0;
  for (let k = 0; k < m; k++) {
    if ((k === 0 && ends.skipFirst) || (k === m - 1 && ends.skipLast)) continue;
    measured++;
    const px = bufX[k],
      py = bufY[k];
    // Local search around the previous foot; a full scan whenever the local answer exceeds the
    // tolerance, so every over-tolerance distance (the ones that drive decisions) is exact.
    ws.nearestIndex = near;
    let best = nearestSegment(ws, px, py, Math.max(0, near - SEARCH_BEHIND), Math.min(segments, near + SEARCH_AHEAD + 1), bufFlat, bufFlat, 2, 1, Infinity);
    if (best > tol2 * 0.99 && fullScans++ < MAX_FULL_SCANS) {
      if (slack < 0) slack = scanSlack(ctx, count);
      if (!curveBoxes) {
        blockBoxes(ws, 0, segments, bufFlat, bufFlat, 2, 1);
        curveBoxes = true;
      }
      best = nearestSegmentBoxed(ws, px, py, segments, bufFlat, bufFlat, 2, 1, best, 0, slack);
    }
    near = ws.nearestIndex;
    sumSq += best;
    // The first of (near-)equal worst points wins, whatever the rounding.
    if (best > maxD + 1e-12) {
      maxD = best;
      worst = k;
      if (stop !== 'never' && Math.sqrt(maxD) > tolerance) return null;
    }
    if (rmsBound < Infinity && Math.sqrt(sumSq / toMeasure) > rmsBound) return null;
  }
  // The other direction: how far the curve strays from the data (polyline through the points).
  // A piece can overshoot between or beyond its points (e.g. a tangent estimated backwards at a
  // serif) while every point lies close to it; measured one way only, that went unreported.
  let nearData = 0;
  // Curve vertices may be sparser than the data (a line piece has two): widen the window to match.
  const aheadData = Math.max(SEARCH_AHEAD, 2 * Math.ceil((m - 1) / Math.max(1, segments)));
  for (let s = 0; s < count && m > 1; s++) {
    const qx = bufFlat[2 * s],
      qy = bufFlat[2 * s + 1];
    // A vertex only counts when its distance exceeds the largest so far: one segment of its window
    // within that (and within the full-scan threshold, so no full scan is spent either) settles it
    // without the rest of the window (docs/design.md §18.28). Looked at: the segment nearest to the
    // previous vertex and the next one, which then centres the next window.
    const settled = Math.min(maxD + 1e-12, tol2 * 0.99);
    if (pointSegmentDistance2(qx, qy, bufX[nearData], bufY[nearData], bufX[nearData + 1], bufY[nearData + 1]) <= settled) continue;
    if (nearData + 2 < m && pointSegmentDistance2(qx, qy, bufX[nearData + 1], bufY[nearData + 1], bufX[nearData + 2], bufY[nearData + 2]) <= settled) {
      nearData++;
      continue;
    }
    ws.nearestIndex = nearData;
    let best = nearestSegment(ws, qx, qy, Math.max(0, nearData - SEARCH_BEHIND), Math.min(m - 1, nearData + aheadData + 1), bufX, bufY, 1, 0, Infinity);
    if (best > tol2 * 0.99 && fullScans++ < MAX_FULL_SCANS) {
      if (slack < 0) slack = scanSlack(ctx, count);
      if (!dataBoxes) {
        blockBoxes(ws, curveBlocks, m - 1, bufX, bufY, 1, 0);
        dataBoxes = true;
      }
      best = nearestSegmentBoxed(ws, qx, qy, m - 1, bufX, bufY, 1, 0, best, curveBlocks, slack);
    }
    const bestSeg = ws.nearestIndex;
    nearData = bestSeg;
    const { raw } = ctx;
    if (ends.before >= 0) best = Math.min(best, pointSegmentDistance2(qx, qy, raw[2 * ends.before], raw[2 * ends.before + 1], bufX[0], bufY[0]));
    if (ends.after >= 0) best = Math.min(best, pointSegmentDistance2(qx, qy, bufX[m - 1], bufY[m - 1], raw[2 * ends.after], raw[2 * ends.after + 1]));
    if (best > maxD + 1e-12) {
      maxD = best;
      if (stop !== 'never' && Math.sqrt(maxD) > tolerance) return null;
      // Split at the data point nearer to that stray part of the curve (interior points only).
      const k = bestSeg + ((qx - bufX[bestSeg]) ** 2 + (qy - bufY[bestSeg]) ** 2 > (qx - bufX[bestSeg + 1]) ** 2 + (qy - bufY[bestSeg + 1]) ** 2 ? 1 : 0);
      worst = Math.min(m - 2, Math.max(1, k));
    }
  }
  const maxDeviation = Math.sqrt(maxD);
  return {
    pointCount: m,
    S,
    rms: Math.sqrt(sumSq / Math.max(1, measured)),
    maxDeviation,
    worstIndex: mod(from + worst, ctx.n),
    withinTolerance: maxDeviation <= ctx.o.tolerance,
  };
}
