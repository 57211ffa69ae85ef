/**
 * How low a bilevel trace's Hausdorff distance to the true outline can go (issue 19): per bilevel
 * case, lower bounds that the pixels themselves set, and their group medians as ratios to
 * Potrace's whole-outline median (the issue's target reads conic / Potrace ≤ 0.5 there).
 *
 * A bilevel pixel is ink when its centre is inside the shape (the corpus thresholds the exact
 * coverage at 50 %, bench/corpus.ts `renderTruth`; for a straight edge across a pixel, coverage ≥ ½
 * ⇔ centre inside). So
 * the pixels say only which centres are in: an edge is known to lie between its last inside and
 * first outside centres (its band), and a tracer that reads the pixels alone cannot tell where in
 * the band. Floors, each from the truth's own segments (`truthFeatures`, bench/geometry.ts) and the
 * case's pixels:
 *
 *   edge    an axis-parallel straight side whose part farther than 2 px from every true vertex
 *           (turn > 15°) and not thin (samples classed 'axis line') spans ≥ MIN_LEN px: |t − k|,
 *           t its coordinate, k the band centre the pixels show (the pixel edge where the ink
 *           changes across it, the median over its columns ≥ ½ px from its ends). Every centring
 *           tracer (one that puts the edge on the pixel edge, as conicfit and Potrace do) is that
 *           far off there. Any tracer: all columns of the side read alike, so the estimate is one
 *           number k + e; with t uniform in the band, |t − k − e| is stochastically smallest at
 *           e = 0 (P(|t − k − e| ≤ x) = |[e − x, e + x] ∩ [−½, ½]| ≤ min(2x, 1)), so no estimate
 *           beats centring in distribution, nor the max of independent such errors.
 *   corner  a vertex between two axis sides (one horizontal, one vertical, each ≥ MIN_LEN px): the
 *           band centres put a sharp corner at c = (k_x, k_y); with α, β the components of c − v
 *           along the two arms, the two L shapes are hypot(α, β) apart when αβ > 0 (one vertex
 *           beyond both of the other's arms) and max(|α|, |β|) otherwise. Assumes the tracer keeps
 *           the corner sharp at the pixel corner (the pixels say nothing more about the vertex
 *           than the two arms' bands do).
 *   line    a sloped straight side whose off-corner part spans ≥ MIN_LEN px: every line through
 *           that part's band (each pixel centre within 1.5 px and nearest to this side on its
 *           own side) is a point (a, b) of a convex polygon (the digital segment's preimage,
 *           v = a·s + b in the side's frame); the realised floor is the truth's distance, over
 *           the part, from the polygon's centroid (the band-centred line of an oracle that knows
 *           the segmentation). Not a bound for every tracer: a lucky guess can do better.
 *   curves  no floor (not measured: counted as 0, so the case floor stays a floor of what the
 *           other features force).
 *
 * Per case: the realised floor (max over its features: the Hausdorff distance a centring tracer
 * cannot go below), the same with the renderer-aware estimate (RENDER_BIAS), and the expected floor
 * over the unknowns (each distinct edge coordinate uniform in its band and independent — sides at
 * the same coordinate share one; each line's (a, b) uniform in its polygon, its error from the
 * estimate that minimises the mean), E[max] by Monte Carlo with a fixed seed, for the centring and
 * the renderer-aware estimates.
 *
 * Run: npx tsx bench/hausdorff-floor.ts                 (group medians and ratios)
 *      npx tsx bench/hausdorff-floor.ts --cases         (one line per case)
 *      npx tsx bench/hausdorff-floor.ts --sites G,L     (the G glyph and L logo cases nearest the
 *                                                        conic median: where the two largest sites are)
 *      npx tsx bench/hausdorff-floor.ts --only S        (cases whose id contains S; default bilevel)
 *      env MIN_LEN=px (default 2)
 */
import { buildCorpus, type Case } from './corpus.js';
import {
  classedSamples,
  flatten,
  median,
  outlineDistance,
  resample,
  SegmentGrid,
  serialisePath,
  type ClassedSample,
  type FeatureClass,
  type Polyline,
  type TruthSide,
} from './geometry.js';
import { runTracer } from './tracers.js';
import { parsePath, type Pt } from '../scripts/svg-tools.js';
import { mulberry32 } from '../src/random.js';
import { toSvg, traceImage } from '../src/node.js';

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
const ONLY = arg('--only') ?? 'bilevel';
const PER_CASE = argv.includes('--cases');
/** --sites G,L: how many glyph and logo cases (L defaults to G). */
const SITES = (arg('--sites') ?? '0').split(',').map(Number);
if (SITES.length === 1) SITES.push(SITES[0]);
const MIN_LEN = Number(process.env.MIN_LEN ?? 2);
/**
 * 0 for the corpus as it is rendered now (exact coverage, docs/design.md §18.40), so the renderer-
 * aware figures equal the centring ones; 0.125 for the corpus as resvg rendered it before:
 * resvg's anti-aliased coverage comes in quarters along each axis (an edge at y = j + f over a pixel
 * row: coverage 0, ¼, ½, ¾, 1 for f below 0.125, 0.375, 0.625, 0.875 and above), so coverage ½ spans
 * f ∈ [0.375, 0.625), a quarter of all positions; it is grey 127 (ink under the corpus's grey < 128)
 * when the ink lies above, left or right of the edge, and 128 (paper) when it lies below (measured
 * on rectangles, tmp/ check; the corpus's edges agree: t − k towards the ink spans (−0.375, 0.625]
 * on the first three kinds and [−0.625, 0.375) on the fourth). So the band centre k is on average
 * RENDER_BIAS off the band's middle, and a tracer that knew the renderer would move its estimate
 * that far: towards the ink, or towards the paper on an edge with the ink below it.
 */
const RENDER_BIAS = 0;
/** Monte Carlo draws for the expected floor; samples per line polygon. */
const DRAWS = 4000;
const LINE_SAMPLES = 256;
/** Sites closer than this to the largest one are the same site (px). */
const SITE_SEPARATION = 3;

// ---------------------------------------------------------------------------------------------
// Features of one case
// ---------------------------------------------------------------------------------------------

interface Edge {
  side: number;
  horizontal: boolean;
  /** True coordinate (y of a horizontal side, x of a vertical one) and the pixels' band centre. */
  t: number;
  k: number;
  /** The band centre moved RENDER_BIAS to the band's middle (the estimate of a tracer that knows the renderer). */
  kInk: number;
  /** Off-corner part: its samples and their extent along the side, px. */
  samples: ClassedSample[];
  extent: number;
}

interface Corner {
  v: Pt;
  /** Unit arm directions from the vertex (along the arriving side backwards, the leaving side forwards). */
  d1: Pt;
  d2: Pt;
  e1: Edge;
  e2: Edge;
}

interface LineFloor {
  side: number;
  /** Truth's distance from the preimage's centroid line (realised), and draws of the error of the best estimate. */
  realised: number;
  errors: Float64Array;
}

interface Features {
  edges: Edge[];
  corners: Corner[];
  lines: LineFloor[];
  samples: ClassedSample[];
  sides: TruthSide[];
}

/** Extent along a unit direction of a set of samples. */
function extentAlong(samples: ClassedSample[], o: Pt, u: Pt): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const q of samples) {
    const s = (q.x - o.x) * u.x + (q.y - o.y) * u.y;
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  return [lo, hi];
}

function unit(a: Pt, b: Pt): Pt {
  const l = Math.hypot(b.x - a.x, b.y - a.y);
  return { x: (b.x - a.x) / l, y: (b.y - a.y) / l };
}

/**
 * The band centre the pixels show for an axis side: per column (row) whose sample lies ≥ ½ px
 * from the side's ends, the pixel edge nearest t where the ink changes; their median. NaN if none.
 */
function bandCentre(c: Case, side: TruthSide, horizontal: boolean, t: number, samples: ClassedSample[]): { k: number; inkBefore: boolean } {
  const ink = (i: number, j: number) => (i >= 0 && j >= 0 && i < c.width && j < c.height ? c.truthInk[j * c.width + i] : 0);
  const len = Math.hypot(side.end.x - side.start.x, side.end.y - side.start.y);
  const u = unit(side.start, side.end);
  const ks: number[] = [];
  let inkBefore = 0;
  for (const q of samples) {
    if (q.cls === 'thin') continue;
    const s = (q.x - side.start.x) * u.x + (q.y - side.start.y) * u.y;
    if (s < 0.5 || s > len - 0.5) continue;
    const along = Math.floor(horizontal ? q.x : q.y);
    let best = NaN;
    for (let k = Math.round(t) - 1; k <= Math.round(t) + 1; k++) {
      const changes = horizontal ? ink(along, k - 1) !== ink(along, k) : ink(k - 1, along) !== ink(k, along);
      if (changes && !(Math.abs(k - t) >= Math.abs(best - t))) best = k;
    }
    if (Number.isFinite(best)) {
      ks.push(best);
      inkBefore += (horizontal ? ink(along, best - 1) : ink(best - 1, along)) ? 1 : -1;
    }
  }
  return { k: median(ks), inkBefore: inkBefore > 0 };
}

/** Convex polygon ∩ half-plane α·a + β·b ≤ γ (Sutherland–Hodgman on one edge). */
function clip(poly: Pt[], alpha: number, beta: number, gamma: number): Pt[] {
  const out: Pt[] = [];
  const f = (p: Pt) => alpha * p.x + beta * p.y - gamma;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i],
      q = poly[(i + 1) % poly.length];
    const fp = f(p),
      fq = f(q);
    if (fp <= 0) out.push(p);
    if (fp * fq < 0) {
      const r = fp / (fp - fq);
      out.push({ x: p.x + r * (q.x - p.x), y: p.y + r * (q.y - p.y) });
    }
  }
  return out;
}

/** Area centroid of a convex polygon (its vertex mean when degenerate). */
function centroid(poly: Pt[]): Pt {
  let A = 0,
    cx = 0,
    cy = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i],
      q = poly[(i + 1) % poly.length];
    const w = p.x * q.y - q.x * p.y;
    A += w;
    cx += (p.x + q.x) * w;
    cy += (p.y + q.y) * w;
  }
  if (Math.abs(A) < 1e-15) return { x: poly.reduce((s, p) => s + p.x, 0) / poly.length, y: poly.reduce((s, p) => s + p.y, 0) / poly.length };
  return { x: cx / (3 * A), y: cy / (3 * A) };
}

/** Uniform points in a convex polygon: a fan of triangles picked by area. */
function samplePolygon(poly: Pt[], n: number, rand: () => number): Pt[] {
  const areas: number[] = [];
  for (let i = 1; i + 1 < poly.length; i++) {
    const a = poly[0],
      b = poly[i],
      c = poly[i + 1];
    areas.push(Math.abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)) / 2);
  }
  const total = areas.reduce((s, x) => s + x, 0);
  const out: Pt[] = [];
  for (let k = 0; k < n; k++) {
    let r = rand() * total,
      i = 0;
    while (i < areas.length - 1 && r > areas[i]) r -= areas[i++];
    let u = rand(),
      w = rand();
    if (u + w > 1) [u, w] = [1 - u, 1 - w];
    const a = poly[0],
      b = poly[i + 1],
      c = poly[i + 2];
    out.push({ x: a.x + u * (b.x - a.x) + w * (c.x - a.x), y: a.y + u * (b.y - a.y) + w * (c.y - a.y) });
  }
  return out;
}

/**
 * A sloped side's preimage (module comment, "line"): lines v = a·(s − s₀) + b through the band of
 * its off-corner part [s₀ − h, s₀ + h]; the error of a line (a, b) taken for (a', b') is the larger
 * of |Δa·h ± Δb| (the ends of the part). Null when the part is too short or the polygon is empty.
 */
function lineFloor(c: Case, side: TruthSide, index: number, own: ClassedSample[], truthGrid: SegmentGrid, rand: () => number): LineFloor | null {
  const u = unit(side.start, side.end);
  const n = { x: -u.y, y: u.x };
  const [lo, hi] = extentAlong(own, side.start, u);
  if (!(hi - lo >= MIN_LEN)) return null;
  const s0 = (lo + hi) / 2,
    h = (hi - lo) / 2;
  const centres: Array<{ s: number; w: number; ink: boolean }> = [];
  const xs = own.map((q) => q.x),
    ys = own.map((q) => q.y);
  for (let j = Math.floor(Math.min(...ys) - 2); j <= Math.ceil(Math.max(...ys) + 2); j++) {
    for (let i = Math.floor(Math.min(...xs) - 2); i <= Math.ceil(Math.max(...xs) + 2); i++) {
      if (i < 0 || j < 0 || i >= c.width || j >= c.height) continue;
      const px = i + 0.5,
        py = j + 0.5;
      const s = (px - side.start.x) * u.x + (py - side.start.y) * u.y - s0;
      const w = (px - side.start.x) * n.x + (py - side.start.y) * n.y;
      // Only centres over the part, near the side, and nearer to it than to any other side.
      if (Math.abs(s) > h || Math.abs(w) > 1.5 || Math.abs(w) > truthGrid.distance(px, py) + 1e-9) continue;
      centres.push({ s, w, ink: c.truthInk[j * c.width + i] === 1 });
    }
  }
  // Outside towards +v: the side of the line where the paper centres lie.
  const sigma = centres.reduce((acc, q) => acc + (q.ink ? q.w : -q.w), 0) < 0 ? 1 : -1;
  let poly: Pt[] = [
    { x: -1, y: -2 },
    { x: 1, y: -2 },
    { x: 1, y: 2 },
    { x: -1, y: 2 },
  ];
  for (const q of centres) {
    const v = sigma * q.w;
    // ink: v < a·s + b  ⇔ −s·a − b ≤ −v;  paper: a·s + b ≤ v.
    poly = q.ink ? clip(poly, -q.s, -1, -v) : clip(poly, q.s, 1, v);
    if (poly.length < 3) return null;
  }
  // A polygon that still touches the start box is not bounded by the pixels (too few centres).
  if (poly.some((p) => Math.abs(p.x) > 0.999 || Math.abs(p.y) > 1.999)) return null;
  const err = (a: number, b: number, ea: number, eb: number) => Math.max(Math.abs((a - ea) * h + (b - eb)), Math.abs(-(a - ea) * h + (b - eb)));
  const g = centroid(poly);
  const draws = samplePolygon(poly, LINE_SAMPLES, rand);
  const meanErr = (ea: number, eb: number) => draws.reduce((acc, p) => acc + err(p.x, p.y, ea, eb), 0) / draws.length;
  // The estimate that minimises the mean error (convex in it): pattern search from the centroid.
  let best = { x: g.x, y: g.y },
    bestErr = meanErr(g.x, g.y);
  let step = 0.25;
  for (let it = 0; it < 200 && step > 1e-5; it++) {
    let moved = false;
    for (const [dx, dy] of [
      [step / Math.max(h, 1), 0],
      [-step / Math.max(h, 1), 0],
      [0, step],
      [0, -step],
    ]) {
      const e = meanErr(best.x + dx, best.y + dy);
      if (e < bestErr) {
        best = { x: best.x + dx, y: best.y + dy };
        bestErr = e;
        moved = true;
      }
    }
    if (!moved) step /= 2;
  }
  return { side: index, realised: err(0, 0, g.x, g.y), errors: Float64Array.from(draws, (p) => err(p.x, p.y, best.x, best.y)) };
}

function caseFeatures(c: Case): Features {
  const { sides, samples } = classedSamples(c.truthD);
  const rand = mulberry32(0x19);
  const bySide = sides.map(() => [] as ClassedSample[]);
  for (const q of samples) bySide[q.side].push(q);
  const truthGrid = new SegmentGrid(flatten(parsePath(c.truthD)), { x0: -10, y0: -10, x1: c.width + 10, y1: c.height + 10 });
  // Band centre of every axis side (corners need it for short sides too); edges need an off-corner part.
  const axis = new Map<number, Edge>();
  const edges: Edge[] = [];
  const lines: LineFloor[] = [];
  sides.forEach((side, i) => {
    if (side.cls === 'curve') return;
    const own = bySide[i].filter((q) => q.cls === side.cls);
    if (side.cls === 'line') {
      const f = lineFloor(c, side, i, own, truthGrid, rand);
      if (f) lines.push(f);
      return;
    }
    const horizontal = Math.abs(side.end.y - side.start.y) < 1e-6;
    const t = horizontal ? side.start.y : side.start.x;
    const { k, inkBefore } = bandCentre(c, side, horizontal, t, bySide[i]);
    if (!Number.isFinite(k)) return;
    // Towards the ink (before k: −), except towards the paper where the ink lies below a horizontal edge.
    const towardsInk = inkBefore ? -1 : 1;
    const kInk = k + (horizontal && !inkBefore ? -towardsInk : towardsInk) * RENDER_BIAS;
    const [lo, hi] = own.length ? extentAlong(own, side.start, unit(side.start, side.end)) : [0, 0];
    const e: Edge = { side: i, horizontal, t, k, kInk, samples: own, extent: hi - lo };
    axis.set(i, e);
    if (own.length && e.extent >= MIN_LEN) edges.push(e);
  });
  const corners: Corner[] = [];
  const same = (p: Pt, q: Pt) => Math.abs(p.x - q.x) < 1e-9 && Math.abs(p.y - q.y) < 1e-9;
  const long = (s: TruthSide) => Math.hypot(s.end.x - s.start.x, s.end.y - s.start.y) >= MIN_LEN;
  sides.forEach((a, i) => {
    const e1 = axis.get(i);
    if (!e1 || !long(a)) return;
    sides.forEach((b, j) => {
      const e2 = axis.get(j);
      if (j === i || !e2 || e2.horizontal === e1.horizontal || !long(b) || !same(a.end, b.start)) return;
      corners.push({ v: a.end, d1: unit(a.end, a.start), d2: unit(b.start, b.end), e1, e2 });
    });
  });
  return { edges, corners, lines, samples, sides };
}

/** The Hausdorff distance between two sharp L corners whose vertices differ by α, β along the arms. */
function cornerError(alpha: number, beta: number): number {
  return alpha * beta > 0 ? Math.hypot(alpha, beta) : Math.max(Math.abs(alpha), Math.abs(beta));
}

/** The corner's (α, β) for band-centre offsets (the vertex of the centred trace minus the true one). */
function cornerOffsets(k: Corner, dx: number, dy: number): [number, number] {
  return [dx * k.d1.x + dy * k.d1.y, dx * k.d2.x + dy * k.d2.y];
}

/** Realised floors; with `aware`, edges and corners at the renderer-aware estimate `kInk`. */
function realisedFloor(f: Features, aware = false): { edge: number; corner: number; line: number } {
  let edge = 0,
    corner = 0,
    line = 0;
  const at = (e: Edge) => (aware ? e.kInk : e.k);
  for (const e of f.edges) edge = Math.max(edge, Math.abs(e.t - at(e)));
  for (const k of f.corners) {
    const h = k.e1.horizontal ? k.e1 : k.e2,
      v = k.e1.horizontal ? k.e2 : k.e1;
    corner = Math.max(corner, cornerError(...cornerOffsets(k, at(v) - v.t, at(h) - h.t)));
  }
  for (const l of f.lines) line = Math.max(line, l.realised);
  return { edge, corner, line };
}

/**
 * E[max over features], each distinct edge coordinate t uniform in its band (t − kInk uniform in
 * [−½, ½]); the edges and corners estimated at the band centre k (`centring`) or at kInk.
 */
function expectedFloor(f: Features, rand: () => number, centring: boolean, withLines: boolean): number {
  const key = (e: Edge) => `${e.horizontal ? 'y' : 'x'}${e.t.toFixed(3)}`;
  const keys = [...new Set([...f.edges, ...f.corners.flatMap((k) => [k.e1, k.e2])].map(key))];
  const index = new Map(keys.map((k, i) => [k, i]));
  const off = new Float64Array(keys.length);
  let sum = 0;
  for (let d = 0; d < DRAWS; d++) {
    for (let i = 0; i < off.length; i++) off[i] = rand() - 0.5;
    let m = 0;
    // t − estimate for an edge: (t − kInk) + (kInk − k) when centring.
    const miss = (e: Edge) => off[index.get(key(e))!] + (centring ? e.kInk - e.k : 0);
    for (const e of f.edges) m = Math.max(m, Math.abs(miss(e)));
    for (const k of f.corners) {
      const h = k.e1.horizontal ? k.e1 : k.e2,
        v = k.e1.horizontal ? k.e2 : k.e1;
      m = Math.max(m, cornerError(...cornerOffsets(k, -miss(v), -miss(h))));
    }
    if (withLines) for (const l of f.lines) m = Math.max(m, l.errors[Math.floor(rand() * l.errors.length)]);
    sum += m;
  }
  return sum / DRAWS;
}

// ---------------------------------------------------------------------------------------------
// Where a trace's Hausdorff maximum lies
// ---------------------------------------------------------------------------------------------

interface Site {
  d: number;
  x: number;
  y: number;
  /** 'T→C': a truth sample far from the trace; 'C→T': a trace sample far from the truth. */
  dir: 'T→C' | 'C→T';
  cls: FeatureClass;
}

/** Every sample of both directions (as `outlineDistance` takes them), largest first, classed by the nearest true sample. */
function sites(truth: Polyline[], trace: Polyline[], classed: ClassedSample[]): Site[] {
  const bounds = { x0: -10, y0: -10, x1: 1e4, y1: 1e4 };
  const gTruth = new SegmentGrid(truth, bounds),
    gTrace = new SegmentGrid(trace, bounds);
  const buckets = new Map<string, ClassedSample[]>();
  for (const q of classed) {
    const key = `${Math.floor(q.x)},${Math.floor(q.y)}`;
    if (!buckets.has(key)) buckets.set(key, []);
    buckets.get(key)!.push(q);
  }
  const classOf = (x: number, y: number): FeatureClass => {
    for (let r = 1; r < 64; r++) {
      let best: ClassedSample | undefined,
        bd = Infinity;
      for (let i = Math.floor(x) - r; i <= Math.floor(x) + r; i++)
        for (let j = Math.floor(y) - r; j <= Math.floor(y) + r; j++)
          for (const q of buckets.get(`${i},${j}`) ?? []) {
            const d = Math.hypot(q.x - x, q.y - y);
            if (d < bd) [bd, best] = [d, q];
          }
      if (best && bd <= r) return best.cls;
    }
    return 'curve';
  };
  const out: Site[] = [];
  const tp = resample(truth, 0.25),
    cp = resample(trace, 0.25);
  for (let k = 0; k < tp.length; k += 2) out.push({ d: gTrace.distance(tp[k], tp[k + 1]), x: tp[k], y: tp[k + 1], dir: 'T→C', cls: 'curve' });
  for (let k = 0; k < cp.length; k += 2) out.push({ d: gTruth.distance(cp[k], cp[k + 1]), x: cp[k], y: cp[k + 1], dir: 'C→T', cls: 'curve' });
  out.sort((a, b) => b.d - a.d);
  const first = out.slice(0, 1);
  const second = out.find((s) => Math.hypot(s.x - first[0].x, s.y - first[0].y) > SITE_SEPARATION);
  const top = second ? [first[0], second] : first;
  for (const s of top) s.cls = classOf(s.x, s.y);
  return top;
}

// ---------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------

interface Row {
  id: string;
  logo: boolean;
  conic: number;
  potrace: number;
  floor: { edge: number; corner: number; line: number };
  aware: { edge: number; corner: number; line: number };
  /** Expected floor of edges and corners, and with the lines. */
  expected: number;
  expectedLines: number;
  expectedAware: number;
  /** |t − k| of every edge. */
  offsets: number[];
  sites: Site[];
  /** Edges where each tracer's median distance over the off-corner part is within 0.05 px of |t − k|. */
  centred: { conic: number; potrace: number; edges: number };
}

const rows: Row[] = [];
for (const c of buildCorpus().cases) {
  if (!c.id.includes(ONLY) || c.rendering !== 'bilevel') continue;
  const truth = flatten(parsePath(c.truthD));
  const conicD = /<path d="([^"]*)"/.exec(toSvg(await traceImage(c.png, { mode: 'conic' }), { precision: 3 }))?.[1] ?? '';
  const conic = flatten(parsePath(conicD));
  const potrace = flatten(parsePath(serialisePath(parsePath((await runTracer('potrace', c.png)).d), 3)));
  const f = caseFeatures(c);
  const bounds = { x0: -10, y0: -10, x1: c.width + 10, y1: c.height + 10 };
  const grids = { conic: new SegmentGrid(conic, bounds), potrace: new SegmentGrid(potrace, bounds) };
  const centred = { conic: 0, potrace: 0, edges: f.edges.length };
  for (const e of f.edges) {
    for (const t of ['conic', 'potrace'] as const) {
      if (Math.abs(median(e.samples.map((q) => grids[t].distance(q.x, q.y))) - Math.abs(e.t - e.k)) <= 0.05) centred[t]++;
    }
  }
  rows.push({
    id: c.id,
    logo: c.kind === 'logo',
    conic: outlineDistance(truth, conic).hausdorff,
    potrace: outlineDistance(truth, potrace).hausdorff,
    floor: realisedFloor(f),
    aware: realisedFloor(f, true),
    expected: expectedFloor(f, mulberry32(0x19), true, false),
    expectedLines: expectedFloor(f, mulberry32(0x19), true, true),
    expectedAware: expectedFloor(f, mulberry32(0x19), false, true),
    offsets: f.edges.map((e) => Math.abs(e.t - e.k)),
    sites: SITES[0] + SITES[1] > 0 ? sites(truth, conic, f.samples) : [],
    centred,
  });
}

const fx = (x: number) => x.toFixed(3);
const axisFloor = (r: Row) => Math.max(r.floor.edge, r.floor.corner);
const caseFloor = (r: Row) => Math.max(r.floor.edge, r.floor.corner, r.floor.line);
if (PER_CASE) {
  console.log('case                              conic  Potrace | floor: edge corner line  max | expected e+c, +lines | edges centred C/P of n');
  for (const r of rows)
    console.log(
      `${r.id.padEnd(33)} ${fx(r.conic)} ${fx(r.potrace)} | ${fx(r.floor.edge)} ${fx(r.floor.corner)} ${fx(r.floor.line)} ${fx(caseFloor(r))} | ${fx(r.expected)} ${fx(r.expectedLines)} | ${r.centred.conic}/${r.centred.potrace} of ${r.centred.edges}`,
    );
}
console.log(`Hausdorff px, group medians (cases matching "${ONLY}", MIN_LEN ${MIN_LEN} px); ratios to Potrace's whole-outline median:`);
for (const logo of [false, true]) {
  const g = rows.filter((r) => r.logo === logo);
  if (g.length === 0) continue;
  const p = median(g.map((r) => r.potrace));
  const m = (f: (r: Row) => number) => `${fx(median(g.map(f)))} (${fx(median(g.map(f)) / p)})`;
  const sum = (f: (r: Row) => number) => g.reduce((s, r) => s + f(r), 0);
  const offsets = g.flatMap((r) => r.offsets);
  console.log(
    `${logo ? 'logo ' : 'glyph'} (${g.length}): conic ${m((r) => r.conic)}, Potrace ${fx(p)}, target ≤ ${fx(p / 2)}\n` +
      `  realised floors: edges ${m((r) => r.floor.edge)}, corners ${m((r) => r.floor.corner)}, edges and corners ${m(axisFloor)}; ` +
      `lines ${m((r) => r.floor.line)}, all three ${m(caseFloor)}\n` +
      `  expected floors: edges and corners ${m((r) => r.expected)}, with lines ${m((r) => r.expectedLines)}, renderer-aware with lines ${m((r) => r.expectedAware)}\n` +
      `  renderer-aware (edges and corners ${RENDER_BIAS} px nearer the band's middle): edges ${m((r) => r.aware.edge)}, corners ${m((r) => r.aware.corner)}, ` +
      `edges and corners ${m((r) => Math.max(r.aware.edge, r.aware.corner))}, all three ${m((r) => Math.max(r.aware.edge, r.aware.corner, r.aware.line))}\n` +
      `  edges: ${offsets.length}, |t − k| mean ${fx(offsets.reduce((s, x) => s + x, 0) / offsets.length)}, max ${fx(Math.max(...offsets))}, ` +
      `${offsets.filter((x) => x > 0.5).length} over 0.5 px; on their band centre: conic ${sum((r) => r.centred.conic)}, Potrace ${sum((r) => r.centred.potrace)}`,
  );
}
if (SITES[0] + SITES[1] > 0) {
  for (const logo of [false, true]) {
    const g = rows.filter((r) => r.logo === logo).sort((a, b) => a.conic - b.conic);
    const mid = (g.length - 1) / 2;
    const near = g
      .map((r, i) => ({ r, i }))
      .sort((a, b) => Math.abs(a.i - mid) - Math.abs(b.i - mid))
      .slice(0, SITES[logo ? 1 : 0])
      .sort((a, b) => a.i - b.i);
    console.log(
      `\n${logo ? 'logo' : 'glyph'}: the ${near.length} cases nearest the conic median (rank of ${g.length}), largest site and the next one ≥ ${SITE_SEPARATION} px away:`,
    );
    for (const { r, i } of near) {
      const s = r.sites.map((q) => `${fx(q.d)} ${q.dir} ${q.cls} (${q.x.toFixed(1)}, ${q.y.toFixed(1)})`).join(' | ');
      console.log(`${String(i + 1).padStart(2)} ${r.id.padEnd(33)} floor ${fx(caseFloor(r))} | ${s}`);
    }
  }
}
