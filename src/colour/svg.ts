/**
 * Colour output (docs/design.md §22.7): `colourToSvg` (one `<path>` per region, filled with its
 * colour) and `colourToJson` (palette, regions, shared chains with their pieces and reports).
 * Pure functions of a `ColourTraceResult`; path data by the single-colour writer (`fitToPathData`,
 * src/output/svg.ts), so each piece is printed as in a single-colour SVG.
 *
 * Drawing order: regions by the area inside their outer boundaries, largest first, so a region
 * lying in another's hole is drawn after it. `layering: 'stacked'` (default) closes every hole no
 * background shows through: the region below then runs on under the regions drawn in its hole, and
 * no seam of background can show along their shared boundary. `'exact'` keeps every hole (cut-out
 * shapes that only meet along their shared chains).
 */
import { badOption } from '../errors.js';
import type { FittedContour, FittedPiece } from '../model.js';
import { formatNumber } from '../output/path-writer.js';
import { fitToPathData, SVG_DEFAULTS } from '../output/svg.js';
import { reversePiece } from './chains-fit.js';
import type { ColourRegion, ColourTraceResult } from './index.js';

export interface ColourSvgOptions {
  /** Decimals of the path numbers. Default 2. */
  precision?: number;
  /** 'stacked' (default): holes covered by other regions are closed; 'exact': every hole kept. */
  layering?: 'stacked' | 'exact';
  /** Paint the background colour as a rect under the regions (not for transparency). Default true. */
  background?: boolean;
}

/** The regions in drawing order (largest outer area first, then by id). */
export function drawingOrder(result: ColourTraceResult): ColourRegion[] {
  const outer = (r: ColourRegion) => r.loops.reduce((s, l) => s + Math.max(0, l.area), 0);
  return [...result.regions].sort((a, b) => outer(b) - outer(a) || a.id - b.id);
}

/** Path data of one region: each loop a closed subpath of its chains' pieces; `compact` (default): relative where shorter, H/V (docs/design.md §15.7). */
export function regionPathData(result: ColourTraceResult, region: ColourRegion, precision: number, stacked: boolean, compact = true): string {
  return region.loops
    .filter((l) => !(stacked && l.area < 0 && !l.showsBackground))
    .map((loop) => {
      const pieces: FittedPiece[] = [];
      for (const use of loop.chains) {
        const own = result.chains[use.chain].pieces;
        if (use.reversed) for (let k = own.length - 1; k >= 0; k--) pieces.push(reversePiece(own[k]));
        else pieces.push(...own);
      }
      const fit: FittedContour = {
        mode: result.mode,
        hole: loop.area < 0,
        parent: -1,
        knots: [],
        pieces,
        report: { points: 0, corners: 0, intermediatePoints: 0, intervals: pieces.length, maxDeviation: 0, rms: 0, failedIntervals: 0 },
      };
      // Each loop made compact on its own (from the origin, no letter carried over), as colourToSvg always wrote it.
      return fitToPathData(fit, precision, 'arc', SVG_DEFAULTS.joinArcs, compact);
    })
    .join('');
}

/**
 * The colour trace as an SVG document (width, height and viewBox = the image size in px).
 *
 * @example writeFileSync('logo.svg', colourToSvg(await traceColour('logo.png', { colors: 'auto' })));
 */
export function colourToSvg(result: ColourTraceResult, options: ColourSvgOptions = {}): string {
  const precision = options.precision ?? 2;
  if (!(Number.isInteger(precision) && precision >= 0 && precision <= 10)) throw badOption('colourToSvg', 'precision', precision, 'an integer 0..10');
  const layering = options.layering ?? 'stacked';
  if (layering !== 'stacked' && layering !== 'exact') throw badOption('colourToSvg', 'layering', layering, "'stacked' or 'exact'");
  const n = (x: number) => formatNumber(x, precision);
  const { width, height } = result;
  const lines = [`<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}">`];
  const bg = result.palette[result.background];
  if ((options.background ?? true) && bg && !bg.transparent) lines.push(`<rect width="${n(width)}" height="${n(height)}" fill="${bg.colour}"/>`);
  for (const region of drawingOrder(result)) {
    const d = regionPathData(result, region, precision, layering === 'stacked');
    if (d === '') continue;
    const entry = result.palette[region.colour];
    const rule = d.indexOf('M', 1) > 0 ? ' fill-rule="evenodd"' : '';
    lines.push(`<path d="${d}" fill="${entry.transparent ? 'none' : entry.colour}"${rule}/>`);
  }
  lines.push('</svg>');
  return lines.join('\n') + '\n';
}

/** The colour trace as JSON (`conicfit-colour/1`): everything but the timings, which vary by machine. */
export function colourToJson(result: ColourTraceResult, options: { timings?: boolean } = {}): string {
  const { report, ...rest } = result;
  const { timings, ...stable } = report;
  return JSON.stringify({ format: 'conicfit-colour/1', ...rest, report: options.timings ? { ...stable, timings } : stable }, null, 1) + '\n';
}
