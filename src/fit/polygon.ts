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
import { mod } from '../geometry/cyclic.js';
import type { FitContext } from './context.js';
import { dataPointKnot, knotAt, movedKnot, type WorkKnot } from './knots.js';
import * as dm from '../geometry/fdlibm.js';

/**
 * The polygon's knots: the fixed points (the corners, sorted contour indices; a seed on a contour
 * without any) and, between each and the next (the last chain closing one turn on), the chain's
 * vertices, then each vertex settled (settleVertices; docs/design.md §9.9).
 */
export function optimalPolygonKnots(ctx: FitContext, fixed: readonly number[], kind: 'corner' | 'seed'): WorkKnot[] {
  const { n } = ctx;
  const sums = prefixSums(ctx.raw, n);
  const at = [...fixed];
  const chains =
    kind === 'corner' && ctx.o.moveCorners
      ? placeCorners(ctx, sums, at)
      : at.map((from, k) => scoredChain(ctx, sums, from, k + 1 < at.length ? at[k + 1] : at[0] + n));
  const knots: WorkKnot[] = [];
  for (let k = 0; k < at.length; k++) {
    knots.push(dataPointKnot(ctx, at[k], kind));
    for (const v of chains[k].vertices) knots.push(dataPointKnot(ctx, v, 'intermediate'));
  }
  // Unwrapped indices rise from the first knot's, which lies in [0, n): a first corner shifted to −1
  // goes to the end as n − 1.
  if (knots[0].at < 0) {
    const first = knots.shift()!;
    knots.push(knotAt(first, first.at + n));
  }
  return settleVertices(ctx, sums, knots);
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
  const gap = at.map((a, k) => endOf(k) - a);
  const movable = (k: number) => {
    const before = (k - 1 + count) % count;
    return Math.max(gap[k], gap[before]) <= FULL_PROGRAMME_POINTS && Math.min(gap[k], gap[before]) > 2;
  };
  const shifts = at.map((_, k) => (movable(k) ? CORNER_SHIFTS : [0]));
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
    const ends = fixedEnds ? [b] : count === 1 ? [a] : shifts[next];
    const chains = fixedEnds
      ? [scoredChain(ctx, sums, from, endOf(k) + b)]
      : programmeChains(
          ctx,
          sums,
          from,
          ends.map((e) => endOf(k) + e),
        );
    ends.forEach((e, i) => memo.set(`${k}:${a}:${e}`, chains[i]));
    return chains[ends.indexOf(b)];
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

interface Score {
  chords: number;
  ise: number;
}

/** The data points that may carry a corner in linear mode, as shifts from the detected one (placeCorners); the detected first, so that ties keep it. */
const CORNER_SHIFTS: readonly number[] = [0, -1, 1];

/**
 * The exact programme's chains from `from` to each of `ends` (unwrapped, ascending, each within
 * FULL_PROGRAMME_POINTS + 2 of `from`): the programme's path to a point depends only
 * on the points before it, so one run to the last end gives every chain (each equal to
 * scoredChain(from, end)).
 */
function programmeChains(ctx: FitContext, sums: PrefixSums, from: number, ends: readonly number[]): ScoredChain[] {
  const { chords, ise, back } = runProgramme(ctx, sums, from, Math.max(...ends), null);
  // The tables' ISE is the same sum, in the same order, as withIse's over the path.
  return ends.map((end) => ({ vertices: pathVertices(back, from, end - from), chords: chords[end - from], ise: ise[end - from] }));
}

/** The vertices strictly between `from` and from + len of the programme's path, from its back pointers. */
function pathVertices(back: Int32Array, from: number, len: number): number[] {
  const out: number[] = [];
  for (let j = back[len]; j > 0; j = back[j]) out.push(from + j);
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

/** Total-least-squares line (centroid, unit principal direction) of points i … j (unwrapped, i < j ≤ i + n), or null under 3 points. */
function sideLine(s: PrefixSums, i: number, j: number, n: number): [number, number, number, number] | null {
  const count = j - i + 1;
  if (count < 3) return null;
  const shift = i - mod(i, n);
  const a = i - shift,
    b = j - shift + 1;
  const cx = (s.x[b] - s.x[a]) / count,
    cy = (s.y[b] - s.y[a]) / count;
  const sxx = (s.xx[b] - s.xx[a]) / count - cx * cx,
    syy = (s.yy[b] - s.yy[a]) / count - cy * cy,
    sxy = (s.xy[b] - s.xy[a]) / count - cx * cy;
  // Principal axis of the 2 × 2 scatter matrix, without trigonometry: (λ − syy, sxy) for the larger eigenvalue λ.
  const half = (sxx - syy) / 2;
  const lambda = (sxx + syy) / 2 + Math.sqrt(half * half + sxy * sxy);
  let dx = lambda - syy,
    dy = sxy;
  if (Math.abs(dx) + Math.abs(dy) < 1e-12) {
    dx = sxx >= syy ? 1 : 0;
    dy = sxx >= syy ? 0 : 1;
  }
  const len = dm.hypot(dx, dy);
  return [cx, cy, dx / len, dy / len];
}

/** Prefix sums over two turns of the contour (so a chain may wrap): Σx, Σy, Σx², Σy², Σxy up to each unwrapped index. */
interface PrefixSums {
  x: Float64Array;
  y: Float64Array;
  xx: Float64Array;
  yy: Float64Array;
  xy: Float64Array;
}

function prefixSums(raw: Float64Array, n: number): PrefixSums {
  const len = 2 * n + 1;
  const s: PrefixSums = { x: new Float64Array(len), y: new Float64Array(len), xx: new Float64Array(len), yy: new Float64Array(len), xy: new Float64Array(len) };
  for (let i = 0; i < 2 * n; i++) {
    const q = i % n;
    const x = raw[2 * q],
      y = raw[2 * q + 1];
    s.x[i + 1] = s.x[i] + x;
    s.y[i + 1] = s.y[i] + y;
    s.xx[i + 1] = s.xx[i] + x * x;
    s.yy[i + 1] = s.yy[i] + y * y;
    s.xy[i + 1] = s.xy[i] + x * y;
  }
  return s;
}

/**
 * ISE of the points strictly between unwrapped indices i and j (i ≥ 0, j ≤ i + n) to the line through
 * points i and j: Σ (dx·(yₖ − yᵢ) − dy·(xₖ − xᵢ))² / (dx² + dy²), expanded over the prefix sums.
 */
function chordIse(ctx: FitContext, s: PrefixSums, i: number, j: number): number {
  const count = j - i - 1;
  if (count <= 0) return 0;
  const { raw, n } = ctx;
  const qi = mod(i, n),
    qj = mod(j, n);
  const xi = raw[2 * qi],
    yi = raw[2 * qi + 1];
  const dx = raw[2 * qj] - xi,
    dy = raw[2 * qj + 1] - yi;
  const l2 = dx * dx + dy * dy;
  // Index range [i + 1, j) in prefix-sum terms; the sums start at i's position within the first turn.
  const a = i + 1 - (i - mod(i, n)),
    b = j - (i - mod(i, n));
  const sx = s.x[b] - s.x[a],
    sy = s.y[b] - s.y[a],
    sxx = s.xx[b] - s.xx[a],
    syy = s.yy[b] - s.yy[a],
    sxy = s.xy[b] - s.xy[a];
  // Σ (dx·y − dy·x + c)², c = dy·xᵢ − dx·yᵢ.
  const c = dy * xi - dx * yi;
  const sum = dx * dx * syy + dy * dy * sxx - 2 * dx * dy * sxy + 2 * c * (dx * sy - dy * sx) + count * c * c;
  if (l2 === 0) {
    // A closed chord: the squared distances to the point itself.
    return sxx - 2 * xi * sx + count * xi * xi + syy - 2 * yi * sy + count * yi * yi;
  }
  return Math.max(0, sum / l2);
}

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

/** The greedy path from `start` to `end` (dir ±1): each chord to the farthest admitted point; its vertices, ends included. */
function greedyPath(ctx: FitContext, start: number, end: number, dir: 1 | -1): number[] {
  const path = [start];
  for (let at = start; at !== end;) {
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
  const { chords, back } = runProgramme(ctx, sums, from, to, windows);
  if (chords[len] < 0 || (windows && chords[len] !== windows.length - 1)) return null;
  return pathVertices(back, from, len);
}

/** The programme's tables from `from` up to `to` (workspace scratch: chords, ISE and back pointer per point; chords −1 where not reached). */
function runProgramme(ctx: FitContext, sums: PrefixSums, from: number, to: number, windows: ReadonlyArray<readonly [number, number]> | null) {
  const len = to - from;
  const { chords, ise, back } = ctx.ws.polygonTables(len + 1);
  chords.fill(-1, 0, len + 1);
  chords[0] = 0;
  ise[0] = 0;
  for (let i = 0; i < len; i++) {
    const c = chords[i] + 1;
    if (c === 0) continue;
    // Within windows, point i (at vertex c − 1) reaches only vertex c's window.
    const window = windows ? windows[c] : null;
    if (windows && (!window || from + i < windows[c - 1][0] || from + i > windows[c - 1][1])) continue;
    const last = Math.min(sweep(ctx, from + i, window ? window[1] : to, 1) - from, len);
    const admitted = ctx.ws.polygonOk;
    for (let j = window ? Math.max(i + 1, window[0] - from) : i + 1; j <= last; j++) {
      if (admitted[j - i] !== 1 || (chords[j] >= 0 && chords[j] < c)) continue;
      const e = ise[i] + chordIse(ctx, sums, from + i, from + j);
      if (chords[j] < 0 || c < chords[j] || e < ise[j] - 1e-12) {
        chords[j] = c;
        ise[j] = e;
        back[j] = i;
      }
    }
  }
  return { chords, ise, back };
}

/**
 * Sector test from point i towards `end` (dir = ±1): walking j = i ± 1, i ± 2, …, the directions from
 * point i whose line passes within the tolerance of every point so far form a cone (two boundary
 * unit vectors, no trigonometry); chord (i, j) is admitted when point j's direction lies in the cone
 * of the points before it (the workspace's polygonOk[|j − i|] = 1). Returns the last index walked
 * before the cone closed (or `end`).
 */
function sweep(ctx: FitContext, i: number, end: number, dir: 1 | -1): number {
  const { raw, n } = ctx;
  const tol = ctx.o.tolerance;
  const qi = mod(i, n);
  const xi = raw[2 * qi],
    yi = raw[2 * qi + 1];
  const span = Math.abs(end - i);
  // Only the entries walked are written (callers read no further than the returned index): clearing
  // the whole span cost O(K·n) per chain on long contours without corners.
  const ok = ctx.ws.polygonAdmitted(span + 1);
  // Cone [right, left] boundaries as unit vectors; unset until a point farther than tol is met.
  let lx = 0,
    ly = 0,
    rx = 0,
    ry = 0,
    open = false;
  let last = i;
  for (let k = 1; k <= span; k++) {
    const j = i + dir * k;
    const q = mod(j, n);
    const px = raw[2 * q] - xi,
      py = raw[2 * q + 1] - yi;
    const r2 = px * px + py * py;
    // Chord (i, j) needs point j's direction inside the cone of the points before it; a point outside
    // may still leave a cone for the chords past it.
    // (A point on point i itself has no direction: admitted only while no point has narrowed the cone.)
    ok[k] = !open || (r2 > 0 && inside(px / Math.sqrt(r2), py / Math.sqrt(r2), rx, ry, lx, ly)) ? 1 : 0;
    last = j;
    if (r2 <= tol * tol) continue;
    // Point j's own constraint: directions within asin(tol / r) of its direction.
    const r = Math.sqrt(r2);
    const sin = tol / r,
      cos = Math.sqrt(1 - sin * sin);
    const ux = px / r,
      uy = py / r;
    const ax = ux * cos + uy * sin,
      ay = -ux * sin + uy * cos; // u turned by −α: the cone's right boundary
    const bx = ux * cos - uy * sin,
      by = ux * sin + uy * cos; // u turned by +α: its left boundary
    if (!open) {
      rx = ax;
      ry = ay;
      lx = bx;
      ly = by;
      open = true;
      continue;
    }
    // Intersection of two cones narrower than a half-turn: each new boundary is whichever of the two
    // lies inside the other cone (robust when the cones face apart, where comparing boundaries by
    // their cross product alone is not); neither inside: the cones are disjoint.
    const aIn = inside(ax, ay, rx, ry, lx, ly),
      rIn = inside(rx, ry, ax, ay, bx, by);
    const bIn = inside(bx, by, rx, ry, lx, ly),
      lIn = inside(lx, ly, ax, ay, bx, by);
    if ((!aIn && !rIn) || (!bIn && !lIn)) break;
    if (aIn) {
      rx = ax;
      ry = ay;
    }
    if (bIn) {
      lx = bx;
      ly = by;
    }
    if (cross(rx, ry, lx, ly) < -ON_BOUNDARY) break;
  }
  return last;
}

/**
 * Whether unit direction v lies in the cone swept counter-clockwise from r to l (unit vectors, narrower
 * than a half-turn), a boundary included: a point exactly the tolerance off a chord (common on pixel
 * corners) is within it, whatever the last bit of the rotated boundaries.
 */
function inside(vx: number, vy: number, rx: number, ry: number, lx: number, ly: number): boolean {
  return cross(rx, ry, vx, vy) >= -ON_BOUNDARY && cross(vx, vy, lx, ly) >= -ON_BOUNDARY;
}

/** Slack of the cone tests on unit vectors (sine of the angle): far below any pixel-scale distance. */
const ON_BOUNDARY = 1e-12;

/** z of the cross product (a × b). */
function cross(ax: number, ay: number, bx: number, by: number): number {
  return ax * by - ay * bx;
}
