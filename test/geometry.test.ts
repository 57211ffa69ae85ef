/** The conic helpers behind the SVG output and the fitter (src/geometry/), checked against independent evaluations. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  arcEvaluator,
  arcLengthEvaluator,
  arcSegmentDeviation,
  arcToCubics,
  conicPieceArcs,
  curveHausdorff,
  ellipticArcToSvgA,
  intervalCubic,
  rationalQuadratic,
  splitArc,
  type ConicArc,
} from '../src/geometry/index.js';
import type { Point } from '../src/types.js';
import { mod, wrap } from '../src/geometry/cyclic.js';
import { goldenSectionMinimum } from '../src/geometry/golden-section.js';
import { bezier3, conicAt, hausdorff, SegmentIndex } from './curve-helpers.js';
import { segmentDistance, FC_SEED } from './helpers.js';
import { makeConicPiece } from './model-helpers.js';

/** Random arcs as the fitter makes them: end points up to ~60 px apart, u log-uniform in [0.05, 20]. */
function arcArb() {
  const coord = fc.double({ min: 0, max: 60, noNaN: true });
  const pt = fc.record({ x: coord, y: coord });
  return fc
    .tuple(pt, pt, pt, fc.double({ min: Math.log(0.05), max: Math.log(20), noNaN: true }))
    .filter(([a, b, c]) => Math.hypot(c.x - a.x, c.y - a.y) > 1 && Math.abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) > 1)
    .map(([a, b, c, lu]) => ({ a, b, c, u: Math.exp(lu) }));
}

describe('geometry: conic arcs, conversions, distances', () => {
  it('rationalQuadratic: end points, the shoulder point, and no allocation (writes into out)', () => {
    const out = new Float64Array(2);
    expect(rationalQuadratic(1, 2, 5, 9, 7, 3, 0.4, 0, out)).toBe(out);
    expect([...out]).toEqual([1, 2]);
    rationalQuadratic(1, 2, 5, 9, 7, 3, 0.4, 1, out);
    expect([...out]).toEqual([7, 3]);
    rationalQuadratic(1, 2, 5, 9, 7, 3, 0.4, 0.5, out);
    expect(out[0]).toBeCloseTo((1 + 2 * 0.4 * 5 + 7) / (2 * 1.4), 14);
    expect(out[1]).toBeCloseTo((2 + 2 * 0.4 * 9 + 3) / (2 * 1.4), 14);
    const arr = [0, 0];
    rationalQuadratic(0, 0, 1, 1, 2, 0, 1, 0.5, arr);
    expect(arr).toEqual([1, 0.5]);
  });

  it('conicPieceArcs returns (P₀, V, J) and (J, W, P₁) with the piece weight', () => {
    const p = makeConicPiece({ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 1 }, 0.7);
    const [a1, a2] = conicPieceArcs(p);
    expect(a1).toEqual({ a: p.p0, b: p.v, c: p.j, u: 0.7 });
    expect(a2).toEqual({ a: p.j, b: p.w, c: p.p1, u: 0.7 });
  });

  it('splitArc: both halves lie on the original arc and meet at its shoulder; weights √((1+u)/2)', () => {
    fc.assert(
      fc.property(arcArb(), (arc) => {
        const [l, r] = splitArc(arc);
        expect(l.u).toBeCloseTo(Math.sqrt((1 + arc.u) / 2), 14);
        expect(r.u).toBe(l.u);
        const shoulder = conicAt(arc, 0.5);
        expect(Math.hypot(l.c.x - shoulder.x, l.c.y - shoulder.y)).toBeLessThan(1e-9);
        // Points of each half lie on the original: distance to its dense samples.
        const dense = Array.from({ length: 4001 }, (_, i) => conicAt(arc, i / 4000));
        const idx = new SegmentIndex(dense);
        for (const half of [l, r])
          for (let i = 0; i <= 8; i++) {
            const p = conicAt(half, i / 8);
            expect(idx.distance(p.x, p.y)).toBeLessThan(2e-3);
          }
      }),
      { numRuns: 40, seed: FC_SEED },
    );
  });

  it('arcToCubics: every cubic within tol of the arc (checked independently by dense sampling), chained end to end', () => {
    fc.assert(
      fc.property(arcArb(), fc.constantFrom(0.01, 0.001), (arc, tol) => {
        const cubics = arcToCubics(arc.a, arc.b, arc.c, arc.u, tol);
        expect(cubics.length).toBeGreaterThan(0);
        expect(cubics[0][0]).toEqual(arc.a);
        expect(cubics.at(-1)![3]).toEqual(arc.c);
        for (let i = 1; i < cubics.length; i++) {
          expect(Math.hypot(cubics[i][0].x - cubics[i - 1][3].x, cubics[i][0].y - cubics[i - 1][3].y)).toBeLessThan(1e-9);
        }
        const cubicPts: Point[] = [];
        for (const c of cubics) for (let i = 0; i <= 400; i++) cubicPts.push(bezier3(c, i / 400));
        const arcPts = Array.from({ length: 6001 }, (_, i) => conicAt(arc, i / 6000));
        expect(hausdorff(arcPts, cubicPts)).toBeLessThan(tol * 1.05);
      }),
      { numRuns: 60, seed: FC_SEED },
    );
  });

  it('arcToCubics is a single exact cubic for u = 1 (degree elevation)', () => {
    const c = arcToCubics({ x: 0, y: 0 }, { x: 3, y: 6 }, { x: 9, y: 0 }, 1, 1e-6);
    expect(c).toHaveLength(1);
    expect(c[0][1].x).toBeCloseTo(2, 12);
    expect(c[0][1].y).toBeCloseTo(4, 12);
    expect(c[0][2].x).toBeCloseTo(5, 12);
    expect(c[0][2].y).toBeCloseTo(4, 12);
  });

  it('ellipticArcToSvgA: a quarter circle has rx = ry = r, no large arc, sweep by turning direction', () => {
    const r = 10;
    const a = { x: 20 + r, y: 5 },
      b = { x: 20 + r, y: 5 + r },
      c = { x: 20, y: 5 + r };
    const e = ellipticArcToSvgA(a, b, c, Math.SQRT1_2)!;
    expect(e.rx).toBeCloseTo(r, 10);
    expect(e.ry).toBeCloseTo(r, 10);
    expect(e.largeArc).toBe(0);
    expect(e.sweep).toBe(1); // clockwise on screen (y down) = positive angle direction in SVG
    expect([e.x, e.y]).toEqual([c.x, c.y]);
    expect(ellipticArcToSvgA(c, b, a, Math.SQRT1_2)!.sweep).toBe(0);
  });

  it('ellipticArcToSvgA recovers a rotated ellipse (rx 20, ry 7, 30°) from any of its arcs', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }), (t0, sweepAngle) => {
        const R = 20,
          r = 7,
          rot = Math.PI / 6,
          cx = 40,
          cy = 30;
        const map = (x: number, y: number) => ({
          x: cx + Math.cos(rot) * R * x - Math.sin(rot) * r * y,
          y: cy + Math.sin(rot) * R * x + Math.cos(rot) * r * y,
        });
        // Unit-circle arc t0 → t0 + θ: control point = tangent intersection, weight cos(θ/2).
        const t1 = t0 + sweepAngle,
          tm = (t0 + t1) / 2,
          k = 1 / Math.cos(sweepAngle / 2);
        const a = map(Math.cos(t0), Math.sin(t0)),
          c = map(Math.cos(t1), Math.sin(t1)),
          b = map(k * Math.cos(tm), k * Math.sin(tm));
        const e = ellipticArcToSvgA(a, b, c, Math.cos(sweepAngle / 2))!;
        expect(e.rx).toBeCloseTo(R, 6);
        expect(e.ry).toBeCloseTo(r, 6);
        expect(e.xAxisRotation).toBeCloseTo(30, 5);
        expect(e.largeArc).toBe(0);
        expect(e.sweep).toBe(1); // positive angle direction, which this affine map keeps
      }),
      { numRuns: 60, seed: FC_SEED },
    );
  });

  it('curveHausdorff with peaks: finds an error peak that falls between samples; never lowers the estimate', () => {
    // f: a straight segment; g: the same with a narrow 0.01 px bump centred between samples 5 and 6 (of 32).
    const f = (t: number, out: Float64Array) => {
      out[0] = 10 * t;
      out[1] = 0;
    };
    const g = (t: number, out: Float64Array) => {
      out[0] = 10 * t;
      out[1] = 0.01 * Math.exp(-(((t - 5.5 / 32) / 0.012) ** 2));
    };
    const plain = curveHausdorff(f, g, 32, 2, 16, 0);
    const refined = curveHausdorff(f, g, 32, 2, 16, 3);
    expect(plain).toBeLessThan(0.0075); // the samples straddle the bump
    expect(refined).toBeGreaterThan(plain);
    expect(refined).toBeCloseTo(0.01, 6);
    fc.assert(
      fc.property(arcArb(), fc.double({ min: 0.5, max: 2, noNaN: true }), (arc, k) => {
        const other: ConicArc = { ...arc, u: arc.u * k };
        const a = curveHausdorff(arcEvaluator(arc), arcEvaluator(other), 32, Infinity, 16, 0);
        expect(curveHausdorff(arcEvaluator(arc), arcEvaluator(other), 32, Infinity, 16, 3)).toBeGreaterThanOrEqual(a);
      }),
      { numRuns: 30, seed: 20251122 },
    );
  });

  it('arcLengthEvaluator: the same points, spaced evenly along the curve', () => {
    const arc: ConicArc = { a: { x: 0, y: 0 }, b: { x: 40, y: 30 }, c: { x: 80, y: 0 }, u: 0.08 };
    const even = arcLengthEvaluator(arcEvaluator(arc), 256);
    const dense = Array.from({ length: 8001 }, (_, i) => conicAt(arc, i / 8000));
    const idx = new SegmentIndex(dense);
    const out = new Float64Array(2);
    const pts: Point[] = [];
    for (let i = 0; i <= 64; i++) {
      even(i / 64, out);
      pts.push({ x: out[0], y: out[1] });
      expect(idx.distance(out[0], out[1])).toBeLessThan(1e-6);
    }
    expect(pts[0]).toEqual(arc.a);
    expect(pts[64].x).toBeCloseTo(arc.c.x, 9);
    const steps = pts.slice(1).map((p, i) => Math.hypot(p.x - pts[i].x, p.y - pts[i].y));
    expect(Math.max(...steps) / Math.min(...steps)).toBeLessThan(1.05);
    // Uniform in the rational parameter, the same arc's steps differ by a factor of ~16.
    const raw = Array.from({ length: 65 }, (_, i) => conicAt(arc, i / 64));
    const rawSteps = raw.slice(1).map((p, i) => Math.hypot(p.x - raw[i].x, p.y - raw[i].y));
    expect(Math.max(...rawSteps) / Math.min(...rawSteps)).toBeGreaterThan(10);
  });

  it('arcSegmentDeviation: exact (dense sampling never exceeds it, and reaches it)', () => {
    fc.assert(
      fc.property(arcArb(), (arc) => {
        const [sx, sy, ex, ey] = [arc.a.x + 0.3, arc.a.y - 0.2, arc.c.x, arc.c.y + 0.1];
        const dev = arcSegmentDeviation(arc, sx, sy, ex, ey);
        let sampled = 0;
        for (let i = 0; i <= 20000; i++) {
          const p = conicAt(arc, i / 20000);
          sampled = Math.max(sampled, segmentDistance(p.x, p.y, sx, sy, ex, ey));
        }
        expect(dev).toBeGreaterThanOrEqual(sampled - 1e-9);
        // Equal when the arc's projection stays within the segment (the common, nearly straight case).
        const ux = ex - sx,
          uy = ey - sy,
          L2 = ux * ux + uy * uy;
        let inside = true;
        for (let i = 0; i <= 200; i++) {
          const p = conicAt(arc, i / 200);
          const t = ((p.x - sx) * ux + (p.y - sy) * uy) / L2;
          if (t < 0 || t > 1) inside = false;
        }
        if (inside) expect(dev).toBeLessThan(sampled * (1 + 1e-6) + 1e-6);
      }),
      { numRuns: 60, seed: 20251122 },
    );
    expect(arcSegmentDeviation({ a: { x: 0, y: 0 }, b: { x: 5, y: 0 }, c: { x: 10, y: 0 }, u: 3 }, 0, 0, 10, 0)).toBe(0);
    expect(arcSegmentDeviation({ a: { x: 0, y: 0 }, b: { x: 5, y: 0 }, c: { x: 10, y: 0 }, u: 3 }, 1, 1, 1, 1)).toBe(Infinity);
  });

  it('intervalCubic: control points on the end tangents, handles positive; null when degenerate', () => {
    const d1 = { x: Math.cos(1), y: Math.sin(1) };
    const piece = makeConicPiece({ x: 10, y: 10 }, { x: 1, y: 0 }, { x: 10 + 8 * Math.cos(0.5), y: 10 + 8 * Math.sin(0.5) }, d1, 0.9);
    const q = intervalCubic(piece, 0.01)!;
    expect(q).not.toBeNull();
    expect(q[0]).toEqual(piece.p0);
    expect(q[3]).toEqual(piece.p1);
    expect(q[1].y).toBeCloseTo(10, 12);
    expect(q[1].x).toBeGreaterThan(10);
    const cross = (q[3].x - q[2].x) * d1.y - (q[3].y - q[2].y) * d1.x;
    expect(Math.abs(cross)).toBeLessThan(1e-9);
    expect((q[3].x - q[2].x) * d1.x + (q[3].y - q[2].y) * d1.y).toBeGreaterThan(0);
    // A larger interval of the same shape does not fit 0.01 px: null (no cubic worth checking).
    const big = makeConicPiece({ x: 10, y: 10 }, { x: 1, y: 0 }, { x: 10 + 80 * Math.cos(0.5), y: 10 + 80 * Math.sin(0.5) }, d1, 0.9);
    expect(intervalCubic(big, 0.01)).toBeNull();
    expect(intervalCubic(big, 1)).not.toBeNull();
    const degenerate = { ...piece, p1: piece.p0 };
    expect(intervalCubic(degenerate, 0.01)).toBeNull();
    expect(intervalCubic({ ...piece, v: piece.p0 }, 0.01)).toBeNull();
  });

  it('ellipticArcToSvgA returns null where the ellipse degenerates (u ≥ 1, u → 1, collinear, A = C)', () => {
    const a = { x: 0, y: 0 },
      b = { x: 5, y: 5 },
      c = { x: 10, y: 0 };
    expect(ellipticArcToSvgA(a, b, c, 1)).toBeNull();
    expect(ellipticArcToSvgA(a, b, c, 2)).toBeNull();
    expect(ellipticArcToSvgA(a, b, c, 1 - 1e-12)).toBeNull();
    expect(ellipticArcToSvgA(a, { x: 5, y: 0 }, c, 0.5)).toBeNull();
    expect(ellipticArcToSvgA(a, b, a, 0.5)).toBeNull();
    expect(ellipticArcToSvgA(a, b, c, 0.5)).not.toBeNull();
  });
});

describe('cyclic wrap, golden-section stop (issue 15, docs/design.md §18.33)', () => {
  it('wrap(i, n) = mod(i, n) for every i from −n to 2n − 1', () => {
    for (let n = 1; n <= 9; n++) for (let i = -n; i < 2 * n; i++) expect(wrap(i, n)).toBe(mod(i, n));
  });

  it('property: stopping at the first probe within a bound answers "minimum ≤ bound?" as the full search does', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 30 }),
        (centre, curvature, bound, steps) => {
          let calls = 0;
          const f = (t: number) => (calls++, curvature * (t - centre) ** 2);
          const full = goldenSectionMinimum(f, 0, 1, steps);
          const fullCalls = calls;
          calls = 0;
          const stopped = goldenSectionMinimum(f, 0, 1, steps, (v) => v <= bound);
          expect(stopped.value <= bound).toBe(full.value <= bound);
          expect(calls).toBeLessThanOrEqual(fullCalls);
          if (stopped.value > bound) expect(stopped).toEqual(full); // never stopped: the same search
        },
      ),
      { numRuns: 500, seed: FC_SEED },
    );
  });
});
