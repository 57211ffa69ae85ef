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
import { flatten, resample, SegmentGrid } from './geometry.js';
import { runTracer, type TracerName } from './tracers.js';
import { parsePath, type Pt, type Seg } from '../scripts/svg-tools.js';

const argv = process.argv.slice(2);
const PER_CASE = argv.includes('--cases');
const onlyArg = argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? argv[onlyArg + 1] : undefined;
const TRACERS: TracerName[] = ['potrace', 'conicfit-conic'];
const CORNER_TURN_DEG = 15;
const CORNER_RADIUS_PX = 2;
const THIN_PX = 1;
const CLASSES = ['axis line', 'line', 'curve', 'corner', 'thin'] as const;
type FeatureClass = (typeof CLASSES)[number];

interface Side {
  cls: FeatureClass;
  poly: Float64Array;
}

/** The true path split into its segments (each flattened on its own) and its corner vertices. */
function features(d: string): { sides: Side[]; corners: Pt[] } {
  const sides: Side[] = [];
  const corners: Pt[] = [];
  let subpath: { start: Pt; end: Pt; first: [number, number]; last: [number, number] }[] = [];
  const closeSubpath = () => {
    for (let i = 0; i < subpath.length; i++) {
      const a = subpath[i].last,
        b = subpath[(i + 1) % subpath.length].first;
      const cos = (a[0] * b[0] + a[1] * b[1]) / (Math.hypot(...a) * Math.hypot(...b));
      if (cos < Math.cos((CORNER_TURN_DEG * Math.PI) / 180)) corners.push(subpath[i].end);
    }
    subpath = [];
  };
  let cur: Pt = { x: 0, y: 0 },
    start = cur;
  for (const s of parsePath(d)) {
    if (s.c === 'M') {
      closeSubpath();
      cur = start = s.p;
      continue;
    }
    const p = s.c === 'Z' ? start : s.p;
    const straight = s.c === 'L' || s.c === 'Z';
    if (straight && p.x === cur.x && p.y === cur.y) continue;
    const seg: Seg = s.c === 'Z' ? { c: 'L', p } : s;
    // flatten closes every subpath; drop that closing point (it is not on this segment).
    const closed = flatten([{ c: 'M', p: cur }, seg])[0];
    const poly = closed.length > 4 ? closed.subarray(0, closed.length - 2) : closed;
    const k = poly.length;
    subpath.push({
      start: cur,
      end: p,
      first: [poly[2] - poly[0], poly[3] - poly[1]],
      last: [poly[k - 2] - poly[k - 4], poly[k - 1] - poly[k - 3]],
    });
    const axis = Math.abs(p.x - cur.x) < 1e-6 || Math.abs(p.y - cur.y) < 1e-6;
    sides.push({ cls: !straight ? 'curve' : axis ? 'axis line' : 'line', poly });
    cur = p;
  }
  closeSubpath();
  return { sides, corners };
}

/** The true outline's segments in 1 px buckets, for "does the normal at p cross it within THIN_PX". */
function thinTest(sides: Side[]): (x: number, y: number, nx: number, ny: number) => boolean {
  const buckets = new Map<string, number[]>();
  const segs: number[] = [];
  for (const { poly } of sides) {
    for (let k = 2; k < poly.length; k += 2) {
      const id = segs.length;
      segs.push(poly[k - 2], poly[k - 1], poly[k], poly[k + 1]);
      for (let bx = Math.floor(Math.min(poly[k - 2], poly[k])); bx <= Math.floor(Math.max(poly[k - 2], poly[k])); bx++) {
        for (let by = Math.floor(Math.min(poly[k - 1], poly[k + 1])); by <= Math.floor(Math.max(poly[k - 1], poly[k + 1])); by++) {
          const key = `${bx},${by}`;
          if (!buckets.has(key)) buckets.set(key, []);
          buckets.get(key)!.push(id);
        }
      }
    }
  }
  return (x, y, nx, ny) => {
    const seen = new Set<number>();
    for (let bx = Math.floor(x - THIN_PX); bx <= Math.floor(x + THIN_PX); bx++) {
      for (let by = Math.floor(y - THIN_PX); by <= Math.floor(y + THIN_PX); by++) {
        for (const id of buckets.get(`${bx},${by}`) ?? []) {
          if (seen.has(id)) continue;
          seen.add(id);
          const [ax, ay, bx2, by2] = segs.slice(id, id + 4);
          // p + s·n = a + u·(b − a): solve for s, u.
          const ex = bx2 - ax,
            ey = by2 - ay;
          const den = nx * ey - ny * ex;
          if (Math.abs(den) < 1e-12) continue;
          const s = ((ax - x) * ey - (ay - y) * ex) / den;
          const u = ((ax - x) * ny - (ay - y) * nx) / den;
          if (u >= 0 && u <= 1 && Math.abs(s) > 0.02 && Math.abs(s) <= THIN_PX) return true;
        }
      }
    }
    return false;
  };
}

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
  const { sides, corners } = features(c.truthD);
  const isThin = thinTest(sides);
  const bounds = { x0: -10, y0: -10, x1: c.width + 10, y1: c.height + 10 };
  const grids = new Map<string, SegmentGrid>();
  for (const t of TRACERS) grids.set(t, new SegmentGrid(flatten(parsePath((await runTracer(t, c.png)).d)), bounds));
  const key = PER_CASE ? c.id : `${c.kind} ${c.rendering} ${c.size}`;
  if (!groups.has(key)) groups.set(key, emptyTally());
  const tally = groups.get(key)!;
  for (const { cls, poly } of sides) {
    const pts = resample([poly], 0.25);
    for (let j = 0; j < pts.length; j += 2) {
      const x = pts[j],
        y = pts[j + 1];
      // The normal from the resampled neighbours (the side's own points).
      const a = Math.max(0, j - 2),
        b = Math.min(pts.length - 2, j + 2);
      const tx = pts[b] - pts[a],
        ty = pts[b + 1] - pts[a + 1];
      const tl = Math.hypot(tx, ty);
      const thin = tl > 0 && isThin(x, y, -ty / tl, tx / tl);
      const k = corners.some((q) => Math.hypot(q.x - x, q.y - y) < CORNER_RADIUS_PX) ? 'corner' : thin ? 'thin' : cls;
      tally[k].samples++;
      for (const t of TRACERS) tally[k].sum[t] += grids.get(t)!.distance(x, y);
    }
  }
}
console.log('Mean distance truth → trace, px (P = Potrace, C = conicfit conic), by feature of the true outline:');
for (const [label, tally] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) console.log(line(label, tally));
