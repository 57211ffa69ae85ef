/**
 * The compact path writer (docs/design.md §15.7): `PathWriter` in compact mode writes, in one pass,
 * exactly what `compactPathData` makes of the absolute writer's text — byte for byte, and with the
 * same current point as printed (the writer's checks start there).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConicfitError } from '../src/errors.js';
import type { FittedContour, TraceResult } from '../src/model.js';
import { CompactPath, compactPathData } from '../src/output/path-compact.js';
import { formatNumber, formatPathNumber, pathCommand, PathWriter } from '../src/output/path-writer.js';
import { fitToPathData, toSvg, type SvgOptions } from '../src/output/svg.js';
import type { Point } from '../src/types.js';
import { FC_SEED } from './helpers.js';
import { fitOf, linePiece, makeConicPiece } from './model-helpers.js';

/** One PathWriter call. */
type Call = { op: 'move' | 'line' | 'smoothQuad' | 'quad' | 'cubic' | 'close'; xs: number[] } | { op: 'arc'; xs: number[]; large: 0 | 1; sweep: 0 | 1 };

function apply(w: PathWriter, c: Call): void {
  const x = c.xs;
  if (c.op === 'arc') w.arc({ rx: Math.abs(x[0]), ry: Math.abs(x[1]), xAxisRotation: x[2], largeArc: c.large, sweep: c.sweep, x: x[3], y: x[4] });
  else if (c.op === 'close') w.close();
  else if (c.op === 'move') w.move(x[0], x[1]);
  else if (c.op === 'line') w.line(x[0], x[1]);
  else if (c.op === 'smoothQuad') w.smoothQuad(x[0], x[1]);
  else if (c.op === 'quad') w.quad(x[0], x[1], x[2], x[3]);
  else w.cubic(x[0], x[1], x[2], x[3], x[4], x[5]);
}

/**
 * Numbers that exercise the rules: printed ties (k + ½ units: toFixed's rounding, not the product's),
 * ties off by a hair, grid values (so lines run along an axis, repeat the current point or
 * continue one straight line), small and sub-unit values of either sign, and large ones.
 */
function numbers(p: number): fc.Arbitrary<number> {
  const unit = 10 ** -p;
  return fc.oneof(
    fc.integer({ min: -40, max: 40 }).map((k) => k / 4),
    fc.integer({ min: -2000, max: 2000 }).map((k) => (k + 0.5) * unit),
    fc.tuple(fc.integer({ min: -2000, max: 2000 }), fc.constantFrom(-1e-13, 1e-13, -1e-9, 1e-9)).map(([k, e]) => (k + 0.5) * unit + e),
    fc.double({ min: -3, max: 3, noNaN: true }),
    fc.double({ min: -5000, max: 5000, noNaN: true }),
    fc.double({ min: -1e9, max: 1e9, noNaN: true }),
    fc.constantFrom(0, -0, 0.5, -0.5, 1e-9, -1e-9, 2 ** 40 * unit, -(2 ** 40) * unit, 1e15 * unit),
  );
}

function calls(p: number): fc.Arbitrary<Call[]> {
  const n = numbers(p);
  const call: fc.Arbitrary<Call> = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('line' as const), xs: fc.array(n, { minLength: 2, maxLength: 2 }) }), weight: 4 },
    { arbitrary: fc.record({ op: fc.constantFrom('move' as const, 'smoothQuad' as const), xs: fc.array(n, { minLength: 2, maxLength: 2 }) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('quad' as const), xs: fc.array(n, { minLength: 4, maxLength: 4 }) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('cubic' as const), xs: fc.array(n, { minLength: 6, maxLength: 6 }) }), weight: 1 },
    {
      arbitrary: fc.record({
        op: fc.constant('arc' as const),
        xs: fc.array(n, { minLength: 5, maxLength: 5 }),
        large: fc.constantFrom<0 | 1>(0, 1),
        sweep: fc.constantFrom<0 | 1>(0, 1),
      }),
      weight: 1,
    },
    { arbitrary: fc.constant<Call>({ op: 'close', xs: [] }), weight: 1 },
  );
  // Runs of lines from one start, as the writer makes them: axis lines, collinear runs, repeats.
  const run = fc
    .tuple(n, n, fc.array(fc.tuple(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -2, max: 2 }), fc.integer({ min: 0, max: 3 })), { maxLength: 6 }))
    .map(([x, y, steps]) => {
      const out: Call[] = [{ op: 'move', xs: [x, y] }];
      for (const [dx, dy, k] of steps) {
        x += (k * dx) / 8;
        y += (k * dy) / 8;
        out.push({ op: 'line', xs: [x, y] });
      }
      return out;
    });
  return fc
    .array(
      fc.oneof(
        call.map((c) => [c]),
        run,
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((cs) => [{ op: 'move', xs: [0.25, 0.5] } as Call, ...cs.flat()]);
}

/** A closed contour through points on a ⅛ px grid (lines along axes and straight runs happen), lines and conics. */
const fits = fc
  .array(
    fc.record({
      x: fc.integer({ min: 0, max: 400 }).map((k) => k / 8),
      y: fc.integer({ min: 0, max: 400 }).map((k) => k / 8),
      conic: fc.boolean(),
      turn: fc.double({ min: -1, max: 1, noNaN: true }),
      u: fc.constantFrom(0.2, 0.7071067811865476, 1, 1.5, 4),
    }),
    { minLength: 2, maxLength: 10 },
  )
  .map((ks): FittedContour => {
    const pts: Point[] = ks.map((k) => ({ x: k.x, y: k.y }));
    const pieces = ks.map((k, i) => {
      const a = pts[i],
        b = pts[(i + 1) % pts.length];
      const dx = b.x - a.x,
        dy = b.y - a.y;
      if (!k.conic || (dx === 0 && dy === 0)) return linePiece(a, b);
      // Tangents turned ±turn rad off the chord: a convex arc of either bend.
      const c = Math.cos(k.turn),
        s = Math.sin(k.turn);
      return makeConicPiece(a, { x: c * dx - s * dy, y: s * dx + c * dy }, b, { x: c * dx + s * dy, y: -s * dx + c * dy }, k.u);
    });
    return fitOf(pieces);
  });

function resultOf(fs: FittedContour[]): TraceResult {
  return { width: 60, height: 60, fits: fs } as unknown as TraceResult;
}

const pathOf = (svg: string) => /<path d="([^"]*)"/.exec(svg)?.[1] ?? '';

describe('compact path writer (docs/design.md §15.7)', () => {
  it('writes what compactPathData makes of the absolute text, with the same printed current point (any calls, precision 0–10)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }).chain((p) => fc.tuple(fc.constant(p), calls(p))),
        ([p, cs]) => {
          const a = new PathWriter(p),
            c = new PathWriter(p, true);
          for (const call of cs) {
            apply(a, call);
            apply(c, call);
            expect([c.x, c.y]).toEqual([a.x, a.y]);
          }
          expect(c.unparsable).toBe(false);
          expect(c.toString()).toBe(compactPathData(a.toString(), p));
        },
      ),
      { numRuns: 1500, seed: FC_SEED },
    );
  });

  it('prints and reads back numbers as toFixed does: formatPathNumber(v, p), rounded(v) = Number(formatNumber(v, p)), ties and -0 included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }).chain((p) => fc.tuple(fc.constant(p), numbers(p), numbers(p))),
        ([p, v, y]) => {
          const w = new PathWriter(p);
          expect(Object.is(w.rounded(v), Number(formatNumber(v, p)))).toBe(true);
          w.move(v, y);
          expect(Object.is(w.x, Number(formatNumber(v, p)))).toBe(true);
          expect(w.toString()).toBe(pathCommand('M', [formatPathNumber(v, p), formatPathNumber(y, p)]));
        },
      ),
      { numRuns: 3000, seed: FC_SEED },
    );
  });

  it('toSvg and fitToPathData: compact output = compactPathData(absolute output), for random fits and writer options', () => {
    const options = fc.record({
      precision: fc.integer({ min: 0, max: 6 }),
      joinArcs: fc.boolean(),
      ellipse: fc.constantFrom<'arc' | 'cubic'>('arc', 'cubic'),
    });
    fc.assert(
      fc.property(fc.array(fits, { minLength: 1, maxLength: 3 }), options, (fs, o: SvgOptions) => {
        const p = o.precision!;
        const absolute = pathOf(toSvg(resultOf(fs), { ...o, compact: false }));
        expect(pathOf(toSvg(resultOf(fs), o))).toBe(compactPathData(absolute, p));
        expect(fitToPathData(fs[0], p, o.ellipse, o.joinArcs, true)).toBe(compactPathData(fitToPathData(fs[0], p, o.ellipse, o.joinArcs), p));
      }),
      { numRuns: 200, seed: FC_SEED },
    );
  });

  it('a number printed in exponent form (≥ 1e21) is rejected as the rewrite of the absolute text rejects it', () => {
    const huge = fitOf([linePiece({ x: 1, y: 1 }, { x: 3e21, y: 1 }), linePiece({ x: 3e21, y: 1 }, { x: 1, y: 1 })]);
    const absolute = pathOf(toSvg(resultOf([huge]), { compact: false }));
    expect(absolute).toContain('e+21');
    const want = (() => {
      try {
        compactPathData(absolute, 3);
      } catch (e) {
        return e;
      }
    })();
    expect(want).toBeInstanceOf(ConicfitError);
    expect(() => toSvg(resultOf([huge]))).toThrow(want as Error);
    expect(() => fitToPathData(huge, 3, 'arc', true, true)).toThrow(want as Error);
    // An arc radius in exponent form: the compact writer sees it too.
    const w = new PathWriter(3, true);
    w.move(0, 0);
    w.arc({ rx: 2e21, ry: 1, xAxisRotation: 0, largeArc: 0, sweep: 1, x: 4, y: 0 });
    expect(w.unparsable).toBe(true);
  });

  it('fitToPathData: compact is checked (BAD_OPTION), default absolute', () => {
    const fit = fitOf([linePiece({ x: 1, y: 1 }, { x: 5, y: 1 }), linePiece({ x: 5, y: 1 }, { x: 1, y: 4 }), linePiece({ x: 1, y: 4 }, { x: 1, y: 1 })]);
    expect(fitToPathData(fit)).toBe('M1 1L5 1L1 4L1 1Z');
    // H5 and h4 tie (absolute kept); V1 is shorter than v-3.
    expect(fitToPathData(fit, 3, 'arc', true, true)).toBe('M1 1H5L1 4V1z');
    expect(() => fitToPathData(fit, 3, 'arc', true, 1 as unknown as boolean)).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });

  it('CompactPath: toString leaves the held line open, so a later line along it still joins', () => {
    const c = new CompactPath(2);
    c.push('M', [1000, 1000]);
    c.push('L', [1100, 1000]);
    expect(c.toString()).toBe('M10 10h1');
    expect(c.toString()).toBe('M10 10h1');
    c.push('L', [1200, 1000]);
    c.push('L', [1200, 1300]);
    c.push('Z', []);
    expect(c.toString()).toBe(compactPathData('M10 10L11 10L12 10L12 13Z', 2));
    expect(c.toString()).toBe('M10 10h2v3z');
  });

  it('keeps the rules: no join across a close, none backwards, a line to the current point dropped, ties absolute', () => {
    // L1 1 L2 2 joined; L2 2 and l2 2 tie (absolute kept). After z the current point is the start (0, 0); the lines from there are not joined (L3 3 4 4).
    expect(compactPathData('M0 0L1 1L2 2ZL3 3L4 4Z', 0)).toBe('M0 0L2 2zL3 3 4 4z');
    // L5 5 repeats the current point; 6 → 5 → 7 turns back twice, so nothing joins; H repeated, letter left out.
    expect(compactPathData('M5 5L5 5L6 5L5 5L7 5Z', 0)).toBe('M5 5H6 5 7z');
    // l.5.5 is shorter than L1.5 1.5, L2 1 than l.5-.5; the arc's head as printed, its .5 joined to 1.5.
    expect(compactPathData('M1 1L1 1L1.5 1.5L2 1L2.5 1.5Q3 3 4 4T5 5A1.5 .5 0 0 1 6 6Z', 1)).toBe('M1 1l.5.5L2 1l.5.5Q3 3 4 4T5 5A1.5.5 0 0 1 6 6z');
  });
});
