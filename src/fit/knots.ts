/**
 * Knots: where the spline is pinned, and the tangents it has there.
 *
 * Reads: the fit context (raw and smoothed contour points, options) and the detected corners.
 * Produces: WorkKnots — position in unwrapped index space, the point the spline passes through and
 * its in/out unit tangents: the initial knots (the corners; two seeds on a contour without any) and
 * any knot inserted later (makeKnot), plus the index helpers of the knot loop.
 * Method: a corner gets one-sided tangents per side (G⁰ there) and sits where its fitted arms meet
 * (cornerPosition); a seed or intermediate knot gets one shared parabola tangent (C¹), on the
 * smoothed contour within tolerance/2 of its data point (docs/design.md §9.2, §4.5, §10).
 */
import { mod } from '../geometry/cyclic.js';
import type { KnotKind } from '../model.js';
import type { Corner } from '../types.js';
import type { FitContext } from './context.js';
import { armOffset, cornerPosition } from './corner-knots.js';
import { oneSidedTangent, parabolaTangent } from './tangents.js';
import * as dm from '../geometry/fdlibm.js';

/**
 * A knot while fitting: position in unwrapped index space and its tangents (unit, direction of travel).
 * A class with its fields declared (so defined undefined first, then tagged numbers) rather than
 * object literals and spreads: every knot has the one hidden class, whatever its kind and whether
 * its coordinates are integers (pixel corners) or not, so the fit's hot functions see one map;
 * the literals had ~46 (Smi/double field representations, with and without dataSide), which cost
 * TurboFan recompilations after "wrong map" deoptimisations (docs/design.md §8.4). Copies go
 * through knotAt and movedKnot.
 */
export class WorkKnot {
  /** Unwrapped index: first knot at k₀ ∈ [0, n), the rest increasing, the closing copy at k₀ + n. */
  at: number;
  kind: KnotKind;
  /** Position the spline passes through, px (local coordinates): at a corner where its arms meet (cornerPosition, cornersOnFittedLines), elsewhere the smoothed point clamped to tolerance/2 from the raw one (docs/design.md §4.5, §18.7). */
  x: number;
  y: number;
  inX: number;
  inY: number;
  outX: number;
  outY: number;
  /**
   * A corner's data point is the last point of the piece ending here and the first of the piece
   * starting here; once the knot has moved off it, it is checked in the piece whose arm it lies
   * nearer ('in' or 'out'), since it lies on the other arm's side of the corner (deviationReport).
   */
  dataSide: 'in' | 'out' | undefined;

  constructor(at: number, kind: KnotKind, x: number, y: number, inX: number, inY: number, outX: number, outY: number, dataSide?: 'in' | 'out') {
    this.at = at;
    this.kind = kind;
    this.x = x;
    this.y = y;
    this.inX = inX;
    this.inY = inY;
    this.outX = outX;
    this.outY = outY;
    this.dataSide = dataSide;
  }
}

/** The same knot at another unwrapped index (± n: the closing copy, or a neighbour across the start). */
export function knotAt(k: WorkKnot, at: number): WorkKnot {
  return new WorkKnot(at, k.kind, k.x, k.y, k.inX, k.inY, k.outX, k.outY, k.dataSide);
}

/**
 * The knots before and after knot i of a contour's cyclic knot list, unwrapped by one turn (± n)
 * where they lie across the list's start, so that a.at < knots[i].at < b.at (the two pieces beside
 * knot i run a → knots[i] → b).
 */
export function neighbourKnots(knots: readonly WorkKnot[], i: number, n: number): [a: WorkKnot, b: WorkKnot] {
  const count = knots.length;
  const prev = i === 0 ? count - 1 : i - 1,
    next = i + 1 === count ? 0 : i + 1;
  return [prev >= i ? knotAt(knots[prev], knots[prev].at - n) : knots[prev], next <= i ? knotAt(knots[next], knots[next].at + n) : knots[next]];
}

/** The knot moved to (x, y) with the given tangents (and, for a corner, the side its data point is checked on). */
export function movedKnot(k: WorkKnot, x: number, y: number, inX: number, inY: number, outX: number, outY: number, dataSide = k.dataSide): WorkKnot {
  return new WorkKnot(k.at, k.kind, x, y, inX, inY, outX, outY, dataSide);
}

/** The first knots of a contour: its corners (with a seed at the farthest point when there is one corner), or two seeds when there is none. */
export function initialKnots(ctx: FitContext, corners: readonly Corner[]): WorkKnot[] {
  const { n, raw } = ctx;
  const idx = cornerIndices(corners, n);
  if (idx.length === 0) {
    // No corner (an "O"): seed two knots, the lowest (x, y) point and the point farthest from it.
    const first = lowestPoint(raw, n);
    const second = farthestFrom(raw, first, first + 1, first + n);
    const pair = [first, mod(second, n)].sort((a, b) => a - b);
    if (pair[0] === pair[1]) return [makeKnot(ctx, pair[0], 'seed', pair[0] - n, pair[0] + n)];
    return [makeKnot(ctx, pair[0], 'seed', pair[1] - n, pair[1]), makeKnot(ctx, pair[1], 'seed', pair[0], pair[0] + n)];
  }
  const knots: WorkKnot[] = [];
  for (let k = 0; k < idx.length; k++) {
    const prev = k > 0 ? idx[k - 1] : idx[idx.length - 1] - n;
    const next = k + 1 < idx.length ? idx[k + 1] : idx[0] + n;
    knots.push(makeKnot(ctx, idx[k], 'corner', prev, next));
  }
  if (knots.length === 1) {
    // One corner: a single interval from the corner back to itself has no chord; seed the farthest point.
    const c = idx[0];
    const far = farthestFrom(raw, c, c + 1, c + n);
    if (far > c && far < c + n) {
      const seed = makeKnot(ctx, far, 'seed', c, c + n);
      knots.push(seed);
    }
  }
  return knots;
}

/** The distinct valid corner indices of a contour of n points, in index order (the fixed knots of both modes). */
export function cornerIndices(corners: readonly Corner[], n: number): number[] {
  return [...new Set(corners.map((c) => c.index))].filter((i) => Number.isInteger(i) && i >= 0 && i < n).sort((a, b) => a - b);
}

/** The point with the lowest (x, y), first on ties: where a contour without corners is seeded. */
export function lowestPoint(raw: Float64Array, n: number): number {
  let first = 0;
  for (let i = 1; i < n; i++) {
    if (raw[2 * i] < raw[2 * first] || (raw[2 * i] === raw[2 * first] && raw[2 * i + 1] < raw[2 * first + 1])) first = i;
  }
  return first;
}

/** Unwrapped index in (from, to) of the point farthest from point `i` (Euclidean), first on ties. */
function farthestFrom(raw: Float64Array, i: number, from: number, to: number): number {
  const n = raw.length / 2;
  let best = from;
  let bestD = -1;
  for (let k = from; k < to; k++) {
    const q = mod(k, n);
    const d = (raw[2 * q] - raw[2 * i]) ** 2 + (raw[2 * q + 1] - raw[2 * i + 1]) ** 2;
    // Ties (within float noise, so that a translated image picks the same point) go to the first.
    if (d > bestD + 1e-7 * (1 + bestD)) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/**
 * A knot at unwrapped index `at`, with tangents estimated from points within (prev, next): shared
 * two-sided for seeds and intermediate points, one-sided per side for corners.
 */
export function makeKnot(ctx: FitContext, at: number, kind: KnotKind, prev: number, next: number): WorkKnot {
  const { n } = ctx;
  const atN = mod(at, n);
  // Linear mode: a knot inserted on its data point (docs/design.md §9.9).
  if (ctx.mode === 'linear') return dataPointKnot(ctx, at, kind);
  const reach = ctx.o.tangentReach;
  if (kind === 'corner') {
    const out = oneSidedTangent(ctx, atN, 1, reach, Math.max(1, Math.floor((next - at) / 2)));
    const back = oneSidedTangent(ctx, atN, -1, reach, Math.max(1, Math.floor((at - prev) / 2)));
    const [x, y] = cornerPosition(ctx, atN, back, out);
    const px = ctx.raw[2 * atN],
      py = ctx.raw[2 * atN + 1];
    const dataSide = armOffset(px, py, x, y, back) <= armOffset(px, py, x, y, out) ? 'in' : 'out';
    return new WorkKnot(atN, kind, x, y, -back[0], -back[1], out[0], out[1], dataSide);
  }
  const [tx, ty] = parabolaTangent(ctx, atN, reach, Math.max(1, next - at - 1), Math.max(1, at - prev - 1));
  // On the smoothed contour, within tolerance/2 of its data point: a knot farther off could never be within tolerance (docs/design.md §18.7).
  const rx = ctx.raw[2 * atN],
    ry = ctx.raw[2 * atN + 1];
  const dx = ctx.smooth[2 * atN] - rx,
    dy = ctx.smooth[2 * atN + 1] - ry;
  const shift = dm.hypot(dx, dy);
  const keep = shift > ctx.o.tolerance / 2 ? ctx.o.tolerance / 2 / shift : 1;
  return new WorkKnot(at, kind, rx + keep * dx, ry + keep * dy, tx, ty, tx, ty);
}

/** A knot on data point `at` (unwrapped index), for linear mode: a chord needs no tangent, so any unit vector does. */
export function dataPointKnot(ctx: FitContext, at: number, kind: KnotKind): WorkKnot {
  const q = mod(at, ctx.n);
  return new WorkKnot(at, kind, ctx.raw[2 * q], ctx.raw[2 * q + 1], 1, 0, 1, 0);
}

/** A key per interval, from its knots' contour indices (each index holds at most one knot). */
export function pairKey(a: number, b: number, n: number): string {
  return `${mod(a, n)}:${mod(b, n)}`;
}

/** The worst point's contour index as an unwrapped index strictly inside (a, b). */
export function worstUnwrapped(a: number, b: number, worstIndex: number, n: number): number {
  let w = worstIndex;
  while (w <= a) w += n;
  while (w >= b) w -= n;
  // Guard: the worst point of an interval is strictly inside it; fall back to the middle.
  return w > a && w < b ? w : Math.floor((a + b) / 2);
}
