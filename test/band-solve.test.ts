/**
 * The band fit's linear algebra (src/fit/band-solve.ts, docs/design.md §11.6 "Cost"): the damped
 * step solved on the free parameters only (freeSystem) is the whole system's step bit for bit, and
 * the normal equations summed without the per-foot hinge test (no hinge active) are the sums of
 * their definition in the same order.
 */
import { describe, expect, it } from 'vitest';
import { freeSystem, normalEquations, solveDamped } from '../src/fit/band-solve.js';
import { BAND_MAX_PARAMS, BandWorkspace } from '../src/fit/workspace.js';
import { mulberry32 } from '../src/random.js';

/** A band workspace holding a random two-span problem (3 + 3 + `extra` parameters, `feet` feet per span), some parameters held. */
function randomProblem(seed: number, extra: number, feet: number, hinges: boolean): { bw: BandWorkspace; params: number; kb: number } {
  const rnd = mulberry32(seed);
  const bw = new BandWorkspace();
  bw.ensure(2 * feet);
  const params = 6 + extra;
  for (let p = 0; p < params; p++) {
    // About a third held (lo = hi), as a quadratic's u, a line span's state or a line side's arm turn.
    const held = rnd() < 0.35;
    bw.lo[p] = held ? 0 : -1;
    bw.hi[p] = held ? 0 : 1;
  }
  for (let s = 0; s < 2; s++) {
    bw.offsets[s] = 3 * s * feet;
    bw.looked[s] = feet;
  }
  for (let f = 0; f < 2 * feet; f++) {
    for (let p = 0; p < BAND_MAX_PARAMS; p++) bw.jacobian[f * BAND_MAX_PARAMS + p] = rnd() - 0.5;
    for (let k = 0; k < 3; k++) bw.residual[3 * f + k] = rnd() - 0.5;
    bw.active[f] = hinges ? Math.floor(rnd() * 4) : 0;
  }
  return { bw, params, kb: 6 };
}

describe('band fit linear algebra', () => {
  it('solves the free parameters alone to the whole system’s steps, bit for bit', () => {
    let compared = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const extra = seed % 3 === 0 ? 0 : seed % 3 === 1 ? 2 : 4;
      const { bw, params, kb } = randomProblem(seed, extra, 5 + (seed % 20), seed % 2 === 0);
      normalEquations(bw, 2, params, kb, 1, bw.residual);
      for (const mu of [1e-3, 8e-3, 0.5]) {
        const whole = new Float64Array(BAND_MAX_PARAMS);
        const okWhole = solveDamped(bw.normal, bw.gradient, mu, params, whole, new Float64Array(BAND_MAX_PARAMS * (BAND_MAX_PARAMS + 1)));
        const nf = freeSystem(bw, params);
        const okFree = solveDamped(bw.freeNormal, bw.freeGradient, mu, nf, bw.freeStep, bw.augmented);
        expect(okFree).toBe(okWhole);
        if (!okWhole) continue;
        for (let i = 0; i < nf; i++) expect(Object.is(bw.freeStep[i], whole[bw.freeIndex[i]])).toBe(true);
        // Every held parameter's step in the whole system is a zero (±0: x + step is x).
        for (let p = 0; p < params; p++) if (!(bw.lo[p] < bw.hi[p])) expect(whole[p] === 0).toBe(true);
        compared += nf;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('sums the normal equations as their definition does, with and without active hinges', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const { bw, params, kb } = randomProblem(seed, seed % 2 === 0 ? 4 : 2, 3 + (seed % 30), seed % 3 === 0);
      const h = 1 + (seed % 4);
      normalEquations(bw, 2, params, kb, h, bw.residual);
      // The definition: per entry, span by span, foot by foot, the centring term then the active hinges'.
      for (let p = 0; p < params; p++) {
        for (let q = p; q < params; q++) {
          if (!(bw.lo[p] < bw.hi[p] && bw.lo[q] < bw.hi[q])) continue;
          let sum = 0;
          for (let s = 0; s < 2; s++) {
            const sees = (r: number) => r >= kb || Math.floor(r / 3) === s;
            if (!sees(p) || !sees(q)) continue;
            for (let f = bw.offsets[s] / 3; f < bw.offsets[s] / 3 + bw.looked[s]; f++) {
              const dp = bw.jacobian[f * BAND_MAX_PARAMS + p],
                dq = bw.jacobian[f * BAND_MAX_PARAMS + q];
              sum += dp * dq;
              if (bw.active[f] & 1) sum += -h * dp * (-h * dq);
              if (bw.active[f] & 2) sum += h * dp * (h * dq);
            }
          }
          expect(Object.is(bw.normal[p * params + q], sum)).toBe(true);
          expect(Object.is(bw.normal[q * params + p], sum)).toBe(true);
        }
      }
    }
  });
});
