/** Regression fixtures, each named after the bug it caught. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { glyphShapes, layout, renderGrey } from '../bench/corpus.js';
import { traceImage } from '../src/trace.js';
import { pointOnPiece } from '../src/spline.js';
import type { TraceResult } from '../src/model.js';
import { segmentDistance, bitmapFromShape, blobInside } from './helpers.js';

/** Largest distance from densely sampled pieces to the polyline through their contour points. */
function worstStray(r: TraceResult): { stray: number; reported: number } {
  let stray = 0, reported = 0;
  r.fits.forEach((fit, ci) => {
    const pts = r.contours[ci].points;
    const n = pts.length / 2;
    for (const p of fit.pieces) {
      reported = Math.max(reported, p.report.maxDeviation);
      const count = ((p.to - p.from + n) % n || n) + 1;
      for (let s = 0; s <= 200; s++) {
        const q = pointOnPiece(p, s / 200);
        let best = Infinity;
        for (let k = 0; k + 1 < count; k++) {
          const a = (p.from + k) % n, b = (p.from + k + 1) % n;
          best = Math.min(best, segmentDistance(q.x, q.y, pts[2 * a], pts[2 * a + 1], pts[2 * b], pts[2 * b + 1]));
        }
        stray = Math.max(stray, best);
      }
    }
  });
  return { stray, reported };
}

describe('regressions', () => {
  it('conic overshoot at a serif (bench case baskerville-M-300-aa): the curve may not stray past its data unreported', async () => {
    // A sub-pixel point out of order at the serif gave an intermediate knot a backward tangent;
    // the piece overshot 3.6 px past its data while the (one-way) report said 0.76 px.
    const shape = glyphShapes().find((s) => s.id === 'baskerville-M')!;
    const { svg } = layout(shape, 300);
    const { width, height, grey } = renderGrey(svg);
    const r = await traceImage({ width, height, data: grey }, { mode: 'conic' });
    const { stray, reported } = worstStray(r);
    expect(reported).toBeLessThanOrEqual(1);
    expect(stray).toBeLessThanOrEqual(reported + 0.02);
  });

  it('property: no piece strays from its data farther than its reported maximum deviation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 30, max: 90 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 0.2, noNaN: true }), fc.double({ min: 0, max: 6.28, noNaN: true })), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (size, terms, bilevel) => {
          const W = size + 10;
          const b = bitmapFromShape(W, W, blobInside(W / 2, W / 2, size * 0.4, terms), { bilevel, samples: 6 });
          const r = await traceImage(b, { mode: 'conic' });
          const { stray } = worstStray(r);
          expect(stray).toBeLessThanOrEqual(r.report.totals.maxDeviation + 0.02);
        },
      ),
      { numRuns: 20 },
    );
  });
});
