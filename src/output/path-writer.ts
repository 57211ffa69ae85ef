/**
 * SVG path data in the compact syntax svgo writes (docs/design.md §15.7): numbers at a fixed
 * precision with trailing zeros and leading zeros dropped, separators only where the path
 * grammar needs them, and a writer that tracks the current point as a renderer reads it back.
 * Pure; bench/ writes other tracers' paths with `pathCommand`, so byte counts compare alike. The
 * compact form (relative where shorter, H/V, §15.7) is written by `CompactPath` (path-compact.ts).
 */
import { ConicfitError } from '../errors.js';
import type { SvgArc } from '../geometry/conversion.js';
import { CompactPath, unitsToPathNumber } from './path-compact.js';

/**
 * Accumulates path data in the compact syntax (`pathCommand`); tracks the current point as
 * printed (what a renderer reads back), which is where the next command starts. With `compact`,
 * the commands go to a `CompactPath` as integer units instead (relative where shorter, H/V, §15.7),
 * so the compact form costs no second pass over the text.
 */
export class PathWriter {
  /** Absolute mode: the commands of the open subpath, and each closed subpath joined (fewer live strings: toSvg writes all fits with one writer). */
  private readonly parts: string[] = [];
  private readonly closed: string[] = [];
  private readonly scale: number;
  private readonly compact: CompactPath | undefined;
  /**
   * A number printed in exponent form (|v| ≥ 10²¹) went to the compact form, which cannot hold it:
   * the caller then writes absolute and calls `compactPathData`, which rejects it as it always did.
   */
  unparsable = false;
  /** Current point as printed. */
  x = 0;
  y = 0;
  constructor(
    private readonly precision: number,
    compact = false,
  ) {
    this.scale = 10 ** precision;
    this.compact = compact ? new CompactPath(precision) : undefined;
  }
  /** v as it will be read back from the document. */
  rounded(v: number): number {
    const n = printedUnits(v, this.scale);
    // N / 10ᵖ is one correctly rounded division: the double Number() reads from N's decimal text.
    return n === n ? n / this.scale : Number(formatNumber(v, this.precision));
  }
  /** v printed in path syntax at the precision: `formatPathNumber(v, precision)`. */
  private num(v: number): string {
    const n = printedUnits(v, this.scale);
    return n === n ? unitsToPathNumber(n, this.precision, this.scale) : compactNumber(formatNumber(v, this.precision));
  }
  /** v in units of the last decimal as compactPathData reads it back from the printed text: Math.round(Number(printed) · 10ᵖ). */
  private unitsOf(v: number): number {
    const n = printedUnits(v, this.scale);
    if (n === n) return n;
    const s = formatNumber(v, this.precision);
    if (s.includes('e')) this.unparsable = true;
    return Math.round(Number(s) * this.scale);
  }
  /** The end point's two numbers; sets the current point. */
  private point(x: number, y: number): [string, string] {
    const p: [string, string] = [this.num(x), this.num(y)];
    this.x = this.rounded(x);
    this.y = this.rounded(y);
    return p;
  }
  /** Compact mode: the end point in units; sets the current point. */
  private pointUnits(x: number, y: number): [number, number] {
    const p: [number, number] = [this.unitsOf(x), this.unitsOf(y)];
    this.x = this.rounded(x);
    this.y = this.rounded(y);
    return p;
  }
  move(x: number, y: number): void {
    if (this.compact) this.compact.push('M', this.pointUnits(x, y));
    else this.parts.push(pathCommand('M', this.point(x, y)));
  }
  line(x: number, y: number): void {
    if (this.compact) this.compact.push('L', this.pointUnits(x, y));
    else this.parts.push(pathCommand('L', this.point(x, y)));
  }
  quad(x1: number, y1: number, x: number, y: number): void {
    if (this.compact) this.compact.push('Q', [this.unitsOf(x1), this.unitsOf(y1), ...this.pointUnits(x, y)]);
    else this.parts.push(pathCommand('Q', [this.num(x1), this.num(y1), ...this.point(x, y)]));
  }
  /** `T`: a quadratic whose control point is the previous one reflected about the current point. */
  smoothQuad(x: number, y: number): void {
    if (this.compact) this.compact.push('T', this.pointUnits(x, y));
    else this.parts.push(pathCommand('T', this.point(x, y)));
  }
  cubic(x1: number, y1: number, x2: number, y2: number, x: number, y: number): void {
    if (this.compact) {
      this.compact.push('C', [this.unitsOf(x1), this.unitsOf(y1), this.unitsOf(x2), this.unitsOf(y2), ...this.pointUnits(x, y)]);
    } else {
      this.parts.push(pathCommand('C', [this.num(x1), this.num(y1), this.num(x2), this.num(y2), ...this.point(x, y)]));
    }
  }
  /**
   * The arc's numbers as they will be printed and read back. Radii and rotation get 2 extra
   * decimals: the centre of a nearly half or nearly parabolic arc is sensitive to them.
   */
  arcNumbers(a: SvgArc): SvgArc {
    const extra = Math.min(12, this.precision + 2);
    return {
      rx: Number(formatNumber(a.rx, extra)),
      ry: Number(formatNumber(a.ry, extra)),
      xAxisRotation: Number(formatNumber(a.xAxisRotation, extra)),
      largeArc: a.largeArc,
      sweep: a.sweep,
      x: this.rounded(a.x),
      y: this.rounded(a.y),
    };
  }
  /** Writes an arc from `arcNumbers` (already rounded, so printing is exact). */
  arc(a: SvgArc): void {
    const extra = Math.min(12, this.precision + 2);
    const head = [formatPathNumber(a.rx, extra), formatPathNumber(a.ry, extra), formatPathNumber(a.xAxisRotation, extra), String(a.largeArc), String(a.sweep)];
    if (this.compact) {
      if (head.some((t) => t.includes('e'))) this.unparsable = true;
      this.compact.push('A', this.pointUnits(a.x, a.y), head);
    } else {
      this.parts.push(pathCommand('A', [...head, ...this.point(a.x, a.y)]));
    }
  }
  close(): void {
    if (this.compact) this.compact.push('Z', []);
    else {
      this.parts.push('Z');
      this.closed.push(this.parts.join(''));
      this.parts.length = 0;
    }
  }
  toString(): string {
    return this.compact ? this.compact.toString() : this.closed.join('') + this.parts.join('');
  }
}

/**
 * v·10ᵖ (`scale`) rounded as toFixed rounds v (to the nearest integer, exactly), when the product
 * lies clear of a tie: below 2⁴⁰ its rounding error is under 2⁻¹³, so a fraction more than 2⁻¹²
 * from ½ rounds the same as the exact product. NaN otherwise (a tie, a huge or non-finite v):
 * then print with `formatNumber`. Skips toFixed's decimal expansion of the double.
 */
function printedUnits(v: number, scale: number): number {
  const y = v * scale;
  if (!(Math.abs(y) < 2 ** 40)) return NaN;
  const f = y - Math.floor(y);
  return Math.abs(f - 0.5) > 2 ** -12 ? Math.round(y) + 0 : NaN; // + 0: -0 → 0, as formatNumber prints "-0"
}

/**
 * Fixed `digits` decimals, trailing zeros (and a bare '.') trimmed, "-0" printed as "0".
 * Throws BAD_MODEL on NaN or ±Infinity, so they never reach a document.
 *
 * @example formatNumber(-0.0001, 3) // "0";  formatNumber(2.5, 3) // "2.5"
 */
export function formatNumber(x: number, digits: number): string {
  if (!Number.isFinite(x)) throw badModel(`non-finite number ${String(x)} in the model`);
  let s = x.toFixed(digits);
  if (s.includes('.') && !s.includes('e')) {
    // Trailing zeros, then a bare '.', trimmed (a scan from the end: cheaper than two regular expressions).
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--; // '0'; stops at the '.' at the latest
    if (s.charCodeAt(end - 1) === 46) end--; // '.'
    s = s.slice(0, end);
  }
  if (s === '-0') s = '0';
  return s;
}

/**
 * `formatNumber` in SVG path syntax: the leading zero dropped, as svgo does.
 *
 * @example formatPathNumber(0.5, 3) // ".5";  formatPathNumber(-0.25, 3) // "-.25";  formatPathNumber(10.5, 3) // "10.5"
 */
export function formatPathNumber(x: number, digits: number): string {
  return compactNumber(formatNumber(x, digits));
}

/** "0.5" → ".5", "-0.5" → "-.5"; anything else unchanged. */
function compactNumber(s: string): string {
  if (s.startsWith('0.')) return s.slice(1);
  if (s.startsWith('-0.')) return '-' + s.slice(2);
  return s;
}

/**
 * One path command: its letter, then its numbers (already formatted, e.g. by `formatPathNumber`;
 * arc flags as "0"/"1"), separated only where the SVG path grammar needs it: no separator before
 * a minus sign, none before a number starting with '.' when the previous number already holds a
 * '.' (so it cannot continue it), one space otherwise. bench/geometry.ts writes other tracers'
 * paths with it, so byte counts compare like with like.
 *
 * @example pathCommand('C', ['1.5', '.5', '-2', '3', '.25', '4']) // "C1.5.5-2 3 .25 4"
 */
export function pathCommand(letter: string, numbers: readonly string[]): string {
  let s = letter;
  for (let k = 0; k < numbers.length; k++) {
    const t = numbers[k];
    if (k > 0) {
      const prev = numbers[k - 1];
      const joined = t[0] === '-' || (t[0] === '.' && prev.includes('.') && !/[eE]/.test(prev));
      if (!joined) s += ' ';
    }
    s += t;
  }
  return s;
}

function badModel(why: string): ConicfitError {
  return new ConicfitError('BAD_MODEL', `toSvg: ${why}`);
}
