/** Test helpers: bitmaps from ASCII art, from coverage functions, and random ones. */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Seg } from '../scripts/svg-tools.js';
import { extractContours } from '../src/contours/index.js';
import { detectCorners } from '../src/corners.js';
import { fitConic } from '../src/fit/index.js';
import { pieceEvaluator } from '../src/geometry/curves.js';
import type { FittedContour } from '../src/model.js';
import type { Bitmap, Contour } from '../src/types.js';

/** '#' (or any non-space, non-'.') is ink. Rows may differ in length; short rows pad with background. */
export function bitmapFromAscii(art: string | string[]): Bitmap {
  const rows = (Array.isArray(art) ? art : art.split('\n')).filter((r, i, all) => !(r.trim() === '' && (i === 0 || i === all.length - 1)));
  const height = rows.length;
  const width = Math.max(0, ...rows.map((r) => r.length));
  const ink = new Uint8Array(width * height);
  rows.forEach((r, y) => {
    for (let x = 0; x < r.length; x++) if (r[x] !== ' ' && r[x] !== '.') ink[y * width + x] = 1;
  });
  return bitmapFromInk(width, height, ink);
}

export function bitmapFromInk(width: number, height: number, ink: Uint8Array): Bitmap {
  const coverage = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) coverage[i] = ink[i];
  return { width, height, ink, coverage, threshold: 128, grey: false };
}

/**
 * A bitmap from an ink-indicator function by s×s supersampling per pixel: coverage is the
 * fraction of samples inside, ink is coverage ≥ 0.5. `bilevel` rounds coverage to 0/1.
 */
export function bitmapFromShape(
  width: number,
  height: number,
  inside: (x: number, y: number) => boolean,
  opts: { samples?: number; bilevel?: boolean } = {},
): Bitmap {
  const s = opts.samples ?? 16;
  const coverage = new Float32Array(width * height);
  const ink = new Uint8Array(width * height);
  let grey = false;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      let count = 0;
      for (let b = 0; b < s; b++) {
        for (let a = 0; a < s; a++) if (inside(i + (a + 0.5) / s, j + (b + 0.5) / s)) count++;
      }
      let c = count / (s * s);
      if (opts.bilevel) c = inside(i + 0.5, j + 0.5) ? 1 : 0;
      coverage[j * width + i] = c;
      ink[j * width + i] = c >= 0.5 ? 1 : 0;
      if (c > 0 && c < 1) grey = true;
    }
  }
  return { width, height, ink, coverage, threshold: 128, grey };
}

/** Exact coverage of a disk by pixel: adaptive supersampling only where the edge passes. */
export function diskBitmap(size: number, cx: number, cy: number, r: number, bilevel = false): Bitmap {
  const inside = (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  const coverage = new Float32Array(size * size);
  const ink = new Uint8Array(size * size);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const d = Math.hypot(i + 0.5 - cx, j + 0.5 - cy) - r;
      let c: number;
      if (bilevel) c = d <= 0 ? 1 : 0;
      else if (d < -0.75) c = 1;
      else if (d > 0.75) c = 0;
      else {
        const s = 64;
        let count = 0;
        for (let b = 0; b < s; b++) for (let a = 0; a < s; a++) if (inside(i + (a + 0.5) / s, j + (b + 0.5) / s)) count++;
        c = count / (s * s);
      }
      coverage[j * size + i] = c;
      ink[j * size + i] = c >= 0.5 ? 1 : 0;
    }
  }
  return { width: size, height: size, ink, coverage, threshold: 128, grey: !bilevel };
}

/** Distance from (x, y) to the closed polyline through interleaved points. */
export function closedPolylineDistance(points: Float64Array, x: number, y: number): number {
  const n = points.length / 2;
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    best = Math.min(best, segmentDistance(x, y, points[2 * i], points[2 * i + 1], points[2 * j], points[2 * j + 1]));
  }
  return best;
}

/** Ray-casting point-in-polygon on an interleaved closed polygon. */
export function pointInPolygon(px: number, py: number, pts: Float64Array): boolean {
  const n = pts.length / 2;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = pts[2 * i],
      yi = pts[2 * i + 1],
      xj = pts[2 * j],
      yj = pts[2 * j + 1];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A closed polygon as [x0, y0, x1, y1, …] vertices. */
export type Polygon = number[];

/**
 * Renders polygons (even-odd) into a bitmap: pixel centres by scanline crossings; pixels within
 * ~1 px of an edge get 16×16 supersampled coverage (unless `bilevel`, which keeps centre sampling).
 */
export function polygonBitmap(width: number, height: number, polys: Polygon[], bilevel = false): Bitmap {
  const flat = polys.map((p) => Float64Array.from(p));
  const inside = (x: number, y: number) => {
    let c = false;
    for (const p of flat) if (pointInPolygon(x, y, p)) c = !c;
    return c;
  };
  const coverage = new Float32Array(width * height);
  const ink = new Uint8Array(width * height);
  // Centre sampling by scanline: crossings of the row y = j + 0.5 with every edge.
  for (let j = 0; j < height; j++) {
    const y = j + 0.5;
    const xs: number[] = [];
    for (const p of flat) {
      const n = p.length / 2;
      for (let i = 0, k = n - 1; i < n; k = i++) {
        const yi = p[2 * i + 1],
          yk = p[2 * k + 1];
        if (yi > y !== yk > y) xs.push(p[2 * i] + ((y - yi) * (p[2 * k] - p[2 * i])) / (yk - yi));
      }
    }
    xs.sort((a, b) => a - b);
    for (let q = 0; q + 1 < xs.length; q += 2) {
      const from = Math.max(0, Math.ceil(xs[q] - 0.5)),
        to = Math.min(width - 1, Math.floor(xs[q + 1] - 0.5));
      for (let i = from; i <= to; i++) coverage[j * width + i] = 1;
    }
  }
  let grey = false;
  if (!bilevel) {
    // Mark pixels near an edge by walking each edge in 0.25 px steps.
    const near = new Uint8Array(width * height);
    for (const p of flat) {
      const n = p.length / 2;
      for (let i = 0, k = n - 1; i < n; k = i++) {
        const len = Math.hypot(p[2 * i] - p[2 * k], p[2 * i + 1] - p[2 * k + 1]);
        const steps = Math.ceil(len * 4) + 1;
        for (let t = 0; t <= steps; t++) {
          const x = p[2 * k] + ((p[2 * i] - p[2 * k]) * t) / steps,
            y = p[2 * k + 1] + ((p[2 * i + 1] - p[2 * k + 1]) * t) / steps;
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const px = Math.floor(x) + dx,
                py = Math.floor(y) + dy;
              if (px >= 0 && py >= 0 && px < width && py < height) near[py * width + px] = 1;
            }
        }
      }
    }
    const s = 16;
    for (let q = 0; q < near.length; q++) {
      if (!near[q]) continue;
      const i = q % width,
        j = (q - i) / width;
      let count = 0;
      for (let b = 0; b < s; b++) for (let a = 0; a < s; a++) if (inside(i + (a + 0.5) / s, j + (b + 0.5) / s)) count++;
      const c = count / (s * s);
      coverage[q] = c;
      if (c > 0 && c < 1) grey = true;
    }
  }
  for (let q = 0; q < ink.length; q++) ink[q] = coverage[q] >= 0.5 ? 1 : 0;
  return { width, height, ink, coverage, threshold: 128, grey };
}

export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax,
    dy = by - ay;
  const l2 = dx * dx + dy * dy;
  let t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(ax + t * dx - px, ay + t * dy - py);
}

/** Regular star with `points` tips: outer radius 1, inner radius `inner`, first tip up. */
export function starPolygon(points: number, inner: number): Polygon {
  const out: number[] = [];
  for (let k = 0; k < 2 * points; k++) {
    const r = k % 2 === 0 ? 1 : inner;
    const a = -Math.PI / 2 + (k * Math.PI) / points;
    out.push(r * Math.cos(a), r * Math.sin(a));
  }
  return out;
}

/** Scales a unit-ish polygon (coordinates in about [−1, 1]) to `size` px across, rotates by `deg`, centres in a canvas. */
export function placePolygon(poly: Polygon, size: number, deg: number): { poly: Polygon; canvas: number } {
  const a = (deg * Math.PI) / 180;
  const xs = poly.filter((_, i) => i % 2 === 0),
    ys = poly.filter((_, i) => i % 2 === 1);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2,
    cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const extent = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  const s = size / extent;
  const canvas = Math.ceil(size * 1.5) + 8;
  const out: number[] = [];
  for (let i = 0; i < poly.length; i += 2) {
    const x = (poly[i] - cx) * s,
      y = (poly[i + 1] - cy) * s;
    // Small irrational offset so that vertices do not sit exactly on pixel boundaries.
    out.push(canvas / 2 + 0.123 + x * Math.cos(a) - y * Math.sin(a), canvas / 2 + 0.377 + x * Math.sin(a) + y * Math.cos(a));
  }
  return { poly: out, canvas };
}

/** Opening angle at each vertex of a polygon, degrees (min of interior and its reflex complement). */
export function vertexAngles(poly: Polygon): number[] {
  const n = poly.length / 2;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = (i + n - 1) % n,
      q = (i + 1) % n;
    const ax = poly[2 * p] - poly[2 * i],
      ay = poly[2 * p + 1] - poly[2 * i + 1];
    const bx = poly[2 * q] - poly[2 * i],
      by = poly[2 * q + 1] - poly[2 * i + 1];
    out.push((Math.acos((ax * bx + ay * by) / (Math.hypot(ax, ay) * Math.hypot(bx, by))) * 180) / Math.PI);
  }
  return out;
}

/** A smooth "blob": r(φ) = R·(1 + Σ aₖ sin(kφ + pₖ)), star-shaped about (cx, cy). */
export function blobInside(cx: number, cy: number, R: number, terms: Array<[k: number, a: number, p: number]>) {
  return (x: number, y: number) => {
    const phi = Math.atan2(y - cy, x - cx);
    let r = 1;
    for (const [k, a, p] of terms) r += a * Math.sin(k * phi + p);
    return Math.hypot(x - cx, y - cy) <= R * r;
  };
}

/** The outer contour of a wavy 90 × 90 blob (two harmonics), anti-aliased or bilevel: the knot-pair properties' test shape. */
export function wavyBlobContour(bilevel: boolean): Contour {
  const inside = blobInside(45, 45, 32, [
    [3, 0.18, 0.4],
    [5, 0.08, 1.1],
  ]);
  return extractContours(bitmapFromShape(90, 90, inside, { bilevel, samples: 6 })).find((c) => !c.hole)!;
}

/** The curved shapes of the conic-versus-linear comparison, at a given size (px across). */
export function curvedShapes(size: number): Array<{ name: string; width: number; height: number; inside: (x: number, y: number) => boolean }> {
  const W = Math.ceil(size + 16);
  const c = W / 2 + 0.17;
  const r = size / 2;
  const ellipse = (a: number, b: number, tilt: number) => (x: number, y: number) => {
    const t = (tilt * Math.PI) / 180;
    const u = (x - c) * Math.cos(t) + (y - c) * Math.sin(t),
      v = -(x - c) * Math.sin(t) + (y - c) * Math.cos(t);
    return (u / a) ** 2 + (v / b) ** 2 <= 1;
  };
  return [
    { name: 'circle', width: W, height: W, inside: (x, y) => (x - c) ** 2 + (y - c) ** 2 <= r * r },
    {
      name: 'ring',
      width: W,
      height: W,
      inside: (x, y) => {
        const d = Math.hypot(x - c, y - c);
        return d <= r && d >= 0.55 * r;
      },
    },
    { name: 'ellipse', width: W, height: W, inside: ellipse(r, 0.6 * r, 25) },
    {
      name: 'blob3',
      width: W,
      height: W,
      inside: blobInside(c, c, 0.8 * r, [
        [3, 0.18, 0.4],
        [2, 0.07, 1.3],
      ]),
    },
    {
      name: 'blob5',
      width: W,
      height: W,
      inside: blobInside(c, c, 0.8 * r, [
        [5, 0.12, 0.1],
        [3, 0.08, 2.0],
      ]),
    },
    {
      name: 'bean',
      width: W,
      height: W,
      inside: blobInside(c, c, 0.75 * r, [
        [2, 0.22, 0.7],
        [1, 0.1, 0.2],
        [4, 0.04, 1.1],
      ]),
    },
  ];
}

/**
 * Seed of the fast-check properties: fixed, so a run of the suite is reproducible and CI cannot go
 * red by the luck of the draw; FC_SEED=<n> explores other draws (a failure prints its seed).
 */
export const FC_SEED = Number(process.env.FC_SEED ?? 20261122);

/** Random ink masks up to `maxSide` × `maxSide`, 10–90 % ink: `{ w, h, ink }`. */
export const arbInkMask = (maxSide: number) =>
  fc
    .tuple(
      fc.integer({ min: 1, max: maxSide }),
      fc.integer({ min: 1, max: maxSide }),
      fc.array(fc.integer({ min: 0, max: 99 }), { minLength: maxSide * maxSide, maxLength: maxSide * maxSide }),
      fc.integer({ min: 10, max: 90 }),
    )
    .map(([w, h, noise, density]) => ({ w, h, ink: Uint8Array.from({ length: w * h }, (_, i) => (noise[i] < density ? 1 : 0)) }));

/** Path segments (M, L, Q, C, Z; no arcs) flattened, 64 chords per segment: one closed polygon per subpath of over two points. */
export function flattenSegs(segs: readonly Seg[]): number[][] {
  const subpaths: number[][] = [];
  let cur = { x: 0, y: 0 },
    start = cur,
    poly: number[] = [];
  for (const s of segs) {
    if (s.c === 'M' || s.c === 'Z') {
      if (poly.length > 4) subpaths.push(poly);
      cur = s.c === 'M' ? (start = s.p) : start;
      poly = [cur.x, cur.y];
      continue;
    }
    if (s.c === 'A') throw new Error('flattenSegs: no arcs');
    for (let k = 1; k <= 64; k++) {
      const t = k / 64,
        u = 1 - t;
      if (s.c === 'L') poly.push(u * cur.x + t * s.p.x, u * cur.y + t * s.p.y);
      else if (s.c === 'Q') poly.push(u * u * cur.x + 2 * u * t * s.c1.x + t * t * s.p.x, u * u * cur.y + 2 * u * t * s.c1.y + t * t * s.p.y);
      else
        poly.push(
          u ** 3 * cur.x + 3 * u * u * t * s.c1.x + 3 * u * t * t * s.c2.x + t ** 3 * s.p.x,
          u ** 3 * cur.y + 3 * u * u * t * s.c1.y + 3 * u * t * t * s.c2.y + t ** 3 * s.p.y,
        );
    }
    cur = s.p;
  }
  if (poly.length > 4) subpaths.push(poly);
  return subpaths;
}

/** A fitted outline flattened, one closed polygon per contour (64 samples per piece). */
export function fittedOutline(fits: FittedContour[]): Float64Array[] {
  const p = new Float64Array(2);
  return fits.map((f) => {
    const pts: number[] = [];
    for (const piece of f.pieces) {
      const at = pieceEvaluator(piece);
      for (let s = 0; s < 64; s++) {
        at(s / 64, p);
        pts.push(p[0], p[1]);
      }
    }
    return Float64Array.from(pts);
  });
}

/** Mean distance from a fitted outline's samples (fittedOutline) to the truth. */
export function meanDistanceToTruth(fits: FittedContour[], truth: (x: number, y: number) => number): number {
  let sum = 0,
    count = 0;
  for (const poly of fittedOutline(fits)) {
    for (let i = 0; i < poly.length; i += 2) {
      sum += truth(poly[i], poly[i + 1]);
      count++;
    }
  }
  return sum / count;
}

/** A rotated ellipse, finely flattened (4096 vertices): the truth polygon and an inside test. */
export function rotatedEllipse(cx: number, cy: number, a: number, b: number, deg: number): { poly: Float64Array; inside: (x: number, y: number) => boolean } {
  const r = (deg * Math.PI) / 180;
  const c = Math.cos(r),
    s = Math.sin(r);
  const poly = new Float64Array(2 * 4096);
  for (let k = 0; k < 4096; k++) {
    const t = (2 * Math.PI * k) / 4096;
    poly[2 * k] = cx + a * Math.cos(t) * c - b * Math.sin(t) * s;
    poly[2 * k + 1] = cy + a * Math.cos(t) * s + b * Math.sin(t) * c;
  }
  const inside = (x: number, y: number) => {
    const u = (x - cx) * c + (y - cy) * s,
      v = -(x - cx) * s + (y - cy) * c;
    return (u / a) ** 2 + (v / b) ** 2 <= 1;
  };
  return { poly, inside };
}

/**
 * Checks a conic fit independently of its report: every contour point within the tolerance (1 px,
 * + flattening) of the outline, and at each smooth knot between conic pieces one tangent and one
 * position for both pieces (G¹).
 */
export function expectOutlineKeepsData(fit: FittedContour, points: Float64Array): void {
  const poly = fittedOutline([fit])[0];
  for (let i = 0; i < points.length; i += 2) expect(closedPolylineDistance(poly, points[i], points[i + 1])).toBeLessThanOrEqual(1.02);
  fit.knots.forEach((k, i) => {
    const into = fit.pieces[(i - 1 + fit.pieces.length) % fit.pieces.length];
    const out = fit.pieces[i];
    if (k.kind === 'corner' || into.kind !== 'conic' || out.kind !== 'conic') return;
    expect(into.d1.x * out.d0.y - into.d1.y * out.d0.x).toBeCloseTo(0, 12);
    expect(into.d1.x * out.d0.x + into.d1.y * out.d0.y).toBeGreaterThan(0);
    expect([into.p1.x, into.p1.y]).toEqual([out.p0.x, out.p0.y]);
  });
}

/** Every fit of a bilevel bitmap's contours within the default bounds (1 px, RMS 0.5 px) and keeping its data (expectOutlineKeepsData). */
export function expectFitsWithinBounds(fits: FittedContour[], bm: Bitmap): void {
  const contours = extractContours(bm);
  fits.forEach((fit, c) => {
    for (const piece of fit.pieces) {
      expect(piece.report.maxDeviation).toBeLessThanOrEqual(1);
      expect(piece.report.rms).toBeLessThanOrEqual(0.5);
    }
    expectOutlineKeepsData(fit, contours[c].points);
  });
}

/**
 * A fitting step's effect over shapes with known outlines (`fit(bitmap, on)` fits every contour with
 * the step on or off): the knots it moved, and the summed mean distance to the truth without and with it.
 */
export function stepEffect(
  shapes: ReadonlyArray<{ bitmap: Bitmap; poly: Float64Array }>,
  fit: (bm: Bitmap, on: boolean) => FittedContour[],
): { moved: number; before: number; after: number } {
  let moved = 0,
    before = 0,
    after = 0;
  for (const { bitmap, poly } of shapes) {
    const truth = (x: number, y: number) => closedPolylineDistance(poly, x, y);
    const off = fit(bitmap, false);
    const on = fit(bitmap, true);
    moved += on.flatMap((f, c) => f.knots.filter((k, i) => k.x !== off[c].knots[i].x || k.y !== off[c].knots[i].y)).length;
    before += meanDistanceToTruth(off, truth);
    after += meanDistanceToTruth(on, truth);
  }
  return { moved, before, after };
}

/** Pixel centres whose side of the fitted outline (even-odd) differs from their ink. */
export function centresOffSide(bm: Bitmap, fits: FittedContour[]): number {
  const polys = fittedOutline(fits);
  let off = 0;
  for (let j = 0; j < bm.height; j++) {
    for (let i = 0; i < bm.width; i++) {
      let inside = false;
      for (const poly of polys) if (pointInPolygon(i + 0.5, j + 0.5, poly)) inside = !inside;
      if (inside !== (bm.ink[j * bm.width + i] === 1)) off++;
    }
  }
  return off;
}

/**
 * Every contour of the bitmap fitted in conic mode, with a pass its test file mocks switched on or
 * off through `toggle[key]` (and back on after): how the band, band-split, coverage and run-knot
 * tests compare a pass's output with the fit without it.
 */
export function fitWithPass<K extends string>(toggle: Record<K, boolean>, key: K, bm: Bitmap, on: boolean): FittedContour[] {
  toggle[key] = on;
  try {
    return extractContours(bm).map((c) => fitConic(c, detectCorners(c)));
  } finally {
    toggle[key] = true;
  }
}

/** A w × h rectangle at (x0, y0) with corners rounded by r (r = h/2: a stadium), flattened to 512 chords a quarter. */
export function roundedRectOutline(x0: number, y0: number, w: number, h: number, r: number): Float64Array {
  const pts: number[] = [];
  const centres = [
    [x0 + w - r, y0 + h - r],
    [x0 + r, y0 + h - r],
    [x0 + r, y0 + r],
    [x0 + w - r, y0 + r],
  ];
  centres.forEach(([cx, cy], q) => {
    for (let k = 0; k <= 512; k++) {
      const t = (Math.PI / 2) * (q + k / 512);
      pts.push(cx + r * Math.cos(t), cy + r * Math.sin(t));
    }
  });
  return Float64Array.from(pts);
}

/** Hausdorff distance between the fitted outline (64 samples a piece) and the truth (its vertices), both ways. */
export function outlineHausdorff(fits: FittedContour[], truth: Float64Array): number {
  const outline = fittedOutline(fits);
  let h = 0;
  for (const poly of outline) for (let i = 0; i < poly.length; i += 2) h = Math.max(h, closedPolylineDistance(truth, poly[i], poly[i + 1]));
  for (let i = 0; i < truth.length; i += 2) h = Math.max(h, Math.min(...outline.map((poly) => closedPolylineDistance(poly, truth[i], truth[i + 1]))));
  return h;
}

/**
 * The straight sides of at least 12 px (the shortest run the step looks at) that are traced within
 * 0.1 px of the pixel edge nearest the side along all of it (samples every 0.25 px, 1.5 px kept
 * off each tangent point) and have a line piece on that edge in their middle, out of all of them.
 */
export function sidesAsLines(fits: FittedContour[], x0: number, y0: number, w: number, h: number, r: number): { lines: number; sides: number } {
  const edge = (v: number) => Math.round(v);
  const sides: Array<{ horizontal: boolean; at: number; from: number; to: number }> = [
    { horizontal: true, at: edge(y0), from: x0 + r, to: x0 + w - r },
    { horizontal: true, at: edge(y0 + h), from: x0 + r, to: x0 + w - r },
    { horizontal: false, at: edge(x0), from: y0 + r, to: y0 + h - r },
    { horizontal: false, at: edge(x0 + w), from: y0 + r, to: y0 + h - r },
  ].filter((s) => s.to - s.from >= 12);
  const outline = fittedOutline(fits);
  let lines = 0;
  for (const s of sides) {
    const mid = (s.from + s.to) / 2;
    const line = fits.some((f) =>
      f.pieces.some((p) => {
        if (p.kind !== 'line') return false;
        const [a0, a1, b0, b1] = s.horizontal ? [p.p0.x, p.p1.x, p.p0.y, p.p1.y] : [p.p0.y, p.p1.y, p.p0.x, p.p1.x];
        return Math.min(a0, a1) <= mid && Math.max(a0, a1) >= mid && Math.abs(b0 - s.at) <= 0.1 && Math.abs(b1 - s.at) <= 0.1;
      }),
    );
    let near = true;
    for (let t = s.from + 1.5; t <= s.to - 1.5 && near; t += 0.25) {
      const [x, y] = s.horizontal ? [t, s.at] : [s.at, t];
      near = Math.min(...outline.map((poly) => closedPolylineDistance(poly, x, y))) <= 0.1;
    }
    if (line && near) lines++;
  }
  return { lines, sides: sides.length };
}

/** Bilevel renders (pixel centres) of rounded rectangles and stadiums, each shape at each offset of its top-left corner, with its true outline. */
export function roundedRectCases(shapes: ReadonlyArray<{ w: number; h: number; r: number }>, offsets: ReadonlyArray<readonly [number, number]>) {
  return shapes.flatMap(({ w, h, r }) =>
    offsets.map(([x0, y0]) => {
      const truth = roundedRectOutline(x0, y0, w, h, r);
      const size = (v: number) => Math.ceil(v + 7);
      const bm = bitmapFromShape(size(w), size(h), (x, y) => pointInPolygon(x, y, truth), { bilevel: true });
      return { name: `${w} × ${h}, r ${r}, at (${x0}, ${y0})`, x0, y0, w, h, r, truth, bm };
    }),
  );
}
