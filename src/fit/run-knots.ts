/**
 * Run-end knots: a smooth knot where a long axis-parallel run of a bilevel contour meets the round
 * beside it (conic mode, pixel-corner contours; the knot loop's seed step, docs/design.md §9.2, §18.37).
 *
 * Reads: the fit context of a pixel-corner contour (raw crack vertices, unit steps) and the seed
 * knots (initialKnots). Produces: those knots plus a `seed` knot at the estimated tangent point of
 * each such run end (on the run's own line, the run's direction its tangent), a `seed` at the point
 * farthest from the chord of a span from such a knot that turns more than ~120°, and the two sets
 * of contour indices the merge (§9.5) treats by their own rules.
 * Why: without a knot where a straight side ends, one conic piece spans round + side + round and
 * bulges off the side within the tolerance, so neither the insertion (§9.3) nor the RMS split (§9.4)
 * acts (§18.36: icon-30secondsofcode-64's "0", two straight 17.7 px sides 0.36–0.41 px off).
 * Method: the staircase of a round tangent to the run's line steps off it where the round's offset
 * t²/(2R) crosses a pixel level, t from the tangent point; with the first step at the run's end
 * (level a ∈ (0, 1]) and the next one L₁ cracks later (level a + 1), t₁ = L₁ / (√(1 + 1/a) − 1):
 * 0.81 L₁ at a = ¼, 1.37 L₁ at a = ½, 2.41 L₁ at a = 1. The knot goes RUN_KNOTS.fraction × L₁ cracks
 * back into the run (at least 1, at most a third of the run). A run counts as straight only when it
 * is RUN_KNOTS.ratio times longer than the mean of the runs past its two risers (the flat extreme
 * of a circle is at most ~4.8 times its neighbours). Both ends get knots, convex and concave (a
 * stem into its serif's bracket; concave ends were left out at first, §18.37, and added with the
 * band fits in place, §18.45).
 */
import { crackHeading } from '../contours/cracks.js';
import { mod } from '../geometry/cyclic.js';
import type { FitContext } from './context.js';
import { knotAt, makeKnot, WorkKnot } from './knots.js';

/** Tuning of the run-end knots, one line each (docs/design.md §18.37). */
export const RUN_KNOTS = Object.freeze({
  /** Fewest cracks of an axis run that gets a knot at its ends. */
  minRun: 12,
  /** The knot goes this many times the next run's length back from the run's end (the tangent point estimate above). */
  fraction: 1,
  /** A run is straight when it is this many times the mean length of the runs past its risers. */
  ratio: 8,
  /** No knot when a knot (a corner) lies within this many points of the run's end or of the knot's place. */
  gap: 16,
  /** A span from a run-end knot whose end tangents' dot product is below this (a turn over 120°) gets a seed. */
  turnDot: -0.5,
});

/** The knots of the seed step and the merge's rules for the knots it added (contour indices). */
export interface RunSeeds {
  knots: WorkKnot[];
  /** The knots added here (contour indices), which the merge never removes: the bounds alone would take them again (§18.37). */
  held: Set<number>;
}

/**
 * The seed knots plus a smooth knot at the estimated tangent point of each end of every
 * straight axis run (see the file comment); unchanged for sub-pixel contours, linear mode, or when
 * the points are not unit crack steps.
 *
 * @example const { knots, held } = withRunEndKnots(ctx, initialKnots(ctx, corners));
 */
export function withRunEndKnots(ctx: FitContext, knots: WorkKnot[]): RunSeeds {
  const none: RunSeeds = { knots, held: new Set() };
  if (ctx.subpixel || ctx.mode !== 'conic') return none;
  const { n, raw } = ctx;
  if (n < 2 * RUN_KNOTS.minRun) return none;
  // Step directions 0..3 (+x, +y, −x, −y); a step that is not one unit crack leaves the contour alone.
  const dir = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const d = crackHeading(raw, i);
    if (d < 0) return none;
    dir[i] = d;
  }
  // Runs as (first step, length), the scan started at a direction change so that none wraps.
  let s0 = -1;
  for (let i = 0; i < n && s0 < 0; i++) if (dir[i] !== dir[mod(i - 1, n)]) s0 = i;
  if (s0 < 0) return none;
  const starts: number[] = [];
  const lengths: number[] = [];
  for (let k = 0; k < n;) {
    let len = 1;
    while (k + len < n && dir[mod(s0 + k + len, n)] === dir[mod(s0 + k, n)]) len++;
    starts.push(s0 + k);
    lengths.push(len);
    k += len;
  }
  const taken = new Uint8Array(n);
  // Only corners keep a run end free: the seeds of a contour with fewer than two corners (§9.2) go
  // when run-end knots come (two of them seed the contour as well).
  for (const k of knots) if (k.kind === 'corner') taken[mod(k.at, n)] = 1;
  const near = (p: number): boolean => {
    for (let d = -RUN_KNOTS.gap; d <= RUN_KNOTS.gap; d++) if (taken[mod(p + d, n)]) return true;
    return false;
  };
  const added: WorkKnot[] = [];
  const runs = starts.length;
  for (let r = 0; r < runs; r++) {
    const len = lengths[r];
    if (len < RUN_KNOTS.minRun) continue;
    const first = starts[r],
      last = first + len; // the run's end points
    const d = dir[mod(first, n)];
    // The runs past the unit risers at either end (a longer riser is no staircase: 1).
    const before = lengths[mod(r - 1, runs)] === 1 ? lengths[mod(r - 2, runs)] : 1,
      after = lengths[mod(r + 1, runs)] === 1 ? lengths[mod(r + 2, runs)] : 1;
    if (len < (RUN_KNOTS.ratio * (before + after)) / 2) continue;
    const tx = d === 0 ? 1 : d === 2 ? -1 : 0,
      ty = d === 1 ? 1 : d === 3 ? -1 : 0;
    // Both ends or neither: a lone knot leaves the side inside a conic that now has a fixed tangent.
    const pair: number[] = [];
    for (const [end, next, sign] of [
      [last, after, -1],
      [first, before, 1],
    ] as const) {
      // Convex and concave ends alike (§18.45): a concave one is where a stem leaves its line into a bracket.
      const back = Math.min(Math.floor(len / 3), Math.max(1, Math.round(RUN_KNOTS.fraction * next)));
      const at = mod(end + sign * back, n);
      if (!near(end) && !near(at)) pair.push(at);
    }
    if (pair.length < 2) continue;
    for (const at of pair) {
      taken[at] = 1;
      // On the run's own line, its tangent the run's direction: the round leaves it there tangentially.
      added.push(new WorkKnot(at, 'seed', raw[2 * at], raw[2 * at + 1], tx, ty, tx, ty));
    }
  }
  if (added.length === 0) return none;
  const runEnds = new Set(added.map((k) => k.at));
  // In index order, the first knot at its contour index (the knot loop's convention: first at k₀ ∈ [0, n)).
  const kept = knots.filter((k) => k.kind === 'corner');
  const all = [...kept.map((k) => (k.at < n ? k : knotAt(k, mod(k.at, n)))), ...added].sort((p, q) => p.at - q.at);
  // A span from a run-end knot that turns more than ~120° (a D's bowl between its two flat sides)
  // passes the bounds as one conic far off its band: a seed at the point farthest from its chord.
  const held = new Set<number>();
  const out: WorkKnot[] = [];
  for (let k = 0; k < all.length; k++) {
    const a = all[k];
    const b = k + 1 < all.length ? all[k + 1] : knotAt(all[0], all[0].at + n);
    out.push(a);
    if (!runEnds.has(a.at) && !runEnds.has(mod(b.at, n))) continue;
    if (a.outX * b.inX + a.outY * b.inY > RUN_KNOTS.turnDot || b.at - a.at < 4) continue;
    const far = farthestFromChord(raw, n, a.at, b.at, a.x, a.y, b.x, b.y);
    out.push(makeKnot(ctx, far, 'seed', a.at, b.at));
    held.add(mod(far, n));
  }
  for (const a of runEnds) held.add(a);
  return { knots: out, held };
}

/** Unwrapped index in (a, b), b ≥ a + 2, of the point farthest from the line through (ax, ay) and (bx, by), first on ties. */
function farthestFromChord(raw: Float64Array, n: number, a: number, b: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax,
    dy = by - ay;
  let best = a + 1,
    bestD = -1;
  for (let k = a + 1; k < b; k++) {
    const q = mod(k, n);
    const d = Math.abs((raw[2 * q] - ax) * dy - (raw[2 * q + 1] - ay) * dx);
    if (d > bestD + 1e-9) {
      bestD = d;
      best = k;
    }
  }
  return best;
}
