/**
 * The Teh–Chin chromosome curve (60 points, the classic polygonal-approximation test shape) fitted
 * by conicfit in linear mode: `detectCorners` then `fitLinear` at several tolerances. Reports the
 * vertex count, the integral square error (ISE) and the max error, beside Wu (2003) and the exact
 * optimum for the same number of vertices (vertices restricted to curve points).
 *
 * ISE = Σ over all 60 points of the squared perpendicular distance to the line through the chord
 * of the interval the point belongs to (point j belongs to the interval [kᵢ, kᵢ₊₁) of consecutive
 * knot indices, so each point is counted once; knot points belong to the interval they start).
 * Computed here from the knots' indices and the raw points, not taken from conicfit's report.
 *
 * fitLinear puts corner knots on their contour point but moves the other knots onto a smoothed
 * copy of the contour (Gaussian σ = 1.5 px for pixel-corner points). The main figures use the
 * knot coordinates the fit reports (`fit.knots[i].x/y`) as polygon vertices; the "snapped" figures
 * use the raw contour points at the same knot indices — the convention of Wu's table and of the
 * optimum (vertices are curve points).
 *
 * Run alone: npx tsx bench/chromosome.ts
 */
import { fileURLToPath } from 'node:url';
import { detectCorners, fitLinear, type Contour } from '../src/index.js';

export const CHROMOSOME =
  '0 0, 1 0, 2 1, 3 2, 4 3, 5 4, 6 5, 7 6, 8 7, 9 8, 10 9, 11 9, 12 10, 13 11, 14 12, 14 13, 13 14, 12 14, 11 13, 10 13, 9 12, 8 12, 7 12, 7 13, 8 14, 9 15, 9 16, 10 17, 10 18, 10 19, 9 19, 8 19, 8 18, 7 17, 7 16, 6 15, 5 14, 5 13, 4 12, 3 11, 2 10, 1 9, 0 8, -1 8, -2 7, -3 6, -4 6, -4 5, -3 4, -2 4, -1 5, 0 5, 1 6, 2 7, 2 6, 2 5, 1 4, 1 3, 0 2, -1 1';

export const TOLERANCES = [0.5, 0.75, 1, 1.5];

/** Published reference figures. */
export const REFERENCE = {
  wu2003: { vertices: 17, ise: 5.01 },
  /** Exact minimum ISE for the given number of vertices (vertices on curve points). */
  optimum: { 17: 3.129, 12: 5.818, 10: 8.068 } as Record<number, number>,
};

export interface ChromosomeRow {
  tolerance: number;
  vertices: number;
  corners: number;
  /** Knot indices (contour point numbers) in order. */
  knotIndices: number[];
  /** With the fit's knot coordinates as vertices. */
  ise: number;
  maxError: number;
  /** With the raw contour points at the knot indices as vertices. */
  iseSnapped: number;
  maxErrorSnapped: number;
  /** conicfit's own report (max orthogonal deviation, px), for reference. */
  reportedMaxDeviation: number;
  /** conicfit's report: intervals it could not bring within tolerance. */
  failedIntervals: number;
  /** Exact optimum ISE for this vertex count, when known. */
  optimum?: number;
}

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

/** ISE and max perpendicular error of a closed polygon whose i-th vertex is (vx[i], vy[i]) at contour index idx[i]. */
export function polygonErrors(points: Float64Array, idx: number[], vx: number[], vy: number[]): { ise: number; max: number } {
  const n = points.length / 2;
  let ise = 0,
    max = 0;
  const m = idx.length;
  for (let i = 0; i < m; i++) {
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

export function runChromosome(tolerances = TOLERANCES): { points: number; area: number; cornerIndices: number[]; rows: ChromosomeRow[] } {
  const contour = chromosomeContour();
  const corners = detectCorners(contour);
  const rows: ChromosomeRow[] = [];
  for (const tolerance of tolerances) {
    const fit = fitLinear(contour, corners, { tolerance });
    const idx = fit.knots.map((k) => k.index);
    const main = polygonErrors(
      contour.points,
      idx,
      fit.knots.map((k) => k.x),
      fit.knots.map((k) => k.y),
    );
    const snapped = polygonErrors(
      contour.points,
      idx,
      idx.map((i) => contour.points[2 * i]),
      idx.map((i) => contour.points[2 * i + 1]),
    );
    rows.push({
      tolerance,
      vertices: fit.knots.length,
      corners: fit.knots.filter((k) => k.kind === 'corner').length,
      knotIndices: idx,
      ise: main.ise,
      maxError: main.max,
      iseSnapped: snapped.ise,
      maxErrorSnapped: snapped.max,
      reportedMaxDeviation: fit.report.maxDeviation,
      failedIntervals: fit.report.failedIntervals,
      optimum: REFERENCE.optimum[fit.knots.length],
    });
  }
  return { points: contour.points.length / 2, area: contour.area, cornerIndices: corners.map((c) => c.index), rows };
}

export function chromosomeMarkdown(res: ReturnType<typeof runChromosome>): string {
  const f = (x: number, d = 3) => x.toFixed(d);
  const lines = [
    `| method | tolerance (px) | vertices | ISE (px²), fit's knots | max error (px), fit's knots | ISE, knots snapped to curve points | max error, snapped | conicfit's own report: max deviation (px), intervals over tolerance | exact optimum ISE for this vertex count |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const r of res.rows) {
    lines.push(
      `| conicfit linear | ${r.tolerance} | ${r.vertices} (${r.corners} corners) | ${f(r.ise)} | ${f(r.maxError)} | ${f(r.iseSnapped)} | ${f(r.maxErrorSnapped)} | ${f(r.reportedMaxDeviation)}, ${r.failedIntervals} | ${r.optimum !== undefined ? f(r.optimum) : '—'} |`,
    );
  }
  lines.push(`| Wu (2003) | — | ${REFERENCE.wu2003.vertices} | ${REFERENCE.wu2003.ise.toFixed(2)} | — | — | — | — | ${f(REFERENCE.optimum[17])} |`);
  lines.push(`| exact optimum | — | 12 | ${f(REFERENCE.optimum[12])} | — | — | — | — | — |`);
  lines.push(`| exact optimum | — | 10 | ${f(REFERENCE.optimum[10])} | — | — | — | — | — |`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const res = runChromosome();
  console.log(`chromosome: ${res.points} points, shoelace area ${res.area}, corners at ${res.cornerIndices.join(' ')}`);
  console.log(chromosomeMarkdown(res));
  for (const r of res.rows) console.log(`tol ${r.tolerance}: knots ${r.knotIndices.join(' ')}`);
}
