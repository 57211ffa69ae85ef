/**
 * Where the distance to the true outline comes from: conicfit conic vs Potrace, per kind of
 * true-outline feature, on the bench corpus (bench/corpus.ts).
 *
 * Run: npx tsx bench/error-by-feature.ts            (groups: kind × rendering × size)
 *      npx tsx bench/error-by-feature.ts --cases    (one line per case)
 *      npx tsx bench/error-by-feature.ts --only S   (cases whose id contains S)
 *
 * Each segment of the true path is sampled at ≤ 0.25 px (bench/geometry.ts) and every sample is
 * measured against each tracer's flattened outline (truth → trace, the first half of the bench's
 * mean distance). Samples go to one class:
 *   corner    within 2 px of a vertex of the true path where the tangent turns by more than 15°;
 *   thin      not a corner, and the true outline crosses the sample's normal again within 1 px
 *             on either side: a stroke or a gap thinner than a pixel there (a sliver; what the
 *             contour stage's turn policy and sliver rule are about, docs/design.md §2.7–§2.8);
 *   axis line a horizontal or vertical straight segment (on bilevel input its offset within the
 *             pixel is lost to thresholding: ~0.25 px on average whatever the tracer);
 *   line      any other straight segment;
 *   curve     Béziers and arcs.
 * Printed per class: its share of the outline's length and each tracer's mean distance, px.
 */
import { buildCorpus } from './corpus.js';
import { classedSamples, FEATURE_CLASSES as CLASSES, flatten, SegmentGrid, type FeatureClass } from './geometry.js';
import { runTracer, type TracerName } from './tracers.js';
import { parsePath } from '../scripts/svg-tools.js';

const argv = process.argv.slice(2);
const PER_CASE = argv.includes('--cases');
const onlyArg = argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? argv[onlyArg + 1] : undefined;
const TRACERS: TracerName[] = ['potrace', 'conicfit-conic'];

type Tally = Record<FeatureClass, { samples: number; sum: Record<string, number> }>;
const emptyTally = (): Tally => Object.fromEntries(CLASSES.map((c) => [c, { samples: 0, sum: Object.fromEntries(TRACERS.map((t) => [t, 0])) }])) as Tally;

function line(label: string, t: Tally): string {
  const total = CLASSES.reduce((s, c) => s + t[c].samples, 0);
  const mean = (tracer: string, classes: readonly FeatureClass[]) => {
    const n = classes.reduce((s, c) => s + t[c].samples, 0);
    return n ? classes.reduce((s, c) => s + t[c].sum[tracer], 0) / n : NaN;
  };
  const all = TRACERS.map((tr) => mean(tr, CLASSES));
  const parts = CLASSES.filter((c) => t[c].samples > 0).map(
    (c) => `${c} ${((100 * t[c].samples) / total).toFixed(0)}%: P ${mean('potrace', [c]).toFixed(3)} C ${mean('conicfit-conic', [c]).toFixed(3)}`,
  );
  return `${label.padEnd(32)} all: P ${all[0].toFixed(3)} C ${all[1].toFixed(3)} (×${(all[1] / all[0]).toFixed(2)}) | ${parts.join(' | ')}`;
}

const corpus = buildCorpus();
const groups = new Map<string, Tally>();
for (const c of corpus.cases) {
  if (ONLY && !c.id.includes(ONLY)) continue;
  const bounds = { x0: -10, y0: -10, x1: c.width + 10, y1: c.height + 10 };
  const grids = new Map<string, SegmentGrid>();
  for (const t of TRACERS) grids.set(t, new SegmentGrid(flatten(parsePath((await runTracer(t, c.png)).d)), bounds));
  const key = PER_CASE ? c.id : `${c.kind} ${c.rendering} ${c.size}`;
  if (!groups.has(key)) groups.set(key, emptyTally());
  const tally = groups.get(key)!;
  for (const { x, y, cls } of classedSamples(c.truthD).samples) {
    tally[cls].samples++;
    for (const t of TRACERS) tally[cls].sum[t] += grids.get(t)!.distance(x, y);
  }
}
console.log('Mean distance truth → trace, px (P = Potrace, C = conicfit conic), by feature of the true outline:');
for (const [label, tally] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) console.log(line(label, tally));
