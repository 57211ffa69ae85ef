/**
 * Fit-stage floor (issue 15): where conic mode's fit time goes, pass by pass, and what the fit would
 * cost with a perfect knot search — each final interval (the knots the search ends with) annealed,
 * refined and measured once, the least any search that keeps annealing and refinement per final
 * piece can spend. Beside them, Potrace's whole run and conicfit's whole trace over the same
 * corpus, all as CPU time in this one process (process.cpuUsage, best of R runs per figure).
 *
 * Run: npx tsx bench/fit-floor.ts   (R=5 by default; env R=N)
 *
 * The passes are replayed here as src/fit/index.ts runs them (the search's three passes, then
 * PLACEMENT_PASSES); the replay's output is checked against fitConic's and the run fails if they
 * differ, so the figures are those of the real fit.
 */
import { buildCorpus } from './corpus.js';
import { potrace } from './tracers.js';
import { fitConic, PLACEMENT_PASSES } from '../src/fit/index.js';
import { createFitContext } from '../src/fit/context.js';
import { fitInterval } from '../src/fit/interval.js';
import { initialKnots, type WorkKnot } from '../src/fit/knots.js';
import { resolveFitOptions } from '../src/fit/options.js';
import { withRunEndKnots } from '../src/fit/run-knots.js';
import { finishContour, insertUntilWithinTolerance, mergeRedundantKnots, splitOverRms } from '../src/fit/passes.js';
import { FitWorkspace } from '../src/fit/workspace.js';
import { traceImage, toSvg } from '../src/node.js';
import type { Contour, Corner } from '../src/types.js';

const R = Math.max(1, Number(process.env.R ?? 5) || 5);
const cases = buildCorpus().cases;
const prepared: Array<{ contours: Contour[]; corners: Corner[][] }> = [];
for (const c of cases) {
  const res = await traceImage(c.png, { mode: 'conic', raster: false });
  prepared.push({ contours: res.contours, corners: res.corners });
}
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const SEARCH = ['context', 'insertion', 'rms split', 'merge'];
const PASSES = [...SEARCH, ...PLACEMENT_PASSES.map(([name]) => name), 'report'];
const FLOORS = ['floor: refined', 'floor: annealed only'];
const best = new Map<string, number>();
const keep = (name: string, ms: number): void => void best.set(name, Math.min(best.get(name) ?? Infinity, ms));
let finalIntervals = 0;

for (let run = 0; run < R; run++) {
  const spent = new Map<string, number>([...PASSES, ...FLOORS].map((name) => [name, 0]));
  const ws = new FitWorkspace();
  finalIntervals = 0;
  for (const { contours, corners } of prepared) {
    contours.forEach((contour, ci) => {
      const n = contour.points.length / 2;
      if (n < 2) return;
      let t0 = cpuMs();
      const lap = (name: string): void => {
        const t1 = cpuMs();
        spent.set(name, spent.get(name)! + t1 - t0);
        t0 = t1;
      };
      const o = resolveFitOptions({}, contour.subpixel, 'fitConic');
      const ctx = createFitContext('conic', contour, o, ws);
      lap('context');
      const failed = new Set<string>();
      const { knots: seeds, held } = withRunEndKnots(ctx, initialKnots(ctx, corners[ci]));
      const maxKnots = Math.max(seeds.length, Math.floor(n * o.maxKnotFraction), 2);
      const inserted = insertUntilWithinTolerance(ctx, seeds, maxKnots, failed);
      lap('insertion');
      const done = splitOverRms(ctx, inserted.intervals, failed, maxKnots - inserted.knotCount);
      lap('rms split');
      const merged = mergeRedundantKnots(
        ctx,
        done.map((d) => d.a),
        done.map((d) => d.piece),
        failed,
        held,
      );
      lap('merge');
      const searched: WorkKnot[] = merged.knots.slice();
      for (const [name, pass] of PLACEMENT_PASSES) {
        pass(ctx, merged.knots, merged.pieces);
        lap(name);
      }
      const fitted = finishContour(ctx, contour, merged.knots, merged.pieces);
      lap('report');
      if (run === 0 && JSON.stringify(fitted) !== JSON.stringify(fitConic(contour, corners[ci]))) {
        throw new Error('bench/fit-floor.ts: the replayed passes differ from fitConic; update the replay to match src/fit/index.ts');
      }
      // The floors: the searched knots' intervals, each fitted once (fresh context: no state carried over).
      for (const [name, refine] of [
        ['floor: refined', true],
        ['floor: annealed only', false],
      ] as const) {
        const floorCtx = createFitContext('conic', contour, resolveFitOptions({ refine }, contour.subpixel, 'fitConic'), ws);
        t0 = cpuMs();
        for (let i = 0; i < searched.length; i++) fitInterval(floorCtx, searched[i], searched[(i + 1) % searched.length]);
        lap(name);
      }
      finalIntervals += searched.length;
    });
  }
  for (const [name, ms] of spent) keep(name, ms);
  let t0 = cpuMs();
  for (const c of cases) await potrace(c.png);
  keep('potrace', cpuMs() - t0);
  t0 = cpuMs();
  for (const c of cases) toSvg(await traceImage(c.png, { mode: 'conic' }), { precision: 3 });
  keep('conicfit conic', cpuMs() - t0);
}

const potraceMs = best.get('potrace')!;
const row = (name: string, ms: number): string => `| ${name} | ${ms.toFixed(0)} | ${(ms / potraceMs).toFixed(3)} |`;
const fitMs = PASSES.reduce((sum, name) => sum + best.get(name)!, 0);
console.log(
  `bench/fit-floor.ts: ${cases.length} corpus cases, ${finalIntervals} intervals after the search; CPU ms, best of ${R} per row; load ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
console.log('| figure | CPU ms | of Potrace |\n|---|---:|---:|');
console.log(row('Potrace, whole run (npm potrace, decoding included)', potraceMs));
console.log(row('conicfit conic, whole trace + toSvg', best.get('conicfit conic')!));
for (const name of PASSES) console.log(row(`fit: ${name}`, best.get(name)!));
console.log(row('fit: sum of the passes', fitMs));
for (const name of FLOORS) console.log(row(`${name} (each searched interval fitted once)`, best.get(name)!));
