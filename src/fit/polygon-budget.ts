/**
 * Stage 4 (linear mode) — the polygon with a given number of chords and the least ISE, over every
 * choice of the corners' points (docs/design.md §9.9, §18.29).
 *
 * Why: the fewest-chord polygon's vertices are then settled onto their sides' lines (polygon.ts),
 * which can push a side over the tolerance; splitting that side at its worst point keeps the
 * tolerance but not the least ISE for the new vertex count (Teh–Chin chromosome at 1.25 px: 15.48
 * against 8.07 for 10 vertices, a polygon whose corners are all within one point of the detected
 * ones). With one more chord per broken side, the least-ISE polygon is chosen over all corner
 * states at once instead.
 *
 * Reads: the fit context, the prefix sums, the detected corners and each one's allowed shifts.
 * Produces: the corners' chosen points and each chain's vertices, or null.
 */
import { mod } from '../geometry/cyclic.js';
import type { FitContext } from './context.js';
import { pointSegmentDistance2 } from '../geometry/segment.js';
import type { WorkKnot } from './knots.js';
import { sweep } from './sector.js';

/** A chain's least ISE to each end point with exactly c chords: ise[c][j − from], back[c][j − from] the vertex before j. */
interface CountTables {
  from: number;
  ise: Float64Array[];
  back: Int32Array[];
}

/**
 * Least ISE from point `from` to every point up to `to` (unwrapped) with exactly c chords, for
 * c ≤ maxChords; chords admitted by the sector test as the fewest-chord programme admits them.
 * Cost O(maxChords · points · admitted chords): for chains of at most FULL_PROGRAMME_POINTS.
 */
function countTables(ctx: FitContext, chordIse: (i: number, j: number) => number, from: number, to: number, maxChords: number): CountTables {
  const len = to - from;
  const ise = Array.from({ length: maxChords + 1 }, () => new Float64Array(len + 1).fill(Infinity));
  const back = Array.from({ length: maxChords + 1 }, () => new Int32Array(len + 1).fill(-1));
  ise[0][0] = 0;
  for (let i = 0; i < len; i++) {
    let reached = false;
    for (let c = 0; c < maxChords && !reached; c++) reached = ise[c][i] < Infinity;
    if (!reached) continue;
    const last = Math.min(sweep(ctx, from + i, to, 1) - from, len);
    const admitted = ctx.ws.polygonOk;
    for (let j = i + 1; j <= last; j++) {
      if (admitted[j - i] !== 1) continue;
      const chord = chordIse(from + i, from + j);
      for (let c = 0; c < maxChords; c++) {
        const e = ise[c][i] + chord;
        if (e < ise[c + 1][j] - 1e-12) {
          ise[c + 1][j] = e;
          back[c + 1][j] = i;
        }
      }
    }
  }
  return { from, ise, back };
}

/** The vertices strictly between the table's start and `end` on its c-chord path. */
function countPath(t: CountTables, c: number, end: number): number[] {
  const out: number[] = [];
  for (let j = end - t.from, k = c; k > 1; k--) {
    j = t.back[k][j];
    out.push(t.from + j);
  }
  return out.reverse();
}

/**
 * The least-ISE polygon with exactly `total` chords whose corners sit at `at[k]` + one of
 * `shifts[k]`, chain k of at most `chainChords[k]` chords (its fewest plus the sides to add, plus one
 * for a shifted corner: the tables' cost grows with it); null when there is none.
 */
export function polygonWithChords(
  ctx: FitContext,
  chordIse: (i: number, j: number) => number,
  at: readonly number[],
  shifts: ReadonlyArray<readonly number[]>,
  total: number,
  chainChords: readonly number[],
): { at: number[]; vertices: number[][] } | null {
  const { n } = ctx;
  const count = at.length;
  const endOf = (k: number, b: number) => (k + 1 < count ? at[k + 1] : at[0] + n) + b;
  // tables[k][s]: chain k from corner k at shift shifts[k][s], to the farthest end it may take.
  const tables = at.map((a, k) =>
    shifts[k].map((s) => countTables(ctx, chordIse, a + s, endOf(k, Math.max(...shifts[(k + 1) % count])), Math.min(total, chainChords[k]))),
  );
  let best: { ise: number; choice: number[]; chords: number[] } | null = null;
  for (let f = 0; f < shifts[0].length; f++) {
    // score[t][c]: least ISE of chains 0 … k − 1 with corner k at shift t and c chords; from[k][t][c] = [s, chain chords].
    let score: Float64Array[] = shifts[0].map(() => new Float64Array(total + 1).fill(Infinity));
    score[f][0] = 0;
    const from: Array<Array<Array<[number, number]>>> = [];
    for (let k = 0; k < count; k++) {
      const next = (k + 1) % count;
      const nextShifts = k + 1 < count ? shifts[next] : [shifts[0][f]];
      const out = nextShifts.map(() => new Float64Array(total + 1).fill(Infinity));
      const step = nextShifts.map(() => Array.from({ length: total + 1 }, () => [-1, 0] as [number, number]));
      shifts[k].forEach((_, s) => {
        const t0 = tables[k][s];
        nextShifts.forEach((b, t) => {
          const end = endOf(k, b) - t0.from;
          for (let c0 = 0; c0 <= total; c0++) {
            if (!(score[s][c0] < Infinity)) continue;
            for (let cc = 1; c0 + cc <= total && cc < t0.ise.length; cc++) {
              const e = score[s][c0] + t0.ise[cc][end];
              if (e < out[t][c0 + cc] - 1e-12) {
                out[t][c0 + cc] = e;
                step[t][c0 + cc] = [s, cc];
              }
            }
          }
        });
      });
      from.push(step);
      score = out;
    }
    const e = score[0][total];
    if (!(e < Infinity) || (best && e >= best.ise - 1e-12)) continue;
    const choice = new Array<number>(count);
    const chords = new Array<number>(count);
    for (let k = count - 1, t = 0, c = total; k >= 0; k--) {
      const [s, cc] = from[k][t][c];
      chords[k] = cc;
      choice[k] = s;
      c -= cc;
      t = s;
    }
    best = { ise: e, choice, chords };
  }
  if (!best) return null;
  const { choice, chords } = best;
  const shifted = at.map((a, k) => a + shifts[k][choice[k]]);
  const vertices = at.map((_, k) => countPath(tables[k][choice[k]], chords[k], k + 1 < count ? shifted[k + 1] : shifted[0] + n));
  return { at: shifted, vertices };
}

/** The settled knots with both ends of each broken side back on their data points (`onData`: the same knots unsettled). */
export function unsettleBroken(ctx: FitContext, settled: readonly WorkKnot[], onData: readonly WorkKnot[]): WorkKnot[] {
  const out = [...settled];
  for (let k = 0; k < settled.length; k++) {
    const next = (k + 1) % settled.length;
    if (!sideBroken(ctx, settled, k)) continue;
    out[k] = onData[k];
    out[next] = onData[next];
  }
  return out;
}

/** How many sides of the closed polygon `knots` are broken (sideBroken). */
export function brokenSides(ctx: FitContext, knots: readonly WorkKnot[]): number {
  let broken = 0;
  for (let k = 0; k < knots.length; k++) if (sideBroken(ctx, knots, k)) broken++;
  return broken;
}

/** Whether a contour point strictly between knot k and the next (the last side closing one turn on) lies farther than the tolerance from the segment between them. */
function sideBroken(ctx: FitContext, knots: readonly WorkKnot[], k: number): boolean {
  const { raw, n } = ctx;
  const tol2 = ctx.o.tolerance * ctx.o.tolerance;
  const a = knots[k],
    b = knots[(k + 1) % knots.length];
  const end = k + 1 < knots.length ? b.at : b.at + n;
  for (let i = a.at + 1; i < end; i++) {
    const q = mod(i, n);
    if (pointSegmentDistance2(raw[2 * q], raw[2 * q + 1], a.x, a.y, b.x, b.y) > tol2) return true;
  }
  return false;
}
