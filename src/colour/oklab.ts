/**
 * Colour spaces for the colour pipeline (docs/design.md §22.1): sRGB bytes → linear light →
 * OKLab, and the colour difference used for palettes and reports.
 *
 * OKLab after B. Ottosson, "A perceptual color space for image processing" (2020,
 * https://bottosson.github.io/posts/oklab/): linear sRGB → LMS (matrix M₁), cube root, → Lab
 * (matrix M₂). ΔE here is the Euclidean OKLab distance × 100 (written ΔE_OK), on roughly the scale
 * of CIELAB ΔE: 1–2 is a just noticeable difference. Powers and cube roots go through the fdlibm
 * ports (docs/design.md §8.5), so palettes are the same bits in every engine.
 */
import { exp, hypot3, log } from '../geometry/fdlibm.js';

/** x^p for x ≥ 0 by the fdlibm ports (0 for x ≤ 0). */
const pow = (x: number, p: number): number => (x > 0 ? exp(p * log(x)) : 0);

/** sRGB byte 0..255 → linear light 0..1 (IEC 61966-2-1 transfer function). */
export function srgbToLinear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/** Linear light 0..1 → sRGB byte 0..255 (unrounded). */
export function linearToSrgb(c: number): number {
  const v = c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055;
  return Math.min(255, Math.max(0, 255 * v));
}

/** OKLab of an sRGB colour given as bytes 0..255 (Ottosson 2020, `linear_srgb_to_oklab`). */
export function oklab(r: number, g: number, b: number): [number, number, number] {
  const lr = srgbToLinear(r),
    lg = srgbToLinear(g),
    lb = srgbToLinear(b);
  const l = pow(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb, 1 / 3);
  const m = pow(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb, 1 / 3);
  const s = pow(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb, 1 / 3);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

/** ΔE_OK between two sRGB byte colours: 100 × the Euclidean OKLab distance. */
export function deltaE(a: readonly number[], b: readonly number[]): number {
  const p = oklab(a[0], a[1], a[2]),
    q = oklab(b[0], b[1], b[2]);
  return 100 * hypot3(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** `#rrggbb` of an sRGB byte colour (rounded). */
export function hexColour(rgb: readonly number[]): string {
  return (
    '#' +
    rgb
      .map((v) =>
        Math.round(Math.min(255, Math.max(0, v)))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}
