/**
 * How much of the bilevel Hausdorff distance the corners hold (issue 19): per case, conic and
 * Potrace against the true outline, the whole outline's Hausdorff distance and the same with every
 * sample within RAD px (default 2) of a true vertex left out of both directions — the distance the
 * trace would have if every corner were exact. Group medians, and their ratios to Potrace's whole-
 * outline median (the target reads that ratio). Samples every 0.25 px, exact distances to
 * the other outline's segments (brute force: ~20 s). Vertices: points of the truth flattened to
 * 0.005 px where the direction turns by more than 15° (as bench/error-by-feature.ts classes corners).
 *
 * Run: npx tsx bench/hausdorff-off-corners.ts [id filter, default "-bilevel"]   (env RAD=px)
 */
import { buildCorpus } from './corpus.js';
import { flatten, median, resample, serialisePath, type Polyline } from './geometry.js';
import { runTracer } from './tracers.js';
import { parsePath } from '../scripts/svg-tools.js';
import { toSvg, traceImage } from '../src/node.js';

const RADIUS = Number(process.env.RAD ?? 2);
const TURN_DEG = 15;

function trueVertices(polys: Polyline[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const cosTurn = Math.cos((TURN_DEG * Math.PI) / 180);
  for (const p of polys) {
    const n = p.length / 2;
    for (let i = 0; i < n; i++) {
      const a = (i + n - 1) % n;
      const b = (i + 1) % n;
      const ux = p[2 * i] - p[2 * a];
      const uy = p[2 * i + 1] - p[2 * a + 1];
      const vx = p[2 * b] - p[2 * i];
      const vy = p[2 * b + 1] - p[2 * i + 1];
      if ((ux * vx + uy * vy) / (Math.hypot(ux, uy) * Math.hypot(vx, vy)) < cosTurn) out.push([p[2 * i], p[2 * i + 1]]);
    }
  }
  return out;
}

/** Closed polylines as a flat list of segments (x0, y0, x1, y1). */
function segmentsOf(polys: Polyline[]): Float64Array {
  const s: number[] = [];
  for (const p of polys) {
    const n = p.length / 2;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      s.push(p[2 * i], p[2 * i + 1], p[2 * j], p[2 * j + 1]);
    }
  }
  return Float64Array.from(s);
}

function distanceToSegments(x: number, y: number, s: Float64Array): number {
  let best = Infinity;
  for (let k = 0; k < s.length; k += 4) {
    const dx = s[k + 2] - s[k];
    const dy = s[k + 3] - s[k + 1];
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((x - s[k]) * dx + (y - s[k + 1]) * dy) / len2)) : 0;
    best = Math.min(best, (s[k] + t * dx - x) ** 2 + (s[k + 1] + t * dy - y) ** 2);
  }
  return Math.sqrt(best);
}

/** Two-way Hausdorff distance; with `vertices`, samples within RADIUS of one are not measured. */
function hausdorff(a: Polyline[], b: Polyline[], vertices: Array<[number, number]> = []): number {
  let max = 0;
  for (const [from, to] of [
    [a, b],
    [b, a],
  ]) {
    const samples = resample(from, 0.25);
    const segs = segmentsOf(to);
    for (let k = 0; k < samples.length; k += 2) {
      const x = samples[k];
      const y = samples[k + 1];
      if (vertices.some(([vx, vy]) => Math.hypot(vx - x, vy - y) < RADIUS)) continue;
      max = Math.max(max, distanceToSegments(x, y, segs));
    }
  }
  return max;
}

const filter = process.argv[2] ?? '-bilevel';
const rows: Array<{ logo: boolean; conic: number; conicOff: number; potrace: number; potraceOff: number }> = [];
for (const c of buildCorpus().cases) {
  if (!c.id.includes(filter)) continue;
  const truth = flatten(parsePath(c.truthD));
  const vertices = trueVertices(truth);
  const conicD = /<path d="([^"]*)"/.exec(toSvg(await traceImage(c.png, { mode: 'conic' }), { precision: 3 }))?.[1] ?? '';
  const conic = flatten(parsePath(conicD));
  const potrace = flatten(parsePath(serialisePath(parsePath((await runTracer('potrace', c.png)).d), 3)));
  rows.push({
    logo: c.kind === 'logo',
    conic: hausdorff(truth, conic),
    conicOff: hausdorff(truth, conic, vertices),
    potrace: hausdorff(truth, potrace),
    potraceOff: hausdorff(truth, potrace, vertices),
  });
}
console.log(`Hausdorff px, group medians; "off corners" leaves out samples within ${RADIUS} px of a true vertex (cases matching "${filter}")`);
for (const logo of [false, true]) {
  const g = rows.filter((r) => r.logo === logo);
  if (g.length === 0) continue;
  const m = (f: (r: (typeof rows)[number]) => number): number => median(g.map(f));
  const p = m((r) => r.potrace);
  console.log(
    `${logo ? 'logo ' : 'glyph'} (${g.length}): conic ${m((r) => r.conic).toFixed(3)}, off corners ${m((r) => r.conicOff).toFixed(3)}; ` +
      `Potrace ${p.toFixed(3)}, off corners ${m((r) => r.potraceOff).toFixed(3)}; ` +
      `conic / Potrace ${(m((r) => r.conic) / p).toFixed(3)}, with exact corners ${(m((r) => r.conicOff) / p).toFixed(3)}`,
  );
}
