/**
 * Raster re-render of the model: exact area coverage for polygons (checked against exact
 * polygon ∩ pixel areas), conic flattening within its tolerance, holes, clipping, guards, and
 * the comparison with an input bitmap.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Resvg } from '@resvg/resvg-js';
import type { ConicPiece, FittedContour, LinePiece, TraceResult } from '../src/model.js';
import { compareRaster } from '../src/output/raster-compare.js';
import { renderCoverage } from '../src/output/raster.js';
import { toSvg } from '../src/output/svg.js';
import type { Point } from '../src/types.js';
import { REPORT, makeConicPiece, fitOf } from './model-helpers.js';
import { bitmapFromInk, diskBitmap, FC_SEED } from './helpers.js';

// ---------------------------------------------------------------------------------------------
// Building models by hand
// ---------------------------------------------------------------------------------------------

function polygonFit(xy: number[], hole = false): FittedContour {
  const pts: Point[] = [];
  for (let i = 0; i < xy.length; i += 2) pts.push({ x: xy[i], y: xy[i + 1] });
  return fitOf(
    pts.map((p, k): LinePiece => ({ kind: 'line', from: 0, to: 0, p0: p, p1: pts[(k + 1) % pts.length], report: REPORT })),
    hole,
  );
}

const rect = (x0: number, y0: number, x1: number, y1: number, ccw = false) =>
  polygonFit(ccw ? [x0, y0, x0, y1, x1, y1, x1, y0] : [x0, y0, x1, y0, x1, y1, x0, y1]);

/**
 * A circle of radius r as n conic intervals with the circle's knots and tangents; u = cos²(π/2n)
 * puts V and W on the tangents' crossing with the mid-arc tangent (the model's arcs then differ
 * from the circle only because their weight is u, not cos(π/2n)). `reverse` runs it backwards (a hole).
 */
function circleFit(cx: number, cy: number, r: number, n: number, reverse = false, u = Math.cos(Math.PI / (2 * n)) ** 2): FittedContour {
  const at = (k: number) => {
    const t = (2 * Math.PI * k) / n + 0.1;
    const s = reverse ? -1 : 1;
    return { p: { x: cx + r * Math.cos(s * t), y: cy + r * Math.sin(s * t) }, d: { x: -s * Math.sin(s * t), y: s * Math.cos(s * t) } };
  };
  const pieces: ConicPiece[] = [];
  for (let k = 0; k < n; k++) {
    const a = at(k),
      b = at(k + 1);
    pieces.push(makeConicPiece(a.p, a.d, b.p, b.d, u));
  }
  return fitOf(pieces, reverse);
}

// ---------------------------------------------------------------------------------------------
// Exact reference: polygon ∩ pixel area (Sutherland–Hodgman against the pixel square)
// ---------------------------------------------------------------------------------------------

function clipArea(poly: Point[], x0: number, y0: number, x1: number, y1: number): number {
  let pts = poly;
  const edges: Array<[(p: Point) => number, (a: Point, b: Point) => Point]> = [
    [(p) => p.x - x0, (a, b) => ({ x: x0, y: a.y + ((b.y - a.y) * (x0 - a.x)) / (b.x - a.x) })],
    [(p) => x1 - p.x, (a, b) => ({ x: x1, y: a.y + ((b.y - a.y) * (x1 - a.x)) / (b.x - a.x) })],
    [(p) => p.y - y0, (a, b) => ({ x: a.x + ((b.x - a.x) * (y0 - a.y)) / (b.y - a.y), y: y0 })],
    [(p) => y1 - p.y, (a, b) => ({ x: a.x + ((b.x - a.x) * (y1 - a.y)) / (b.y - a.y), y: y1 })],
  ];
  for (const [inside, cut] of edges) {
    const out: Point[] = [];
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i],
        b = pts[(i + 1) % pts.length];
      const ia = inside(a) >= 0,
        ib = inside(b) >= 0;
      if (ia) out.push(a);
      if (ia !== ib) out.push(cut(a, b));
    }
    pts = out;
    if (pts.length === 0) return 0;
  }
  let s = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i],
      b = pts[(i + 1) % pts.length];
    s += a.x * b.y - b.x * a.y;
  }
  return Math.abs(s) / 2;
}

/** Exact per-pixel coverage of a convex polygon. */
function exactCoverage(poly: Point[], width: number, height: number): Float64Array {
  const out = new Float64Array(width * height);
  for (let j = 0; j < height; j++) for (let i = 0; i < width; i++) out[j * width + i] = clipArea(poly, i, j, i + 1, j + 1);
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

// ---------------------------------------------------------------------------------------------
// Polygons: exact
// ---------------------------------------------------------------------------------------------

describe('renderCoverage: exact area for polygons', () => {
  it('an axis-aligned rectangle with fractional edges gives exact coverage, either orientation', () => {
    const [x0, y0, x1, y1] = [1.25, 0.5, 5.5, 3.75];
    const ref = exactCoverage(
      [
        { x: x0, y: y0 },
        { x: x1, y: y0 },
        { x: x1, y: y1 },
        { x: x0, y: y1 },
      ],
      8,
      6,
    );
    for (const ccw of [false, true]) {
      const cov = renderCoverage([rect(x0, y0, x1, y1, ccw)], 8, 6);
      expect(cov).toBeInstanceOf(Float32Array);
      expect(cov.length).toBe(48);
      expect(maxDiff(cov, ref)).toBeLessThan(1e-6);
    }
    const cov = renderCoverage([rect(x0, y0, x1, y1)], 8, 6);
    expect(cov[1 * 8 + 2]).toBe(1); // interior
    expect(cov[1 * 8 + 1]).toBeCloseTo(0.75, 7); // left edge at x = 1.25
    expect(cov[0 * 8 + 1]).toBeCloseTo(0.75 * 0.5, 7); // corner pixel
    expect(cov[3 * 8 + 5]).toBeCloseTo(0.5 * 0.75, 7);
    expect(cov[5 * 8 + 7]).toBe(0);
  });

  it('integer rectangles are exactly 0/1', () => {
    const cov = renderCoverage([rect(2, 1, 6, 4)], 8, 5);
    for (let j = 0; j < 5; j++) for (let i = 0; i < 8; i++) expect(cov[j * 8 + i]).toBe(i >= 2 && i < 6 && j >= 1 && j < 4 ? 1 : 0);
  });

  it('rectangles partly or wholly outside the image are clipped exactly', () => {
    const cases: Array<[number, number, number, number]> = [
      [-3.5, 1.25, 2.5, 3.5],
      [4.5, -2, 12.25, 2.75],
      [-5, -5, 20, 20],
      [2.2, 4.5, 3.7, 9],
      [10, 1, 12, 3],
      [-4, 1, -1, 3],
    ];
    for (const [x0, y0, x1, y1] of cases) {
      const ref = exactCoverage(
        [
          { x: x0, y: y0 },
          { x: x1, y: y0 },
          { x: x1, y: y1 },
          { x: x0, y: y1 },
        ],
        8,
        6,
      );
      expect(maxDiff(renderCoverage([rect(x0, y0, x1, y1)], 8, 6), ref), `${[x0, y0, x1, y1]}`).toBeLessThan(1e-6);
    }
  });

  it('random triangles (either orientation, partly outside): every pixel equals the exact clipped area', () => {
    const c = fc.double({ min: -4, max: 16, noNaN: true });
    fc.assert(
      fc.property(c, c, c, c, c, c, (ax, ay, bx, by, cx, cy) => {
        const tri = [
          { x: ax, y: ay },
          { x: bx, y: by },
          { x: cx, y: cy },
        ];
        const cov = renderCoverage([polygonFit([ax, ay, bx, by, cx, cy])], 12, 10);
        expect(maxDiff(cov, exactCoverage(tri, 12, 10))).toBeLessThan(2e-5);
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  });

  it('a square ring (hole running backwards) has a hole of coverage 0', () => {
    const outer = rect(1, 1, 9, 9);
    const hole = rect(3.5, 3.5, 6.5, 6.5, true);
    const cov = renderCoverage([outer, hole], 10, 10);
    expect(cov[5 * 10 + 5]).toBe(0);
    expect(cov[4 * 10 + 4]).toBe(0);
    expect(cov[3 * 10 + 3]).toBeCloseTo(0.75, 6);
    expect(cov[2 * 10 + 2]).toBe(1);
    expect(sum(cov)).toBeCloseTo(64 - 9, 4);
  });

  it('huge coordinates (±1e9) cost nothing and clip exactly', () => {
    const t = performance.now();
    const cov = renderCoverage([rect(-1e9, -1e9, 1e9, 2.5)], 64, 4);
    expect(performance.now() - t).toBeLessThan(200);
    for (let i = 0; i < 64; i++) {
      expect(cov[i]).toBe(1);
      expect(cov[2 * 64 + i]).toBeCloseTo(0.5, 6);
      expect(cov[3 * 64 + i]).toBe(0);
    }
    const slanted = renderCoverage([polygonFit([-1e9, -1e9, 1e9, 1e9, -1e9, 1e9])], 16, 16); // below the diagonal y = x
    expect(slanted[5 * 16 + 5]).toBeCloseTo(0.5, 4);
    expect(slanted[6 * 16 + 2]).toBeCloseTo(1, 6);
    expect(slanted[2 * 16 + 6]).toBeCloseTo(0, 6);
  });
});

// ---------------------------------------------------------------------------------------------
// Conics
// ---------------------------------------------------------------------------------------------

describe('renderCoverage: conic arcs', () => {
  it('flattening error is within tolerance: coverage changes by ≤ flatness·√2 per pixel against a much finer flattening', () => {
    for (const u of [0.05, 0.3, 0.9, 1, 2, 8, 20]) {
      const fit = circleFit(16.2, 15.7, 11, 5, false, u);
      expect(maxDiff(renderCoverage([fit], 32, 32), renderCoverage([fit], 32, 32, { flatness: 1e-4 })), `u = ${u}`).toBeLessThan(0.0025 * Math.SQRT2);
      const coarse = renderCoverage([fit], 32, 32, { flatness: 0.01 });
      const fine = renderCoverage([fit], 32, 32, { flatness: 1e-4 });
      expect(maxDiff(coarse, fine), `u = ${u}`).toBeLessThan(0.01 * Math.SQRT2);
    }
  });

  it('a conic disk: area matches the model (polygon of dense samples), coverage agrees with resvg', () => {
    const fit = circleFit(20.3, 19.6, 14, 6);
    const cov = renderCoverage([fit], 40, 40);
    // Model area from dense samples of the exact arcs (shoelace).
    let area = 0;
    const pts: Point[] = [];
    for (const p of fit.pieces as ConicPiece[]) {
      for (const [a, b, c] of [
        [p.p0, p.v, p.j],
        [p.j, p.w, p.p1],
      ]) {
        for (let i = 0; i < 2000; i++) {
          const s = i / 2000,
            b0 = (1 - s) ** 2,
            b1 = 2 * p.u * s * (1 - s),
            b2 = s * s,
            d = b0 + b1 + b2;
          pts.push({ x: (b0 * a.x + b1 * b.x + b2 * c.x) / d, y: (b0 * a.y + b1 * b.y + b2 * c.y) / d });
        }
      }
    }
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i],
        b = pts[(i + 1) % pts.length];
      area += a.x * b.y - b.x * a.y;
    }
    area /= 2;
    // Chords lie inside a convex arc: the render is smaller, by at most ⅔·flatness per px of outline.
    let perimeter = 0;
    for (let i = 0; i < pts.length; i++) perimeter += Math.hypot(pts[(i + 1) % pts.length].x - pts[i].x, pts[(i + 1) % pts.length].y - pts[i].y);
    expect(sum(cov)).toBeLessThan(area + 1e-3);
    expect(sum(cov)).toBeGreaterThan(area - (2 / 3) * 0.0025 * perimeter - 1e-3);
    // Per pixel: the exact area of the (convex) dense polygon inside each pixel, by clipping.
    const poly = pts.filter((_, i) => i % 6 === 0); // 4000 vertices, chord error ~10⁻⁵ px
    expect(maxDiff(cov, exactCoverage(poly, 40, 40))).toBeLessThan(0.0025 * Math.SQRT2);
    // resvg (an independent anti-aliasing rasteriser) on the SVG of the same model.
    const result = { width: 40, height: 40, fits: [fit], contours: [] } as unknown as TraceResult;
    const img = new Resvg(toSvg(result), { background: 'white', font: { loadSystemFonts: false } }).render();
    let meanErr = 0,
      worst = 0;
    for (let q = 0; q < 1600; q++) {
      const r = 1 - img.pixels[4 * q] / 255;
      meanErr += Math.abs(r - cov[q]) / 1600;
      worst = Math.max(worst, Math.abs(r - cov[q]));
    }
    // resvg (tiny-skia) anti-aliases with a few sub-scanlines per pixel: against 48×48 supersampling
    // of the exact model its edge pixels are off by up to 0.12 (renderCoverage: 0.005), so this only
    // checks agreement on average.
    console.log(`renderCoverage vs resvg: mean |Δ| ${meanErr.toFixed(5)}, max |Δ| ${worst.toFixed(3)}`);
    expect(meanErr).toBeLessThan(0.005);
    expect(worst).toBeLessThan(0.2);
  });

  it('a conic ring: hole centre 0, ring 1, area = outer − hole', () => {
    const outer = circleFit(20, 20, 15, 8);
    const hole = circleFit(20, 20, 7, 8, true);
    const both = renderCoverage([outer, hole], 40, 40);
    expect(both[20 * 40 + 20]).toBe(0);
    expect(both[20 * 40 + 30]).toBe(1);
    expect(both[0]).toBe(0);
    expect(sum(both)).toBeCloseTo(sum(renderCoverage([outer], 40, 40)) - sum(renderCoverage([hole], 40, 40)), 3);
  });
});

// ---------------------------------------------------------------------------------------------
// compareRaster
// ---------------------------------------------------------------------------------------------

describe('compareRaster', () => {
  it('a disk-like conic model vs a bitmap of the same disk: IoU ≥ 0.99', () => {
    const size = 64,
      cx = 32.3,
      cy = 31.7,
      r = 22;
    for (const bilevel of [false, true]) {
      const f = compareRaster([circleFit(cx, cy, r, 8)], diskBitmap(size, cx, cy, r, bilevel));
      expect(f.iou).toBeGreaterThanOrEqual(0.99);
      expect(f.differingPixels).toBeLessThan(10);
      expect(f.meanCoverageError).toBeLessThan(bilevel ? 0.05 : 0.002);
    }
  });

  it('counts differing pixels and IoU on a known case', () => {
    const ink = new Uint8Array(5 * 4);
    for (const q of [6, 7, 8, 11, 12, 13]) ink[q] = 1; // rows 1–2, columns 1–3
    const bitmap = bitmapFromInk(5, 4, ink);
    // Model covers columns 1–4 of rows 1–2: 2 extra pixels.
    const f = compareRaster([rect(1, 1, 5, 3)], bitmap);
    expect(f.differingPixels).toBe(2);
    expect(f.iou).toBeCloseTo(6 / 8, 12);
    expect(f.meanCoverageError).toBeCloseTo(2 / 20, 6);
    // Areas: the input's coverage holds 6 px², the model 8 px².
    expect(f.inkArea).toBeCloseTo(6, 9);
    expect(f.fitArea).toBeCloseTo(8, 6);
    const same = compareRaster([rect(1, 1, 4, 3)], bitmap);
    expect(same).toEqual({
      iou: 1,
      iouBeyondEdge: 1,
      differingPixels: 0,
      meanCoverageError: 0,
      inkArea: 6,
      fitArea: 6,
      inkPixels: 6,
      missedInkPixels: 0,
      missedInk: 0,
    });
    // The model over columns 2–3 only leaves out the 2 ink pixels of column 1: a third of the ink.
    const short = compareRaster([rect(2, 1, 4, 3)], bitmap);
    expect([short.inkPixels, short.missedInkPixels, short.missedInk]).toEqual([6, 2, 1 / 3]);
    // Beyond the one-pixel band either side of the model's outline nothing differs here; a
    // missing shape far from the outline counts.
    expect(f.iouBeyondEdge).toBe(1);
    const far = new Uint8Array(ink);
    far[19] = 1; // a speck at (4, 3), away from the model
    const missing = compareRaster([rect(1, 1, 4, 3)], bitmapFromInk(5, 4, far));
    expect(missing.iouBeyondEdge).toBeLessThan(1);
  });

  it('the same result whatever the offsets of the bitmap arrays (pairs of empty pixels are read as words only when aligned)', () => {
    for (const bilevel of [false, true]) {
      const bitmap = diskBitmap(61, 30.2, 29.6, 19, bilevel); // odd width: pairs straddle rows
      const want = compareRaster([circleFit(30.5, 29.5, 19.4, 8)], bitmap);
      expect(want.fitArea).toBeGreaterThan(0);
      for (const [covOffset, inkOffset] of [
        [1, 1],
        [2, 0],
        [0, 1],
      ]) {
        const coverage = new Float32Array(bitmap.coverage.length + covOffset).subarray(covOffset);
        coverage.set(bitmap.coverage);
        const ink = new Uint8Array(bitmap.ink.length + inkOffset).subarray(inkOffset);
        ink.set(bitmap.ink);
        expect(compareRaster([circleFit(30.5, 29.5, 19.4, 8)], { ...bitmap, coverage, ink })).toEqual(want);
      }
    }
  });

  it('empty model vs empty bitmap: IoU 1; empty model vs ink: IoU 0', () => {
    expect(compareRaster([], bitmapFromInk(3, 3, new Uint8Array(9))).iou).toBe(1);
    const ink = new Uint8Array(9);
    ink[4] = 1;
    expect(compareRaster([], bitmapFromInk(3, 3, ink))).toMatchObject({ iou: 0, differingPixels: 1 });
  });

  it('a bitmap whose arrays do not match its size is BAD_INPUT', () => {
    const b = bitmapFromInk(3, 3, new Uint8Array(9));
    expect(() => compareRaster([], { ...b, ink: new Uint8Array(8) })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});

// ---------------------------------------------------------------------------------------------
// Guards
// ---------------------------------------------------------------------------------------------

describe('renderCoverage: guards', () => {
  it('a model holding NaN or Infinity, or u ≤ 0, throws BAD_MODEL', () => {
    const fit = circleFit(10, 10, 5, 4);
    const nan = { ...fit, pieces: fit.pieces.map((p, i) => (i === 1 ? { ...p, w: { x: NaN, y: 3 } } : p)) } as FittedContour;
    expect(() => renderCoverage([nan], 20, 20)).toThrow(expect.objectContaining({ code: 'BAD_MODEL' }));
    const inf = { ...fit, pieces: fit.pieces.map((p, i) => (i === 0 ? { ...p, p0: { x: -Infinity, y: 3 } } : p)) } as FittedContour;
    expect(() => renderCoverage([inf], 20, 20)).toThrow(expect.objectContaining({ code: 'BAD_MODEL' }));
    const badU = { ...fit, pieces: fit.pieces.map((p) => ({ ...p, u: -1 })) } as FittedContour;
    expect(() => renderCoverage([badU], 20, 20)).toThrow(expect.objectContaining({ code: 'BAD_MODEL' }));
  });

  it('bad sizes are BAD_OPTION, too many pixels TOO_MANY_PIXELS (before allocating)', () => {
    for (const [w, h] of [
      [-1, 5],
      [2.5, 3],
      [NaN, 3],
      [3, Infinity],
    ]) {
      expect(() => renderCoverage([], w, h)).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    }
    expect(() => renderCoverage([], 100_000, 100_000)).toThrow(expect.objectContaining({ code: 'TOO_MANY_PIXELS' }));
    expect(() => renderCoverage([], 100, 100, { maxPixels: 9_999 })).toThrow(expect.objectContaining({ code: 'TOO_MANY_PIXELS' }));
    // compareRaster renders at its bitmap's size, which exists already: a lower limit never refuses it; a bad value is still BAD_OPTION.
    const big = bitmapFromInk(100, 100, new Uint8Array(100 * 100).fill(1));
    expect(compareRaster([], big, { maxPixels: 9_999 })).toMatchObject({ iou: 0, differingPixels: 10_000 });
    expect(() => compareRaster([], big, { maxPixels: -1 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => renderCoverage([], 10, 10, { flatness: 0 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(renderCoverage([], 0, 7)).toHaveLength(0);
  });

  it('a gap in the model is closed by a line (coverage stays bounded, nothing leaks along rows)', () => {
    const gappy = fitOf([
      { kind: 'line', from: 0, to: 0, p0: { x: 1, y: 1 }, p1: { x: 6, y: 1 }, report: REPORT },
      { kind: 'line', from: 0, to: 0, p0: { x: 6, y: 5 }, p1: { x: 1, y: 5 }, report: REPORT },
    ]);
    const cov = renderCoverage([gappy], 8, 7);
    expect(maxDiff(cov, renderCoverage([rect(1, 1, 6, 5)], 8, 7))).toBeLessThan(1e-6);
  });
});
