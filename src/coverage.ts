/**
 * Small reads of a coverage map (Bitmap.coverage, row-major, 0..1) shared by the contour stage
 * and the raster comparison.
 */

/** Whether pixel (x, y)'s coverage equals its 4 neighbours' within `tol`: a flat tint, not an edge. */
export function isFlat(coverage: Float32Array, width: number, height: number, x: number, y: number, tol: number): boolean {
  const c = coverage[y * width + x];
  if (x > 0 && Math.abs(coverage[y * width + x - 1] - c) > tol) return false;
  if (x + 1 < width && Math.abs(coverage[y * width + x + 1] - c) > tol) return false;
  if (y > 0 && Math.abs(coverage[(y - 1) * width + x] - c) > tol) return false;
  if (y + 1 < height && Math.abs(coverage[(y + 1) * width + x] - c) > tol) return false;
  return true;
}
