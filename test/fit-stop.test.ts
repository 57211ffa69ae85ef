/**
 * Fits that stop early (src/fit/interval.ts fitIntervalWithin, src/fit/deviation.ts measureDeviation;
 * docs/design.md §9.3, §18.28): a fit whose piece the caller keeps only within a bound returns the
 * same piece as fitInterval, or null exactly when that piece breaks the bound; an insertion fit
 * ('split') returns null only for an interval it can split, with a split point strictly inside.
 * Checked on random knot pairs of anti-aliased and bilevel blobs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFitContext, type FitContext } from '../src/fit/context.js';
import { exceeds, fitInterval, fitIntervalWithin } from '../src/fit/interval.js';
import { makeKnot, type WorkKnot } from '../src/fit/knots.js';
import { resolveFitOptions } from '../src/fit/options.js';
import { FitWorkspace } from '../src/fit/workspace.js';
import { mod } from '../src/geometry/cyclic.js';
import { FC_SEED, wavyBlobContour } from './helpers.js';

/** The outer contour of a wavy blob, fitted in conic mode with the given tolerance. */
function blobContext(bilevel: boolean, tolerance: number): FitContext {
  const contour = wavyBlobContour(bilevel);
  return createFitContext('conic', contour, resolveFitOptions({ tolerance }, contour.subpixel, 'test'), new FitWorkspace());
}

const CONTEXTS = [blobContext(false, 0.5), blobContext(false, 1), blobContext(true, 1)];

/** Knots at a and b (a < b ≤ a + n − 1): smooth knots, or corners (one-sided tangents, knot off the data). */
function knotPair(ctx: FitContext, a: number, b: number, corner: boolean): [WorkKnot, WorkKnot] {
  const kind = corner ? 'corner' : 'intermediate';
  const ka = makeKnot(ctx, a, kind, b - ctx.n, b);
  const kb = makeKnot(ctx, mod(b, ctx.n), kind, a, a + ctx.n);
  return [ka, { ...kb, at: b }];
}

const arbPair = fc.record({
  which: fc.integer({ min: 0, max: CONTEXTS.length - 1 }),
  start: fc.nat(),
  length: fc.integer({ min: 1, max: 400 }),
  corner: fc.boolean(),
});

describe('fits that stop early', () => {
  it("with 'tolerance' or 'bounds' return fitInterval's piece, or null exactly when it breaks that bound", () => {
    let nulls = 0,
      pieces = 0;
    fc.assert(
      fc.property(arbPair, ({ which, start, length, corner }) => {
        const ctx = CONTEXTS[which];
        const a = start % ctx.n;
        const b = a + Math.min(length, ctx.n - 1);
        const [ka, kb] = knotPair(ctx, a, b, corner);
        const full = fitInterval(ctx, ka, kb);
        const tooFar = full.report.maxDeviation > ctx.o.tolerance;
        for (const [stop, broken] of [
          ['tolerance', tooFar],
          ['bounds', exceeds(ctx, full.report)],
        ] as const) {
          const piece = fitIntervalWithin(ctx, ka, kb, stop);
          expect(piece === null).toBe(broken);
          if (piece === null) nulls++;
          else {
            pieces++;
            expect(piece).toEqual(full);
          }
        }
      }),
      { seed: FC_SEED, numRuns: 150 },
    );
    // Both outcomes occur, so the equivalence was tested both ways.
    expect(nulls).toBeGreaterThan(10);
    expect(pieces).toBeGreaterThan(10);
  });

  it("with 'split' return fitInterval's piece, or null with a split point strictly inside an interval over tolerance", () => {
    let nulls = 0;
    fc.assert(
      fc.property(arbPair, ({ which, start, length, corner }) => {
        const ctx = CONTEXTS[which];
        const a = start % ctx.n;
        const b = a + Math.max(2, Math.min(length, ctx.n - 1));
        const [ka, kb] = knotPair(ctx, a, b, corner);
        const full = fitInterval(ctx, ka, kb);
        const piece = fitIntervalWithin(ctx, ka, kb, 'split');
        if (piece !== null) {
          expect(piece).toEqual(full);
          return;
        }
        nulls++;
        // Hopeless: the measured piece is over tolerance too, and the split point is an interior point.
        expect(full.report.maxDeviation).toBeGreaterThan(ctx.o.tolerance);
        const inside = mod(ctx.ws.splitAt - a, ctx.n);
        expect(inside).toBeGreaterThan(0);
        expect(inside).toBeLessThan(b - a);
      }),
      { seed: FC_SEED, numRuns: 150 },
    );
    expect(nulls).toBeGreaterThan(5);
  });
});
