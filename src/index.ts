/**
 * conicfit — vectorize glyph and logo bitmaps as piecewise linear and conic splines, with a
 * per-piece error report (after M. Sarfraz, "Intelligent Approaches for Vectorizing Image
 * Outlines", JSEA 5, 2012). Every stage is exported and usable alone; `traceImage` runs them all.
 */
export { ConicfitError, isConicfitError, type ConicfitErrorCode } from './errors.js';
export type { Bitmap, Contour, Corner, Point } from './types.js';
export {
  loadBitmap,
  otsuThreshold,
  readImageSize,
  sniffFormat,
  LOAD_DEFAULTS,
  type LoadInput,
  type LoadOptions,
  type RawImage,
  type ImageFormat,
  type ImageSize,
} from './load.js';
export {
  extractContours,
  extractContoursWithStats,
  polygonArea,
  CONTOUR_DEFAULTS,
  FREEMAN_DX,
  FREEMAN_DY,
  type ContourOptions,
  type ContourStats,
} from './contours.js';
export {
  detectCorners,
  cornerAngles,
  cornerDistances,
  segmentAtCorners,
  smoothClosed,
  CORNER_DEFAULTS,
  type CornerOptions,
  type Piece,
} from './corners.js';
