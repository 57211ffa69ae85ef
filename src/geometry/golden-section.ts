/**
 * Golden-section search (Kiefer 1953; Press et al., "Numerical Recipes", 3rd ed., §10.2): the
 * minimum of a unimodal function on a bracket, the bracket shrinking by 1/φ ≈ 0.618 per step.
 * Used by the annealing polish on u (fit/anneal.ts) and the Hausdorff estimate
 * (geometry/hausdorff.ts).
 */

/** 1/φ = (√5 − 1)/2. */
export const GOLDEN_RATIO_INVERSE = (Math.sqrt(5) - 1) / 2;

/** Where `goldenSectionMinimum` ended: the better of its last two probes. */
export interface GoldenSectionResult {
  t: number;
  value: number;
}

/**
 * Minimises f on [lo, hi] by `steps` golden-section steps (2 + steps evaluations of f) and
 * returns the better of the last two probes (the second one on a tie). To maximise, minimise −f.
 * The pair kept always holds the least value probed so far, so the result is the least probe.
 * `enough` (optional): the search stops at the first probe it accepts and returns that probe —
 * for callers that only ask whether the minimum gets below a bound (docs/design.md §15.6).
 *
 * @example goldenSectionMinimum((t) => (t - 0.3) ** 2, 0, 1, 30).t // ≈ 0.3
 */
export function goldenSectionMinimum(
  f: (t: number) => number,
  lo: number,
  hi: number,
  steps: number,
  enough?: (value: number) => boolean,
): GoldenSectionResult {
  const g = GOLDEN_RATIO_INVERSE;
  let t1 = hi - g * (hi - lo),
    t2 = lo + g * (hi - lo);
  let d1 = f(t1);
  if (enough?.(d1)) return { t: t1, value: d1 };
  let d2 = f(t2);
  if (enough?.(d2)) return { t: t2, value: d2 };
  for (let it = 0; it < steps; it++) {
    if (d1 < d2) {
      hi = t2;
      t2 = t1;
      d2 = d1;
      t1 = hi - g * (hi - lo);
      d1 = f(t1);
      if (enough?.(d1)) return { t: t1, value: d1 };
    } else {
      lo = t1;
      t1 = t2;
      d1 = d2;
      t2 = lo + g * (hi - lo);
      d2 = f(t2);
      if (enough?.(d2)) return { t: t2, value: d2 };
    }
  }
  return d1 < d2 ? { t: t1, value: d1 } : { t: t2, value: d2 };
}
