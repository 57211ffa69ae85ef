/**
 * Benchmark geometry (bench/compare.ts): absolute segments (`parsePath` in scripts/svg-tools.ts)
 * → polylines, and the outline distances between two paths.
 *
 * - `countSegments`, `serialisePath`: drawing commands by type; canonical compact path data.
 * - `flatten`: every closed subpath to a polyline, adaptively, within `tol` px of the curve
 *   (Béziers: subdivide until the control polygon lies within tol of the chord — the curve lies in
 *   its control polygon's hull; arcs: angular step with sagitta r(1 − cos(Δ/2)) ≤ tol).
 * - `resample`: points along each polyline at a uniform arc-length step ≤ `step` px (per subpath).
 * - `SegmentGrid`: exact point-to-polyline distance with a uniform grid of buckets.
 * - `outlineDistance`: symmetric Hausdorff and mean distance between two paths' outlines.
 * - `classedSamples`: the true outline's samples, each in one feature class (corner, thin, axis
 *   line, line, curve; bench/error-by-feature.ts, bench/hausdorff-floor.ts).
 *
 * Coordinates are whatever the path uses (here: image pixels, y down).
 */
import { fmt, parsePath, serialisePath, type ArcExtent, type ArcSeg, type Pt, type Seg } from '../scripts/svg-tools.js';

// ---------------------------------------------------------------------------------------------
// Counting
// ---------------------------------------------------------------------------------------------

/** Median of the finite values; NaN when there are none (the statistic of every bench table). */
export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Drawing commands by type (M and Z not counted; implicit repeats counted one each). */
export function countSegments(segs: Seg[]): { L: number; Q: number; C: number; A: number; total: number } {
  const c = { L: 0, Q: 0, C: 0, A: 0, total: 0 };
  for (const s of segs) {
    if (s.c === 'M' || s.c === 'Z') continue;
    c[s.c]++;
    c.total++;
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Serialisation: fmt and serialisePath live in scripts/svg-tools.ts (shared with the tests)
// ---------------------------------------------------------------------------------------------

export { fmt, serialisePath };

// ---------------------------------------------------------------------------------------------
// Flattening
// ---------------------------------------------------------------------------------------------

/** One closed subpath as interleaved [x0, y0, x1, y1, …]; the last point equals the first. */
export type Polyline = Float64Array;

/** SVG arc endpoint → centre parameterisation (SVG 1.1 F.6.5–F.6.6, with the radii correction). */
export function arcCenter(p0: Pt, a: ArcSeg) {
  const phi = (a.rot * Math.PI) / 180;
  const cos = Math.cos(phi);
  const sin = Math.sin(phi);
  const dx = (p0.x - a.p.x) / 2;
  const dy = (p0.y - a.p.y) / 2;
  const x1 = cos * dx + sin * dy;
  const y1 = -sin * dx + cos * dy;
  let rx = a.rx;
  let ry = a.ry;
  const lambda = (x1 * x1) / (rx * rx) + (y1 * y1) / (ry * ry);
  if (lambda > 1) {
    rx *= Math.sqrt(lambda);
    ry *= Math.sqrt(lambda);
  }
  const num = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1;
  const den = rx * rx * y1 * y1 + ry * ry * x1 * x1;
  let co = den > 0 ? Math.sqrt(Math.max(0, num / den)) : 0;
  if (a.large === a.sweep) co = -co;
  const cx1 = (co * rx * y1) / ry;
  const cy1 = (-co * ry * x1) / rx;
  const cx = cos * cx1 - sin * cy1 + (p0.x + a.p.x) / 2;
  const cy = sin * cx1 + cos * cy1 + (p0.y + a.p.y) / 2;
  const ang = (ux: number, uy: number, vx: number, vy: number) => Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  const t1 = ang(1, 0, (x1 - cx1) / rx, (y1 - cy1) / ry);
  let dt = ang((x1 - cx1) / rx, (y1 - cy1) / ry, (-x1 - cx1) / rx, (-y1 - cy1) / ry);
  if (!a.sweep && dt > 0) dt -= 2 * Math.PI;
  if (a.sweep && dt < 0) dt += 2 * Math.PI;
  return { cx, cy, rx, ry, cos, sin, t1, dt };
}

/**
 * Flatness of every outline the benches measure or render, px: the truth, each tracer's output,
 * and the polygon the corpus images are drawn from. resvg draws a curve as 2–64 chords, which left
 * the glyph images 0.05 px (mean) off their own truth and biased every mean distance by about that
 * much; at 0.005 px the flattening is a tenth of the smallest distances measured (docs/benchmarks.md).
 */
export const MEASURE_FLATNESS = 0.005;

/** Path data of closed polylines (M … L … Z, 4 decimals): a curve drawn exactly as flattened. */
export function polygonPathData(polys: Polyline[]): string {
  return polys.map((p) => 'M' + Array.from({ length: p.length / 2 }, (_, k) => `${p[2 * k].toFixed(4)} ${p[2 * k + 1].toFixed(4)}`).join('L') + 'Z').join('');
}

/** Flatten a path into closed polylines within `tol` px of the curves. */
export function flatten(segs: Seg[], tol = MEASURE_FLATNESS): Polyline[] {
  const out: Polyline[] = [];
  let buf: number[] = [];
  let cur: Pt = { x: 0, y: 0 };
  let start: Pt = cur;
  const push = (x: number, y: number) => buf.push(x, y);
  const finish = () => {
    if (buf.length >= 4) {
      const lx = buf[buf.length - 2],
        ly = buf[buf.length - 1];
      if (lx !== buf[0] || ly !== buf[1]) buf.push(buf[0], buf[1]);
      out.push(Float64Array.from(buf));
    }
    buf = [];
  };
  const tol2 = tol * tol;
  const distToChord2 = (px: number, py: number, ax: number, ay: number, bx: number, by: number) => {
    const dx = bx - ax,
      dy = by - ay;
    const L2 = dx * dx + dy * dy;
    if (L2 < 1e-18) return (px - ax) ** 2 + (py - ay) ** 2;
    let t = ((px - ax) * dx + (py - ay) * dy) / L2;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2;
  };
  const cubic = (x0: number, y0: number, x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, depth: number) => {
    if (depth >= 18 || (distToChord2(x1, y1, x0, y0, x3, y3) <= tol2 && distToChord2(x2, y2, x0, y0, x3, y3) <= tol2)) {
      push(x3, y3);
      return;
    }
    const ax = (x0 + x1) / 2,
      ay = (y0 + y1) / 2;
    const bx = (x1 + x2) / 2,
      by = (y1 + y2) / 2;
    const cx = (x2 + x3) / 2,
      cy = (y2 + y3) / 2;
    const dx = (ax + bx) / 2,
      dy = (ay + by) / 2;
    const ex = (bx + cx) / 2,
      ey = (by + cy) / 2;
    const mx = (dx + ex) / 2,
      my = (dy + ey) / 2;
    cubic(x0, y0, ax, ay, dx, dy, mx, my, depth + 1);
    cubic(mx, my, ex, ey, cx, cy, x3, y3, depth + 1);
  };
  const quad = (x0: number, y0: number, x1: number, y1: number, x2: number, y2: number, depth: number) => {
    if (depth >= 18 || distToChord2(x1, y1, x0, y0, x2, y2) <= tol2) {
      push(x2, y2);
      return;
    }
    const ax = (x0 + x1) / 2,
      ay = (y0 + y1) / 2;
    const bx = (x1 + x2) / 2,
      by = (y1 + y2) / 2;
    const mx = (ax + bx) / 2,
      my = (ay + by) / 2;
    quad(x0, y0, ax, ay, mx, my, depth + 1);
    quad(mx, my, bx, by, x2, y2, depth + 1);
  };
  for (const s of segs) {
    switch (s.c) {
      case 'M':
        finish();
        cur = start = s.p;
        push(cur.x, cur.y);
        break;
      case 'L':
        push(s.p.x, s.p.y);
        cur = s.p;
        break;
      case 'Q':
        quad(cur.x, cur.y, s.c1.x, s.c1.y, s.p.x, s.p.y, 0);
        cur = s.p;
        break;
      case 'C':
        cubic(cur.x, cur.y, s.c1.x, s.c1.y, s.c2.x, s.c2.y, s.p.x, s.p.y, 0);
        cur = s.p;
        break;
      case 'A': {
        const a = arcCenter(cur, s);
        const r = Math.max(a.rx, a.ry);
        const step = r > tol ? 2 * Math.acos(Math.max(-1, 1 - tol / r)) : Math.PI / 2;
        const k = Math.max(1, Math.ceil(Math.abs(a.dt) / step));
        for (let j = 1; j < k; j++) {
          const t = a.t1 + (a.dt * j) / k;
          const ex = a.rx * Math.cos(t),
            ey = a.ry * Math.sin(t);
          push(a.cx + a.cos * ex - a.sin * ey, a.cy + a.sin * ex + a.cos * ey);
        }
        push(s.p.x, s.p.y);
        cur = s.p;
        break;
      }
      case 'Z':
        cur = start;
        finish();
        break;
    }
  }
  finish();
  return out;
}

/** Total length of polylines. */
export function polylineLength(polys: Polyline[]): number {
  let L = 0;
  for (const p of polys) for (let k = 2; k < p.length; k += 2) L += Math.hypot(p[k] - p[k - 2], p[k + 1] - p[k - 1]);
  return L;
}

/**
 * Points along each closed polyline at a uniform arc-length step ≤ `step` (per subpath: its
 * length divided into ceil(length/step) equal parts). Interleaved [x, y, …].
 */
export function resample(polys: Polyline[], step = 0.25): Float64Array {
  const out: number[] = [];
  for (const p of polys) {
    let L = 0;
    for (let k = 2; k < p.length; k += 2) L += Math.hypot(p[k] - p[k - 2], p[k + 1] - p[k - 1]);
    if (L === 0) {
      out.push(p[0], p[1]);
      continue;
    }
    const m = Math.ceil(L / step);
    const h = L / m;
    // Walk: emit points at s = 0, h, 2h, … (m points; the closing point equals the first).
    let seg = 2;
    let segStart = 0; // arc length at p[seg-2]
    let segLen = Math.hypot(p[2] - p[0], p[3] - p[1]);
    for (let j = 0; j < m; j++) {
      const s = j * h;
      while (seg < p.length - 2 && segStart + segLen < s) {
        segStart += segLen;
        seg += 2;
        segLen = Math.hypot(p[seg] - p[seg - 2], p[seg + 1] - p[seg - 1]);
      }
      const t = segLen > 0 ? Math.min(1, Math.max(0, (s - segStart) / segLen)) : 0;
      out.push(p[seg - 2] + t * (p[seg] - p[seg - 2]), p[seg - 1] + t * (p[seg + 1] - p[seg - 1]));
    }
  }
  return Float64Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// Distances
// ---------------------------------------------------------------------------------------------

/**
 * Exact distance from a point to a set of polylines. Segments are cut into pieces no longer than
 * the cell size and each piece is stored in every cell its bounding box touches; a query scans
 * rings of cells outwards and stops once the best distance is below the ring's lower bound.
 */
export class SegmentGrid {
  private readonly x0: number;
  private readonly y0: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cellStart: Int32Array;
  private readonly items: Int32Array;
  private readonly seg: Float64Array; // [ax, ay, bx, by] per piece

  constructor(
    polys: Polyline[],
    bounds: { x0: number; y0: number; x1: number; y1: number },
    private readonly cell = 2,
  ) {
    this.x0 = bounds.x0 - cell;
    this.y0 = bounds.y0 - cell;
    this.nx = Math.max(1, Math.ceil((bounds.x1 - bounds.x0) / cell) + 3);
    this.ny = Math.max(1, Math.ceil((bounds.y1 - bounds.y0) / cell) + 3);
    const pieces: number[] = [];
    for (const p of polys) {
      for (let k = 2; k < p.length; k += 2) {
        const ax = p[k - 2],
          ay = p[k - 1],
          bx = p[k],
          by = p[k + 1];
        const m = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / cell));
        for (let j = 0; j < m; j++) {
          const t0 = j / m,
            t1 = (j + 1) / m;
          pieces.push(ax + t0 * (bx - ax), ay + t0 * (by - ay), ax + t1 * (bx - ax), ay + t1 * (by - ay));
        }
      }
    }
    this.seg = Float64Array.from(pieces);
    const np = pieces.length / 4;
    const counts = new Int32Array(this.nx * this.ny + 1);
    const cellsOf = (i: number, f: (c: number) => void) => {
      const s = this.seg;
      const cx0 = this.cx(Math.min(s[4 * i], s[4 * i + 2])),
        cx1 = this.cx(Math.max(s[4 * i], s[4 * i + 2]));
      const cy0 = this.cy(Math.min(s[4 * i + 1], s[4 * i + 3])),
        cy1 = this.cy(Math.max(s[4 * i + 1], s[4 * i + 3]));
      for (let y = cy0; y <= cy1; y++) for (let x = cx0; x <= cx1; x++) f(y * this.nx + x);
    };
    for (let i = 0; i < np; i++) cellsOf(i, (c) => counts[c + 1]++);
    for (let c = 0; c < this.nx * this.ny; c++) counts[c + 1] += counts[c];
    this.cellStart = counts;
    const fill = counts.slice(0, this.nx * this.ny);
    this.items = new Int32Array(counts[this.nx * this.ny]);
    for (let i = 0; i < np; i++) cellsOf(i, (c) => (this.items[fill[c]++] = i));
  }

  private cx(x: number): number {
    return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.x0) / this.cell)));
  }
  private cy(y: number): number {
    return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.y0) / this.cell)));
  }

  /** Distance from (x, y) to the nearest polyline point (Infinity when there are no segments). */
  distance(x: number, y: number): number {
    const qx = this.cx(x),
      qy = this.cy(y);
    let best2 = Infinity;
    const s = this.seg;
    const maxR = Math.max(this.nx, this.ny);
    for (let r = 0; r <= maxR; r++) {
      const yA = qy - r,
        yB = qy + r,
        xA = qx - r,
        xB = qx + r;
      for (let cyI = Math.max(0, yA); cyI <= Math.min(this.ny - 1, yB); cyI++) {
        const edgeRow = cyI === yA || cyI === yB;
        for (let cxI = Math.max(0, xA); cxI <= Math.min(this.nx - 1, xB); cxI++) {
          if (!edgeRow && cxI !== xA && cxI !== xB) continue;
          const c = cyI * this.nx + cxI;
          for (let k = this.cellStart[c]; k < this.cellStart[c + 1]; k++) {
            const i = this.items[k];
            const ax = s[4 * i],
              ay = s[4 * i + 1],
              bx = s[4 * i + 2],
              by = s[4 * i + 3];
            const dx = bx - ax,
              dy = by - ay;
            const L2 = dx * dx + dy * dy;
            let t = L2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / L2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            const ex = ax + t * dx - x,
              ey = ay + t * dy - y;
            const d2 = ex * ex + ey * ey;
            if (d2 < best2) best2 = d2;
          }
        }
      }
      // Every cell not yet scanned is at least r·cell away from (x, y) (which lies inside cell (qx, qy)).
      const bound = r * this.cell;
      if (best2 <= bound * bound) break;
    }
    return Math.sqrt(best2);
  }
}

export interface OutlineDistance {
  /** Symmetric Hausdorff distance, px: max of the two directed ones. */
  hausdorff: number;
  /** Mean distance, px: the average of the two directed mean distances (each an arc-length average). */
  mean: number;
  /** Directed: truth samples → traced outline. */
  hausdorffTruthToTrace: number;
  hausdorffTraceToTruth: number;
  meanTruthToTrace: number;
  meanTraceToTruth: number;
  /** Location of the worst sample (for inspection). */
  worst: Pt;
  /** Outline lengths, px. */
  truthLength: number;
  traceLength: number;
}

function boundsOf(a: Float64Array, b: Float64Array) {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const arr of [a, b]) {
    for (let k = 0; k < arr.length; k += 2) {
      if (arr[k] < x0) x0 = arr[k];
      if (arr[k] > x1) x1 = arr[k];
      if (arr[k + 1] < y0) y0 = arr[k + 1];
      if (arr[k + 1] > y1) y1 = arr[k + 1];
    }
  }
  if (!Number.isFinite(x0)) return { x0: 0, y0: 0, x1: 1, y1: 1 };
  return { x0, y0, x1, y1 };
}

/**
 * Outline distances between two paths: both flattened to `flatTol` and sampled at ≤ `step` px;
 * each side's samples measured against the other's flattened polylines.
 */
export function outlineDistance(truth: Polyline[], trace: Polyline[], step = 0.25): OutlineDistance {
  const ta = resample(truth, step);
  const tb = resample(trace, step);
  const bounds = boundsOf(ta, tb);
  const ga = new SegmentGrid(truth, bounds);
  const gb = new SegmentGrid(trace, bounds);
  const directed = (pts: Float64Array, grid: SegmentGrid) => {
    let max = 0,
      sum = 0,
      wx = NaN,
      wy = NaN;
    const n = pts.length / 2;
    for (let k = 0; k < pts.length; k += 2) {
      const d = grid.distance(pts[k], pts[k + 1]);
      sum += d;
      if (d >= max) {
        max = d;
        wx = pts[k];
        wy = pts[k + 1];
      }
    }
    return { max: n > 0 ? max : Infinity, mean: n > 0 ? sum / n : Infinity, wx, wy };
  };
  const ab = directed(ta, gb);
  const ba = directed(tb, ga);
  const worst = ab.max >= ba.max ? { x: ab.wx, y: ab.wy } : { x: ba.wx, y: ba.wy };
  return {
    hausdorff: Math.max(ab.max, ba.max),
    mean: (ab.mean + ba.mean) / 2,
    hausdorffTruthToTrace: ab.max,
    hausdorffTraceToTruth: ba.max,
    meanTruthToTrace: ab.mean,
    meanTraceToTruth: ba.mean,
    worst,
    truthLength: polylineLength(truth),
    traceLength: polylineLength(trace),
  };
}

/** Arcs in the bounding box (`pathBBox` in scripts/svg-tools.ts): the points of their flattening at 0.001 px. */
export const flattenedArc: ArcExtent = (from, arc, add) => {
  const poly = flatten([{ c: 'M', p: from }, arc, { c: 'Z' }], 0.001)[0];
  if (poly) for (let k = 0; k < poly.length; k += 2) add(poly[k], poly[k + 1]);
};

// ---------------------------------------------------------------------------------------------
// Feature classes of the true outline (bench/error-by-feature.ts, bench/hausdorff-floor.ts)
// ---------------------------------------------------------------------------------------------

/**
 * A true-outline sample's class:
 *   corner    within CORNER_RADIUS_PX of a vertex of the true path where the tangent turns by more
 *             than CORNER_TURN_DEG;
 *   thin      not a corner, and the true outline crosses the sample's normal again within THIN_PX
 *             on either side (a stroke or a gap thinner than a pixel);
 *   axis line a horizontal or vertical straight segment;
 *   line      any other straight segment;
 *   curve     Béziers and arcs.
 */
export const FEATURE_CLASSES = ['axis line', 'line', 'curve', 'corner', 'thin'] as const;
export type FeatureClass = (typeof FEATURE_CLASSES)[number];
export const CORNER_TURN_DEG = 15;
export const CORNER_RADIUS_PX = 2;
export const THIN_PX = 1;

/** One segment of the true path, flattened on its own (its closing point not repeated). */
export interface TruthSide {
  cls: 'axis line' | 'line' | 'curve';
  poly: Float64Array;
  start: Pt;
  end: Pt;
}

/** The true path split into its segments and its corner vertices (turn > CORNER_TURN_DEG). */
export function truthFeatures(d: string): { sides: TruthSide[]; corners: Pt[] } {
  const sides: TruthSide[] = [];
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
    sides.push({ cls: !straight ? 'curve' : axis ? 'axis line' : 'line', poly, start: cur, end: p });
    cur = p;
  }
  closeSubpath();
  return { sides, corners };
}

/** The true outline's segments in 1 px buckets, for "does the normal at p cross it within THIN_PX". */
export function thinTest(sides: TruthSide[]): (x: number, y: number, nx: number, ny: number) => boolean {
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

/** A sample of the true outline: position, class, and the index of its side in `truthFeatures`. */
export interface ClassedSample {
  x: number;
  y: number;
  cls: FeatureClass;
  side: number;
}

/** Every side of the true path sampled at ≤ `step` px, each sample classed (FEATURE_CLASSES). */
export function classedSamples(d: string, step = 0.25): { sides: TruthSide[]; corners: Pt[]; samples: ClassedSample[] } {
  const { sides, corners } = truthFeatures(d);
  const isThin = thinTest(sides);
  const samples: ClassedSample[] = [];
  sides.forEach(({ cls, poly }, side) => {
    const pts = resample([poly], step);
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
      samples.push({ x, y, cls: k, side });
    }
  });
  return { sides, corners, samples };
}
