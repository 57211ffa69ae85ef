/**
 * Reference figures for polygonal approximation, shared by bench/chromosome.ts and
 * test/polygon.test.ts: the Teh–Chin chromosome curve (60 points; C.-H. Teh and R. T. Chin, IEEE
 * PAMI 11, 1989), Wu's published figures (2003), the ISE of a polygon whose vertices are curve
 * points, and the exact least ISE for a vertex count by dynamic programming.
 */
import type { Contour } from '../src/index.js';

export const CHROMOSOME =
  '0 0, 1 0, 2 1, 3 2, 4 3, 5 4, 6 5, 7 6, 8 7, 9 8, 10 9, 11 9, 12 10, 13 11, 14 12, 14 13, 13 14, 12 14, 11 13, 10 13, 9 12, 8 12, 7 12, 7 13, 8 14, 9 15, 9 16, 10 17, 10 18, 10 19, 9 19, 8 19, 8 18, 7 17, 7 16, 6 15, 5 14, 5 13, 4 12, 3 11, 2 10, 1 9, 0 8, -1 8, -2 7, -3 6, -4 6, -4 5, -3 4, -2 4, -1 5, 0 5, 1 6, 2 7, 2 6, 2 5, 1 4, 1 3, 0 2, -1 1';

/** Published reference figures. */
export const REFERENCE = {
  wu2003: { vertices: 17, ise: 5.01 },
  /** Exact minimum ISE for the given number of vertices (vertices on curve points). */
  optimum: { 17: 3.129, 12: 5.818, 10: 8.068 } as Record<number, number>,
};

export function chromosomeContour(): Contour {
  const nums = CHROMOSOME.split(',').map((p) => p.trim().split(/\s+/).map(Number));
  const points = new Float64Array(nums.length * 2);
  nums.forEach(([x, y], i) => {
    points[2 * i] = x;
    points[2 * i + 1] = y;
  });
  let area = 0;
  const n = nums.length;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    area += points[2 * i] * points[2 * j + 1] - points[2 * j] * points[2 * i + 1];
  }
  return { start: { x: points[0], y: points[1] }, chain: new Uint8Array(0), points, hole: false, parent: -1, area: area / 2, pixelCount: 0, subpixel: false };
}

/**
 * ISE and max perpendicular error of a closed polygon whose i-th vertex is (vx[i], vy[i]) at contour
 * index idx[i], over its first `sides` sides (all by default; each side counts the points from its
 * first vertex up to its second).
 */
export function polygonErrors(points: Float64Array, idx: number[], vx: number[], vy: number[], sides = idx.length): { ise: number; max: number } {
  const n = points.length / 2;
  let ise = 0,
    max = 0;
  const m = idx.length;
  for (let i = 0; i < sides; i++) {
    const a = idx[i],
      b = idx[(i + 1) % m];
    const ax = vx[i],
      ay = vy[i],
      bx = vx[(i + 1) % m],
      by = vy[(i + 1) % m];
    const dx = bx - ax,
      dy = by - ay;
    const L = Math.hypot(dx, dy);
    const count = m === 1 ? n : (b - a + n) % n || n;
    for (let k = 0; k < count; k++) {
      const j = (a + k) % n;
      const px = points[2 * j],
        py = points[2 * j + 1];
      const d = L > 0 ? Math.abs((px - ax) * dy - (py - ay) * dx) / L : Math.hypot(px - ax, py - ay);
      ise += d * d;
      if (d > max) max = d;
    }
  }
  return { ise, max };
}

/**
 * Exact least ISE over closed polygons with `k` vertices on curve points, for k = 3 … maxK: dynamic
 * programming from every start point (ISE counted as polygonErrors counts it). O(n³ · maxK); the
 * chromosome's 60 points take a fraction of a second. Reproduces the published 3.129 at 17.
 */
export function exactOptimumIse(points: Float64Array, maxK: number): number[] {
  const n = points.length / 2;
  const { ise } = chordErrors(points);
  const best = leastIseByCount(
    ise,
    n,
    maxK,
    Array.from({ length: n }, (_, s) => s),
    () => () => true,
  );
  return best.map((e, c) => (c >= 3 ? e : Infinity));
}

/**
 * Least ISE over closed polygons with `k` vertices on curve points that keep every corner: a vertex
 * within `reach` points of each index in `corners` (cyclic), every chord within `tol` of its points
 * (largest perpendicular distance, as polygonErrors measures it); Infinity when none exists. Dynamic
 * programming as exactOptimumIse, from every start within reach of the first corner (every point
 * when there is none), a chord allowed only when it jumps over no corner's window whole. Shows what
 * the shared contract "corners cut each contour into pieces" costs a polygonal approximation
 * (bench/chromosome.ts, docs/design.md §18.42).
 */
export function cornerKeepingOptimumIse(points: Float64Array, corners: readonly number[], reach: number, k: number, tol = Infinity): number {
  const n = points.length / 2;
  const { ise, max } = chordErrors(points);
  const starts =
    corners.length > 0 ? Array.from({ length: 2 * reach + 1 }, (_, o) => (((corners[0] + o - reach) % n) + n) % n) : Array.from({ length: n }, (_, s) => s);
  return leastIseByCount(ise, n, k, starts, (s) => {
    // Each corner's window in coordinates relative to s; one that holds 0 is kept by s itself.
    const windows: Array<[number, number]> = [];
    for (const c of corners) {
      const lo = (((c - reach - s) % n) + n) % n;
      if (lo + 2 * reach < n) windows.push([lo, lo + 2 * reach]);
    }
    return (i, j, key) => max[key] <= tol && !windows.some(([lo, hi]) => i < lo && hi < j);
  })[k];
}

/** Per chord a → b (cyclic, key a·n + b, b ≠ a): the ISE of points a … b−1 to the line ab and their largest distance, as polygonErrors counts them. */
function chordErrors(points: Float64Array): { ise: Float64Array; max: Float64Array } {
  const n = points.length / 2;
  const ise = new Float64Array(n * n);
  const max = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let len = 1; len < n; len++) {
      const b = (a + len) % n;
      const e = polygonErrors(points, [a, b], [points[2 * a], points[2 * b]], [points[2 * a + 1], points[2 * b + 1]], 1);
      ise[a * n + b] = e.ise;
      max[a * n + b] = e.max;
    }
  }
  return { ise, max };
}

/**
 * The least ISE of a closed polygon with c chords, c = 0 … maxK (index c), over the given start
 * points; from start s, the chord from s + i to s + j (offsets along the curve, key its chordErrors
 * index) is used only where allowedFrom(s)(i, j, key).
 */
function leastIseByCount(
  ise: Float64Array,
  n: number,
  maxK: number,
  starts: readonly number[],
  allowedFrom: (s: number) => (i: number, j: number, key: number) => boolean,
): number[] {
  const best = new Array<number>(maxK + 1).fill(Infinity);
  for (const s of starts) {
    const allowed = allowedFrom(s);
    // prev[j]: least ISE from s to s + j with c chords.
    let prev = new Float64Array(n + 1).fill(Infinity);
    prev[0] = 0;
    for (let c = 1; c <= maxK; c++) {
      const cost = new Float64Array(n + 1).fill(Infinity);
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(prev[i])) continue;
        for (let j = i + 1; j <= n; j++) {
          const key = ((s + i) % n) * n + ((s + j) % n);
          if (!allowed(i, j, key)) continue;
          const e = prev[i] + ise[key];
          if (e < cost[j]) cost[j] = e;
        }
      }
      if (cost[n] < best[c]) best[c] = cost[n];
      prev = cost;
    }
  }
  return best;
}
