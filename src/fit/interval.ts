/**
 * One interval between two knots: its data, its piece (line or conic) and the piece's report.
 *
 * Reads: the fit context (contour points, options, workspace) and two WorkKnots a, b (positions and
 * unit tangents). Produces: a FittedPiece — a LinePiece (the chord) or a ConicPiece — with its
 * PieceReport (src/fit/deviation.ts), the data and flattened piece left in the workspace buffers.
 * Method (M. Sarfraz 2012, docs/design.md §4.1, §9.8): two rational quadratic arcs with one weight u,
 * V = P₀ + λ₀·h·D₀/(4u), W = P₁ − λ₁·h·D₁/(4u), J = (V + W)/2 (λ = 1 unless annealed); u minimises
 * S = Σ|R(θⱼ) − Cⱼ|² at chord-length parameters θⱼ by simulated annealing on ln u (anneal.ts), then
 * u, λ₀, λ₁ are refined on orthogonal distances (refine.ts); a line replaces the conic when about
 * as close (STRAIGHT_RMS), and u = 1 (quadratic) is preferred within QUADRATIC_SLACK / U_ONE_SLACK.
 * A caller that only keeps a piece within a bound, or splits it, may let the fit stop early
 * (fitIntervalWithin, FitStop; docs/design.md §18.28).
 */
import { conicControlPoints, foldingU, intervalLoops, rationalQuadratic } from '../geometry/conic.js';
import { mod } from '../geometry/cyclic.js';
import type { ConicPiece, FittedPiece, LinePiece, PieceReport } from '../model.js';
import { mixSeed, mulberry32 } from '../random.js';
import { anneal } from './anneal.js';
import type { FitContext } from './context.js';
import { measureDeviation, type DeviationStop } from './deviation.js';
import type { WorkKnot } from './knots.js';
import { FIT_DEFAULTS } from './options.js';
import { refineInterval } from './refine.js';
import type { FitWorkspace } from './workspace.js';
import * as dm from '../geometry/fdlibm.js';

/** Fits the interval from knot a to knot b (unwrapped indices, a.at < b.at): the chord in linear mode, else the better of the chord and the conic. */
export function fitInterval(ctx: FitContext, a: WorkKnot, b: WorkKnot): FittedPiece {
  return fitIntervalWithin(ctx, a, b, 'never')!;
}

/**
 * What a caller of fitIntervalWithin does with a piece, so that the fit may stop early (null):
 * - 'never': never stops (fitInterval);
 * - 'tolerance', 'bounds': keeps the piece only within the tolerance, or within the bounds of
 *   `exceeds`; null as soon as the piece is certain to break that bound (measureDeviation). Exact:
 *   the pieces kept and the verdicts are fitInterval's;
 * - 'split': splits the interval when the piece is over tolerance; null when the annealed conic is
 *   hopeless (RMS at the chord-length parameters over HOPELESS tolerances), with the point to split
 *   at in ws.splitAt: neither refined nor measured (docs/design.md §9.3, §18.28).
 */
export type FitStop = DeviationStop | 'split';

/** fitInterval for a caller that keeps or splits the piece as `stop` says: the same piece, or null where `stop` allows (FitStop). */
export function fitIntervalWithin(ctx: FitContext, a: WorkKnot, b: WorkKnot, stop: FitStop): FittedPiece | null {
  const { n } = ctx;
  const m = loadInterval(ctx, a, b);
  const from = mod(a.at, n);
  const to = mod(b.at, n);
  const p0x = a.x,
    p0y = a.y,
    p1x = b.x,
    p1y = b.y;
  const h = dm.hypot(p1x - p0x, p1y - p0y);
  const measure = stop === 'split' ? 'never' : stop;
  if (ctx.mode === 'linear' || h < 1e-9) return lineWithin(ctx, from, to, m, p0x, p0y, p1x, p1y, measure);
  // A straight run (a logo's edge, a stem) is a line in conic mode too, when the chord is within
  // tolerance and about as close to the data as the conic (STRAIGHT_RMS): exact, and 2 numbers in SVG.
  // A chord over the tolerance is never kept, so its measurement may stop there (null).
  const line = lineWithin(ctx, from, to, m, p0x, p0y, p1x, p1y, 'tolerance');
  if (line === null) return fitConicInterval(ctx, a, b, from, to, m, h, stop);
  // A sliver's pieces are lines wherever one is within the bounds: a conic bends into the joints
  // where its two sides touch (docs/design.md §3.6).
  if (ctx.sliver && !exceeds(ctx, line.report)) return line;
  // The rule below keeps such a line whatever the conic's RMS (≥ 0): no need to fit it. (Exact
  // pixel edges: on bilevel logos most straight runs.)
  if (line.report.rms <= STRAIGHT_RMS.px) return breaks(ctx, line.report, measure) ? null : line;
  // Whichever of the two is kept breaks the bound if the chord does and the conic does: then the
  // conic's measurement may stop early; else it is needed whole, for the choice.
  const conic = fitConicInterval(ctx, a, b, from, to, m, h, breaks(ctx, line.report, measure) ? measure : 'never');
  if (conic === null) return null;
  const kept = line.report.rms <= conic.report.rms * STRAIGHT_RMS.ratio + STRAIGHT_RMS.px ? line : conic;
  return breaks(ctx, kept.report, measure) ? null : kept;
}

/**
 * The interval's data into the workspace (bufX/bufY: its m raw points, bufT: chord-length θⱼ) and
 * its ends as deviationReport treats them (ws.ends); returns m. Shared by fitInterval and the band
 * fit (src/fit/band.ts), which measures its pieces the same way (docs/design.md §12).
 */
export function loadInterval(ctx: FitContext, a: WorkKnot, b: WorkKnot): number {
  const { n, raw, steps, ws } = ctx;
  const m = b.at - a.at + 1;
  ws.ensureScratch(m, 0);
  const { bufX, bufY, bufT, ends } = ws;
  // Data points and chord-length parameters θⱼ (each step's length taken once per contour: ctx.steps).
  let total = 0;
  for (let k = 0, q = mod(a.at, n); k < m; k++) {
    bufX[k] = raw[2 * q];
    bufY[k] = raw[2 * q + 1];
    bufT[k] = total;
    total += steps[q];
    q = q + 1 < n ? q + 1 : 0;
  }
  total = bufT[m - 1];
  for (let k = 0; k < m; k++) bufT[k] = total > 0 ? bufT[k] / total : k / Math.max(1, m - 1);
  // At a corner end the knot may sit off the data (cornerPosition): its data point is checked in
  // one of the two pieces only, and the curve is measured against the data a point past the end too.
  ends.skipFirst = a.kind === 'corner' && a.dataSide === 'in';
  ends.skipLast = b.kind === 'corner' && b.dataSide === 'out';
  ends.before = a.kind === 'corner' ? mod(a.at - 1, n) : -1;
  ends.after = b.kind === 'corner' ? mod(b.at + 1, n) : -1;
  return m;
}

/** The chord P₀P₁ as a piece, with S at the chord-length parameters and its deviation report. */
export function fitLine(ctx: FitContext, from: number, to: number, m: number, p0x: number, p0y: number, p1x: number, p1y: number): LinePiece {
  return lineWithin(ctx, from, to, m, p0x, p0y, p1x, p1y, 'never')!;
}

/** fitLine, or null once the chord is certain to break the bound `stop` (measureDeviation). */
function lineWithin(
  ctx: FitContext,
  from: number,
  to: number,
  m: number,
  p0x: number,
  p0y: number,
  p1x: number,
  p1y: number,
  stop: DeviationStop,
): LinePiece | null {
  const { bufX, bufY, bufT, bufFlat } = ctx.ws;
  let S = 0;
  for (let k = 0; k < m; k++) {
    const t = bufT[k];
    S += (p0x + t * (p1x - p0x) - bufX[k]) ** 2 + (p0y + t * (p1y - p0y) - bufY[k]) ** 2;
  }
  bufFlat[0] = p0x;
  bufFlat[1] = p0y;
  bufFlat[2] = p1x;
  bufFlat[3] = p1y;
  const report = measureDeviation(ctx, from, m, 2, S, stop);
  if (report === null) return null;
  return { kind: 'line', from, to, p0: { x: p0x, y: p0y }, p1: { x: p1x, y: p1y }, report };
}

/** The conic piece of the interval (annealed, then refined), or the chord when the conic degenerates; null once it is certain to break the bound `stop`. */
function fitConicInterval(ctx: FitContext, a: WorkKnot, b: WorkKnot, from: number, to: number, m: number, h: number, stop: FitStop): FittedPiece | null {
  const { o, ws } = ctx;
  const { bufX, bufY, bufT, bufB0, bufC1, bufB2 } = ws;
  const p0x = a.x,
    p0y = a.y,
    p1x = b.x,
    p1y = b.y;
  const d0x = a.outX,
    d0y = a.outY,
    d1x = b.inX,
    d1y = b.inY;

  // S(u, λ₀, λ₁) over the interval's points; state is (ln u[, ln λ₀, ln λ₁]). No allocation.
  // The Bernstein factors depend on θⱼ only, so they are computed once per interval (bufB0/bufC1/
  // bufB2: (1−s)², 2s(1−s), s²); points with θ ≤ ½ (a prefix, θ increases) lie on the first arc.
  let half = 0;
  let stride = 1; // every point while searching (set below); the reported S uses all of them
  for (let q = 0; q < m; q++) {
    const theta = bufT[q];
    if (theta <= 0.5) half = q + 1;
    const s = theta <= 0.5 ? 2 * theta : 2 * theta - 1;
    bufB0[q] = (1 - s) * (1 - s);
    bufC1[q] = 2 * s * (1 - s);
    bufB2[q] = s * s;
  }
  const vwj = ws.controlPoints;
  // With `track`, the energy also notes the interior point of largest residual (in ws.splitAt).
  let track = false;
  let worstR = -1;
  const energy = (state: Float64Array): number => {
    const u = dm.exp(state[0]);
    const l0 = state.length > 1 ? dm.exp(state[1]) : 1;
    const l1 = state.length > 1 ? dm.exp(state[2]) : 1;
    conicControlPoints(p0x, p0y, d0x, d0y, p1x, p1y, d1x, d1y, h, u, l0, l1, vwj);
    const vx = vwj[0],
      vy = vwj[1],
      wx = vwj[2],
      wy = vwj[3],
      jx = vwj[4],
      jy = vwj[5];
    let S = 0;
    // First arc conic(P₀, V, J, u; s), then conic(J, W, P₁, u; s) (docs/design.md §4.1): geometry/conic.ts
    // `rationalQuadratic` with its s-only factors cached per interval above.
    for (let q = 0; q < half; q += stride) {
      const b0 = bufB0[q],
        b1 = u * bufC1[q],
        b2 = bufB2[q];
      const den = b0 + b1 + b2;
      const rx = (b0 * p0x + b1 * vx + b2 * jx) / den - bufX[q],
        ry = (b0 * p0y + b1 * vy + b2 * jy) / den - bufY[q];
      const r2 = rx * rx + ry * ry;
      S += r2;
      if (track && r2 > worstR && q > 0 && q < m - 1) {
        worstR = r2;
        ws.splitAt = q;
      }
    }
    for (let q = half + ((stride - (half % stride)) % stride); q < m; q += stride) {
      const b0 = bufB0[q],
        b1 = u * bufC1[q],
        b2 = bufB2[q];
      const den = b0 + b1 + b2;
      const rx = (b0 * jx + b1 * wx + b2 * p1x) / den - bufX[q],
        ry = (b0 * jy + b1 * wy + b2 * p1y) / den - bufY[q];
      const r2 = rx * rx + ry * ry;
      S += r2;
      if (track && r2 > worstR && q > 0 && q < m - 1) {
        worstR = r2;
        ws.splitAt = q;
      }
    }
    return S;
  };

  const dims = o.annealTangents ? 3 : 1;
  const lo = new Float64Array(dims),
    hi = new Float64Array(dims),
    start = new Float64Array(dims);
  lo[0] = dm.log(FIT_DEFAULTS.uMin);
  hi[0] = dm.log(FIT_DEFAULTS.uMax);
  for (let d = 1; d < dims; d++) {
    lo[d] = dm.log(FIT_DEFAULTS.lambdaMin);
    hi[d] = dm.log(FIT_DEFAULTS.lambdaMax);
  }
  const random = mulberry32(mixSeed(o.seed, o.contourIndex, from, to));
  // Long intervals are searched on every stride-th point (≤ SEARCH_POINTS, evenly spread): S changes
  // smoothly with u; the reported energies are rescaled to all points (docs/design.md §5.4, §18.12).
  stride = Math.max(1, Math.ceil(m / SEARCH_POINTS));
  const result = anneal(energy, start, lo, hi, random, o.schedule);
  if (stride > 1) {
    stride = 1;
    const scale = energy(result.best) / Math.max(result.energyPolish, 1e-300);
    result.energyStart *= scale;
    result.energyAnneal *= scale;
    result.energyPolish *= scale;
  }
  // An annealed state that folds back at J (a curl within tolerance: S sees the points, not the
  // curve's turn) moves just out of the fold, u = FOLD_MARGIN × the folding u (docs/design.md §11.5);
  // the refinement below starts there and stays unfolded. The reported energies stay the search's.
  const uFold = foldingU(p0x, p0y, p1x, p1y, d0x, d0y, d1x, d1y, dims > 1 ? dm.exp(result.best[1]) : 1, dims > 1 ? dm.exp(result.best[2]) : 1);
  const folded = dm.exp(result.best[0]) <= uFold;
  if (folded) result.best[0] = dm.log(Math.min(FIT_DEFAULTS.uMax, uFold * FOLD_MARGIN));

  let finalS = folded ? energy(result.best) : result.energyPolish;
  // A caller that splits over tolerance gets, for a hopeless annealed state, only where to split:
  // the point of largest residual at the chord-length parameters (docs/design.md §9.3, §18.28).
  if (stop === 'split' && m >= 3 && finalS > m * (HOPELESS * o.tolerance) ** 2) {
    track = true;
    ws.splitAt = m >> 1; // kept only if no residual is a number
    energy(result.best);
    ws.splitAt = mod(from + ws.splitAt, ctx.n);
    ws.splitResidual = worstR >= 0 ? Math.sqrt(worstR) : Infinity;
    return null;
  }
  // Geometric refinement of u, λ₀, λ₁ (src/fit/refine.ts), skipped where the annealed fit is far off
  // (RMS at the chord-length parameters over REFINE_SKIP tolerances; docs/design.md §11.4).
  let refined = false;
  if (o.refine && finalS <= m * (REFINE_SKIP * o.tolerance) ** 2) {
    const state = Float64Array.of(result.best[0], dims > 1 ? result.best[1] : 0, dims > 1 ? result.best[2] : 0);
    const geometry = { xs: bufX, ys: bufY, m, p0x, p0y, p1x, p1y, d0x, d0y, d1x, d1y, h };
    // The same piece with u = 1 and its own tangent lengths: two quadratic Béziers, written
    // exactly as SVG `Q`+`T` (6 numbers, where other pieces need one `C` at best and two `A` at worst).
    // Refined first: when it is well inside the RMS bound, the free-u refinement is not run.
    const quadratic = Float64Array.of(0, state[1], state[2]);
    const ssQ = refineInterval(geometry, quadratic, QUADRATIC_BOUNDS.lo, QUADRATIC_BOUNDS.hi, ws.refine);
    const keepQuadratic = ctx.subpixel ? QUADRATIC_FIRST.subpixel : QUADRATIC_FIRST.pixelCorners;
    if (ssQ <= m * (keepQuadratic * o.rmsTolerance) ** 2) state.set(quadratic);
    else {
      const ss = refineInterval(geometry, state, REFINE_BOUNDS.lo, REFINE_BOUNDS.hi, ws.refine);
      if (state[0] !== 0 && ssQ <= ss * (ctx.subpixel ? QUADRATIC_SLACK.subpixel : QUADRATIC_SLACK.pixelCorners) + 1e-12) state.set(quadratic);
    }
    // Free tangent lengths can fold the two arcs across each other (a loop within tolerance: 94 of
    // 1894 bench pieces): such a piece keeps its annealed state (docs/design.md §11.5).
    conicControlPoints(p0x, p0y, d0x, d0y, p1x, p1y, d1x, d1y, h, dm.exp(state[0]), dm.exp(state[1]), dm.exp(state[2]), vwj);
    if (!intervalLoops(p0x, p0y, vwj[0], vwj[1], vwj[4], vwj[5], vwj[2], vwj[3], p1x, p1y, dm.exp(state[0]), ws.loopScratch)) {
      result.best = state;
      finalS = energy(state);
      refined = true;
    }
  }
  // Without refinement: prefer u = 1 (two quadratic Béziers, written exactly as SVG `Q`) when its S is
  // within U_ONE_SLACK of the optimum's: shorter paths at the same intervals (docs/design.md §4.7, §18.17).
  if (!refined && result.best[0] !== 0) {
    const chosen = result.best[0];
    result.best[0] = 0;
    const atOne = energy(result.best);
    if (atOne <= result.energyPolish * (1 + U_ONE_SLACK) + 1e-12) finalS = atOne;
    else result.best[0] = chosen;
  }
  const u = dm.exp(result.best[0]);
  const l0 = result.best.length > 1 ? dm.exp(result.best[1]) : 1;
  const l1 = result.best.length > 1 ? dm.exp(result.best[2]) : 1;
  conicControlPoints(p0x, p0y, d0x, d0y, p1x, p1y, d1x, d1y, h, u, l0, l1, vwj);
  const v = { x: vwj[0], y: vwj[1] };
  const w = { x: vwj[2], y: vwj[3] };
  const j = { x: vwj[4], y: vwj[5] };
  const measure = stop === 'split' ? 'never' : stop;
  if (!(Number.isFinite(v.x) && Number.isFinite(v.y) && Number.isFinite(w.x) && Number.isFinite(w.y) && Number.isFinite(u))) {
    // Partial success is a status: a degenerate conic falls back to a line (reported as such).
    return lineWithin(ctx, from, to, m, p0x, p0y, p1x, p1y, measure);
  }
  const segments = flattenConic(ws, p0x, p0y, v.x, v.y, j.x, j.y, w.x, w.y, p1x, p1y, u);
  const report = measureDeviation(ctx, from, m, segments + 1, finalS, measure);
  if (report === null) return null;
  report.annealIterations = result.iterations;
  report.energyStart = result.energyStart;
  report.energyAnneal = result.energyAnneal;
  report.energyPolish = result.energyPolish;
  const piece: ConicPiece = {
    kind: 'conic',
    from,
    to,
    p0: { x: p0x, y: p0y },
    v,
    j,
    w,
    p1: { x: p1x, y: p1y },
    u,
    d0: { x: d0x, y: d0y },
    d1: { x: d1x, y: d1y },
    report,
  };
  return piece;
}

/**
 * Refinement is skipped when the annealed RMS (at chord-length parameters) exceeds this many
 * tolerances: a measured balance of closeness against interval count (docs/design.md §18.14).
 */
const REFINE_SKIP = 2;

/**
 * An annealed conic whose RMS at the chord-length parameters exceeds this many tolerances is
 * hopeless: in insertion it is split at once, without refinement or measurement. In the insertion
 * pass on the bench corpus no piece within tolerance had annealed above 5.47 tolerances; 601 of
 * the 1617 intervals it split did (docs/design.md §18.28).
 */
const HOPELESS = 6;

/**
 * A refined piece becomes quadratic (u = 1, exact `Q`+`T` in SVG, 6 numbers where an elliptic
 * interval needs two `A`, 14) when that multiplies its sum of squared distances by at most this; the
 * tolerance is checked after (docs/design.md §4.7, §18.16). Sub-pixel points: 32, since the coverage
 * fit (§11.7) takes the mean distance well under its target: anti-aliased path bytes −11 % for
 * +2 % intervals and +6 % mean distance (§18.16); pixel corners: 2.
 */
const QUADRATIC_SLACK = { subpixel: 32, pixelCorners: 2 } as const;

/**
 * A quadratic piece whose refined RMS is within this fraction of rmsTolerance is kept without
 * refining u (docs/design.md §4.7, §18.16). Sub-pixel points scatter ~0.05 px, far under their
 * 0.18 px bound, so there 0.7 kept quadratics that a free u fits visibly closer (AA mean distance
 * +3–5 %); pixel corners scatter ~0.3 px, about 0.7 of their bound.
 */
const QUADRATIC_FIRST = { subpixel: 0.35, pixelCorners: 0.7 } as const;

/** Bounds of the refined state (ln u, ln λ₀, ln λ₁), from FIT_DEFAULTS; the quadratic variant holds u = 1 (ln u = 0). */
/** The annealed u stays this factor above the folding u (docs/design.md §11.5): at the fold itself the tangent at J is across the chord. */
const FOLD_MARGIN = 1.05;

const REFINE_BOUNDS = {
  lo: Float64Array.of(dm.log(FIT_DEFAULTS.uMin), dm.log(FIT_DEFAULTS.lambdaMin), dm.log(FIT_DEFAULTS.lambdaMin)),
  hi: Float64Array.of(dm.log(FIT_DEFAULTS.uMax), dm.log(FIT_DEFAULTS.lambdaMax), dm.log(FIT_DEFAULTS.lambdaMax)),
} as const;
const QUADRATIC_BOUNDS = {
  lo: Float64Array.of(0, REFINE_BOUNDS.lo[1], REFINE_BOUNDS.lo[2]),
  hi: Float64Array.of(0, REFINE_BOUNDS.hi[1], REFINE_BOUNDS.hi[2]),
} as const;

/** Points the annealing evaluates S on, at most: halves the energy's cost at the same intervals (docs/design.md §18.12). */
const SEARCH_POINTS = 48;

/** A line replaces a conic piece when its RMS distance ≤ ratio × the conic's + px: shorter paths at equal closeness (docs/design.md §4.6, §18.18). */
const STRAIGHT_RMS = { ratio: 1.1, px: 0.02 } as const;

/** Relative increase of S accepted to use u = 1 exactly on unrefined pieces (docs/design.md §4.7, §18.17). */
const U_ONE_SLACK = 0.01;

/** Flattens both arcs into ws.bufFlat (segments ≤ 0.5 px along the control polygon); returns the segment count. */
export function flattenConic(
  ws: FitWorkspace,
  p0x: number,
  p0y: number,
  vx: number,
  vy: number,
  jx: number,
  jy: number,
  wx: number,
  wy: number,
  p1x: number,
  p1y: number,
  u: number,
): number {
  const len1 = dm.hypot(vx - p0x, vy - p0y) + dm.hypot(jx - vx, jy - vy);
  const len2 = dm.hypot(wx - jx, wy - jy) + dm.hypot(p1x - wx, p1y - wy);
  const k1 = Math.min(4096, Math.max(8, Math.ceil(len1 * 2)));
  const k2 = Math.min(4096, Math.max(8, Math.ceil(len2 * 2)));
  ws.ensureScratch(0, k1 + k2 + 1);
  const bufFlat = ws.bufFlat;
  let q = 0;
  const put = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number, steps: number, first: boolean) => {
    for (let i = first ? 0 : 1; i <= steps; i++, q += 2) rationalQuadratic(ax, ay, bx, by, cx, cy, u, i / steps, bufFlat, q);
  };
  put(p0x, p0y, vx, vy, jx, jy, k1, true);
  put(jx, jy, wx, wy, p1x, p1y, k2, false);
  return k1 + k2;
}

/**
 * Whether a piece breaks the bounds: beyond the tolerance (docs/design.md §6) or, in conic mode, over
 * the RMS bound (§9.4). Merges and corner moves are kept only when it is false (docs/design.md §9.5, §10.4).
 */
export function exceeds(ctx: FitContext, r: PieceReport): boolean {
  return r.maxDeviation > ctx.o.tolerance || (ctx.mode === 'conic' && r.rms > ctx.o.rmsTolerance);
}

/** Whether a report breaks the bound `stop` names (fitIntervalWithin). */
function breaks(ctx: FitContext, r: PieceReport, stop: DeviationStop): boolean {
  return stop === 'bounds' ? exceeds(ctx, r) : stop === 'tolerance' && r.maxDeviation > ctx.o.tolerance;
}
