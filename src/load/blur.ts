/**
 * Separable Gaussian blur of a grey or coverage map (kernel radius ⌈3σ⌉): the optional
 * smoothing before levels (`blur` option, docs/design.md §2.6) that keeps the speckle of noisy
 * scans and the ringing of JPEGs from becoming contours. Browser-safe, pure.
 */
import * as dm from '../geometry/fdlibm.js';

/** What lies beyond the image: 'clamp' repeats the edge pixel (luminance), 'zero' is empty (coverage). */
export type BlurEdge = 'clamp' | 'zero';

/** @example gaussianBlur(lum, w, h, 1, 'clamp') */
export function gaussianBlur(values: Float64Array, width: number, height: number, sigma: number, edge: BlurEdge): Float64Array {
  if (!(sigma > 0)) return Float64Array.from(values);
  const r = Math.ceil(3 * sigma);
  const kernel = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += kernel[i + r] = dm.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  const rows = new Float64Array(values.length);
  const out = new Float64Array(values.length);
  // Rows, then columns; `stride` steps along the line, `n` its length.
  const pass = (src: Float64Array, dst: Float64Array, lines: number, n: number, lineStride: number, stride: number) => {
    for (let l = 0; l < lines; l++) {
      const base = l * lineStride;
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let i = -r; i <= r; i++) {
          let j = k + i;
          if (j < 0 || j >= n) {
            if (edge === 'zero') continue;
            j = j < 0 ? 0 : n - 1;
          }
          s += kernel[i + r] * src[base + j * stride];
        }
        dst[base + k * stride] = s;
      }
    }
  };
  pass(values, rows, height, width, width, 1);
  pass(rows, out, width, height, 1, width);
  return out;
}
