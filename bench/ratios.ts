/**
 * The accuracy and size columns of the issue-6 targets in ~30 s, for trying a change: conicfit
 * conic (with the given options) against Potrace on the bench corpus, as ratios of the group
 * medians (as bench/compare.ts computes them), without timing runs. `npm run bench` stays the
 * reference; this only saves waiting for it.
 *
 * Run: npx tsx bench/ratios.ts                              (defaults)
 *      npx tsx bench/ratios.ts --options '{"tolerance":0.75}' (any TraceOptions)
 *      npx tsx bench/ratios.ts --only 64-bilevel               (cases whose id contains the text)
 */
import { buildCorpus } from './corpus.js';
import { countSegments, flatten, median, outlineDistance, serialisePath } from './geometry.js';
import { runTracer } from './tracers.js';
import { parsePath } from '../scripts/svg-tools.js';
import { toSvg, traceImage, type TraceOptions } from '../src/node.js';
import { compactPathData } from '../src/output/path-compact.js';

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
const options = JSON.parse(arg('--options') ?? '{}') as TraceOptions;
const only = arg('--only');

interface Measure {
  segments: number;
  bytes: number;
  hausdorff: number;
  mean: number;
}
const STATS = ['segments', 'bytes', 'hausdorff', 'mean'] as const;

const groups = new Map<string, { potrace: Measure[]; conic: Measure[] }>();
let failedIntervals = 0;
const perCase: Array<Measure & { id: string; potrace: Measure }> = [];
for (const c of buildCorpus().cases) {
  if (only && !c.id.includes(only)) continue;
  const truth = flatten(parsePath(c.truthD));
  // Potrace re-serialised at 3 decimals in toSvg's style (compact), as bench/compare.ts does.
  const potracePlain = serialisePath(parsePath((await runTracer('potrace', c.png)).d), 3);
  const potraceD = compactPathData(potracePlain, 3);
  const result = await traceImage(c.png, { mode: 'conic', ...options });
  failedIntervals += result.report.failedIntervals;
  const conicD = /<path d="([^"]*)"/.exec(toSvg(result, { precision: 3 }))?.[1] ?? '';
  const measure = (d: string, segments: number): Measure => {
    const dist = outlineDistance(truth, flatten(parsePath(d)));
    return { segments, bytes: Buffer.byteLength(d), hausdorff: dist.hausdorff, mean: dist.mean };
  };
  const key = `${c.kind} ${c.rendering}`;
  if (!groups.has(key)) groups.set(key, { potrace: [], conic: [] });
  // Segments counted on the absolute path, before compaction joins collinear lines.
  groups.get(key)!.potrace.push(measure(potraceD, countSegments(parsePath(potracePlain)).total));
  groups.get(key)!.conic.push(measure(conicD, result.report.totals.intervals));
  perCase.push({ id: c.id, ...groups.get(key)!.conic.at(-1)!, potrace: groups.get(key)!.potrace.at(-1)! });
}
console.log(`conicfit conic ${JSON.stringify(options)} / Potrace, ratio of group medians (segments = intervals):`);
for (const [key, g] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
  const ratios = STATS.map((s) => `${s} ${(median(g.conic.map((m) => m[s])) / median(g.potrace.map((m) => m[s]))).toFixed(3)}`);
  console.log(`${key.padEnd(14)} (${g.conic.length} cases) ${ratios.join('  ')}`);
}
const all = [...groups.values()];
const sum = (who: 'potrace' | 'conic', s: (typeof STATS)[number]) => all.reduce((acc, g) => acc + g[who].reduce((a, m) => a + m[s], 0), 0);
console.log(`corpus sums, conic / Potrace: ${STATS.map((s) => `${s} ${(sum('conic', s) / sum('potrace', s)).toFixed(3)}`).join('  ')}`);
console.log(`intervals over tolerance: ${failedIntervals}`);
const dump = arg('--json');
if (dump) (await import('node:fs')).writeFileSync(dump, JSON.stringify(perCase, null, 1));
