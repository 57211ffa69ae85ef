/**
 * Stage 3, sub-pixel points — rounds that are not corners (docs/design.md §3.5, §18.34).
 *
 * Reads a sub-pixel contour's raw points and a coarse corner's index; produces whether the data
 * there show a round rather than a vertex (`isRound`; `detectCorners` drops such a corner unless
 * fine corners replace it), from the radius the data's cut implies (`roundCut`). At 3 px arms
 * (contours under 50 px) IPAN99 calls a round of radius up to ~5 px a corner, and a corner knot
 * there cuts the round (a 64 px logo's 2.2 px rounds: the knots 0.4–0.9 px outside, the sides
 * tilted to reach them). Method: a straight line through each arm beyond the round (total least
 * squares), X their intersection; a round of radius ρ between tangent lines at opening angle α
 * stops ρ·(1/sin(α/2) − 1) short of X (the apex of a circle tangent to both lines), so the data's
 * distance from X gives ρ. A sharp vertex's 50 % coverage contour is itself cut (§10.5 step 4),
 * which is why the bounds sit above that.
 */
import { crackHeading } from './contours/cracks.js';
import { mod } from './geometry/cyclic.js';
import { lineRms, totalLeastSquaresLine, type PointsLine } from './geometry/line-fit.js';
import { pointSegmentDistance2 } from './geometry/segment.js';
import * as dm from './geometry/fdlibm.js';

/** Parameters of the round test (`ROUND_DEFAULTS`). */
export interface RoundParams {
  /** Arm windows [near, far] tried in order, arc length from the corner point, px; the first with two straight arms decides. */
  windows: ReadonlyArray<readonly [number, number]>;
  /** Largest RMS distance of an arm's points from its line, px. */
  straight: number;
  /** Fewest points per arm. */
  minPoints: number;
  /** Smallest turn between the arms (and from a cusp), degrees: below it X is ill-conditioned. */
  minTurn: number;
  /**
   * `isRound`: the data stop at least `cut` px short of X, implying a radius in [radius, radiusMax]
   * px. Above 3 px (serif brackets read at 3 px arms) dropping the corner raised the anti-aliased
   * Hausdorff (docs/design.md §18.34).
   */
  cut: number;
  radius: number;
  radiusMax: number;
}

/** Defaults of the round test (§3.5), one line each; distances in px, angles in degrees. */
export const ROUND_DEFAULTS: Readonly<RoundParams> = Object.freeze<RoundParams>({
  /** Arm windows from the corner: past a 1–2 px round, within a 64 px logo's short sides. */
  windows: [
    [1.5, 4.5],
    [2.5, 5.5],
  ],
  /** Sub-pixel points scatter ~0.05 px about a straight edge; a round's chord lies farther. */
  straight: 0.1,
  minPoints: 3,
  /** As `CORNER_MIN_TURN` (§10.2). */
  minTurn: 20,
  /** A vertex's 50 % contour stops ~0.4–0.5 px short of it at 90° (ρ ≈ 1.2–1.5 px by this measure, noisier when obtuse). */
  cut: 0.6,
  radius: 1.8,
  radiusMax: 3,
});

/**
 * Whether sub-pixel point i is a rounded corner rather than a vertex (docs/design.md §3.5).
 *
 * @example isRound(contour.points, corner.index, ROUND_DEFAULTS) // true on a 2.5 px rounded rectangle's corner
 */
export function isRound(pts: Float64Array, i: number, p: RoundParams): boolean {
  const r = roundCut(pts, i, p);
  return r !== null && r.cut >= p.cut && r.radius >= p.radius && r.radius <= p.radiusMax;
}

/**
 * The data's distance from where the straight arms of point i meet (`cut`, px) and the radius of
 * the round that stops that short (`radius`, px), or null when no window gives two straight arms
 * turning by at least `minTurn`.
 *
 * @example roundCut(contour.points, corner.index, ROUND_DEFAULTS) // { cut: ≈ 1, radius: ≈ 2.5 } on a 2.5 px rounded rectangle's 90° corner
 */
export function roundCut(pts: Float64Array, i: number, p: RoundParams): { cut: number; radius: number } | null {
  const apex = armsMeet(pts, i, p);
  if (!apex) return null;
  const [x, y, far, k] = apex;
  // The data's distance from X, over the points up to the windows' far ends.
  const n = pts.length / 2;
  let cut2 = Infinity;
  const steps = Math.min(Math.floor(n / 2), Math.ceil(far) + 2);
  for (let q = -steps; q < steps; q++) {
    const j = mod(i + q, n),
      m = mod(i + q + 1, n);
    cut2 = Math.min(cut2, pointSegmentDistance2(x, y, pts[2 * j], pts[2 * j + 1], pts[2 * m], pts[2 * m + 1]));
  }
  const cut = Math.sqrt(cut2);
  return { cut, radius: cut / k };
}

/**
 * Where the straight arms of point i meet: [x, y, the window's far end, 1/sin(α/2) − 1], or null
 * when no window gives two straight arms turning by at least `minTurn`.
 */
function armsMeet(pts: Float64Array, i: number, p: RoundParams): [number, number, number, number] | null {
  const minSin = dm.sin((p.minTurn * Math.PI) / 180);
  for (const [near, far] of p.windows) {
    const a = armLine(pts, i, -1, near, far, p.minPoints, p.straight);
    const b = armLine(pts, i, 1, near, far, p.minPoints, p.straight);
    if (!a || !b) continue;
    const cross = a[2] * b[3] - a[3] * b[2];
    if (Math.abs(cross) < minSin) continue;
    // X = a's point + s·a's direction, on b's line.
    const s = ((b[0] - a[0]) * b[3] - (b[1] - a[1]) * b[2]) / cross;
    // Arms point away from the corner, cos α = a·b; sin(α/2) = √((1 − cos α)/2).
    const cosA = a[2] * b[2] + a[3] * b[3];
    return [a[0] + s * a[2], a[1] + s * a[3], far, 1 / Math.sqrt((1 - cosA) / 2) - 1];
  }
  return null;
}

/**
 * The total-least-squares line through the points at arc length [near, far] from i towards dir,
 * its direction pointing away from i; null under `minPoints` points or when their RMS distance
 * from it exceeds `straight`.
 */
function armLine(pts: Float64Array, i: number, dir: 1 | -1, near: number, far: number, minPoints: number, straight: number): PointsLine | null {
  const n = pts.length / 2;
  let s = 0,
    prev = i,
    kFirst = 0,
    kLast = 0;
  for (let k = 1; k < n / 2; k++) {
    const j = mod(i + dir * k, n);
    s += dm.hypot(pts[2 * j] - pts[2 * prev], pts[2 * j + 1] - pts[2 * prev + 1]);
    prev = j;
    if (s > far) break;
    if (s < near) continue;
    if (kFirst === 0) kFirst = k;
    kLast = k;
  }
  if (kFirst === 0 || kLast - kFirst + 1 < minPoints) return null;
  const first = dir > 0 ? i + kFirst : i - kLast,
    last = dir > 0 ? i + kLast : i - kFirst;
  const line = totalLeastSquaresLine(pts, n, first, last);
  if (lineRms(pts, n, first, last, line) > straight) return null;
  const [cx, cy, dx, dy] = line;
  const sign = (cx - pts[2 * i]) * dx + (cy - pts[2 * i + 1]) * dy < 0 ? -1 : 1;
  return [cx, cy, sign * dx, sign * dy];
}

/** Parameters of the round test on pixel-corner points (`PIXEL_ROUND_DEFAULTS`, docs/design.md §3.5, §18.38). */
export interface PixelRoundParams {
  /** Fewest unit cracks of the axis runs on either side: the round's straight neighbours. */
  run: number;
  /** Fewest runs of the staircase between them, convex (a cut 90° vertex has 2: one diagonal step). */
  risers: number;
  /** The same for concave rounds (serif brackets, where fewer cost Hausdorff, §18.38). */
  risersConcave: number;
  /** Most runs: a longer staircase is a 45° side (a 20 px octagon's has 10) or a round of radius ≥ 8, which the coarse passes keep free. */
  risersMax: number;
  /** Farthest the walk from the corner looks for each straight run, in cracks. */
  reach: number;
}

/** Defaults of the pixel-corner round test (§3.5), one line each. */
export const PIXEL_ROUND_DEFAULTS: Readonly<PixelRoundParams> = Object.freeze<PixelRoundParams>({
  /** A round of radius ≤ 10 px steps off its tangent line within ~4.5 cracks, so its own runs past the first riser are short. */
  run: 4,
  /** Radius ≥ ~3.5 px: 4 runs or more at most placements; a 90° vertex 0 (2 when its corner pixel is cut), a 1–2.5 px round mostly 0–2. */
  risers: 4,
  /** Radius ≥ ~5 px (§18.38: at 4, `baskerville-M-64`'s and `-k-lc-64`'s brackets lost their corners and the fit across them got worse). */
  risersConcave: 6,
  /** Radius-7 rounds have 6–8. */
  risersMax: 8,
  /** Past a radius-7 round's staircase (≤ 12 cracks) to its straight runs. */
  reach: 16,
});

/**
 * Whether pixel-corner point i lies on a small round between two perpendicular straight axis runs
 * rather than at a vertex (docs/design.md §3.5, §18.38): the staircase between the runs has at
 * least `risers` (`risersConcave`) runs, so more than one diagonal step, which a 90° vertex cut
 * by the 50 % level never has.
 *
 * @example isPixelRound(contour.points, corner.index, PIXEL_ROUND_DEFAULTS) // true on a bilevel rounded rectangle's radius-6 corner
 */
export function isPixelRound(pts: Float64Array, i: number, p: PixelRoundParams): boolean {
  const s = pixelRoundStairs(pts, i, p);
  return s !== null && s.runs >= (s.convex ? p.risers : p.risersConcave) && s.runs <= p.risersMax;
}

/**
 * The staircase through pixel-corner point i (unit crack steps, §2.5): the number of runs between
 * the nearest axis runs of ≥ `run` cracks before and after i, and whether it turns right (convex,
 * the ink on the walk's right). Null unless it looks like a 90° round between two straight sides:
 * the two runs perpendicular, each a side rather than a run of a sloped line (the run past its
 * far riser at most half as long: a polygon vertex between a near-axis side and a steep side whose
 * runs reach `run` is not a round), and every step between in one of their two directions.
 */
export function pixelRoundStairs(pts: Float64Array, i: number, p: PixelRoundParams): { runs: number; convex: boolean } | null {
  const n = pts.length / 2;
  if (n < 4 * p.run) return null;
  // Heading of the step from point k (unwrapped) to k + 1: 0..3 = +x, +y, −x, −y; −1 when not a unit crack.
  const dirAt = (k: number): number => crackHeading(pts, k);
  // The s-th step away from i on one side (forward: i, i+1, …; back: i−1, i−2, …).
  const stepAway = (from: number, sign: 1 | -1, s: number) => dirAt(sign > 0 ? from + s : from - 1 - s);
  // The first run of ≥ `run` cracks walking away from i: its direction and near end (a point index).
  const side = (sign: 1 | -1): { d: number; at: number } | null => {
    let len = 0,
      d = -2;
    for (let s = 0; s < p.reach + p.run; s++) {
      const dk = stepAway(i, sign, s);
      if (dk < 0) return null;
      len = dk === d ? len + 1 : 1;
      d = dk;
      if (len >= p.run) return { d, at: sign > 0 ? i + s - p.run + 1 : i - s - 1 + p.run };
    }
    return null;
  };
  // A side, not one run of a sloped line: past a one-crack riser at its far end, a run at most half its length.
  const straight = (r: { d: number; at: number }, sign: 1 | -1): boolean => {
    let s = 0;
    while (s < n / 2 && stepAway(r.at, sign, s) === r.d) s++;
    const len = s;
    if (stepAway(r.at, sign, s + 1) !== r.d) return true;
    let next = 0;
    for (s += 1; s < n / 2 && stepAway(r.at, sign, s) === r.d; s++) next++;
    return 2 * next <= len;
  };
  const a = side(-1),
    b = side(1);
  if (!a || !b || (a.d + b.d) % 2 === 0 || !straight(a, -1) || !straight(b, 1)) return null;
  let runs = 0,
    prev = a.d;
  for (let k = a.at; k < b.at; k++) {
    const d = dirAt(k);
    if (d !== a.d && d !== b.d) return null;
    if (d !== prev) runs++;
    prev = d;
  }
  // The walk keeps the ink on its right (§2.5): a right turn (direction + 1) is convex.
  return { runs, convex: b.d === (a.d + 1) % 4 };
}
