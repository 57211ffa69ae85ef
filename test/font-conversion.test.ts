/**
 * Curve conversion (docs/design.md §21.1–§21.3): quadratic and cubic output of the conic model,
 * within the tolerance, with the fewest quadratics, and native SVG output unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertCurves, CURVE_DEFAULTS, outlinePathData } from '../src/output/outline.js';
import { arcsToQuadratics, equalWeightSplits, quadraticErrorEstimate, splitArcEqually, subArc } from '../src/geometry/quadratic.js';
import { goldenSectionMinimum } from '../src/geometry/golden-section.js';
import { arcEvaluator, arcLengthEvaluator, conicIntervalEvaluator, ConicRun, cubicEvaluator, type CurveEvaluator } from '../src/geometry/curves.js';
import { arcSegmentDeviation, curveHausdorff } from '../src/geometry/hausdorff.js';
import { conicGeometry, conicPieceArcs, derivativeOnPiece, pointOnPiece, type ConicArc } from '../src/geometry/conic.js';
import { arcToCubics } from '../src/geometry/conversion.js';
import { fittedQuadratic, quadraticEvaluator } from '../src/geometry/interval-quadratic.js';
import { toSvg, traceImage } from '../src/node.js';
import type { ConicPiece, FittedContour, TraceResult } from '../src/model.js';
import { diskBitmap, polygonBitmap } from './helpers.js';

/** Dense two-sided reference distance: 600 samples each way, full search, 40 golden steps. */
function reference(f: CurveEvaluator, g: CurveEvaluator): number {
  return curveHausdorff(f, g, 600, Infinity, 40);
}

/**
 * The same for chains of curves (a run and its conversion): both by arc length first (their
 * uneven parameter speeds fool the sampled search), 2000 samples each way (600 overestimate a
 * hairpin turn at one end of a 190 px chain by 0.06 px).
 */
function chainReference(f: CurveEvaluator, g: CurveEvaluator): number {
  return curveHausdorff(arcLengthEvaluator(f, 4096), arcLengthEvaluator(g, 4096), 2000, Infinity, 40);
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
              expect(chainReference(model, outlineEvaluator(from, segs))).toBeLessThanOrEqual(tol);
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

/**
 * A chain of conic intervals joined C¹ (each knot's tangent shared by both intervals), as a
 * one-contour result: knots on a random walk, tangents within ±50° of the chords around them.
 */
const chainArb = fc
  .record({
    steps: fc.array(fc.record({ len: fc.double({ min: 8, max: 160, noNaN: true }), turn: fc.double({ min: -1.2, max: 1.2, noNaN: true }) }), {
      minLength: 1,
      maxLength: 5,
    }),
    bends: fc.array(fc.double({ min: -0.9, max: 0.9, noNaN: true }), { minLength: 6, maxLength: 6 }),
    lus: fc.array(fc.double({ min: Math.log(0.2), max: Math.log(5), noNaN: true }), { minLength: 5, maxLength: 5 }),
  })
  .map(({ steps, bends, lus }): ConicPiece[] => {
    const knots = [{ x: 0, y: 0 }];
    let heading = 0;
    const headings: number[] = [];
    for (const s of steps) {
      heading += s.turn;
      headings.push(heading);
      const p = knots[knots.length - 1];
      knots.push({ x: p.x + s.len * Math.cos(heading), y: p.y + s.len * Math.sin(heading) });
    }
    // Tangent at knot i: between the chords' headings around it, bent by up to ±0.9 rad.
    const tangent = (i: number) => {
      const h = i === 0 ? headings[0] : i === steps.length ? headings[steps.length - 1] : (headings[i - 1] + headings[i]) / 2;
      return { x: Math.cos(h + bends[i] * 0.55), y: Math.sin(h + bends[i] * 0.55) };
    };
    return steps.map((_, i) => ({
      kind: 'conic',
      from: i,
      to: i + 1,
      ...conicGeometry(knots[i], tangent(i), knots[i + 1], tangent(i + 1), Math.exp(lus[i])),
      report: {} as ConicPiece['report'],
    }));
  });

function oneContour(pieces: ConicPiece[]): TraceResult {
  const fit = { mode: 'conic', hole: false, parent: -1, knots: [], pieces, report: {} } as unknown as FittedContour;
  return { fits: [fit] } as unknown as TraceResult;
}

/** Commands when every arc is converted on its own (the conversion before runs): a line, or per arc the fewest quadratics / cubics. */
function perArcCommands(pieces: ConicPiece[], curves: 'quadratic' | 'cubic', tol: number): number {
  let n = 0;
  for (const p of pieces) {
    const arcs = conicPieceArcs(p);
    if (arcs.every((a) => arcSegmentDeviation(a, p.p0.x, p.p0.y, p.p1.x, p.p1.y) <= tol)) n += 1;
    else if (curves === 'quadratic') n += Math.abs(p.u - 1) < 1e-12 ? 2 : 2 * arcsToQuadratics(arcs, tol)!.n;
    else n += arcs.reduce((k, a) => k + arcToCubics(a.a, a.b, a.c, a.u, tol).length, 0);
  }
  return n;
}

describe('runs of intervals joined C¹ (docs/design.md §21.9)', () => {
  it('ConicRun gives the intervals’ points and unit tangents at T = interval + θ', () => {
    fc.assert(
      fc.property(chainArb, fc.double({ min: 0, max: 1, noNaN: true }), (pieces, f) => {
        const run = new ConicRun(pieces);
        const T = f * pieces.length;
        const k = Math.min(pieces.length - 1, Math.floor(T));
        const p = new Float64Array(2);
        run.point(T, p);
        const q = pointOnPiece(pieces[k], T - k);
        expect(Math.hypot(p[0] - q.x, p[1] - q.y)).toBeLessThan(1e-9 * (1 + Math.hypot(q.x, q.y)));
        const d = derivativeOnPiece(pieces[k], T - k),
          t = run.tangent(T);
        const n = Math.hypot(d.x, d.y);
        if (n > 1e-9) expect(Math.hypot(t.x - d.x / n, t.y - d.y / n)).toBeLessThan(1e-9);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  for (const curves of ['quadratic', 'cubic'] as const) {
    it(`${curves}: every converted run stays within the tolerance of the model and never takes more commands than converting each arc`, () => {
      fc.assert(
        fc.property(chainArb, fc.constantFrom(0.02, 0.05, 0.1), (pieces, tol) => {
          const result = oneContour(pieces);
          const { contours, report } = convertCurves(result, { curves, tolerance: tol });
          expect(report.maxDeviation).toBeLessThanOrEqual(tol);
          expect(report.commands).toBeLessThanOrEqual(perArcCommands(pieces, curves, tol));
          // The chain is one run (open ends: its last knot is not the first), so the whole outline is one group.
          const [c] = contours;
          const model = chain(pieces.map((p) => conicIntervalEvaluator(p)));
          const out = outlineEvaluator(c.start, c.segments);
          expect(chainReference(model, out)).toBeLessThanOrEqual(tol);
          const last = c.segments[c.segments.length - 1].to;
          expect(last).toEqual(pieces[pieces.length - 1].p1);
        }),
        // endOnFailure: shrinking an expensive property would take minutes.
        { numRuns: 25, seed: 11, endOnFailure: true },
      );
    });
  }

  it('fits a quadratic’s control point by least squares: within 1 % of the chord of a quadratic it samples (a candidate; the conversion measures it), with or without an end tangent', () => {
    fc.assert(
      fc.property(coord, coord, coord, coord, coord, coord, (ax, ay, bx, by, cx, cy) => {
        // A quadratic whose control point is no nearer to an end than a fifth of the chord (no cusp-like end).
        const chord = Math.hypot(cx - ax, cy - ay);
        fc.pre(chord > 10 && Math.min(Math.hypot(bx - ax, by - ay), Math.hypot(bx - cx, by - cy)) > 0.2 * chord);
        fc.pre(Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) > 0.05 * chord * chord);
        const a = { x: ax, y: ay },
          b = { x: bx, y: by },
          c = { x: cx, y: cy };
        const model = arcLengthEvaluator(quadraticEvaluator([a, b, c]), 512);
        const unit = (x: number, y: number) => ({ x: x / Math.hypot(x, y), y: y / Math.hypot(x, y) });
        for (const [d0, d1] of [
          [null, null],
          [unit(bx - ax, by - ay), null],
          [null, unit(cx - bx, cy - by)],
        ] as const) {
          const q = fittedQuadratic(model, a, d0, c, d1)!;
          expect(reference(quadraticEvaluator(q), quadraticEvaluator([a, b, c]))).toBeLessThan(1e-2 * chord);
        }
      }),
      { numRuns: 60, seed: 8 },
    );
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
