/**
 * Simulated annealing (S. Kirkpatrick, C. D. Gelatt, M. P. Vecchi, "Optimization by Simulated
 * Annealing", Science 220, 1983) over a small box in log space, as docs/design.md §5 prescribes for the
 * conic shape parameter u: a current state, a neighbour move whose size shrinks with the
 * temperature, Metropolis acceptance, geometric cooling and a record of the best state; then a
 * deterministic golden-section polish along the first coordinate, reported separately (§5.1–§5.3).
 */
import type { Random } from '../random.js';
import { goldenSectionMinimum } from '../geometry/golden-section.js';
import * as dm from '../geometry/fdlibm.js';

/** Schedule, one line each. Energies are relative (T₀ scales with the start energy), so one table fits every interval size. */
export const ANNEAL_DEFAULTS = Object.freeze({
  /** Metropolis steps per interval: the landscape in ln u is smooth and one-dimensional, and the refinement (§11) follows; 16 lose nothing measurable against 40 (docs/design.md §18.11). */
  iterations: 16,
  /** T₀ = this × E(start): a move that worsens S by 20 % is accepted with probability 1/e at the start. */
  initialTemperature: 0.2,
  /** Geometric cooling T ← 0.87·T: after 16 steps T ≈ 0.11·T₀; the polish then searches around the best state. */
  cooling: 0.87,
  /** Neighbour step on each log coordinate at T₀ (ln 2.7 ≈ 1: u may double or halve in one move); scales with √(T/T₀). */
  initialStep: 1.0,
  /** Golden-section steps of the polish; each shrinks the bracket by 0.618, so 10 steps reach 0.8 % of the bracket. */
  polishIterations: 10,
} as const);

export interface AnnealResult {
  /** Best state found (log coordinates). */
  best: Float64Array;
  energyStart: number;
  energyAnneal: number;
  /** After the golden-section polish of coordinate 0 (≤ energyAnneal). */
  energyPolish: number;
  iterations: number;
}

/**
 * Minimises `energy(state)` over the box [lo, hi] (per coordinate, log units), starting at `start`.
 * `energy` must read the state without keeping it. Allocates only the three state vectors.
 */
export function anneal(
  energy: (state: Float64Array) => number,
  start: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  random: Random,
  schedule: { iterations: number; initialTemperature: number; cooling: number; initialStep: number; polishIterations: number } = ANNEAL_DEFAULTS,
): AnnealResult {
  const dim = start.length;
  const current = Float64Array.from(start);
  const trial = new Float64Array(dim);
  const best = Float64Array.from(start);
  const energyStart = energy(current);
  let eCurrent = energyStart;
  let eBest = energyStart;
  const t0 = schedule.initialTemperature * Math.max(energyStart, 1e-12);
  let t = t0;
  for (let k = 0; k < schedule.iterations; k++) {
    const step = schedule.initialStep * Math.sqrt(t / t0);
    for (let d = 0; d < dim; d++) {
      const x = current[d] + step * (2 * random() - 1);
      trial[d] = x < lo[d] ? lo[d] : x > hi[d] ? hi[d] : x;
    }
    const e = energy(trial);
    // Metropolis: always take a better state; a worse one with probability exp(−ΔE/T).
    if (e <= eCurrent || random() < dm.exp((eCurrent - e) / t)) {
      current.set(trial);
      eCurrent = e;
      if (e < eBest) {
        eBest = e;
        best.set(trial);
      }
    }
    t *= schedule.cooling;
  }
  const energyAnneal = eBest;

  // Polish: golden-section search on coordinate 0 in a bracket around the best state.
  const reach = Math.max(4 * schedule.initialStep * Math.sqrt(t / t0), 0.05);
  trial.set(best);
  const polish = goldenSectionMinimum(
    (x) => ((trial[0] = x), energy(trial)),
    Math.max(lo[0], best[0] - reach),
    Math.min(hi[0], best[0] + reach),
    schedule.polishIterations,
  );
  if (polish.value < eBest) {
    eBest = polish.value;
    best[0] = polish.t;
  }
  return { best, energyStart, energyAnneal, energyPolish: eBest, iterations: schedule.iterations };
}
