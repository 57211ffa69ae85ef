/**
 * Load stage: whether an image is anti-aliased along its ink boundary (docs/design.md §2.6 step 7).
 *
 * Reads: the coverage 0..1 per pixel. Produces: `Bitmap.grey`, which turns on sub-pixel boundary
 * points (§13) and the anti-aliased RMS bound (§18.19).
 *
 * Why not "some pixel is partial": a bilevel drawing with a flat second tint — a 60 × 76 clip-art owl
 * whose eye whites are 249 on a 255 paper, coverage 0.03 — read as anti-aliased, so its staircase
 * edges became sub-pixel points fitted under the tight anti-aliased RMS bound: knots every 1–2 px
 * and octagonal eyes. What marks anti-aliasing is partial coverage where ink meets paper.
 */

export const ANTIALIAS_DEFAULTS = Object.freeze({
  /** A pixel is partial when its coverage lies in [partial, 1 − partial]: a tint or paper noise of a few levels is not. */
  partial: 0.1,
  /** Anti-aliased when at least this share of the boundary's cracks (and at least one) has a partial pixel on either side. */
  share: 0.05,
});

/**
 * Whether the boundary between ink (coverage ≥ ½) and paper is anti-aliased: the cracks between
 * 4-neighbours on either side of ½ with a partial pixel beside them (ANTIALIAS_DEFAULTS).
 *
 * @example const grey = antialiasedEdges(coverage, width, height);
 */
export function antialiasedEdges(coverage: Float32Array, width: number, height: number): boolean {
  const { partial, share } = ANTIALIAS_DEFAULTS;
  const soft = (c: number) => c >= partial && c <= 1 - partial;
  let cracks = 0,
    softCracks = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const c = coverage[row + x];
      const inside = c >= 0.5;
      if (x + 1 < width) {
        const r = coverage[row + x + 1];
        if (r >= 0.5 !== inside) {
          cracks++;
          if (soft(c) || soft(r)) softCracks++;
        }
      }
      if (y + 1 < height) {
        const d = coverage[row + width + x];
        if (d >= 0.5 !== inside) {
          cracks++;
          if (soft(c) || soft(d)) softCracks++;
        }
      }
    }
  }
  return softCracks > 0 && softCracks >= share * cracks;
}
