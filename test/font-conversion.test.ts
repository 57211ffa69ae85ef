/**
 * Curve conversion (docs/design.md §21.1–§21.3): quadratic and cubic output of the conic model,
 * within the tolerance, with the fewest quadratics, and native SVG output unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertCurves, CURVE_DEFAULTS, outlinePathData } from '../src/output/outline.js';
import { arcsToQuadratics, equalWeightSplits, quadraticErrorEstimate, splitArcEqually, subArc } from '../src/geometry/quadratic.js';
import { goldenSectionMinimum } from '../src/geometry/golden-section.js';
import { arcEvaluator, conicIntervalEvaluator, cubicEvaluator, type CurveEvaluator } from '../src/geometry/curves.js';
import { curveHausdorff } from '../src/geometry/hausdorff.js';
import type { ConicArc } from '../src/geometry/conic.js';
import { toSvg, traceImage } from '../src/node.js';
import type { ConicPiece } from '../src/model.js';
import { diskBitmap, polygonBitmap } from './helpers.js';

/** Dense two-sided reference distance: 600 samples each way, full search, 40 golden steps. */
function reference(f: CurveEvaluator, g: CurveEvaluator): number {
  return curveHausdorff(f, g, 600, Infinity, 40);
}

const coord = fc.double({ min: 0, max: 300, noNaN: true });
const arcArb = fc
  .record({ ax: coord, ay: coord, bx: coord, by: coord, cx: coord, cy: coord, lu: fc.double({ min: Math.log(0.05), max: Math.log(20), noNaN: true }) })
  .filter(({ ax, ay, bx, by, cx, cy }) => Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) > 50 && Math.hypot(cx - ax, cy - ay) > 2)
  .map(({ ax, ay, bx, by, cx, cy, lu }): ConicArc => ({ a: { x: ax, y: ay }, b: { x: bx, y: by }, c: { x: cx, y: cy }, u: Math.exp(lu) }));

describe('conic arc → quadratics (equal-weight subdivision)', () => {
  it('keeps every quadratic within the tolerance of its arc, by a dense reference, and under the shoulder estimate', () => {
    fc.assert(
      fc.property(arcArb, fc.constantFrom(0.01, 0.05, 0.2), (arc, tol) => {
        const split = arcsToQuadratics([arc], tol);
        expect(split).not.toBeNull();
        for (const part of split!.arcs[0]) {
          const ref = reference(arcEvaluator(part), arcEvaluator({ ...part, u: 1 }));
          expect(ref).toBeLessThanOrEqual(tol * (1 + 1e-6));
          expect(ref).toBeLessThanOrEqual(quadraticErrorEstimate(part) * (1 + 1e-6) + 1e-9);
        }
        expect(split!.deviation).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 40, seed: 17 },
    );
  });

  it('splits into sub-arcs of equal weight whose joints are the midpoints of their neighbouring control points', () => {
    fc.assert(
      fc.property(arcArb, fc.integer({ min: 2, max: 9 }), (arc, n) => {
        const parts = splitArcEqually(arc, n);
        const scale = 1 + Math.max(...parts.map((p) => Math.hypot(p.b.x, p.b.y)));
        for (let k = 0; k + 1 < n; k++) {
          const l = parts[k].b,
            r = parts[k + 1].b,
            j = parts[k].c;
          expect(Math.hypot((l.x + r.x) / 2 - j.x, (l.y + r.y) / 2 - j.y)).toBeLessThan(1e-9 * scale);
          expect(parts[k + 1].u).toBeCloseTo(parts[0].u, 9);
        }
        // The sub-arcs lie on the arc: each one's shoulder is the arc's point halfway (in the blossom) between its ends.
        const s = equalWeightSplits(arc.u, n);
        const p = new Float64Array(2),
          q = new Float64Array(2);
        for (let k = 0; k < n; k++) {
          arcEvaluator(parts[k])(0.5, p);
          const lo = s[k],
            hi = s[k + 1];
          const best = goldenSectionMinimum((t) => (arcEvaluator(arc)(t, q), (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2), lo, hi, 60).value;
          expect(Math.sqrt(best)).toBeLessThan(1e-6 * scale);
        }
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('finds the fewest: a quarter circle of radius 100 px needs 4 quadratics at 0.05 px, and 3 do not do', () => {
    const arc: ConicArc = { a: { x: 100, y: 0 }, b: { x: 100, y: 100 }, c: { x: 0, y: 100 }, u: Math.SQRT1_2 };
    expect(arcsToQuadratics([arc], 0.05)!.n).toBe(4);
    const three = splitArcEqually(arc, 3);
    expect(Math.max(...three.map((p) => reference(arcEvaluator(p), arcEvaluator({ ...p, u: 1 }))))).toBeGreaterThan(0.05);
  });

  it('takes sub-arcs by blossoming: the sub-arc over [0.2, 0.7] is the arc there', () => {
    const arc: ConicArc = { a: { x: 0, y: 0 }, b: { x: 40, y: 90 }, c: { x: 120, y: 5 }, u: 3.5 };
    const part = subArc(arc, 0.2, 0.7);
    expect(reference(arcEvaluator(part), (t, out) => arcEvaluator(arc)(0.2 + 0.5 * t, out))).toBeLessThan(0.05);
    const p = new Float64Array(2);
    arcEvaluator(arc)(0.2, p);
    expect(Math.hypot(p[0] - part.a.x, p[1] - part.a.y)).toBeLessThan(1e-9);
  });
});

describe('convertCurves and toSvg({ curves })', () => {
  const shapes = async () => [await traceImage(diskBitmap(90, 45, 45, 36)), await traceImage(polygonBitmap(80, 80, [[10, 10, 70, 14, 60, 70, 14, 62]]))];

  it('writes only M, L, Q, Z (quadratic) or M, L, C, Z (cubic), and native output stays as it was', async () => {
    for (const result of await shapes()) {
      const native = toSvg(result);
      expect(toSvg(result, { curves: 'native' })).toBe(native);
      const d = (svg: string) => /<path d="([^"]*)"/.exec(svg)![1];
      expect(d(toSvg(result, { curves: 'quadratic' })).replace(/[-\d.\s]/g, '')).toMatch(/^(M[LQ]+Z)+$/);
      expect(d(toSvg(result, { curves: 'cubic' })).replace(/[-\d.\s]/g, '')).toMatch(/^(M[LC]+Z)+$/);
    }
  });

  it('keeps each converted interval within the tolerance of the model and reports what it added', async () => {
    for (const result of await shapes()) {
      for (const curves of ['quadratic', 'cubic'] as const) {
        const tol = curves === 'quadratic' ? CURVE_DEFAULTS.tolerance : 0.02;
        const { contours, report } = convertCurves(result, { curves, tolerance: tol });
        expect(report.intervals).toBe(result.report.totals.intervals);
        expect(report.added).toBe(report.commands - report.intervals);
        expect(report.maxDeviation).toBeLessThanOrEqual(tol);
        contours.forEach((c) => {
          const pieces = result.fits[c.fit].pieces;
          // One segment per piece in quadratic mode; cubic mode may split an interval, or join a run of them.
          if (curves === 'quadratic') expect(c.segments).toHaveLength(pieces.length);
          // Walk pieces and segments together: a group is some pieces (several for a cubic run) and the segments drawn for them.
          const same = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y) < 1e-9;
          let k = 0,
            i = 0;
          let from = c.start;
          while (i < pieces.length) {
            const group = [pieces[i++]];
            const segs = [c.segments[k++]];
            for (;;) {
              const endSeg = segs[segs.length - 1].to,
                endPiece = group[group.length - 1].p1;
              if (same(endSeg, endPiece)) break;
              const later = pieces.findIndex((p, m) => m >= i && same(p.p1, endSeg));
              if (later >= 0) while (i <= later) group.push(pieces[i++]);
              else segs.push(c.segments[k++]);
            }
            if (group.some((p) => p.kind === 'conic')) {
              const model = chain(group.map((p) => (p.kind === 'conic' ? conicIntervalEvaluator(p as ConicPiece) : lineEvaluator(p.p0, p.p1))));
              expect(reference(model, outlineEvaluator(from, segs))).toBeLessThanOrEqual(tol * 1.02);
            }
            from = segs[segs.length - 1].to;
          }
          expect(k).toBe(c.segments.length);
        });
        expect(contours.map((c) => outlinePathData(c, 3)).join('')).toMatch(/^M/);
      }
    }
  });

  it('rejects an unknown curve mode and a tolerance out of range', async () => {
    const [result] = await shapes();
    expect(() => toSvg(result, { curves: 'bezier' as 'cubic' })).toThrow(/curves must be 'native', 'quadratic' or 'cubic'/);
    expect(() => toSvg(result, { curves: 'quadratic', curveTolerance: 0 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => convertCurves(result, { curves: 'native' })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});

/** Curves on [0, 1] one after another (an equal share of the parameter each). */
function chain(parts: CurveEvaluator[]): CurveEvaluator {
  return (t, out) => {
    const k = Math.min(parts.length - 1, Math.floor(t * parts.length));
    parts[k](t * parts.length - k, out);
  };
}

function lineEvaluator(a: { x: number; y: number }, b: { x: number; y: number }): CurveEvaluator {
  return (t, out) => ((out[0] = a.x + t * (b.x - a.x)), (out[1] = a.y + t * (b.y - a.y)));
}

/** The converted segments of one interval as a curve on [0, 1] (equal parameter share per drawn piece). */
function outlineEvaluator(from: { x: number; y: number }, segs: ReturnType<typeof convertCurves>['contours'][number]['segments']): CurveEvaluator {
  const pieces: CurveEvaluator[] = [];
  let p = from;
  for (const s of segs) {
    if (s.kind === 'line') pieces.push(lineEvaluator(p, s.to));
    else if (s.kind === 'cubic') pieces.push(cubicEvaluator([p, s.c1, s.c2, s.to]));
    else {
      s.controls.forEach((c, k) => {
        const a = k === 0 ? p : { x: (s.controls[k - 1].x + c.x) / 2, y: (s.controls[k - 1].y + c.y) / 2 };
        const e = k === s.controls.length - 1 ? s.to : { x: (s.controls[k + 1].x + c.x) / 2, y: (s.controls[k + 1].y + c.y) / 2 };
        pieces.push(arcEvaluator({ a, b: c, c: e, u: 1 }));
      });
    }
    p = s.to;
  }
  return chain(pieces);
}
