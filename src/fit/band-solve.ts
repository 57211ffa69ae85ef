/**
 * The linear algebra of the band fit's Levenberg–Marquardt steps (src/fit/band-loss.ts,
 * docs/design.md §11.6).
 *
 * Reads: the Jacobian of the midpoints' signed distances per foot and parameter, the feet's active
 * hinges and the residuals (all in a BandWorkspace). Produces: the normal equations JᵀJ and −Jᵀr,
 * and the damped step (A + μ·diag(A))·x = g by Gaussian elimination with partial pivoting.
 */
import { BAND_MAX_PARAMS, type BandWorkspace } from './workspace.js';

/**
 * The normal equations JᵀJ (bw.normal) and −Jᵀr (bw.gradient) of the band residuals (hinge rows
 * weighted by `hinge`; parameters kb … params − 1 a knot's, seen by every span), summing only
 * the nonzero terms in the order of the full sums (a span's rows see its own parameters and the
 * knot's; an inactive hinge's row is zero), so the sums are the full ones exactly: every skipped
 * product is ±0 and a sum that starts at +0 never becomes −0.
 */
export function normalEquations(bw: BandWorkspace, spans: number, params: number, kb: number, hinge: number, residual: Float64Array): void {
  const { normal: a, gradient: g, jacobian: jac, active, lo, hi, offsets, looked } = bw;
  a.fill(0, 0, params * params);
  g.fill(0, 0, params);
  const h = hinge;
  for (let s = 0; s < spans; s++) {
    const from = offsets[s] / 3,
      to = from + looked[s];
    for (let p = 3 * s; p < params; p = p === 3 * s + 2 ? kb : p + 1) {
      if (!(lo[p] < hi[p])) continue;
      for (let q = p; q < params; q = q === 3 * s + 2 ? kb : q + 1) {
        if (!(lo[q] < hi[q])) continue;
        let sum = a[p * params + q];
        for (let f = from; f < to; f++) {
          const dp = jac[f * BAND_MAX_PARAMS + p],
            dq = jac[f * BAND_MAX_PARAMS + q];
          sum += dp * dq;
          const act = active[f];
          if (act & 1) sum += -h * dp * (-h * dq);
          if (act & 2) sum += h * dp * (h * dq);
        }
        a[p * params + q] = sum;
      }
      let gp = g[p];
      for (let f = from; f < to; f++) {
        const dp = jac[f * BAND_MAX_PARAMS + p];
        gp += dp * residual[3 * f];
        const act = active[f];
        if (act & 1) gp += -h * dp * residual[3 * f + 1];
        if (act & 2) gp += h * dp * residual[3 * f + 2];
      }
      g[p] = gp;
    }
  }
  for (let p = 0; p < params; p++) {
    g[p] = -g[p];
    for (let q = p + 1; q < params; q++) a[q * params + p] = a[p * params + q];
  }
}

/**
 * Solves (A + μ·diag(A) + 10⁻¹²·I)·x = g (p × p, row-major A) by Gaussian elimination with partial
 * pivoting into `out`, `m` holding the p × (p + 1) augmented matrix; false when singular.
 */
export function solveDamped(a: Float64Array, g: Float64Array, mu: number, p: number, out: Float64Array, m: Float64Array): boolean {
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) m[r * (p + 1) + c] = a[r * p + c] + (r === c ? mu * a[r * p + c] + 1e-12 : 0);
    m[r * (p + 1) + p] = g[r];
  }
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(m[r * (p + 1) + c]) > Math.abs(m[pivot * (p + 1) + c])) pivot = r;
    if (!(Math.abs(m[pivot * (p + 1) + c]) > 1e-300)) return false;
    if (pivot !== c) {
      for (let k = 0; k <= p; k++) {
        const t = m[c * (p + 1) + k];
        m[c * (p + 1) + k] = m[pivot * (p + 1) + k];
        m[pivot * (p + 1) + k] = t;
      }
    }
    for (let r = c + 1; r < p; r++) {
      const f = m[r * (p + 1) + c] / m[c * (p + 1) + c];
      for (let k = c; k <= p; k++) m[r * (p + 1) + k] -= f * m[c * (p + 1) + k];
    }
  }
  for (let r = p - 1; r >= 0; r--) {
    let s = m[r * (p + 1) + p];
    for (let k = r + 1; k < p; k++) s -= m[r * (p + 1) + k] * out[k];
    out[r] = s / m[r * (p + 1) + r];
    if (!Number.isFinite(out[r])) return false;
  }
  return true;
}
