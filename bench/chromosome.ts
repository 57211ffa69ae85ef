/**
 * The Teh–Chin chromosome curve (60 points, the classic polygonal-approximation test shape) fitted
 * by conicfit in linear mode: `detectCorners` then `fitLinear` at several tolerances, with every
 * corner kept (the default) and with `dropCorners`. Reports the
 * vertex count, the integral square error (ISE) and the max error, beside Wu (2003) and the exact
 * optimum for the same number of vertices (vertices restricted to curve points).
 *
 * ISE = Σ over all 60 points of the squared perpendicular distance to the line through the chord
 * of the interval the point belongs to (point j belongs to the interval [kᵢ, kᵢ₊₁) of consecutive
 * knot indices, so each point is counted once; knot points belong to the interval they start).
 * Computed here from the knots' indices and the raw points, not taken from conicfit's report.
 *
 * fitLinear puts every knot on a contour point (docs/design.md §9.9), so the fit's knots and the
 * "snapped" vertices (the raw contour points at the knot indices — the convention of Wu's table
 * and of the optimum) are the same polygon; both columns stay for comparison with older runs.
 *
 * Run alone: npx tsx bench/chromosome.ts
 */
import { fileURLToPath } from 'node:url';
import { detectCorners, fitLinear } from '../src/index.js';
import { chromosomeContour, cornerKeepingOptimumIse, exactOptimumIse, polygonErrors, REFERENCE } from '../scripts/polygon-reference.js';

export { CHROMOSOME, chromosomeContour, exactOptimumIse, polygonErrors, REFERENCE } from '../scripts/polygon-reference.js';

export const TOLERANCES = [0.5, 0.75, 1, 1.25, 1.5];

export interface ChromosomeRow {
  tolerance: number;
  /** The dropCorners option (docs/design.md §9.9): a detected corner may go where the polygon is better without it. */
  dropCorners: boolean;
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
  /** Exact optimum ISE for this vertex count (exactOptimumIse). */
  optimum?: number;
  /** Rosin's fidelity, efficiency and merit (%), from the snapped ISE. */
  fidelity: number;
  efficiency: number;
  merit: number;
}

function rosin(optimum: number[], vertices: number, ise: number): { fidelity: number; efficiency: number; merit: number } {
  const fidelity = (100 * optimum[vertices]) / Math.max(ise, 1e-12);
  let fewest = vertices;
  while (fewest > 3 && optimum[fewest - 1] <= ise) fewest--;
  const efficiency = (100 * fewest) / vertices;
  return { fidelity, efficiency, merit: Math.sqrt(fidelity * efficiency) };
}

/**
 * The best any polygon can do while keeping every detected corner (a vertex within CORNER_REACH
 * points of each): per tolerance, the fewest vertices with every chord within it, and their least
 * ISE (cornerKeepingOptimumIse, an exact search). What the shared contract "corners cut each contour
 * into pieces" leaves of the issue-19 target (ISE within 1.15 × the optimum), docs/design.md §18.42.
 */
export const CORNER_REACH = 1;
export interface CornerKeepingRow {
  tolerance: number;
  vertices: number;
  ise: number;
  optimum: number;
  /** Rosin's merit (%), as for the fits. */
  merit: number;
}

export function runChromosome(tolerances = TOLERANCES): {
  points: number;
  area: number;
  cornerIndices: number[];
  rows: ChromosomeRow[];
  cornerKeeping: CornerKeepingRow[];
} {
  const contour = chromosomeContour();
  const corners = detectCorners(contour);
  const optimum = exactOptimumIse(contour.points, 30);
  const rows: ChromosomeRow[] = [];
  for (const dropCorners of [false, true])
    for (const tolerance of tolerances) {
      const fit = fitLinear(contour, corners, { tolerance, dropCorners });
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
        dropCorners,
        vertices: fit.knots.length,
        corners: fit.knots.filter((k) => k.kind === 'corner').length,
        knotIndices: idx,
        ise: main.ise,
        maxError: main.max,
        iseSnapped: snapped.ise,
        maxErrorSnapped: snapped.max,
        reportedMaxDeviation: fit.report.maxDeviation,
        failedIntervals: fit.report.failedIntervals,
        optimum: optimum[fit.knots.length],
        // Rosin (1997): fidelity = optimum ISE / ISE for the same vertex count; efficiency = fewest
        // vertices whose optimum reaches this ISE / vertices; merit = √(fidelity · efficiency), in %.
        ...rosin(optimum, fit.knots.length, snapped.ise),
      });
    }
  const cornerKeeping: CornerKeepingRow[] = [];
  for (const tolerance of tolerances) {
    for (let k = 3; k <= 30; k++) {
      const ise = cornerKeepingOptimumIse(
        contour.points,
        corners.map((c) => c.index),
        CORNER_REACH,
        k,
        tolerance,
      );
      if (!Number.isFinite(ise)) continue;
      cornerKeeping.push({ tolerance, vertices: k, ise, optimum: optimum[k], merit: rosin(optimum, k, ise).merit });
      break;
    }
  }
  return { points: contour.points.length / 2, area: contour.area, cornerIndices: corners.map((c) => c.index), rows, cornerKeeping };
}

export function chromosomeMarkdown(res: ReturnType<typeof runChromosome>): string {
  const f = (x: number, d = 3) => x.toFixed(d);
  const lines = [
    `| method | tolerance (px) | vertices | ISE (px²), fit's knots | max error (px), fit's knots | ISE, knots snapped to curve points | max error, snapped | conicfit's own report: max deviation (px), intervals over tolerance | exact optimum ISE for this vertex count | ISE / optimum | Rosin merit % (fidelity, efficiency) |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const r of res.rows) {
    lines.push(
      `| conicfit linear${r.dropCorners ? ', `dropCorners`' : ''} | ${r.tolerance} | ${r.vertices} (${r.corners} corners) | ${f(r.ise)} | ${f(r.maxError)} | ${f(r.iseSnapped)} | ${f(r.maxErrorSnapped)} | ${f(r.reportedMaxDeviation)}, ${r.failedIntervals} | ${r.optimum !== undefined ? f(r.optimum) : '—'} | ${r.optimum ? f(r.iseSnapped / r.optimum, 2) : '—'} | ${r.merit.toFixed(0)} (${r.fidelity.toFixed(0)}, ${r.efficiency.toFixed(0)}) |`,
    );
  }
  for (const r of res.cornerKeeping) {
    lines.push(
      `| best polygon keeping every detected corner (a vertex within ${CORNER_REACH} point of each; exact search) | ${r.tolerance} | ${r.vertices} | — | ≤ ${r.tolerance} | ${f(r.ise)} | ≤ ${r.tolerance} | — | ${f(r.optimum)} | ${f(r.ise / r.optimum, 2)} | ${r.merit.toFixed(0)} |`,
    );
  }
  lines.push(
    `| Wu (2003) | — | ${REFERENCE.wu2003.vertices} | ${REFERENCE.wu2003.ise.toFixed(2)} | — | — | — | — | ${f(REFERENCE.optimum[17])} | ${f(REFERENCE.wu2003.ise / REFERENCE.optimum[17], 2)} | — |`,
  );
  lines.push(`| exact optimum (published) | — | 12 | ${f(REFERENCE.optimum[12])} | — | — | — | — | — | — | — |`);
  lines.push(`| exact optimum (published) | — | 10 | ${f(REFERENCE.optimum[10])} | — | — | — | — | — | — | — |`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const res = runChromosome();
  console.log(`chromosome: ${res.points} points, shoelace area ${res.area}, corners at ${res.cornerIndices.join(' ')}`);
  console.log(chromosomeMarkdown(res));
  for (const r of res.rows) console.log(`tol ${r.tolerance}${r.dropCorners ? ' dropCorners' : ''}: knots ${r.knotIndices.join(' ')}`);
  const opt = exactOptimumIse(chromosomeContour().points, 17);
  console.log(`exact optimum here: 17 → ${opt[17].toFixed(3)}, 12 → ${opt[12].toFixed(3)}, 10 → ${opt[10].toFixed(3)} (published 3.129, 5.818, 8.068)`);
}
