/**
 * Font capture (docs/design.md §21.4, §21.7): traced glyphs → a `CapturedFont` (font info and
 * glyphs in integer font units) that the UFO and OpenType writers serialise. Browser-safe: it
 * reads `TraceResult`s; tracing files is the Node side's job (src/font/node.ts).
 *
 * Order: split the sheet (specimen.ts) → baseline per row (given or detected) → scale (units per
 * px: from px per em, a cap height or x-height given in px, or measured on an H or an x) →
 * convert curves (src/output/outline.ts) → place each glyph (glyph.ts) → font-wide metrics.
 */
import { badOption, checkKnownKeys, ConicfitError, optionKeys } from '../errors.js';
import type { TraceResult } from '../model.js';
import { convertCurves, CURVE_DEFAULTS, type CurveConversionReport, type OutlineContour } from '../output/outline.js';
import { glyphFromOutline, type FontGlyph, type OutlineKind } from './glyph.js';
import { detectBaseline, splitSpecimen, type Box } from './specimen.js';

export interface FontCaptureOptions {
  familyName?: string;
  styleName?: string;
  /** Default 1000. */
  unitsPerEm?: number;
  /** 'quadratic' (TrueType-style, default) or 'cubic' (CFF). */
  outline?: OutlineKind;
  /** Curve conversion tolerance, px (default 0.05). */
  curveTolerance?: number;
  /** Source pixels per em; else from `capHeightPx` / `xHeightPx`, else measured. */
  pxPerEm?: number;
  capHeightPx?: number;
  xHeightPx?: number;
  /** Font units of the cap height and x-height that the px heights map to (0.7 and 0.5 em: 700, 500 at 1000). */
  capHeightUnits?: number;
  xHeightUnits?: number;
  /** Baseline, image y px, for every row (default: detected per row). */
  baseline?: number;
  /** Left and right side bearings, font units (default 0.05 em each: 50 at 1000). */
  sideBearing?: number;
}

/** Every `FontCaptureOptions` key: any other is BAD_OPTION. */
const FONT_OPTION_KEYS = optionKeys<FontCaptureOptions>()([
  'familyName',
  'styleName',
  'unitsPerEm',
  'outline',
  'curveTolerance',
  'pxPerEm',
  'capHeightPx',
  'xHeightPx',
  'capHeightUnits',
  'xHeightUnits',
  'baseline',
  'sideBearing',
]);

export const FONT_DEFAULTS = Object.freeze({
  familyName: 'Conicfit Capture',
  styleName: 'Regular',
  unitsPerEm: 1000,
  outline: 'quadratic' as OutlineKind,
  capHeightUnits: 700,
  xHeightUnits: 500,
  /** Without H, x or a size: the tallest glyph's height above the baseline is taken as this many units. */
  tallestUnits: 750,
  sideBearing: 50,
  /** The space glyph's advance, em. */
  spaceAdvance: 0.25,
  /** Flat-topped capitals and lower-case letters measured for the reference heights, in order of preference. */
  capHeightChars: 'HIEFTLZ',
  xHeightChars: 'xzvwu',
});

export interface FontInfo {
  familyName: string;
  styleName: string;
  unitsPerEm: number;
  ascender: number;
  descender: number;
  capHeight?: number;
  xHeight?: number;
}

export interface FontCaptureReport {
  glyphs: number;
  rows: number;
  /** Groups joined to match the characters (specimen.ts). */
  joined: number;
  /**
   * The characters whose glyphs were joined from shapes drawn apart, in reading order: right for
   * a " or a ÷, but a character missing from the list also joins (an i and a j read as one "i",
   * and every later glyph takes the next character), so the command line warns (JOINED).
   */
  joinedChars: string[];
  /** Baseline per row, image y px. */
  baselines: number[];
  /** Font units per source px, and where it came from. */
  scale: number;
  scaleFrom: 'pxPerEm' | 'capHeight' | 'xHeight' | 'measured capHeight' | 'measured xHeight' | 'tallest glyph';
  /** The curve conversion over all glyphs (sums; the largest deviation). */
  conversion: CurveConversionReport;
  /** Largest rounding move, font units and px. */
  roundingError: number;
  roundingErrorPx: number;
  /** Largest fitted deviation of the traces, px (report.totals.maxDeviation). */
  fitDeviation: number;
}

export interface CapturedFont {
  info: FontInfo;
  glyphs: FontGlyph[];
  report: FontCaptureReport;
}

/** One glyph to capture: its character and its contours (indices into `result.fits`). */
export interface GlyphSource {
  char: string;
  result: TraceResult;
  fits: number[];
  box: Box;
  row: number;
}

/**
 * A font from a specimen sheet traced in one piece: glyphs in reading order matched to `chars`
 * (whitespace is skipped; a space adds a blank `space` glyph).
 *
 * @example toUfo(fontFromSpecimen(await traceImage('sheet.png'), 'ABCabc'))
 * @throws ConicfitError BAD_SPECIMEN, BAD_OPTION, FONT_ROUNDING.
 */
export function fontFromSpecimen(result: TraceResult, chars: string, options: FontCaptureOptions = {}): CapturedFont {
  const list = glyphChars(chars);
  const split = splitSpecimen(result, list.length);
  const sources = split.glyphs.map((g, i) => ({ char: list[i], result, fits: g.fits, box: g.box, row: g.row }));
  const joinedChars = split.glyphs.flatMap((g, i) => (g.joined ? [list[i]] : []));
  return buildFont(sources, split.rows.length, { joined: split.joined, joinedChars }, chars.includes(' '), options);
}

/**
 * A font from one image per glyph (all drawn on the same canvas layout, so one baseline fits all).
 *
 * @example fontFromGlyphImages([{ char: 'A', result: await traceImage('A.png') }])
 */
export function fontFromGlyphImages(images: readonly { char: string; result: TraceResult }[], options: FontCaptureOptions = {}): CapturedFont {
  const sources: GlyphSource[] = images.map(({ char, result }) => {
    const fits = result.fits.map((_, i) => i).filter((i) => result.fits[i].pieces.length > 0);
    const pts = fits.flatMap((i) => Array.from(result.contours[i]?.points ?? []));
    const xs = pts.filter((_, k) => k % 2 === 0),
      ys = pts.filter((_, k) => k % 2 === 1);
    const box = xs.length > 0 ? { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) } : { x0: 0, y0: 0, x1: 0, y1: 0 };
    return { char, result, fits, box, row: 0 };
  });
  return buildFont(sources, 1, { joined: 0, joinedChars: [] }, false, options);
}

/** The characters of `chars` as code points, whitespace dropped, each once. */
export function glyphChars(chars: string): string[] {
  const out = [...chars].filter((c) => !/\s/u.test(c));
  const seen = new Set<string>();
  for (const c of out) {
    if (seen.has(c)) throw badOption('fontFromSpecimen', 'chars', chars, `characters given once each (${JSON.stringify(c)} repeats)`);
    seen.add(c);
  }
  if (out.length === 0) throw badOption('fontFromSpecimen', 'chars', chars, 'at least one non-space character');
  return out;
}

/** Production glyph name: letters as themselves, digits by name, `space`, else `uniXXXX` / `uXXXXX`. */
export function glyphName(char: string): string {
  const cp = char.codePointAt(0)!;
  if (/^[A-Za-z]$/.test(char)) return char;
  const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
  if (/^[0-9]$/.test(char)) return digits[cp - 48];
  if (char === ' ') return 'space';
  const hex = cp.toString(16).toUpperCase();
  return cp <= 0xffff ? `uni${hex.padStart(4, '0')}` : `u${hex.padStart(5, '0')}`;
}

function buildFont(
  sources: GlyphSource[],
  rowCount: number,
  { joined, joinedChars }: Pick<FontCaptureReport, 'joined' | 'joinedChars'>,
  withSpace: boolean,
  options: FontCaptureOptions,
): CapturedFont {
  checkKnownKeys(options, FONT_OPTION_KEYS, 'captureFont');
  // The default heights and bearings are for a 1000-unit em (FONT_DEFAULTS) and scale with
  // unitsPerEm: at 2048 a cap height of 700 units was a third of the em, not 0.7 (docs/design.md §21.7).
  const em = (typeof options.unitsPerEm === 'number' ? options.unitsPerEm : FONT_DEFAULTS.unitsPerEm) / FONT_DEFAULTS.unitsPerEm;
  const o = {
    ...FONT_DEFAULTS,
    capHeightUnits: FONT_DEFAULTS.capHeightUnits * em,
    xHeightUnits: FONT_DEFAULTS.xHeightUnits * em,
    tallestUnits: FONT_DEFAULTS.tallestUnits * em,
    sideBearing: Math.round(FONT_DEFAULTS.sideBearing * em),
    ...definedOnly(options),
  };
  for (const key of ['unitsPerEm', 'pxPerEm', 'capHeightPx', 'xHeightPx', 'capHeightUnits', 'xHeightUnits'] as const) {
    const v = options[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw badOption('captureFont', key, v, 'a positive number');
  }
  if (!(Number.isInteger(o.unitsPerEm) && o.unitsPerEm >= 16 && o.unitsPerEm <= 16384))
    throw badOption('captureFont', 'unitsPerEm', o.unitsPerEm, 'an integer 16..16384');
  if (o.outline !== 'quadratic' && o.outline !== 'cubic') throw badOption('captureFont', 'outline', o.outline, "'quadratic' or 'cubic'");
  // A baseline off the sheet set a scale from heights of thousands of px, and the error said to use
  // more units per em (FONT_ROUNDING).
  const sheetHeight = Math.max(0, ...sources.map((s) => s.result.height));
  if (o.baseline !== undefined && !(typeof o.baseline === 'number' && o.baseline >= 0 && o.baseline <= sheetHeight))
    throw badOption('captureFont', 'baseline', o.baseline, `a y in the image, 0..${sheetHeight} px`);

  // Baselines: given, or per row from the glyphs' bottoms.
  const baselines: number[] = [];
  for (let r = 0; r < rowCount; r++) baselines.push(o.baseline ?? detectBaseline(sources.filter((s) => s.row === r).map((s) => s.box)));
  const above = (s: GlyphSource) => baselines[s.row] - s.box.y0;
  const find = (set: string) => [...set].map((c) => sources.find((s) => s.char === c)).find((s) => s !== undefined);

  // Scale, font units per px.
  let scale: number, scaleFrom: FontCaptureReport['scaleFrom'];
  const cap = find(o.capHeightChars),
    xh = find(o.xHeightChars);
  if (o.pxPerEm !== undefined) [scale, scaleFrom] = [o.unitsPerEm / o.pxPerEm, 'pxPerEm'];
  else if (o.capHeightPx !== undefined) [scale, scaleFrom] = [o.capHeightUnits / o.capHeightPx, 'capHeight'];
  else if (o.xHeightPx !== undefined) [scale, scaleFrom] = [o.xHeightUnits / o.xHeightPx, 'xHeight'];
  else if (cap && above(cap) > 0) [scale, scaleFrom] = [o.capHeightUnits / above(cap), 'measured capHeight'];
  else if (xh && above(xh) > 0) [scale, scaleFrom] = [o.xHeightUnits / above(xh), 'measured xHeight'];
  else [scale, scaleFrom] = [o.tallestUnits / Math.max(1, ...sources.map(above)), 'tallest glyph'];

  // Curves: one conversion per traced image.
  const converted = new Map<TraceResult, OutlineContour[]>();
  const conversion: CurveConversionReport = {
    curves: o.outline,
    tolerance: o.curveTolerance ?? CURVE_DEFAULTS.tolerance,
    intervals: 0,
    segments: 0,
    commands: 0,
    added: 0,
    maxDeviation: 0,
  };
  let fitDeviation = 0;
  for (const s of sources) {
    if (converted.has(s.result)) continue;
    const c = convertCurves(s.result, { curves: o.outline, tolerance: conversion.tolerance });
    converted.set(s.result, c.contours);
    for (const k of ['intervals', 'segments', 'commands', 'added'] as const) conversion[k] += c.report[k];
    conversion.maxDeviation = Math.max(conversion.maxDeviation, c.report.maxDeviation);
    fitDeviation = Math.max(fitDeviation, s.result.report.totals.maxDeviation);
  }

  const glyphs: FontGlyph[] = [];
  let roundingError = 0,
    roundingErrorPx = 0;
  for (const s of sources) {
    const fits = new Set(s.fits);
    const contours = converted.get(s.result)!.filter((c) => fits.has(c.fit));
    const g = glyphFromOutline(glyphName(s.char), s.char.codePointAt(0), contours, o.outline, {
      scale,
      baseline: baselines[s.row],
      lsb: o.sideBearing,
      rsb: o.sideBearing,
      maxRoundingPx: s.result.tolerance,
    });
    roundingError = Math.max(roundingError, g.report.roundingError);
    roundingErrorPx = Math.max(roundingErrorPx, g.report.roundingErrorPx);
    glyphs.push({ ...g, sourceFits: s.fits });
  }
  if (withSpace) {
    const none = { roundingError: 0, roundingErrorPx: 0, reversed: 0, dropped: 0, originPx: { x: 0, y: 0 } };
    glyphs.push({
      name: 'space',
      unicode: 32,
      kind: o.outline,
      advanceWidth: Math.round(FONT_DEFAULTS.spaceAdvance * o.unitsPerEm),
      lsb: 0,
      contours: [],
      report: none,
    });
  }
  const ys = glyphs.flatMap((g) => g.contours.flatMap((c) => c.points.map((p) => p.y)));
  const unit = (px: number | undefined) => (px === undefined ? undefined : Math.round(px * scale));
  const info: FontInfo = {
    familyName: o.familyName,
    styleName: o.styleName,
    unitsPerEm: o.unitsPerEm,
    ascender: Math.max(Math.round(0.8 * o.unitsPerEm), ...ys),
    descender: Math.min(-Math.round(0.2 * o.unitsPerEm), ...ys),
    ...(cap ? { capHeight: unit(above(cap)) } : {}),
    ...(xh ? { xHeight: unit(above(xh)) } : {}),
  };
  if (sources.length === 0) throw new ConicfitError('BAD_SPECIMEN', 'no glyph to capture');
  return {
    info,
    glyphs,
    report: {
      glyphs: glyphs.length,
      rows: rowCount,
      joined,
      joinedChars,
      baselines,
      scale,
      scaleFrom,
      conversion,
      roundingError,
      roundingErrorPx,
      fitDeviation,
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
