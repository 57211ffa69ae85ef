/**
 * Contours (docs/design.md §2.7): which colour a saddle joins.
 *
 * A saddle is a pixel corner where two ink pixels touch only diagonally and the other two pixels
 * are background (a 2 × 2 checkerboard). Either the ink joins across it or the background does,
 * never both, or boundaries would cross. The labelling (labels.ts) and the crack walk (walk.ts)
 * ask the same rule, so components and boundaries agree. Why a choice: a thin diagonal stroke
 * and a thin diagonal gap both reach the mask as chains of pixels touching at corners; a fixed
 * rule (ink always 8-connected) keeps the stroke whole and cuts the gap into 1-pixel holes.
 *
 * Policies (`turnPolicy`), after Potrace's turn policies (P. Selinger, "Potrace: a polygon-based
 * tracing algorithm", 2003, §2.1.3; its documented default is minority):
 * - 'black' / 'white': ink / background always joins;
 * - 'majority' / 'minority': the colour that is more / less frequent in the square windows of
 *   4, 6 and 8 pixels on a side centred on the corner (the first window that is not a tie
 *   decides; pixels off the image count as background; a tie in all three joins ink);
 * - 'coverage': the value of the bilinear interpolation of the four pixels' coverage at its
 *   saddle point — (a·d − b·c)/(a + d − b − c), the asymptotic decider of marching squares
 *   (G. Nielson, B. Hamann, "The asymptotic decider", IEEE Visualization 1991) — against the
 *   level the mask was thresholded at: above it the ink joins. On a bilevel bitmap, or when the
 *   value ties with the level, 'minority' decides. Not the default: the bilinear surface of a
 *   stroke thinner than a pixel dips below the level between its pixels, so it cut the 64 px
 *   anti-aliased 1Panel logo's thin diagonal strokes (Hausdorff 0.76 → 4.71 px, §2.7).
 * The default is 'minority' (CONTOUR_DEFAULTS): a thin stroke or gap is the minority colour
 * around its own saddles, so both stay whole.
 * Potrace's 'left' / 'right' depend on the direction each path is traced in; here every walk keeps
 * the ink on its right, so "left" would always be 'black' and "right" 'white'.
 */
import type { Bitmap } from '../types.js';

export type TurnPolicy = 'minority' | 'majority' | 'black' | 'white' | 'coverage';
export const TURN_POLICIES: readonly TurnPolicy[] = ['minority', 'majority', 'black', 'white', 'coverage'];

/** Half-sides of the windows 'majority' and 'minority' count in, px (Potrace looks up to radius 4 too). */
const WINDOW_RADII = [2, 3, 4];
/** A saddle value this close to the level is a tie. */
const SADDLE_TIE = 1e-6;

/**
 * The rule for one bitmap: `joinsInk(x, y)` for the pixel corner (x, y) between pixels
 * (x − 1, y − 1), (x, y − 1), (x − 1, y) and (x, y), asked only where those form a saddle.
 */
export function saddleRule(bitmap: Bitmap, policy: TurnPolicy): (x: number, y: number) => boolean {
  if (policy === 'black') return () => true;
  if (policy === 'white') return () => false;
  const { width: w, height: h, ink } = bitmap;
  /** Ink minus background in the first window around corner (x, y) that is not a tie; 0 if all tie. */
  const balance = (x: number, y: number): number => {
    for (const r of WINDOW_RADII) {
      let count = 0;
      for (let j = y - r; j < y + r; j++) {
        for (let i = x - r; i < x + r; i++) count += i >= 0 && j >= 0 && i < w && j < h && ink[j * w + i] === 1 ? 1 : -1;
      }
      if (count !== 0) return count;
    }
    return 0;
  };
  const minority = (x: number, y: number) => balance(x, y) <= 0; // ink joins when it is not the majority (ties: ink)
  if (policy === 'majority') return (x, y) => balance(x, y) >= 0;
  if (policy === 'minority' || !bitmap.grey) return minority;
  const { coverage } = bitmap;
  // The mask's own level: ink ⇔ coverage > (255 − threshold)/255 (Bitmap.threshold, docs/design.md §16.1).
  const level = (255 - bitmap.threshold) / 255;
  return (x, y) => {
    const a = coverage[(y - 1) * w + x - 1];
    const b = coverage[(y - 1) * w + x];
    const c = coverage[y * w + x - 1];
    const d = coverage[y * w + x];
    // The two diagonals: p, q the ink pair, r, s the background pair (which pair is ink varies).
    const inkAD = ink[(y - 1) * w + x - 1] === 1;
    const [p, q, r, s] = inkAD ? [a, d, b, c] : [b, c, a, d];
    const denominator = p + q - r - s;
    // The level must separate the four pixels as the mask does (a numeric threshold reads raw grey).
    const lo = Math.max(r, s);
    const hi = Math.min(p, q);
    if (!(denominator > 0) || !(hi > lo)) return minority(x, y);
    const t = Math.min(hi, Math.max(lo, level));
    const saddle = (p * q - r * s) / denominator;
    if (Math.abs(saddle - t) <= SADDLE_TIE) return minority(x, y);
    return saddle > t;
  };
}
