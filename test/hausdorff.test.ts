/**
 * `curveWithin` (src/geometry/hausdorff.ts, docs/design.md §15.6) decides exactly as
 * `curveHausdorff(…) <= limit`, including limits at and around the estimate itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arcMidpointCubic } from '../src/geometry/conversion.js';
import { arcEvaluator, cubicEvaluator } from '../src/geometry/curves.js';
import { curveHausdorff, curveWithin } from '../src/geometry/hausdorff.js';

const coord = fc.double({ min: -50, max: 50, noNaN: true });

describe('curveWithin', () => {
  it('property: the same answer as curveHausdorff(…) <= limit for an arc and its midpoint cubic', () => {
    fc.assert(
      fc.property(
        coord,
        coord,
        coord,
        coord,
        coord,
        coord,
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (ax, ay, bx, by, cx, cy, u, scale) => {
          const arc = { a: { x: ax, y: ay }, b: { x: bx, y: by }, c: { x: cx, y: cy }, u };
          const f = arcEvaluator(arc),
            g = cubicEvaluator(arcMidpointCubic(arc));
          for (const [samples, window, steps] of [
            [32, Infinity, 30],
            [64, 8, 16],
          ]) {
            const d = curveHausdorff(f, g, samples, window, steps);
            for (const limit of [d, d * (1 - 1e-12), d * (1 + 1e-12), d * scale, 0.01]) {
              expect(curveWithin(f, g, limit, samples, window, steps)).toBe(d <= limit);
            }
          }
        },
      ),
      { numRuns: 200, seed: 15 },
    );
  });
});
