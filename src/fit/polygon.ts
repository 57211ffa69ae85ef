/**
 * Linear mode's knots: the fewest-vertex polygon within tolerance, vertices chosen among the data
 * points with the least integral square error (ISE), then settled onto their sides' least-squares
 * lines (docs/design.md §9.9).
 *
 * Reads: the fit context (raw points, tolerance) and the fixed points (corners, or a seed).
 * Produces: the polygon's knots in contour order.
 * Method: between consecutive fixed points, the path of fewest chords (Imai & Iri 1988) with the
 * least ISE (Perez & Vidal 1994), where chord (i, j) is admitted when every point between lies
 * within the tolerance of its line — tested for all j at once by a shrinking cone of directions
 * from point i (the sector method: Sklansky & Gonzalez 1980; Chan & Chin 1996). A chord's ISE comes
 * from prefix sums in O(1). Every piece is then measured both ways as always (deviationReport);
 * a chord the cone admitted that still measures over tolerance (a point past its end) is split by
 * the insertion pass, so the tolerance holds as in conic mode.
 */
import type { FitContext } from './context.js';
import { dataPointKnot, knotAt, movedKnot, type WorkKnot } from './knots.js';
import { brokenSides, polygonWithChords, unsettleBroken } from './polygon-budget.js';
import { chordIse, prefixSums, sideLine, type PrefixSums } from './prefix-sums.js';
import { cross, sweep } from './sector.js';
import * as dm from '../geometry/fdlibm.js';

/**
 * The polygon's knots: the fixed points (the corners, sorted contour indices; a seed on a contour
 * without any) and, between each and the next (the last chain closing one turn on), the chain's
 * vertices, then each vertex settled (settleVertices; docs/design.md §9.9). With `reSolve` (the
 * fit's way), a settled polygon with broken sides is re-solved with one more chord per broken side
 * where that holds (polygon-budget.ts). Corners the polygon is better without are dropped
 * (dropCorners) when the settled polygon still comes out with fewer knots.
 */
export function optimalPolygonKnots(ctx: FitContext, detected: readonly number[], kind: 'corner' | 'seed', reSolve = true): WorkKnot[] {
  const { n } = ctx;
  const sums = prefixSums(ctx.raw, n);
  const at = [...detected];
  const movesCorners = kind === 'corner' && ctx.o.moveCorners;
  const chains = movesCorners ? placeCorners(ctx, sums, at) : at.map((from, k) => scoredChain(ctx, sums, from, k + 1 < at.length ? at[k + 1] : at[0] + n));
  const withCorners = settledPolygon(ctx, sums, kind, detected, at, chains, reSolve && movesCorners);
  if (!movesCorners || !ctx.o.dropCorners) return withCorners;
  const fewerAt = [...at],
    fewerChains = [...chains];
  const fewer = dropCorners(ctx, sums, detected, fewerAt, fewerChains);
  if (fewer.length === detected.length) return withCorners;
  // Settling can break sides that the corners' polygon kept (each then split, §9.3): the drop is
  // taken only when the knots plus the broken sides still come out fewer (on the corpus a 300 px G
  // otherwise went from 71 to 82 pieces).
  const without = settledPolygon(ctx, sums, kind, fewer, fewerAt, fewerChains, reSolve);
  const knotsOnceSplit = (knots: WorkKnot[]) => knots.length + brokenSides(ctx, knots);
  return knotsOnceSplit(without) < knotsOnceSplit(withCorners) ? without : withCorners;
}

/**
 * The polygon through the fixed points `at` (placed; `fixed` as detected) and their chains'
 * vertices, settled; with `reSolve`, re-solved where settling breaks a side (polygon-budget.ts).
 */
function settledPolygon(
  ctx: FitContext,
  sums: PrefixSums,
  kind: 'corner' | 'seed',
  fixed: readonly number[],
  at: readonly number[],
  chains: readonly ScoredChain[],
  reSolve: boolean,
): WorkKnot[] {
  const { n } = ctx;
  const settled = settleVertices(
    ctx,
    sums,
    polygonKnots(
      ctx,
      at,
      kind,
      chains.map((c) => c.vertices),
    ),
  );
  // Settling may push sides over the tolerance, which §9.3 would repair by splitting each at its
  // worst point. Where every chain takes the exact programme, the least-ISE polygon with one more
  // chord per broken side, over all corner choices, is taken instead when it holds once settled
  // (polygon-budget.ts; docs/design.md §9.9).
  if (!reSolve || n > BUDGET_MAX_POINTS) return settled;
  const shifts = cornerShifts(n, fixed);
  if (shifts.some((s) => s.length === 1)) return settled;
  const broken = brokenSides(ctx, settled);
  if (broken === 0) return settled;
  const chords = chains.reduce((sum, c) => sum + c.chords, 0);
  const budget = polygonWithChords(
    ctx,
    (i, j) => chordIse(ctx, sums, i, j),
    fixed,
    shifts,
    chords + broken,
    chains.map((c) => c.chords + broken + 1),
  );
  if (!budget) return settled;
  const onData = polygonKnots(ctx, budget.at, kind, budget.vertices);
  // A side the settled ends still break keeps its ends on their data points, where the programme admitted it.
  const kept = unsettleBroken(ctx, settleVertices(ctx, sums, onData), onData);
  return brokenSides(ctx, kept) === 0 ? kept : settled;
}

/** Contours up to this many points try the least-ISE polygon when settling breaks a side (its programme costs about sides × points²). */
const BUDGET_MAX_POINTS = 128;

/** The knots on data points: each fixed point, then its chain's vertices; unwrapped indices rising from the first knot's, in [0, n). */
function polygonKnots(ctx: FitContext, at: readonly number[], kind: 'corner' | 'seed', vertices: readonly number[][]): WorkKnot[] {
  const { n } = ctx;
  const knots: WorkKnot[] = [];
  for (let k = 0; k < at.length; k++) {
    knots.push(dataPointKnot(ctx, at[k], kind));
    for (const v of vertices[k]) knots.push(dataPointKnot(ctx, v, 'intermediate'));
  }
  // A first corner shifted to −1 goes to the end as n − 1.
  if (knots[0].at < 0) {
    const first = knots.shift()!;
    knots.push(knotAt(first, first.at + n));
  }
  return knots;
}

/** A chain's vertices strictly between its ends, and its chords' count and ISE. */
interface ScoredChain {
  vertices: number[];
  chords: number;
  ise: number;
}

function scoredChain(ctx: FitContext, sums: PrefixSums, from: number, to: number): ScoredChain {
  return withIse(ctx, sums, from, to, chainVertices(ctx, sums, from, to));
}

function withIse(ctx: FitContext, sums: PrefixSums, from: number, to: number, vertices: number[]): ScoredChain {
  let ise = 0,
    prev = from;
  for (const v of [...vertices, to]) {
    ise += chordIse(ctx, sums, prev, v);
    prev = v;
  }
  return { vertices, chords: vertices.length + 1, ise };
}

/**
 * Where each corner sits, among its detected data point and the two beside it (CORNER_SHIFTS):
 * the choice, over all corners at once, with the fewest chords and then the least ISE (dynamic
 * programming over the corners; ties keep the detected point). The corner detector places a corner
 * at the sharpest point of a smoothed curve, which on a digitised curve may be a point's spacing
 * from where the polygon's vertex belongs: on the Teh–Chin chromosome the corners as detected left
 * the ISE 1.8–1.9× the optimum at tolerance 1.25–1.5 (docs/design.md §9.9, §18.29). The corner stays
 * a vertex (shared design §3): only which of its points carries it changes. A corner moves only when
 * both its chains take the exact programme (up to FULL_PROGRAMME_POINTS points): one programme from
 * each start point gives the chains to every end point, so the choice costs three programmes per
 * chain, where longer chains would cost three windowed searches each for little (§18.29).
 * Returns the chains between consecutive corners; `at` is updated in place.
 */
function placeCorners(ctx: FitContext, sums: PrefixSums, at: number[]): ScoredChain[] {
  const { n } = ctx;
  const count = at.length;
  const endOf = (k: number) => (k + 1 < count ? at[k + 1] : at[0] + n);
  const shifts = cornerShifts(n, at);
  const movable = (k: number) => shifts[k].length > 1;
  // chain(k, a, b): from corner k shifted by a to the next corner (one turn on for the last) shifted by b.
  const memo = new Map<string, ScoredChain>();
  const chain = (k: number, a: number, b: number): ScoredChain => {
    const found = memo.get(`${k}:${a}:${b}`);
    if (found) return found;
    const from = at[k] + a,
      next = (k + 1) % count;
    // Between two fixed corners, the chain as always (windowed when long). Next to a movable corner
    // (so at most FULL_PROGRAMME_POINTS + 2 points), one programme from this start gives the chain to each end.
    const fixedEnds = !movable(k) && !movable(next);
    if (fixedEnds) {
      const found = scoredChain(ctx, sums, from, endOf(k) + b);
      memo.set(`${k}:${a}:${b}`, found);
      return found;
    }
    // One programme run serves every start shift of corner k at once (the sweeps and chord ISEs
    // from each point are the same for all of them); with one corner, each shift ends where it starts.
    const starts = count === 1 ? [a] : shifts[k];
    const ends = count === 1 ? [a] : shifts[next];
    const chains = programmeChains(
      ctx,
      sums,
      starts.map((s) => at[k] + s),
      ends.map((e) => endOf(k) + e),
    );
    starts.forEach((s, m) => ends.forEach((e, i) => memo.set(`${k}:${s}:${e}`, chains[m][i])));
    return chains[starts.indexOf(a)][ends.indexOf(b)];
  };
  const better = (chords: number, ise: number, than: Score | null) => !than || chords < than.chords || (chords === than.chords && ise < than.ise - 1e-12);
  // Over the first corner's shift, then corner by corner: score[s] the best choice of corners 0 … k
  // with corner k at shifts[k][s], back[k][s] the state of corner k − 1 it came from.
  let best: (Score & { choice: number[] }) | null = null;
  for (const first of shifts[0]) {
    let score: Score[] = [{ chords: 0, ise: 0 }];
    const back: number[][] = [[0]];
    for (let k = 1; k < count; k++) {
      const prev = k === 1 ? [first] : shifts[k - 1];
      const from = score;
      back.push([]);
      score = shifts[k].map((b, t) => {
        let pick: Score | null = null;
        from.forEach((p, s) => {
          const c = chain(k - 1, prev[s], b);
          if (better(p.chords + c.chords, p.ise + c.ise, pick)) {
            pick = { chords: p.chords + c.chords, ise: p.ise + c.ise };
            back[k][t] = s;
          }
        });
        return pick!;
      });
    }
    const lastShifts = count === 1 ? [first] : shifts[count - 1];
    score.forEach((p, s) => {
      const c = chain(count - 1, lastShifts[s], first);
      if (!better(p.chords + c.chords, p.ise + c.ise, best)) return;
      const choice = new Array<number>(count);
      for (let k = count - 1, t = s; k >= 1; t = back[k][t], k--) choice[k] = shifts[k][t];
      choice[0] = first;
      best = { chords: p.chords + c.chords, ise: p.ise + c.ise, choice };
    });
  }
  const choice = best!.choice;
  const chains = at.map((_, k) => chain(k, choice[k], choice[(k + 1) % count]));
  choice.forEach((d, k) => (at[k] += d));
  return chains;
}

/**
 * Drops each corner that the polygon is better without on both counts: the chain from the corner
 * before it to the corner after it, with no vertex forced at it, has fewer chords than the two
 * chains through it and no more ISE (docs/design.md §9.9). A corner detected on a curve at the
 * detector's scale may force a vertex that a coarse tolerance does not need: on the Teh–Chin
 * chromosome at 1.5 px the 49° corner at point 32 kept a 7-gon with 1.46× the ISE of the optimal
 * 7-gon, where without it the polygon has 6 vertices and less ISE (the optimal 6-gon). Fewer
 * vertices at more ISE is not taken: at 1 px that would give a 10-gon with 1.6× the optimal
 * 10-gon's ISE where the corners' 11-gon is within 1.02× of the optimal 11-gon (§18.42).
 * The greedy path's chord count screens each merge before the programme runs.
 * Updates `at` and `chains` in place; returns the detected positions of the corners kept.
 */
function dropCorners(ctx: FitContext, sums: PrefixSums, detected: readonly number[], at: number[], chains: ScoredChain[]): number[] {
  const { n } = ctx;
  const kept = [...detected];
  for (let dropped = true; dropped && at.length > 1;) {
    dropped = false;
    for (let k = 0; k < at.length && at.length > 1; k++) {
      const count = at.length;
      const before = (k - 1 + count) % count;
      const from = at[before] - (k === 0 ? n : 0);
      const to = k + 1 < count ? at[k + 1] : at[0] + n;
      const a = chains[before],
        b = chains[k];
      if (greedyPath(ctx, from, to, 1, a.chords + b.chords).length - 1 >= a.chords + b.chords) continue;
      const merged = scoredChain(ctx, sums, from, to);
      if (!(merged.chords < a.chords + b.chords && merged.ise <= a.ise + b.ise + 1e-12)) continue;
      // The merged chain starts at the corner before; for k = 0 that corner is the last, one turn back.
      chains[before] = k === 0 ? { ...merged, vertices: merged.vertices.map((v) => v + n) } : merged;
      at.splice(k, 1);
      chains.splice(k, 1);
      kept.splice(k, 1);
      dropped = true;
      k--;
    }
  }
  return kept;
}

/** Each corner's allowed shifts (CORNER_SHIFTS where both its chains take the exact programme and hold more than 2 points, else none). */
function cornerShifts(n: number, at: readonly number[]): ReadonlyArray<readonly number[]> {
  const count = at.length;
  const gap = at.map((a, k) => (k + 1 < count ? at[k + 1] : at[0] + n) - a);
  return at.map((_, k) => {
    const before = (k - 1 + count) % count;
    return Math.max(gap[k], gap[before]) <= FULL_PROGRAMME_POINTS && Math.min(gap[k], gap[before]) > 2 ? CORNER_SHIFTS : [0];
  });
}

interface Score {
  chords: number;
  ise: number;
}

/** The data points that may carry a corner in linear mode, as shifts from the detected one (placeCorners); the detected first, so that ties keep it. */
const CORNER_SHIFTS: readonly number[] = [0, -1, 1];

/**
 * The exact programme's chains from each of `froms` (unwrapped) to each of `ends`
 * (unwrapped, ascending, each within FULL_PROGRAMME_POINTS + 2 of every start): the programme's
 * path to a point depends only on the points before it, so one run to the last end gives every
 * chain (each equal to scoredChain(from, end)). Indexed [start][end].
 */
function programmeChains(ctx: FitContext, sums: PrefixSums, froms: readonly number[], ends: readonly number[]): ScoredChain[][] {
  const lo = Math.min(...froms);
  const { chords, ise, back, stride } = runProgramme(ctx, sums, froms, Math.max(...ends), null);
  // The tables' ISE is the same sum, in the same order, as withIse's over the path.
  return froms.map((from, m) =>
    ends.map((end) => {
      const at = m * stride + end - lo;
      return { vertices: pathVertices(back, m * stride, lo, from - lo, end - lo), chords: chords[at], ise: ise[at] };
    }),
  );
}

/**
 * The vertices strictly between a start and an end of the programme's path, from its back pointers
 * (table entries base + p stand for point lo + p; the start is p = start, the end p = end).
 */
function pathVertices(back: Int32Array, base: number, lo: number, start: number, end: number): number[] {
  const out: number[] = [];
  for (let p = back[base + end]; p > start; p = back[base + p]) out.push(lo + p);
  return out.reverse();
}

/**
 * Each vertex moved from its data point to where the total-least-squares lines of its two sides'
 * points meet, when that is within SETTLE_REACH tolerances of the data point and the sides turn
 * by at least SETTLE_MIN_TURN: a polygon through the points cuts inside every convex bend and loses
 * area (10–12 % of the ink on small blurred glyphs), one on the sides' lines far less
 * (docs/design.md §9.9). The sides come from the vertices on data points; the tolerance is then
 * measured as always, and a side it breaks is split (§9.3).
 */
function settleVertices(ctx: FitContext, sums: PrefixSums, knots: WorkKnot[]): WorkKnot[] {
  const { n } = ctx;
  const count = knots.length;
  if (count < 3) return knots;
  const lines = knots.map((k, i) => sideLine(sums, k.at, i + 1 < count ? knots[i + 1].at : knots[0].at + n, n));
  return knots.map((k, i) => {
    const before = lines[(i - 1 + count) % count],
      after = lines[i];
    if (!before || !after) return k;
    const [ax, ay, adx, ady] = before,
      [bx, by, bdx, bdy] = after;
    const turn = cross(adx, ady, bdx, bdy);
    if (Math.abs(turn) < SETTLE_MIN_TURN) return k;
    const t = cross(bx - ax, by - ay, bdx, bdy) / turn;
    const x = ax + t * adx,
      y = ay + t * ady;
    if (!(dm.hypot(x - k.x, y - k.y) <= SETTLE_REACH * ctx.o.tolerance)) return k;
    return movedKnot(k, x, y, k.inX, k.inY, k.outX, k.outY);
  });
}

/** Vertices move to their sides' lines only where those turn by at least this much (sine of the angle, ≈ 5°). */
const SETTLE_MIN_TURN = 0.087;
/**
 * …and by at most this many tolerances from their data point, corners included (conic mode clamps
 * a corner on pixel corners to half a tolerance, §10.2; here half a tolerance left the corpus's
 * Hausdorff 9 % and mean distance 19 % higher, docs/design.md §18.29).
 */
const SETTLE_REACH = 1;

/**
 * The vertices strictly between `from` and `to` (unwrapped, from < to) of the fewest-chord path
 * within tolerance, least ISE among those. The greedy path forwards (each chord as long as admitted)
 * and backwards give the fewest chords K and, for each vertex k, the window [bₖ, fₖ] it must lie in
 * (Imai & Iri 1988); dynamic programming over the windows' points then picks the least ISE, each
 * point's admitted chords from one sector sweep. Chains up to FULL_PROGRAMME_POINTS get the
 * programme over every point instead (exact). Where the greedy paths differ in length (the sector
 * test is not strictly monotone) the windows surround the shorter one, and where they hold no path
 * of its length, the shorter greedy path is kept.
 */
function chainVertices(ctx: FitContext, sums: PrefixSums, from: number, to: number): number[] {
  if (to - from < 2) return [];
  if (to - from <= FULL_PROGRAMME_POINTS) return leastIsePath(ctx, sums, from, to, null) ?? [];
  const forward = greedyPath(ctx, from, to, 1);
  const backward = greedyPath(ctx, to, from, -1).reverse();
  // Equal lengths: vertex k lies between the two greedy paths' k-th vertices. Otherwise (the test is
  // not strictly monotone) around the shorter path's, WINDOW_SLACK points either way.
  const shorter = backward.length < forward.length ? backward : forward;
  const windows =
    forward.length === backward.length
      ? forward.map((f, k) => [Math.min(f, backward[k]), Math.max(f, backward[k])] as const)
      : shorter.map((g, k) =>
          k === 0 || k === shorter.length - 1 ? ([g, g] as const) : ([Math.max(from + 1, g - WINDOW_SLACK), Math.min(to - 1, g + WINDOW_SLACK)] as const),
        );
  return leastIsePath(ctx, sums, from, to, windows) ?? shorter.slice(1, -1);
}

/** Points either side of the shorter greedy path's vertices searched when the two greedy paths differ in length. */
const WINDOW_SLACK = 16;

/**
 * Chains up to this many points get the programme over every point (exact for the sector test);
 * longer ones the windows: on the bench corpus 4947 against 4943 intervals, at 144 against 222 ms
 * of fit time (docs/design.md §18.29).
 */
const FULL_PROGRAMME_POINTS = 60;

/**
 * The greedy path from `start` to `end` (dir ±1): each chord to the farthest admitted point; its
 * vertices, ends included. With `maxChords`, the walk stops after that many chords (a screen that
 * only asks whether the path needs that many).
 */
function greedyPath(ctx: FitContext, start: number, end: number, dir: 1 | -1, maxChords = Infinity): number[] {
  const path = [start];
  for (let at = start; at !== end && path.length <= maxChords;) {
    const last = sweep(ctx, at, end, dir);
    let k = Math.abs(last - at);
    while (k > 1 && ctx.ws.polygonOk[k] !== 1) k--;
    at += dir * k;
    path.push(at);
  }
  return path;
}

/**
 * Least-ISE path from `from` to `to` by dynamic programming, vertex k confined to windows[k] (ends
 * included; null: every point, fewest chords first), or null when `to` is not reached.
 */
function leastIsePath(ctx: FitContext, sums: PrefixSums, from: number, to: number, windows: ReadonlyArray<readonly [number, number]> | null): number[] | null {
  const len = to - from;
  const { chords, back } = runProgramme(ctx, sums, [from], to, windows);
  if (chords[len] < 0 || (windows && chords[len] !== windows.length - 1)) return null;
  return pathVertices(back, 0, from, 0, len);
}

/**
 * The programme's tables from each of `froms` up to `to`: per start m, entries m·stride + p for
 * point lo + p (lo the least start) (workspace scratch: chords, ISE and back pointer; chords −1
 * where not reached). The sweep and the chord ISEs from a point depend on the point and `to` only,
 * so they are computed once for all starts, and each start's table gets the same values, in the
 * same order, as a run of its own. Windows (vertex k confined to windows[k]) with one start only.
 */
function runProgramme(ctx: FitContext, sums: PrefixSums, froms: readonly number[], to: number, windows: ReadonlyArray<readonly [number, number]> | null) {
  const lo = Math.min(...froms);
  const count = froms.length;
  const len = to - lo;
  const stride = len + 1;
  const { chords, ise, back } = ctx.ws.polygonTables(count * stride);
  chords.fill(-1, 0, count * stride);
  for (let m = 0; m < count; m++) {
    chords[m * stride + froms[m] - lo] = 0;
    ise[m * stride + froms[m] - lo] = 0;
  }
  for (let i = 0; i < len; i++) {
    let reached = false;
    for (let m = 0; m < count && !reached; m++) reached = chords[m * stride + i] >= 0;
    if (!reached) continue;
    let first = i + 1,
      end = to;
    if (windows) {
      // Within windows, point i (at vertex c − 1) reaches only vertex c's window.
      const c = chords[i] + 1;
      const window = windows[c];
      if (!window || lo + i < windows[c - 1][0] || lo + i > windows[c - 1][1]) continue;
      first = Math.max(i + 1, window[0] - lo);
      end = window[1];
    }
    const last = Math.min(sweep(ctx, lo + i, end, 1) - lo, len);
    const admitted = ctx.ws.polygonOk;
    for (let j = first; j <= last; j++) {
      if (admitted[j - i] !== 1) continue;
      let chord = 0,
        measured = false;
      for (let m = 0, at = i; m < count; m++, at += stride) {
        const c = chords[at] + 1,
          dst = at + j - i;
        if (c === 0 || (chords[dst] >= 0 && chords[dst] < c)) continue;
        if (!measured) {
          chord = chordIse(ctx, sums, lo + i, lo + j);
          measured = true;
        }
        const e = ise[at] + chord;
        if (chords[dst] < 0 || c < chords[dst] || e < ise[dst] - 1e-12) {
          chords[dst] = c;
          ise[dst] = e;
          back[dst] = i;
        }
      }
    }
  }
  return { chords, ise, back, stride };
}
