/**
 * The band loss's helpers (src/fit/band-loss.ts, docs/design.md §11.6): `hypot` must equal
 * Math.hypot bit for bit, since the band fit's output is the one Math.hypot gave (the golden
 * outputs did not change when it replaced the builtin).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hypot } from '../src/fit/band-loss.js';

describe('band-loss hypot', () => {
  it('equals Math.hypot bit for bit on any pair of doubles', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), (x, y) => {
        expect(Object.is(hypot(x, y), Math.hypot(x, y))).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('equals Math.hypot on chord-like vectors (small magnitudes, ties, axis steps, signed zeros)', () => {
    const values = [0, -0, 1, -1, 0.5, 1 / 64, -3 / 128, 1e-9, 2.5e-7, 5e-324, Number.NaN, Infinity, -Infinity];
    for (const x of values) for (const y of values) expect(Object.is(hypot(x, y), Math.hypot(x, y)), `${x}, ${y}`).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: -4096, max: 4096 }), fc.integer({ min: -4096, max: 4096 }), fc.integer({ min: 0, max: 20 }), (a, b, e) => {
        const x = a / 2 ** e,
          y = b / 2 ** e;
        expect(Object.is(hypot(x, y), Math.hypot(x, y))).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});
