/**
 * Stage 3, pixel-corner points — a tip that the pixels say is cut short (docs/design.md §3.3 item
 * 6c, §18.48; issue 19).
 *
 * Reads a contour's pixel-corner points and one corner that sits in the middle of a flat of 2–3
 * steps whose two ends both turn its way (the coarse arms saw the flat and its two vertices as one
 * tip: Baskerville's V-bottoms and serif ends, `baskerville-M-300-bilevel`'s notch). Produces the
 * flat's two ends as corners when a sharp tip is refuted: the arms' lines (total least squares on
 * TIP_ARM points past each end) would meet so far beyond the flat that the wedge between them holds
 * the centre of a pixel just beyond the flat, which the image shows as the other colour. A bilevel
 * pixel is ink when its centre is inside (bench/corpus.ts renders so; §18.39), so such a tip cannot
 * have made these pixels. Where the tip can have (its wedge narrower than a pixel there:
 * `notoserif-V-64-bilevel`'s apex), the corner stays one: the pixels cannot tell a sharp tip from
 * a flat one, and corner placement decides (§11.8). A round top refutes a sharp tip too, so the
 * arms must be digitally straight and meet well beyond the flat (TIP_STRAIGHT, TIP_DEPTH).
 */
import { mod, wrap } from './geometry/cyclic.js';
import { totalLeastSquaresLine, type PointsLine } from './geometry/line-fit.js';
import type { Corner } from './types.js';
import * as dm from './geometry/fdlibm.js';

/** Points along each arm past the flat's end whose line is the tip's side: 6 px of a pixel-corner contour. */
const TIP_ARM = 6;
/**
 * Points along each arm that must be digitally straight: 8 (over 6, the U-shaped end of
 * `samples/aeroplane-64-bilevel.png`'s tail, a round of radius ~3 px, passed).
 */
const TIP_STRAIGHT = 8;
/**
 * Least depth of the arms' meeting point beyond the flat, px. A round top whose pixels end in a 2–3 px
 * flat also refutes a sharp tip, but its arms meet close beyond it (0.97–1.53 px on the samples'
 * arch and ellipse tops, `baskerville-ampersand-64`, `lillah-600`, `logo-toyota-64`); the cut tips
 * of the bench corpus meet 1.73–7.4 px beyond (and one sharp logo tip, which the rule would cut,
 * 1.38): §18.48.
 */
const TIP_DEPTH = 1.7;
/** Rounding slack of the digital-straightness strip, px. */
const STRAIGHT_SLACK = 1e-9;
/** How far inside both arm lines a pixel centre must lie to count, px (the arms' fit on a staircase is good to ~0.1 px in offset). */
const TIP_MARGIN = 0.1;

/**
 * The two ends of the flat through corner `c` when its sharp tip is refuted (see the file
 * comment), else null. `turn(i)` is the chain's turn at point i (> 0 turns right, as `turnsRight`;
 * 0 mid-run).
 *
 * @example truncatedTip(contour.points, { index: 383, angle: 62, convex: false }, turn) // the V-bottom's flat ends [382, 384]
 */
export function truncatedTip(pts: Float64Array, c: Corner, turn: (i: number) => number): [Corner, Corner] | null {
  const n = pts.length / 2;
  if (n < 2 * TIP_STRAIGHT + 8 || turn(c.index) !== 0) return null;
  const [s, e] = flatEnds(n, c.index, turn);
  const len = wrap(e - s, n);
  if (len < 2 || len > 3) return null;
  if (turn(s) === 0 || turn(e) === 0 || turn(s) > 0 !== c.convex || turn(e) > 0 !== c.convex) return null;
  // Unwrapped indices for the line fits (first ≤ last).
  const a = totalLeastSquaresLine(pts, n, s - TIP_ARM, s - 1);
  const b = totalLeastSquaresLine(pts, n, s + len + 1, s + len + TIP_ARM);
  if (!digitallyStraight(pts, s - TIP_STRAIGHT, s - 1) || !digitallyStraight(pts, s + len + 1, s + len + TIP_STRAIGHT)) return null;
  const sx = pts[2 * s],
    sy = pts[2 * s + 1];
  const fx = (pts[2 * e] - sx) / len,
    fy = (pts[2 * e + 1] - sy) / len;
  const tip = meet(a, b);
  if (!tip) return null;
  // The flat's normal towards the tip; both arms must come from the other side.
  let nx = -fy,
    ny = fx;
  const depth = (tip[0] - sx) * nx + (tip[1] - sy) * ny;
  if (depth < 0) {
    nx = -nx;
    ny = -ny;
  }
  if (Math.abs(depth) < TIP_DEPTH || (a[0] - sx) * nx + (a[1] - sy) * ny >= 0 || (b[0] - sx) * nx + (b[1] - sy) * ny >= 0) return null;
  // Inside the wedge: on the side of each arm line where the other arm's points are.
  const sideA = Math.sign(across(a, b[0], b[1])),
    sideB = Math.sign(across(b, a[0], a[1]));
  let refuted = false;
  for (let j = 0; j < len && !refuted; j++) {
    const cx = sx + fx * (j + 0.5) + nx * 0.5,
      cy = sy + fy * (j + 0.5) + ny * 0.5;
    refuted = across(a, cx, cy) * sideA > TIP_MARGIN && across(b, cx, cy) * sideB > TIP_MARGIN;
  }
  if (!refuted) return null;
  const at = (i: number, line: PointsLine): Corner => {
    const ux = line[0] - pts[2 * i],
      uy = line[1] - pts[2 * i + 1],
      vx = (i === s ? 1 : -1) * fx,
      vy = (i === s ? 1 : -1) * fy;
    const cos = (ux * vx + uy * vy) / dm.hypot(ux, uy);
    return { index: i, angle: (dm.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI, convex: c.convex };
  };
  return [at(s, a), at(e, b)];
}

/**
 * The ends of the flat through point i of a closed pixel-corner contour of n points: the nearest
 * points where the chain turns, walking at most 4 steps each way from i (i itself when it turns).
 * Shared with the square ends (`snapToTurns`, src/corners-fine.ts).
 */
export function flatEnds(n: number, i: number, turn: (i: number) => number): [number, number] {
  let s = i,
    e = i;
  for (let k = 0; k < 4 && turn(s) === 0; k++) s = wrap(s - 1, n);
  for (let k = 0; k < 4 && turn(e) === 0; k++) e = wrap(e + 1, n);
  return [s, e];
}

/**
 * Whether points first..last (unwrapped) can be the pixel corners of one straight edge: the pixel
 * corners on a half-plane's boundary lie within a strip |ν_x| + |ν_y| wide across it (ν its unit
 * normal: each such corner has pixel centres on both sides within ½ px in x and y), so a curve's
 * arm, whose sagitta adds to that, is not (a round tip is no cut tip: §18.48).
 */
function digitallyStraight(pts: Float64Array, first: number, last: number): boolean {
  const n = pts.length / 2;
  const line = totalLeastSquaresLine(pts, n, first, last);
  let lo = Infinity,
    hi = -Infinity;
  for (let k = first; k <= last; k++) {
    const q = mod(k, n);
    const d = across(line, pts[2 * q], pts[2 * q + 1]);
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  return hi - lo <= Math.abs(line[2]) + Math.abs(line[3]) + STRAIGHT_SLACK;
}

/** Signed distance of (x, y) from a line, px (> 0 left of its direction). */
function across([cx, cy, dx, dy]: PointsLine, x: number, y: number): number {
  return (y - cy) * dx - (x - cx) * dy;
}

/** Where two lines meet, or null when they are parallel within 1e-9. */
function meet(a: PointsLine, b: PointsLine): [number, number] | null {
  const den = a[2] * b[3] - a[3] * b[2];
  if (Math.abs(den) < 1e-9) return null;
  const t = ((b[0] - a[0]) * b[3] - (b[1] - a[1]) * b[2]) / den;
  return [a[0] + t * a[2], a[1] + t * a[3]];
}
