/**
 * Stage 3, second scale — the fine pass of corner detection (docs/design.md §3.3, §18.31).
 *
 * Reads a contour's raw boundary points and its coarse corners (src/corners.ts); produces the
 * corners that replace or join them: bends between two straight runs of 2–3 px, which the coarse
 * arms (up to 6 px, on smoothed points) see as one corner (a serif's square end) or not at all (a
 * small staircase). Method: IPAN99's two passes (D. Chetverikov & Zs. Szabó, 1999) at short arms
 * that must be straight; the merge rule is conicfit's own.
 */
import { mod, wrap } from './geometry/cyclic.js';
import { flatEnds, truncatedTip } from './corners-tips.js';
import type { Corner } from './types.js';
import * as dm from './geometry/fdlibm.js';

/** A corner of the fine pass, with the length of its shorter straight arm (px). */
export interface FineCorner extends Corner {
  arm: number;
}

/** Parameters of the fine pass, from `CORNER_DEFAULTS` (src/corners.ts) by point kind. */
export interface FineParams {
  /** Shortest arm, px; arms run to arm + armBand. */
  arm: number;
  armBand: number;
  /** Largest distance of an arm's point from its chord, px. */
  straight: number;
  /** The same for the corner point's neighbour, px. */
  cut: number;
  /** Largest opening angle, degrees. */
  alphaMax: number;
  /** Smallest turn of the chain at the point itself, degrees. */
  turn: number;
}

/**
 * Pass 1 of the fine pass (docs/design.md §3.3): IPAN99's pass 1 at arms of `arm`..`arm` +
 * `armBand` px on the raw points, at points where the chain itself turns by `turn`, admitting an
 * arm only while it is straight (`straightArm`), α ≤ `alphaMax`. Per point: the angle (degrees,
 * NaN = not a candidate), the turn's sign (> 0 turns right, as `turnsRight`) and the length of the
 * shorter arm (px). Straight arms are what make short arms safe: a curve's or a digitised
 * slope's arms are not straight, so only a bend between two straight runs ≥ 2 px is found.
 */
export function fineAngles(pts: Float64Array, p: FineParams): { angles: Float64Array; turn: Float64Array; arm: Float64Array } {
  const n = pts.length / 2;
  const angles = new Float64Array(n).fill(NaN);
  const turn = new Float64Array(n);
  const shorter = new Float64Array(n);
  if (n < 8) return { angles, turn, arm: shorter };
  const arm: FineArm = { lo: p.arm, hi: p.arm + p.armBand, tol: p.straight, cut: p.cut, ends: new Int32Array(8), count: 0, longest: 0 };
  const afterX = new Float64Array(8),
    afterY = new Float64Array(8);
  const cosMax = dm.cos((p.alphaMax * Math.PI) / 180);
  const cosTurn = dm.cos((p.turn * Math.PI) / 180);
  for (let i = 0; i < n; i++) {
    // The chain must turn at p itself (cost: most points fail here and walk no arm).
    const h = i === 0 ? n - 1 : i - 1,
      k = i + 1 === n ? 0 : i + 1;
    const ux = pts[2 * i] - pts[2 * h],
      uy = pts[2 * i + 1] - pts[2 * h + 1],
      vx = pts[2 * k] - pts[2 * i],
      vy = pts[2 * k + 1] - pts[2 * i + 1];
    const uv = ux * vx + uy * vy;
    if (uv > 0 && uv * uv >= cosTurn * cosTurn * (ux * ux + uy * uy) * (vx * vx + vy * vy)) continue;
    straightArm(pts, i, 1, arm);
    const na = arm.count;
    if (na === 0) continue;
    const longestAfter = arm.longest;
    for (let a = 0; a < na; a++) {
      afterX[a] = pts[2 * arm.ends[a]] - pts[2 * i];
      afterY[a] = pts[2 * arm.ends[a] + 1] - pts[2 * i + 1];
    }
    straightArm(pts, i, -1, arm);
    if (arm.count === 0) continue;
    let bestCos = -2,
      cross = 0;
    for (let b = 0; b < arm.count; b++) {
      const bx = pts[2 * arm.ends[b]] - pts[2 * i],
        by = pts[2 * arm.ends[b] + 1] - pts[2 * i + 1];
      for (let a = 0; a < na; a++) {
        const ax = afterX[a],
          ay = afterY[a];
        const cos = (ax * bx + ay * by) / Math.sqrt((ax * ax + ay * ay) * (bx * bx + by * by));
        if (cos > bestCos) {
          bestCos = cos;
          cross = by * ax - bx * ay; // (p − p⁻) × (p⁺ − p) with p − p⁻ = −b: > 0 turns right, as `turnsRight`
        }
      }
    }
    if (bestCos >= cosMax) {
      angles[i] = (dm.acos(Math.min(1, bestCos)) * 180) / Math.PI;
      turn[i] = cross;
      shorter[i] = Math.sqrt(Math.min(longestAfter, arm.longest));
    }
  }
  return { angles, turn, arm: shorter };
}

/** Arm bounds of the fine pass and the ends `straightArm` found (scratch, reused per point). */
interface FineArm {
  /** Arm length band from the corner point, px. */
  lo: number;
  hi: number;
  /** Largest distance of an arm's point from its chord, px. */
  tol: number;
  /** Largest distance of the corner point's neighbour from the chord, px. */
  cut: number;
  ends: Int32Array;
  count: number;
  /** Squared length of the longest straight arm found, px². */
  longest: number;
}

/**
 * Ends of the straight arms from point i in direction dir (into `arm.ends`): points j with
 * |p_j − p_i| in [lo, hi] such that every point between lies within `tol` of the chord p_i p_j
 * (p_i's neighbour within `cut`). The walk stops at the first bent arm.
 */
function straightArm(pts: Float64Array, i: number, dir: 1 | -1, arm: FineArm): void {
  const n = pts.length / 2;
  const px = pts[2 * i],
    py = pts[2 * i + 1];
  const lo2 = arm.lo * arm.lo,
    hi2 = arm.hi * arm.hi;
  arm.count = 0;
  arm.longest = 0;
  for (let step = 1; step < n / 2 && arm.count < arm.ends.length; step++) {
    const j = wrap(i + dir * step, n); // step < n/2
    const dx = pts[2 * j] - px,
      dy = pts[2 * j + 1] - py;
    const d2 = dx * dx + dy * dy;
    if (d2 > hi2) return;
    if (d2 < lo2) continue;
    const chord = Math.sqrt(d2); // sqrt, not Math.hypot: this is the pass's inner loop
    for (let k = 1; k < step; k++) {
      const m = wrap(i + dir * k, n);
      if (Math.abs(dx * (pts[2 * m + 1] - py) - dy * (pts[2 * m] - px)) > (k === 1 ? arm.cut : arm.tol) * chord) return;
    }
    arm.ends[arm.count++] = j;
    if (d2 > arm.longest) arm.longest = d2;
  }
}

/**
 * Combines the coarse corners with the fine ones (docs/design.md §3.3). Each fine corner belongs
 * to the nearest coarse corner within dMax. A coarse corner that owns two or more fine corners, each
 * at least `gap` px from the next, stood for close corners that its long arms saw as one (a
 * serif's square end read as a U-turn in the middle of its face): they replace it. Otherwise it
 * stays and its fine corners go. A fine corner that no coarse corner owns is a bend the coarse
 * arms see past (a step of a small staircase) and is added when both its arms reach `gap` px.
 * A coarse corner marked in `onCurve` (the smooth-curve test, §3.4) still owns its fine corners
 * but is dropped where it would have stayed. With `runEnd` (pixel-corner points), a coarse corner
 * that owns one fine corner, lies on that corner's straight run and is sharper than it by
 * `runEnd.sharper` degrees stood for a short end whose second vertex the fine pass missed (its far
 * arm is a step, not straight: a 3 px serif end meeting its bracket): the fine corner and the
 * run's far end replace it (`runEndCorner`, docs/design.md §3.3).
 */
export function mergeFineCorners(
  pts: Float64Array,
  coarse: Corner[],
  fine: FineCorner[],
  dMax: number,
  gap: number,
  onCurve: readonly boolean[] = [],
  runEnd?: RunEndParams,
): Corner[] {
  if (fine.length === 0) return coarse.filter((_, k) => !onCurve[k]);
  const dist2 = (i: number, j: number) => (pts[2 * i] - pts[2 * j]) ** 2 + (pts[2 * i + 1] - pts[2 * j + 1]) ** 2;
  const owned: FineCorner[][] = coarse.map(() => []);
  const out: Corner[] = [];
  for (const f of fine) {
    let best = -1,
      bestD = dMax * dMax;
    coarse.forEach((c, k) => {
      const d = dist2(c.index, f.index);
      if (d <= bestD) {
        bestD = d;
        best = k;
      }
    });
    if (best >= 0) owned[best].push(f);
    else if (f.arm >= gap) out.push({ index: f.index, angle: f.angle, convex: f.convex });
  }
  coarse.forEach((c, k) => {
    const own = owned[k];
    const apart = own.length >= 2 && own.every((f, j) => own.every((g, m) => m <= j || dist2(f.index, g.index) >= gap * gap));
    if (apart) for (const f of own) out.push({ index: f.index, angle: f.angle, convex: f.convex });
    else if (onCurve[k]) return;
    else {
      const end = own.length === 1 && runEnd ? runEndCorner(pts, c, own[0], gap, dMax, runEnd) : null;
      if (end) out.push({ index: own[0].index, angle: own[0].angle, convex: own[0].convex }, end);
      else out.push(c);
    }
  });
  out.sort((a, b) => a.index - b.index);
  // A run end can fall on a corner another coarse corner gave; one corner per point.
  return out.filter((k, j) => j === 0 || k.index !== out[j - 1].index);
}

/** Parameters of the run-end rule of `mergeFineCorners` (pixel-corner points). */
export interface RunEndParams {
  /** Largest distance of a run's point from its chord, px (as the fine pass's straightness). */
  tol: number;
  /** The coarse corner must be sharper than its fine corner by this much, degrees. */
  sharper: number;
}

/**
 * The second vertex of a short end (docs/design.md §3.3): from fine corner f, the straight run
 * towards coarse corner c, when c lies on it past f, the run is `gap`..`dMax` px long, and the chain
 * turns at the run's far end in f's sense; c must be sharper than f by `sharper` degrees (it saw
 * the whole end's turn, f only half of it). The far end's angle is measured between the run and
 * the chord `gap` points on. Null when any of this fails.
 */
function runEndCorner(pts: Float64Array, c: Corner, f: FineCorner, gap: number, dMax: number, p: RunEndParams): Corner | null {
  const n = pts.length / 2;
  if (c.index === f.index || c.angle > f.angle - p.sharper || n < 4 * gap) return null;
  const ahead = mod(c.index - f.index, n);
  const dir = ahead <= n / 2 ? 1 : -1;
  const reach = dir === 1 ? ahead : n - ahead; // steps from f to c
  const fx = pts[2 * f.index],
    fy = pts[2 * f.index + 1];
  // Walk the run: the farthest e whose points all lie within tol of the chord f→e.
  let e = -1;
  for (let step = 1; step < n / 4; step++) {
    const j = wrap(f.index + dir * step, n);
    const dx = pts[2 * j] - fx,
      dy = pts[2 * j + 1] - fy;
    const chord = Math.sqrt(dx * dx + dy * dy);
    if (chord > dMax) break;
    let straight = true;
    for (let k = 1; k < step && straight; k++) {
      const m = wrap(f.index + dir * k, n);
      straight = Math.abs(dx * (pts[2 * m + 1] - fy) - dy * (pts[2 * m] - fx)) <= p.tol * chord;
    }
    if (!straight) break;
    e = step;
  }
  if (e < reach) return null; // c is not on the run (or the run is too long to measure)
  const ei = wrap(f.index + dir * e, n);
  if ((pts[2 * ei] - fx) ** 2 + (pts[2 * ei + 1] - fy) ** 2 < gap * gap) return null;
  // The turn at e, in contour order (> 0 turns right, as `turnsRight`), must have f's sense.
  const h = wrap(ei - 1, n),
    k = wrap(ei + 1, n);
  const ux = pts[2 * ei] - pts[2 * h],
    uy = pts[2 * ei + 1] - pts[2 * h + 1],
    vx = pts[2 * k] - pts[2 * ei],
    vy = pts[2 * k + 1] - pts[2 * ei + 1];
  const cross = ux * vy - uy * vx;
  if (cross === 0 || cross > 0 !== f.convex) return null;
  const o = wrap(ei + dir * gap, n);
  const ax = fx - pts[2 * ei],
    ay = fy - pts[2 * ei + 1],
    bx = pts[2 * o] - pts[2 * ei],
    by = pts[2 * o + 1] - pts[2 * ei + 1];
  const cos = (ax * bx + ay * by) / Math.sqrt((ax * ax + ay * ay) * (bx * bx + by * by));
  return { index: ei, angle: (dm.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI, convex: f.convex };
}

/**
 * Pixel-corner points: corners onto the run ends they stand for (docs/design.md §3.3 item 6).
 * 1. Square ends: an acute convex corner (≤ SQUARE_END_ANGLE) on a flat of 2–3 steps whose ends
 *    both turn its way, between sides that run on parallel (their directions SQUARE_END_STEPS
 *    points on within SQUARE_END_PARALLEL degrees), is a stroke's square end 2–3 px wide whose
 *    two vertices the coarse arms saw as one tip (`notoserif-J-64-bilevel`'s top left, a 33°
 *    corner mid-end): the flat's two ends replace it (90°). An acute tip's sides converge.
 * 2. Snap: a sharp corner (≤ SNAP_ANGLE_MAX) on a straight run's inner point, with a run of at
 *    least 3 steps on its side, moves to the next point when only there the chain turns its way
 *    between two runs of at least 2 steps (`notoserif-z-lc-64-bilevel`'s foot, (4, 67) for
 *    (4, 68)): the smoothed points round a vertex between a short and a long side towards the short one.
 */
export function snapToTurns(pts: Float64Array, corners: Corner[]): Corner[] {
  const n = pts.length / 2;
  if (n < 4) return corners;
  // The chain's turn at point i (> 0 turns right, as `turnsRight`; 0 mid-run).
  const turn = (i: number) => {
    const h = wrap(i - 1, n),
      k = wrap(i + 1, n);
    return (pts[2 * i] - pts[2 * h]) * (pts[2 * k + 1] - pts[2 * i + 1]) - (pts[2 * i + 1] - pts[2 * h + 1]) * (pts[2 * k] - pts[2 * i]);
  };
  const out = corners.flatMap((c): Corner[] => {
    const end = c.convex && c.angle <= SQUARE_END_ANGLE ? squareEnd(pts, c.index, turn) : null;
    if (end) return end.map((index) => ({ index, angle: 90, convex: true }));
    const cut = truncatedTip(pts, c, turn);
    if (cut) return cut;
    if (turn(c.index) !== 0 || !(c.angle <= SNAP_ANGLE_MAX)) return [c];
    const back = wrap(c.index - 1, n),
      ahead = wrap(c.index + 1, n);
    const sense = (i: number) => turn(i) !== 0 && turn(i) > 0 === c.convex;
    // Both run ends turning the corner's way: no side to prefer, the corner stays.
    if (sense(back) === sense(ahead)) return [c];
    const to = sense(back) ? back : ahead;
    const away = to === back ? 1 : -1;
    // A vertex between runs of ≥ 2 steps (on a digitised slope or curve most run ends are 1 px
    // steps), the corner's own run ≥ 3 steps (a 2 px flat is how an acute notch ends, §3.3 item 4).
    if (turn(wrap(to - away, n)) !== 0 || turn(wrap(c.index + away, n)) !== 0 || turn(wrap(c.index + 2 * away, n)) !== 0) return [c];
    return [{ ...c, index: to }];
  });
  out.sort((a, b) => a.index - b.index);
  // A moved corner can land on another; one corner per point.
  return out.filter((k, j) => j === 0 || k.index !== out[j - 1].index);
}

/** The two ends of the square end through point i (snapToTurns item 1), or null. */
function squareEnd(pts: Float64Array, i: number, turn: (i: number) => number): [number, number] | null {
  const n = pts.length / 2;
  if (n < 2 * SQUARE_END_STEPS + 4) return null;
  let [s, e] = flatEnds(n, i, turn);
  // A 1 px end (a 1 px stroke's): the corner sits on a side, one run from the end's two turning
  // points, and the walk the other way finds no turn; the end is that point and the one beyond.
  if (turn(s) > 0 && turn(e) === 0 && turn(wrap(s - 1, n)) > 0) {
    e = s;
    s = wrap(s - 1, n);
  } else if (turn(e) > 0 && turn(s) === 0 && turn(wrap(e + 1, n)) > 0) {
    s = e;
    e = wrap(e + 1, n);
  }
  const len = wrap(e - s, n);
  if (!(turn(s) > 0 && turn(e) > 0 && len >= 1 && len <= 3)) return null;
  const a = wrap(s - SQUARE_END_STEPS, n),
    b = wrap(e + SQUARE_END_STEPS, n);
  const ax = pts[2 * a] - pts[2 * s],
    ay = pts[2 * a + 1] - pts[2 * s + 1],
    bx = pts[2 * b] - pts[2 * e],
    by = pts[2 * b + 1] - pts[2 * e + 1];
  const cos = (ax * bx + ay * by) / Math.sqrt((ax * ax + ay * ay) * (bx * bx + by * by));
  return cos >= dm.cos((SQUARE_END_PARALLEL * Math.PI) / 180) ? [s, e] : null;
}

/** Largest angle of a corner read as a square end, degrees (the 64 px ends seen: 33°). */
const SQUARE_END_ANGLE = 60;
/** Points along each side from the end's vertex to the point that gives its direction. */
const SQUARE_END_STEPS = 5;
/** Largest angle between the two sides of a square end, degrees (the 64 px ends seen: 0–18°; a 30° tip's sides 30°). */
const SQUARE_END_PARALLEL = 20;
/** Largest angle of a corner that snapToTurns moves, degrees: the feet and ends it is for are ~60–90°, a false corner on a bilevel curve's turn ~115–150°. */
const SNAP_ANGLE_MAX = 100;
