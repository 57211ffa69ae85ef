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
import { badOption, ConicfitError } from '../errors.js';
import type { FittedContour, FittedPiece } from '../model.js';
import { formatNumber, formatPathNumber } from '../output/path-writer.js';
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

/** Path data of one region: each loop a closed subpath of its chains' pieces; `compact` (default) as `compactPathData` writes it. */
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
      const d = fitToPathData(fit, precision, 'arc', SVG_DEFAULTS.joinArcs);
      return compact ? compactPathData(d, precision) : d;
    })
    .join('');
}

/** Letters of the absolute commands `fitToPathData` writes, and their numbers (arc: rx ry rotation large sweep x y). */
const ARITY: Record<string, number> = { M: 2, L: 2, T: 2, Q: 4, C: 6, A: 7, Z: 0 };

/** One parsed command: its letter, its numbers as printed, and its end point in units of the last decimal. */
interface PathOp {
  letter: string;
  nums: string[];
  x: number;
  y: number;
}

/**
 * Path data made shorter without changing what it draws (docs/design.md §22.7): consecutive lines
 * along one straight line joined (a repair knot or a junction on a straight edge leaves such
 * runs), each command written absolute or relative, whichever is shorter (relative numbers are
 * differences of the printed values, so exact at the same precision), a line along an axis as
 * `H`/`V`, a line to the current point dropped, and a letter repeated from the command before
 * left out.
 *
 * @example compactPathData('M10 10L11 10L12 10L12 13Z', 2) // "M10 10h2v3z"
 */
export function compactPathData(d: string, precision: number): string {
  const scale = 10 ** precision;
  const fixed = (t: string) => Math.round(Number(t) * scale);
  const show = (v: number) => formatPathNumber(v / scale, precision);
  const ops: PathOp[] = [];
  let cx = 0,
    cy = 0,
    sx = 0,
    sy = 0;
  for (const m of d.matchAll(/([MLQTCAZ])([^MLQTCAZ]*)/g)) {
    const letter = m[1];
    const nums = m[2].match(/-?(?:\d+\.?\d*|\.\d+)/g) ?? [];
    if (nums.length !== ARITY[letter]) throw new ConicfitError('BAD_MODEL', `colourToSvg: unexpected path command ${m[0]}`);
    if (letter === 'Z') {
      ops.push({ letter, nums, x: sx, y: sy });
      [cx, cy] = [sx, sy];
      continue;
    }
    const x = fixed(nums[nums.length - 2]),
      y = fixed(nums[nums.length - 1]);
    if (letter === 'L' && x === cx && y === cy) continue;
    const prev = ops[ops.length - 1];
    const before = ops[ops.length - 2];
    if (letter === 'L' && prev?.letter === 'L' && before && before.letter !== 'Z') {
      // prev runs before → prev; this one prev → (x, y): joined when on one line, same way.
      const ax = prev.x - before.x,
        ay = prev.y - before.y,
        bx = x - prev.x,
        by = y - prev.y;
      if (ax * by - ay * bx === 0 && ax * bx + ay * by > 0) ops.pop();
    }
    ops.push({ letter, nums, x, y });
    [cx, cy] = [x, y];
    if (letter === 'M') [sx, sy] = [x, y];
  }
  let out = '';
  let lastLetter = '';
  let lastNumber = '';
  const emit = (letter: string, numbers: string[]) => {
    if (letter !== lastLetter || letter === 'M' || letter === 'm' || numbers.length === 0) {
      out += letter;
      lastNumber = '';
    }
    for (const t of numbers) {
      if (lastNumber !== '' && !(t[0] === '-' || (t[0] === '.' && lastNumber.includes('.')))) out += ' ';
      out += t;
      lastNumber = t;
    }
    lastLetter = letter;
  };
  cx = cy = 0;
  for (const { letter, nums, x, y } of ops) {
    if (letter === 'Z') {
      emit('z', []);
      [cx, cy] = [x, y];
      continue;
    }
    let abs: [string, string[]], rel: [string, string[]];
    if (letter === 'A') {
      const head = nums.slice(0, 5).map((t) => (t.startsWith('0.') ? t.slice(1) : t));
      abs = ['A', [...head, show(x), show(y)]];
      rel = ['a', [...head, show(x - cx), show(y - cy)]];
    } else if (letter === 'L' && y === cy) {
      abs = ['H', [show(x)]];
      rel = ['h', [show(x - cx)]];
    } else if (letter === 'L' && x === cx) {
      abs = ['V', [show(y)]];
      rel = ['v', [show(y - cy)]];
    } else {
      const v = nums.map(fixed);
      abs = [letter, v.map(show)];
      rel = [letter.toLowerCase(), v.map((t, k) => show(t - (k % 2 === 0 ? cx : cy)))];
    }
    const len = ([l, n]: [string, string[]]) => (l === lastLetter ? 0 : 1) + n.reduce((sum, t) => sum + t.length + 1, 0);
    const pick = len(rel) < len(abs) ? rel : abs;
    emit(pick[0], pick[1]);
    [cx, cy] = [x, y];
  }
  return out;
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
