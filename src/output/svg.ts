/**
 * SVG output (docs/design.md §7.2, §15): the fitted model as one `<path>` in image pixel coordinates, plus
 * optional figure layers (source outline, corners, intermediate points, knots).
 *
 * Reads: a `TraceResult` (src/model.ts). Produces: an SVG document string. Pure, no I/O.
 *
 * Each fitted contour becomes a closed subpath: `M` at its first knot, then per piece, and `Z`.
 * A line piece is `L` (exact). A conic interval (two arcs P₀–V–J and J–W–P₁, weight u, C¹ at J)
 * is written, with `joinArcs` (the default), as the first that applies of
 *   1. `L` to P₁            when the whole interval lies within `cubicTolerance` of the segment
 *                           from the current point to P₁ (checked exactly, `arcSegmentDeviation`);
 *   2. one `Q` to P₁        for the whole interval (`intervalQuadratic`: the control point where
 *                           the end tangents meet), when within `cubicTolerance` of the model as
 *                           printed: 4 numbers where 3 and 4 take 6;
 *   3. `Q V J T P₁`         when u = 1: two quadratic Béziers, the second's control point W
 *                           implied by T as the reflection of V about J (J = (V + W)/2 in the
 *                           model); the printed reflection puts the second curve within
 *                           √2·10⁻ᵖ px of the model (docs/design.md §15.3);
 *   4. one `C` to P₁        for the whole interval (`intervalCubic`: control points on the end
 *                           tangents, fitted to both arcs), when it is within `cubicTolerance` of
 *                           the model as printed (rounded, from the printed current point);
 *   5. per arc, as below (src/output/svg-commands.ts writes 1–5).
 * Per arc (and for every conic interval with `joinArcs: false`):
 *   u = 1           → `Q` (exact: a rational quadratic with weight 1 is a quadratic Bézier)
 *   0 < u < 1       → `A` (exact ellipse arc, `ellipticArcToSvgA`), or `C` with
 *                     `ellipse: 'cubic'` (for consumers without arc support, e.g. fonts)
 *   u > 1           → `C` within `cubicTolerance` (0.01 px) — SVG has no hyperbola.
 * `ellipse: 'cubic'` never writes `A`. "Exact" means up to the printed precision: every number
 * is rounded to `precision` decimals (≤ 0.5·10⁻ᵖ px each). An `A` command is checked after
 * rounding — its radii and centre can amplify rounding when the arc is nearly a half ellipse or
 * nearly a parabola — and replaced by cubics if the rounded arc is farther from the model than
 * the cubics would be. So every written curve is within `cubicTolerance` plus that rounding of
 * the model (the `T` case: plus √2·10⁻ᵖ).
 *
 * Path data is compact, as svgo writes it: no leading zero (0.5 → `.5`, −0.5 → `-.5`), no
 * separator before a minus sign, none between two numbers when the second starts with `.` and the
 * first already holds one (`1.5 .5` → `1.5.5`); a space everywhere else. The commands above are
 * chosen absolute; with option `compact` (default with native curves) the writer prints each
 * relative where shorter, axis lines as H/V, a repeated letter left out (`CompactPath`, §15.7).
 *
 * Holes run opposite to outer boundaries in the model (src/model.ts), so `nonzero` and
 * `evenodd` both render holes as holes; `nonzero` is the default because font tools need it.
 */
import { badOption, checkKnownKeys, ConicfitError, describeValue, optionKeys } from '../errors.js';
import { conicPieceArcs } from '../geometry/conic.js';
import type { FittedContour, TraceResult } from '../model.js';
import { convertCurves, outlinePathData, resolveCurveOptions, type CurveMode } from './outline.js';
import { compactPathData } from './path-compact.js';
import { formatNumber, PathWriter } from './path-writer.js';
import { writeArc, writeInterval, type EllipseMode } from './svg-commands.js';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

export type { EllipseMode };
export type FillRule = 'nonzero' | 'evenodd';

export interface SvgLayers {
  /** Each source contour's boundary points as a thin closed polyline. */
  source?: boolean;
  /** Knots of kind 'corner' as small red squares. */
  corners?: boolean;
  /** Knots of kind 'intermediate' or 'seed' as small blue circles. */
  intermediate?: boolean;
  /** Every knot as a small dark dot (drawn under the corner / intermediate markers). */
  knots?: boolean;
}

export interface SvgOptions {
  /** Decimals printed per number, integer 0..10. */
  precision?: number;
  fillRule?: FillRule;
  /** Fill colour of the fitted outline (any SVG paint; 'none' for an outline-only figure). */
  fill?: string;
  /** Stroke colour of the fitted outline; none by default. */
  stroke?: string;
  /** Stroke width of the fitted outline, px. */
  strokeWidth?: number;
  /** Background colour under everything; none (transparent) by default. */
  background?: string;
  /** Elliptic arcs (0 < u < 1) as exact `A` commands ('arc') or as cubics ('cubic'). */
  ellipse?: EllipseMode;
  /** Largest distance, px, between a conic arc and the cubics (or the line) that replace it; at least 1e-6 (`SVG_DEFAULTS.minCubicTolerance`). */
  cubicTolerance?: number;
  /**
   * Write each conic interval as one command where that stays within `cubicTolerance` (`L` when
   * straight, `Q`+`T` for u = 1, else one `C`), falling back to one command per arc. Default true;
   * false gives one command per arc (`Q`, `A` or `C`s), e.g. to keep elliptic arcs exact `A`s.
   */
  joinArcs?: boolean;
  /**
   * Relative commands where shorter, H/V, collinear lines joined (§15.7): the same
   * drawing, exact at `precision`. Default true with native curves, false (absolute only) otherwise.
   */
  compact?: boolean;
  /** 'native' (default): as above; 'quadratic': only M, L, Q, Z; 'cubic': only M, L, C, Z, within `curveTolerance` (docs/design.md §21.1, §21.2). */
  curves?: CurveMode;
  /** px, for `curves` 'quadratic' and 'cubic' (default `CURVE_DEFAULTS.tolerance`, 0.05). */
  curveTolerance?: number;
  /** Figure layers drawn over the fill. */
  layers?: SvgLayers;
  /** Size of the layer markers, px (square side, circle diameter); the source stroke is ¼ of it. Default: max(width, height)/128 clamped to [0.5, 8]. */
  markerSize?: number;
}

/** The one place for `toSvg`'s defaults. */
export const SVG_DEFAULTS = Object.freeze({
  /** 3 decimals = 0.0005 px rounding: far below any tolerance, short enough to keep files small. */
  precision: 3,
  /** Font tools (and the fitted orientation: holes run backwards) want nonzero. */
  fillRule: 'nonzero' as FillRule,
  fill: '#000',
  /** Exact arcs by default; 'cubic' for consumers without elliptical-arc support. */
  ellipse: 'arc' as EllipseMode,
  /** Hyperbolic arcs as cubics "within a tiny tolerance (0.01 px)" (docs/design.md §7.2, §15.4). */
  cubicTolerance: 0.01,
  /** One command per conic interval where possible (shorter paths); false: one per arc. */
  joinArcs: true,
  /** Smallest cubicTolerance accepted, px: below the distance estimator's accuracy no split satisfies it (docs/design.md §18.26). */
  minCubicTolerance: 1e-6,
  /** Layer colours (figures). */
  sourceColor: '#2a9d8f',
  cornerColor: '#d62728',
  intermediateColor: '#1f6feb',
  knotColor: '#222',
});

export interface ResolvedSvgOptions {
  precision: number;
  fillRule: FillRule;
  fill: string;
  stroke: string | undefined;
  strokeWidth: number | undefined;
  background: string | undefined;
  ellipse: EllipseMode;
  cubicTolerance: number;
  joinArcs: boolean;
  compact: boolean;
  curves: CurveMode;
  curveTolerance: number;
  layers: Required<SvgLayers>;
  markerSize: number | undefined;
}

/** Every `SvgOptions` key: any other is BAD_OPTION. */
const SVG_OPTION_KEYS = optionKeys<SvgOptions>()([
  'precision',
  'fillRule',
  'fill',
  'stroke',
  'strokeWidth',
  'background',
  'ellipse',
  'cubicTolerance',
  'joinArcs',
  'compact',
  'curves',
  'curveTolerance',
  'layers',
  'markerSize',
]);

/** Every `SvgLayers` key. */
const SVG_LAYER_KEYS = optionKeys<SvgLayers>()(['source', 'corners', 'intermediate', 'knots']);

/** Validate `toSvg` options and fill in `SVG_DEFAULTS`. An unknown key is BAD_OPTION. */
export function resolveSvgOptions(options: unknown): ResolvedSvgOptions {
  const out: ResolvedSvgOptions = {
    precision: SVG_DEFAULTS.precision,
    fillRule: SVG_DEFAULTS.fillRule,
    fill: SVG_DEFAULTS.fill,
    stroke: undefined,
    strokeWidth: undefined,
    background: undefined,
    ellipse: SVG_DEFAULTS.ellipse,
    cubicTolerance: SVG_DEFAULTS.cubicTolerance,
    joinArcs: SVG_DEFAULTS.joinArcs,
    compact: true,
    ...resolveCurveOptions(undefined, undefined, 'toSvg'),
    layers: { source: false, corners: false, intermediate: false, knots: false },
    markerSize: undefined,
  };
  if (options === undefined) return out;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConicfitError('BAD_OPTION', `toSvg: options must be an object, got ${describeValue(options)}`);
  }
  checkKnownKeys(options, SVG_OPTION_KEYS, 'toSvg');
  const o = options as Record<string, unknown>;
  if (o.precision !== undefined) out.precision = checkPrecision(o.precision);
  if (o.fillRule !== undefined) {
    if (o.fillRule !== 'nonzero' && o.fillRule !== 'evenodd') {
      throw badOption('toSvg', 'fillRule', o.fillRule, "'nonzero' or 'evenodd'");
    }
    out.fillRule = o.fillRule;
  }
  if (o.ellipse !== undefined) out.ellipse = checkEllipse(o.ellipse);
  if (o.joinArcs !== undefined) out.joinArcs = checkJoinArcs(o.joinArcs);
  Object.assign(out, resolveCurveOptions(o.curves, o.curveTolerance, 'toSvg'));
  if (o.compact !== undefined && typeof o.compact !== 'boolean') throw badOption('toSvg', 'compact', o.compact, 'true or false');
  out.compact = (o.compact as boolean | undefined) ?? out.curves === 'native';
  for (const key of ['fill', 'stroke', 'background'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '') throw badOption('toSvg', key, v, 'a non-empty SVG colour string');
    out[key] = v;
  }
  for (const key of ['strokeWidth', 'markerSize', 'cubicTolerance'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw badOption('toSvg', key, v, 'a positive number (px)');
    if (key === 'cubicTolerance' && v < SVG_DEFAULTS.minCubicTolerance) {
      throw badOption('toSvg', key, v, `a number of px ≥ ${SVG_DEFAULTS.minCubicTolerance}`);
    }
    out[key] = v;
  }
  if (o.layers !== undefined) {
    const l = o.layers;
    if (l === null || typeof l !== 'object' || Array.isArray(l)) {
      throw badOption('toSvg', 'layers', l, 'an object { source?, corners?, intermediate?, knots? } of booleans');
    }
    checkKnownKeys(l, SVG_LAYER_KEYS, 'toSvg: layers');
    for (const key of SVG_LAYER_KEYS) {
      const v = (l as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (typeof v !== 'boolean') throw badOption('toSvg', `layers.${key}`, v, 'true or false');
      out.layers[key] = v;
    }
  }
  return out;
}

function checkPrecision(p: unknown): number {
  if (!(typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 10)) {
    throw badOption('toSvg', 'precision', p, 'an integer 0..10 (decimals)');
  }
  return p;
}

function checkEllipse(e: unknown): EllipseMode {
  if (e !== 'arc' && e !== 'cubic') throw badOption('toSvg', 'ellipse', e, "'arc' or 'cubic'");
  return e;
}

function checkJoinArcs(j: unknown): boolean {
  if (typeof j !== 'boolean') throw badOption('toSvg', 'joinArcs', j, 'true or false');
  return j;
}

// ---------------------------------------------------------------------------------------------
// toSvg
// ---------------------------------------------------------------------------------------------

/**
 * The fitted model as an SVG document (width, height and viewBox = the image size in px).
 *
 * @example writeFileSync('out.svg', toSvg(await traceImage('a.png'), { layers: { corners: true } }))
 * @throws ConicfitError BAD_OPTION for bad options, BAD_MODEL when the model holds a non-finite
 *   number, a non-positive u or an unknown piece kind.
 */
export function toSvg(result: TraceResult, options?: SvgOptions): string {
  const o = resolveSvgOptions(options);
  if (result === null || typeof result !== 'object') throw badModel('the result is not an object');
  const { width, height } = result;
  if (!(isFiniteNumber(width) && width >= 0 && isFiniteNumber(height) && height >= 0)) {
    throw badModel(`width and height must be finite non-negative numbers, got ${describeValue(width)} × ${describeValue(height)}`);
  }
  if (!Array.isArray(result.fits)) throw badModel('fits is not an array');
  const p = o.precision;
  const n = (x: number) => formatNumber(x, p);

  const lines: string[] = [];
  lines.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}">`);
  if (o.background !== undefined) {
    lines.push(`<rect width="${n(width)}" height="${n(height)}" fill="${attr(o.background)}"/>`);
  }

  let data: string;
  if (o.curves === 'native') {
    // null: a number ≥ 10²¹ printed in exponent form; the rewrite of the absolute text rejects it, as it always did.
    data = nativePathData(result.fits, o, o.compact) ?? compactPathData(nativePathData(result.fits, o, false)!, p);
  } else {
    const d = convertCurves(result, { curves: o.curves, tolerance: o.curveTolerance })
      .contours.map((c) => outlinePathData(c, p))
      .join('');
    data = o.compact ? compactPathData(d, p) : d;
  }
  if (data !== '') {
    let style = `fill="${attr(o.fill)}" fill-rule="${o.fillRule}"`;
    if (o.stroke !== undefined) {
      style += ` stroke="${attr(o.stroke)}" stroke-width="${n(o.strokeWidth ?? 1)}" stroke-linejoin="round"`;
    }
    lines.push(`<path d="${data}" ${style}/>`);
  }

  const L = o.layers;
  if (L.source || L.corners || L.intermediate || L.knots) {
    const size = o.markerSize ?? Math.min(8, Math.max(0.5, Math.max(width, height) / 128));
    if (L.source) lines.push(...sourceLayer(result, size, n));
    if (L.knots) lines.push(...markerLayer(result, 'knots', SVG_DEFAULTS.knotColor, () => true, 'circle', size / 2, n));
    if (L.intermediate) {
      lines.push(...markerLayer(result, 'intermediate', SVG_DEFAULTS.intermediateColor, (k) => k !== 'corner', 'circle', size, n));
    }
    if (L.corners) {
      lines.push(...markerLayer(result, 'corners', SVG_DEFAULTS.cornerColor, (k) => k === 'corner', 'square', size, n));
    }
  }
  lines.push('</svg>');
  return lines.join('\n') + '\n';
}

/**
 * Path data of one fitted contour: one closed subpath (`M … Z`), or '' when it has no pieces;
 * `compact` as toSvg's option of that name writes it (relative where shorter, H/V; §15.7).
 *
 * @example fitToPathData(result.fits[0], 3, 'arc') // "M10 4L12 4Q13 4 13.5 5T14 7C…Z"
 * @throws ConicfitError BAD_OPTION (precision, ellipse, joinArcs, compact), BAD_MODEL (non-finite number, u ≤ 0).
 */
export function fitToPathData(
  fit: FittedContour,
  precision: number = SVG_DEFAULTS.precision,
  ellipse: EllipseMode = 'arc',
  joinArcs: boolean = SVG_DEFAULTS.joinArcs,
  compact = false,
): string {
  const o = {
    precision: checkPrecision(precision),
    ellipse: checkEllipse(ellipse),
    cubicTolerance: SVG_DEFAULTS.cubicTolerance,
    joinArcs: checkJoinArcs(joinArcs),
  };
  if (typeof compact !== 'boolean') throw badOption('toSvg', 'compact', compact, 'true or false');
  return nativePathData([fit], o, compact, 'fit') ?? compactPathData(nativePathData([fit], o, false, 'fit')!, o.precision);
}

/**
 * The fits' path data, one writer for all (compact: one CompactPath across subpaths, as the rewrite
 * of their joined text ran); null when the compact writer met a number it cannot hold (`PathWriter.unparsable`).
 */
function nativePathData(
  fits: readonly FittedContour[],
  o: Pick<ResolvedSvgOptions, 'precision' | 'ellipse' | 'cubicTolerance' | 'joinArcs'>,
  compact: boolean,
  where?: string,
): string | null {
  const w = new PathWriter(o.precision, compact);
  fits.forEach((fit, i) => writeFit(w, fit, o.ellipse, o.cubicTolerance, o.joinArcs, where ?? `fits[${i}]`));
  return w.unparsable ? null : w.toString();
}

/** One closed subpath (`M … Z`) of a fitted contour, nothing when it has no pieces. */
function writeFit(w: PathWriter, fit: FittedContour, ellipse: EllipseMode, cubicTol: number, joinArcs: boolean, where: string): void {
  if (fit === null || typeof fit !== 'object' || !Array.isArray(fit.pieces)) throw badModel(`${where}.pieces is not an array`);
  if (fit.pieces.length === 0) return;
  let endX = NaN,
    endY = NaN;
  fit.pieces.forEach((piece, i) => {
    const at = `${where}.pieces[${i}]`;
    if (piece === null || typeof piece !== 'object') throw badModel(`${at} is not an object`);
    checkPoint(piece.p0, `${at}.p0`);
    checkPoint(piece.p1, `${at}.p1`);
    if (i === 0) w.move(piece.p0.x, piece.p0.y);
    else if (Math.abs(piece.p0.x - endX) > 1e-9 || Math.abs(piece.p0.y - endY) > 1e-9) {
      // A gap in the model: bridge it rather than start an arc from the wrong point.
      w.line(piece.p0.x, piece.p0.y);
    }
    if (piece.kind === 'line') {
      w.line(piece.p1.x, piece.p1.y);
    } else if (piece.kind === 'conic') {
      checkPoint(piece.v, `${at}.v`);
      checkPoint(piece.j, `${at}.j`);
      checkPoint(piece.w, `${at}.w`);
      if (!(isFiniteNumber(piece.u) && piece.u > 0)) throw badModel(`${at}.u must be a finite positive number, got ${describeValue(piece.u)}`);
      if (!(joinArcs && writeInterval(w, piece, cubicTol))) {
        for (const arc of conicPieceArcs(piece)) writeArc(w, arc, ellipse, cubicTol);
      }
    } else {
      throw badModel(`${at}.kind must be 'line' or 'conic', got ${describeValue((piece as { kind: unknown }).kind)}`);
    }
    endX = piece.p1.x;
    endY = piece.p1.y;
  });
  w.close();
}

// ---------------------------------------------------------------------------------------------
// Figure layers
// ---------------------------------------------------------------------------------------------

function sourceLayer(result: TraceResult, size: number, n: (x: number) => string): string[] {
  const contours = Array.isArray(result.contours) ? result.contours : [];
  const parts: string[] = [];
  contours.forEach((c, i) => {
    const pts = c?.points;
    if (!pts || typeof pts.length !== 'number' || pts.length < 4) return;
    let d = '';
    for (let k = 0; k + 1 < pts.length; k += 2) {
      const x = pts[k],
        y = pts[k + 1];
      if (!isFiniteNumber(x) || !isFiniteNumber(y)) throw badModel(`contours[${i}].points holds a non-finite number`);
      d += `${k === 0 ? 'M' : 'L'}${n(x)} ${n(y)}`;
    }
    parts.push(d + 'Z');
  });
  if (parts.length === 0) return [];
  return [
    `<g id="source" fill="none" stroke="${SVG_DEFAULTS.sourceColor}" stroke-width="${n(size / 4)}" stroke-linejoin="round">`,
    `<path d="${parts.join('')}"/>`,
    '</g>',
  ];
}

function markerLayer(
  result: TraceResult,
  id: string,
  color: string,
  keep: (kind: string) => boolean,
  shape: 'circle' | 'square',
  size: number,
  n: (x: number) => string,
): string[] {
  const out: string[] = [`<g id="${id}" fill="${color}">`];
  result.fits.forEach((fit, i) => {
    if (!Array.isArray(fit.knots)) return;
    fit.knots.forEach((k, j) => {
      if (!keep(k.kind)) return;
      checkPoint(k, `fits[${i}].knots[${j}]`);
      if (shape === 'circle') out.push(`<circle cx="${n(k.x)}" cy="${n(k.y)}" r="${n(size / 2)}"/>`);
      else out.push(`<rect x="${n(k.x - size / 2)}" y="${n(k.y - size / 2)}" width="${n(size)}" height="${n(size)}"/>`);
    });
  });
  out.push('</g>');
  return out.length > 2 ? out : [];
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

function checkPoint(p: unknown, where: string): void {
  const q = p as { x?: unknown; y?: unknown } | null;
  if (q === null || typeof q !== 'object' || !isFiniteNumber(q.x) || !isFiniteNumber(q.y)) {
    throw badModel(`${where} must be a point with finite x and y, got ${q && typeof q === 'object' ? `(${String(q.x)}, ${String(q.y)})` : describeValue(q)}`);
  }
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function badModel(why: string): ConicfitError {
  return new ConicfitError('BAD_MODEL', `toSvg: ${why}`);
}

/** Escape a string for a double-quoted XML attribute. */
function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
