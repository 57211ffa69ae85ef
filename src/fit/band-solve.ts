/**
 * The linear algebra of the band fit's Levenberg–Marquardt steps (src/fit/band-loss.ts,
 * docs/design.md §11.6).
 *
 * Reads: the Jacobian of the midpoints' signed distances per foot and parameter, the feet's active
 * hinges and the residuals (all in a BandWorkspace). Produces: the normal equations JᵀJ and −Jᵀr,
 * and the damped step (A + μ·diag(A))·x = g by Gaussian elimination with partial pivoting, on the
 * free parameters' rows and columns (freeSystem; the same steps bit for bit, §11.6 "Cost, second round").
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
    // Most spans have no hinge active: their sums without the per-foot test (the same terms in the same order).
    let hinged = false;
    for (let f = from; f < to && !hinged; f++) hinged = active[f] !== 0;
    for (let p = 3 * s; p < params; p = p === 3 * s + 2 ? kb : p + 1) {
      if (!(lo[p] < hi[p])) continue;
      for (let q = p; q < params; q = q === 3 * s + 2 ? kb : q + 1) {
        if (!(lo[q] < hi[q])) continue;
        let sum = a[p * params + q];
        if (hinged) {
          for (let f = from; f < to; f++) {
            const dp = jac[f * BAND_MAX_PARAMS + p],
              dq = jac[f * BAND_MAX_PARAMS + q];
            sum += dp * dq;
            const act = active[f];
            if (act & 1) sum += -h * dp * (-h * dq);
            if (act & 2) sum += h * dp * (h * dq);
          }
        } else for (let f = from; f < to; f++) sum += jac[f * BAND_MAX_PARAMS + p] * jac[f * BAND_MAX_PARAMS + q];
        a[p * params + q] = sum;
      }
      let gp = g[p];
      if (hinged) {
        for (let f = from; f < to; f++) {
          const dp = jac[f * BAND_MAX_PARAMS + p];
          gp += dp * residual[3 * f];
          const act = active[f];
          if (act & 1) gp += -h * dp * residual[3 * f + 1];
          if (act & 2) gp += h * dp * residual[3 * f + 2];
        }
      } else for (let f = from; f < to; f++) gp += jac[f * BAND_MAX_PARAMS + p] * residual[3 * f];
      g[p] = gp;
    }
  }
  for (let p = 0; p < params; p++) {
    g[p] = -g[p];
    for (let q = p + 1; q < params; q++) a[q * params + p] = a[p * params + q];
  }
}

/**
 * The free parameters' rows and columns of the normal equations (those with lo < hi; a held
 * parameter's row and column are zero, its gradient ±0) into bw.freeNormal, bw.freeGradient, their
 * indices into bw.freeIndex; returns their count. Solving this smaller system gives the free
 * parameters' steps of the whole one bit for bit: in the whole one, a held row is never a pivot of
 * a free column nor moved, and its elimination steps subtract only ±0 from the free entries, which
 * changes nothing but the sign of an exact zero, and a zero step's sign does not survive x + step
 * (x is never −0: states start at +0 or a logarithm, and −0 arises only as −0 + −0).
 */
export function freeSystem(bw: BandWorkspace, params: number): number {
  const { normal: a, gradient: g, lo, hi, freeIndex, freeNormal, freeGradient } = bw;
  let nf = 0;
  for (let p = 0; p < params; p++) if (lo[p] < hi[p]) freeIndex[nf++] = p;
  for (let i = 0; i < nf; i++) {
    const p = freeIndex[i];
    for (let j = 0; j < nf; j++) freeNormal[i * nf + j] = a[p * params + freeIndex[j]];
    freeGradient[i] = g[p];
  }
  return nf;
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
