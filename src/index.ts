/**
 * conicfit — vectorize glyph and logo bitmaps as piecewise linear and conic splines, with a
 * per-piece error report (after M. Sarfraz, "Intelligent Approaches for Vectorizing Image
 * Outlines", JSEA 5, 2012). Every stage is exported and usable alone; `traceImage` runs them all.
 *
 * This is the browser-safe entry (package.json "exports" → "browser"): no Node built-in is
 * reachable from it, and `loadBitmap`/`traceImage` take decoded pixels (a raw image, an ImageData
 * or a Bitmap). The Node entry (src/node.ts) exports the same names and also reads file paths
 * and image bytes.
 */
export { ConicfitError, isConicfitError, type ConicfitErrorCode } from './errors.js';
export type { Bitmap, Contour, Corner, Point } from './types.js';
export { loadBitmap, otsuThreshold, type RawImage, type ImageDataLike, type PixelInput } from './load/pixels.js';
export { LOAD_DEFAULTS, type LoadOptions } from './load/options.js';
export { readImageSize, sniffFormat, type ImageFormat, type ImageSize } from './load/sniff.js';
export {
  extractContours,
  extractContoursWithStats,
  polygonArea,
  CONTOUR_DEFAULTS,
  FREEMAN_DX,
  FREEMAN_DY,
  type ContourOptions,
  type ContourStats,
  type TurnPolicy,
} from './contours/index.js';
export { detectCorners, cornerAngles, cornerDistances, segmentAtCorners, smoothClosed, CORNER_DEFAULTS, type CornerOptions, type Piece } from './corners.js';
export { fitLinear, fitConic, resolveFitOptions, FIT_DEFAULTS, type FitOptions } from './fit/index.js';
export { refineInterval, geometricError, REFINE_DEFAULTS, type IntervalGeometry } from './fit/refine.js';
export { anneal, ANNEAL_DEFAULTS, type AnnealResult } from './fit/anneal.js';
export { mulberry32, mixSeed, type Random } from './random.js';
export { traceImage, fitAll, TRACE_OPTION_KEYS, type TraceOptions, type TraceResultWithRaster } from './trace.js';
export { summarise, assessTrace, REPORT_DEFAULTS } from './report.js';
export { LEVELS_DEFAULTS, type ImageLevels } from './load/levels.js';
export { TONE_DEFAULTS, type ToneLevel } from './load/tones.js';
export { toJson, fromJson, JSON_FORMAT, type JsonOptions } from './output/json.js';
export type {
  ConicPiece,
  ContourReport,
  FitMode,
  FittedContour,
  FittedPiece,
  Knot,
  KnotKind,
  LinePiece,
  PieceReport,
  RasterFidelity,
  TraceReport,
  TraceResult,
  TraceTotals,
  TraceWarning,
} from './model.js';
export { toSvg, fitToPathData, SVG_DEFAULTS, type SvgOptions, type SvgLayers, type FillRule, type EllipseMode } from './output/svg.js';
export { renderCoverage, RASTER_DEFAULTS, type RasterOptions } from './output/raster.js';
export { compareRaster } from './output/raster-compare.js';
export { conicGeometry, pointOnPiece, derivativeOnPiece, type ConicGeometry } from './geometry/conic.js';
export {
  convertCurves,
  outlinePathData,
  CURVE_DEFAULTS,
  type CurveMode,
  type CurveOptions,
  type CurveConversionReport,
  type OutlineContour,
  type OutlineSegment,
} from './output/outline.js';
export {
  arcsToQuadratics,
  quadraticErrorEstimate,
  arcQuadraticDeviation,
  subArc,
  equalWeightSplits,
  type Quadratic,
  type QuadraticSplit,
} from './geometry/quadratic.js';
export { intervalQuadratic, quadraticEvaluator } from './geometry/interval-quadratic.js';
export {
  fontFromSpecimen,
  fontFromGlyphImages,
  glyphName,
  FONT_DEFAULTS,
  type CapturedFont,
  type FontCaptureOptions,
  type FontCaptureReport,
  type FontInfo,
} from './font/capture.js';
export { glyphFromOutline, type FontGlyph, type FontContour, type FontPoint, type GlyphPlacement, type GlyphReport, type OutlineKind } from './font/glyph.js';
export { splitSpecimen, detectBaseline, type SpecimenSplit, type GlyphGroup, type Box } from './font/specimen.js';
export { toUfo, readUfoGlyphs, parseGlif, type GlifGlyph } from './font/ufo.js';
export { toOpenType } from './font/otf.js';
export {
  traceColour,
  traceRgba,
  COLOUR_OPTION_KEYS,
  type ColourOptions,
  type ColourTraceResult,
  type ColourRegion,
  type ColourChain,
  type ColourPaletteEntry,
  type ColourReport,
} from './colour/index.js';
export { colourToSvg, colourToJson, type ColourSvgOptions } from './colour/svg.js';
export type { RegionLoop, ChainUse } from './colour/outlines.js';
