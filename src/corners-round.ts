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
