/**
 * Contours, part 4 (docs/design.md §13.6): acute anti-aliased tips continued past the 50 % contour.
 *
 * Reads: one contour's sub-pixel points (points.ts) and the bitmap's coverage. Produces: the
 * points with each acute tip's rounded end replaced by points on its two arms up to their
 * intersection, where the coverage of the pixels there shows the wedge running on.
 * Why: the 50 % level of a box-filtered wedge of angle α stops about 0.5·(1/sin(α/2) − 1) px
 * short of its vertex (1.4 px at 30°), so neither the fit nor the report could put a sharp tip
 * there (§18.43). Method: short total-least-squares arms either side (as §10.5 step 6), their
 * intersection X, and two models of the pixels between the data's end and X — the wedge running
 * to X, and the wedge cut off where the data end — each pixel's exact-area coverage by clipping
 * the unit square against the half-planes (Sutherland–Hodgman); the tip is continued only when
 * the running wedge predicts the image's coverage clearly better.
 */
import { mod } from '../geometry/cyclic.js';
import { lineRms, totalLeastSquaresLine } from '../geometry/line-fit.js';
import * as dm from '../geometry/fdlibm.js';

/**
 * `points` (interleaved, closed, ink on the right of travel) with every acute tip that the coverage
 * shows running on continued to its vertex (see the file comment); the same array when none is.
 */
export function extendTips(points: Float64Array, coverage: Float32Array, w: number, h: number): Float64Array {
  const m = points.length / 2;
  if (m < 2 * ARM_END + 4) return points;
  // Replacements: [first index replaced (unwrapped), last, new points].
  const tips: { first: number; last: number; add: number[] }[] = [];
  for (let i = 0; i < m; i++) {
    const tip = tipAt(points, m, i, coverage, w, h);
    if (!tip) continue;
    const clash = tips.some((t) => Math.min(mod(i - t.first, m), mod(t.first - i, m)) <= 2 * ARM_END);
    if (!clash) tips.push({ first: i - ARM_START + 1, last: i + ARM_START - 1, add: tip });
  }
  if (tips.length === 0) return points;
  const drop = new Uint8Array(m);
  const insertAt = new Map<number, number[]>();
  for (const t of tips) {
    for (let k = t.first; k <= t.last; k++) drop[mod(k, m)] = 1;
    insertAt.set(mod(t.first, m), t.add);
  }
  const out: number[] = [];
  for (let q = 0; q < m; q++) {
    const add = insertAt.get(q);
    if (add) out.push(...add);
    if (!drop[q]) out.push(points[2 * q], points[2 * q + 1]);
  }
  return Float64Array.from(out);
}

/** One arm: a point, its unit direction pointing away from the tip. */
type TipArm = [x: number, y: number, dx: number, dy: number];

/**
 * The points that replace point i's neighbours i − 1 … i + 1 when i is the end of an acute tip that
 * the coverage shows running on (back arm towards X, X, out arm from X); null otherwise.
 */
function tipAt(points: Float64Array, m: number, i: number, coverage: Float32Array, w: number, h: number): number[] | null {
  // Cheap screen before the arm fits: the chords to points ARM_START + 1 either side turn sharply.
  const f = mod(i - ARM_START - 1, m),
    l = mod(i + ARM_START + 1, m);
  const ax = points[2 * f] - points[2 * i],
    ay = points[2 * f + 1] - points[2 * i + 1],
    bx = points[2 * l] - points[2 * i],
    by = points[2 * l + 1] - points[2 * i + 1];
  if (ax * bx + ay * by < SCREEN_MIN_COS * dm.hypot(ax, ay) * dm.hypot(bx, by)) return null;
  const back = arm(points, m, i, -1);
  if (!back) return null;
  const out = arm(points, m, i, 1);
  if (!out) return null;
  const cos = back[2] * out[2] + back[3] * out[3];
  if (cos < TIP_MIN_COS) return null;
  const cross = back[2] * out[3] - back[3] * out[2];
  if (Math.abs(cross) < 1e-9) return null;
  const s = ((out[0] - back[0]) * out[3] - (out[1] - back[1]) * out[2]) / cross;
  const x = back[0] + s * back[2],
    y = back[1] + s * back[3];
  // Outwards along the bisector: from the wedge's inside through its end to X.
  let ux = -(back[2] + out[2]),
    uy = -(back[3] + out[3]);
  const ul = dm.hypot(ux, uy);
  ux /= ul;
  uy /= ul;
  const px = points[2 * i],
    py = points[2 * i + 1];
  if ((x - px) * ux + (y - py) * uy <= 0) return null;
  // Point i is the data's end: the nearest to X of its neighbourhood (the first on a tie).
  const gap = dm.hypot(px - x, py - y);
  let reach = -Infinity;
  for (let k = i - ARM_END; k <= i + ARM_END; k++) {
    const q = mod(k, m);
    const d = dm.hypot(points[2 * q] - x, points[2 * q + 1] - y);
    if (d < gap || (d === gap && k < i)) return null;
    reach = Math.max(reach, (points[2 * q] - x) * ux + (points[2 * q + 1] - y) * uy);
  }
  if (gap < TIP_MIN_GAP || gap > TIP_MAX_GAP) return null;
  // The wedge is ink when its inside lies right of travel (into the tip along −back).
  const inkWedge = out[2] * back[3] - out[3] * back[2] > 0;
  // Half-planes a·x + b·y ≤ c of the wedge: inside of each arm's line, and (cut) behind the data's end.
  const sideOf = (a: TipArm, other: TipArm): [number, number, number] => {
    let nx = -a[3],
      ny = a[2];
    if (nx * other[2] + ny * other[3] < 0) [nx, ny] = [-nx, -ny];
    // Inside: n·p ≥ n·X, written as −n·p ≤ −n·X.
    return [-nx, -ny, -(nx * x + ny * y)];
  };
  const running = [sideOf(back, out), sideOf(out, back)];
  const cut = [...running, [ux, uy, ux * x + uy * y + reach] as [number, number, number]];
  let sseRun = 0,
    sseCut = 0,
    differ = 0;
  const r = gap + 1;
  for (let j = Math.max(0, Math.floor(y - r)); j <= Math.min(h - 1, Math.floor(y + r)); j++) {
    for (let k = Math.max(0, Math.floor(x - r)); k <= Math.min(w - 1, Math.floor(x + r)); k++) {
      const a = clippedArea(k, j, running),
        b = clippedArea(k, j, cut);
      if (a - b < TIP_MODEL_DIFF) continue;
      const c = inkWedge ? coverage[j * w + k] : 1 - coverage[j * w + k];
      sseRun += (a - c) ** 2;
      sseCut += (b - c) ** 2;
      differ += a - b;
    }
  }
  // The running wedge adds ≥ TIP_MIN_AREA px² of ink and explains the pixels clearly better.
  if (differ < TIP_MIN_AREA || !(sseRun <= TIP_SSE_RATIO * sseCut)) return null;
  const add: number[] = [];
  const along = (a: TipArm, from: number, reverse: boolean) => {
    // Points on arm a from X (t = 0) to the projection of the kept neighbour (t = from), exclusive of both ends.
    const steps = Math.ceil(from / TIP_POINT_STEP);
    const ts: number[] = [];
    for (let s2 = 1; s2 < steps; s2++) ts.push((from * s2) / steps);
    if (reverse) ts.reverse();
    for (const t of ts) add.push(x + t * a[2], y + t * a[3]);
  };
  const qb = mod(i - ARM_START, m),
    qo = mod(i + ARM_START, m);
  along(back, (points[2 * qb] - x) * back[2] + (points[2 * qb + 1] - y) * back[3], true);
  add.push(x, y);
  along(out, (points[2 * qo] - x) * out[2] + (points[2 * qo + 1] - y) * out[3], false);
  return add;
}

/** The total-least-squares arm through points ARM_START…ARM_END from i on side `dir`, pointing away from i; null when short or bent. */
function arm(points: Float64Array, m: number, i: number, dir: 1 | -1): TipArm | null {
  const first = dir > 0 ? i + ARM_START : i - ARM_END,
    last = dir > 0 ? i + ARM_END : i - ARM_START;
  const f = mod(first, m),
    l = mod(last, m);
  if (dm.hypot(points[2 * l] - points[2 * f], points[2 * l + 1] - points[2 * f + 1]) < ARM_MIN_SPAN) return null;
  const line = totalLeastSquaresLine(points, m, first, last);
  if (lineRms(points, m, first, last, line) > ARM_RMS) return null;
  const [cx, cy, dx, dy] = line;
  const sign = (cx - points[2 * i]) * dx + (cy - points[2 * i + 1]) * dy < 0 ? -1 : 1;
  return [cx, cy, sign * dx, sign * dy];
}

/** Area of pixel (k, j)'s unit square within every half-plane a·x + b·y ≤ c (Sutherland–Hodgman, then the shoelace). */
function clippedArea(k: number, j: number, planes: [number, number, number][]): number {
  let poly = [k, j, k + 1, j, k + 1, j + 1, k, j + 1];
  for (const [a, b, c] of planes) {
    const next: number[] = [];
    const count = poly.length / 2;
    for (let p = 0; p < count; p++) {
      const q = (p + 1) % count;
      const x0 = poly[2 * p],
        y0 = poly[2 * p + 1],
        x1 = poly[2 * q],
        y1 = poly[2 * q + 1];
      const d0 = a * x0 + b * y0 - c,
        d1 = a * x1 + b * y1 - c;
      if (d0 <= 0) next.push(x0, y0);
      if (d0 <= 0 !== d1 <= 0) {
        const t = d0 / (d0 - d1);
        next.push(x0 + t * (x1 - x0), y0 + t * (y1 - y0));
      }
    }
    poly = next;
    if (poly.length < 6) return 0;
  }
  let area = 0;
  const count = poly.length / 2;
  for (let p = 0; p < count; p++) {
    const q = (p + 1) % count;
    area += poly[2 * p] * poly[2 * q + 1] - poly[2 * q] * poly[2 * p + 1];
  }
  return Math.abs(area) / 2;
}

/** The arms run over points ARM_START…ARM_END from the tip's end point (its neighbours round off with the 50 % contour). */
const ARM_START = 2;
const ARM_END = 5;
/** An arm spans at least this, px, and its points lie within this RMS of its line, px (as §10.5 step 6's short arms). */
const ARM_MIN_SPAN = 0.9;
const ARM_RMS = 0.12;
/** Tips of at most 60° (cos of the arms' angle ≥ ½): the 50 % contour stops ≥ 0.5 px short of them. */
const TIP_MIN_COS = 0.5;
/** Screen: the chords from a tip's end to its neighbours ARM_START + 1 away meet at under 120° (the rounded end of a 60° tip is well within it). */
const SCREEN_MIN_COS = -0.5;
/** The data's end lies this far from the arms' intersection at least (nothing to gain nearer) and at most, px. */
const TIP_MIN_GAP = 0.5;
const TIP_MAX_GAP = 3;
/** Pixels whose two models differ by less than this (px²) are not compared. */
const TIP_MODEL_DIFF = 1e-3;
/** The running wedge must add this much ink past the data's end, px² (a smaller difference is within the noise). */
const TIP_MIN_AREA = 0.05;
/** The running wedge's squared coverage error at most this fraction of the cut wedge's. */
const TIP_SSE_RATIO = 0.5;
/** Spacing of the points put on the arms, px (the sub-pixel points are about 0.5–1 px apart). */
const TIP_POINT_STEP = 1;
