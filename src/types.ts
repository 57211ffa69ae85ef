/**
 * The data records passed between pipeline stages (docs/design.md §2.2–§2.4). Hot data is flat typed
 * arrays; `{x, y}` objects appear only at the API edge.
 *
 * Coordinates: image space, x right, y down; pixel (i, j) covers [i, i+1] × [j, j+1].
 */

import type { ImageLevels } from './load/levels.js';

export interface Point {
  x: number;
  y: number;
}

/** Filled by `loadBitmap` (src/load/pixels.ts). */
export interface Bitmap {
  width: number;
  height: number;
  /** length width·height, row-major; 1 = ink, 0 = background. */
  ink: Uint8Array;
  /**
   * length width·height, row-major; ink coverage 0..1 per pixel (1 = fully ink), after
   * compositing over the background and applying `invert`. Used for sub-pixel boundary points.
   */
  coverage: Float32Array;
  /** Grey level 0..255 used to make `ink`: a pixel is ink when its grey level (dark-ink view) is < threshold, i.e. coverage > (255 − threshold)/255. */
  threshold: number;
  /** True when the ink's boundary is anti-aliased: partial coverage (0.1–0.9) beside ≥ 5 % of the cracks between ink and paper (docs/design.md §2.6 step 7). */
  grey: boolean;
  /** The paper and ink levels coverage was measured between (absent on bitmaps built by hand). */
  levels?: ImageLevels;
}

/** Filled by `extractContours` (src/contours/). One closed boundary of an ink component or of a hole. */
export interface Contour {
  /** The first boundary pixel (integer pixel coordinates) that the chain code starts from. */
  start: Point;
  /**
   * Freeman 8-direction codes of the boundary pixels, walked from `start` and returning to it.
   * Code k moves by (cos kπ/4, sin kπ/4) rounded: 0 = +x, 1 = +x+y, 2 = +y, … 7 = +x−y (counted
   * towards +y, i.e. clockwise on screen since y points down). Empty for a one-pixel shape.
   */
  chain: Uint8Array;
  /**
   * Boundary points, interleaved [x0, y0, x1, y1, …] (length 2·n), closed (the last point
   * connects back to the first, which is not repeated). On the ink/background edge: pixel
   * corners for bilevel tracing (the polygon encloses exactly the component's ink pixels), or
   * sub-pixel positions on the 50 % coverage level when `subpixel` is set.
   */
  points: Float64Array;
  /** True for the boundary of a hole (background enclosed by ink). */
  hole: boolean;
  /** Index of the enclosing contour in the same array (hole → its outer boundary, island → its hole), or −1. */
  parent: number;
  /**
   * Signed shoelace area of `points` in px². Outer boundaries are positive, holes negative
   * (on screen, with y down: outer boundaries run clockwise, holes counter-clockwise).
   */
  area: number;
  /** Number of ink pixels (outer) or background pixels (hole) inside this boundary's own component. */
  pixelCount: number;
  /** True when `points` were moved to sub-pixel positions from coverage. */
  subpixel: boolean;
  /**
   * Sub-pixel points whose row reached no full or no empty pixel, placed by the 50 % crossing
   * between the crack's two pixels instead (docs/design.md §13.4); 0 for pixel-corner points.
   */
  subpixelFallbacks?: number;
}

/** Filled by `detectCorners` (src/corners.ts). */
export interface Corner {
  /** Index into the contour's points (point number, not array offset). */
  index: number;
  /** Opening angle of the sharpest admissible triangle, degrees (0..180). */
  angle: number;
  /** True when the ink's interior angle at the corner is below 180° (the contour turns towards the ink, which lies on its right). */
  convex: boolean;
}
