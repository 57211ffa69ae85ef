/**
 * Compact path data (docs/design.md §15.7, §22.7): absolute commands rewritten relative where
 * shorter, lines along an axis as H/V, collinear lines joined, repeated letters left out — what
 * svgo does, exact at the printed precision. `CompactPath` takes the commands as the writer
 * prints them (`PathWriter` in compact mode: toSvg, colourToSvg); `compactPathData` parses a
 * string of them first (other tracers' paths in bench/, toSvg's `curves` other than 'native').
 *
 * Reads: M, L, T, Q, C, A, Z commands with absolute numbers. Produces: path data.
 */
import { ConicfitError } from '../errors.js';

/** Letters of the absolute commands `fitToPathData` writes, and their numbers (arc: rx ry rotation large sweep x y). */
const ARITY: Record<string, number> = { M: 2, L: 2, T: 2, Q: 4, C: 6, A: 7, Z: 0 };

/**
 * Path data made shorter without changing what it draws (docs/design.md §15.7, §22.7): consecutive lines
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
  const out = new CompactPath(precision);
  for (const m of d.matchAll(/([MLQTCAZ])([^MLQTCAZ]*)/g)) {
    const letter = m[1];
    const nums = m[2].match(/-?(?:\d+\.?\d*|\.\d+)/g) ?? [];
    if (nums.length !== ARITY[letter]) throw new ConicfitError('BAD_MODEL', `compactPathData: unexpected path command ${m[0]}`);
    // An arc's radii and rotation have more decimals than the precision: only its end is in units.
    if (letter === 'A') out.push(letter, [fixed(nums[5]), fixed(nums[6])], nums.slice(0, 5));
    else out.push(letter, nums.map(fixed));
  }
  return out.toString();
}

/** One command: its letter, its numbers in units of the last decimal (an arc: its end only, `head` the rest as printed), its end point in those units. */
interface PathOp {
  letter: string;
  units: readonly number[];
  head: readonly string[] | undefined;
  x: number;
  y: number;
}

/**
 * Compact path data written as the absolute commands arrive (`compactPathData`'s rules, one pass):
 * a line is held back until the next command, which replaces it when it continues it along one
 * straight line; every other command is final once the next one arrives.
 *
 * @example const c = new CompactPath(2); c.push('M', [1000, 1000]); c.push('L', [1200, 1000]); c.push('Z', []); c.toString() // "M10 10h2z"
 */
export class CompactPath {
  private readonly scale: number;
  private out = '';
  /** Current point and subpath start after the commands pushed (units). */
  private cx = 0;
  private cy = 0;
  private sx = 0;
  private sy = 0;
  /** The last command pushed, not yet written, and the one before it (written). */
  private held: PathOp | undefined;
  private before: PathOp | undefined;
  /** End of the last command written (relative numbers start there), its letter and its last number. */
  private wx = 0;
  private wy = 0;
  private lastLetter = '';
  private lastNumber = '';

  constructor(private readonly precision: number) {
    this.scale = 10 ** precision;
  }

  /**
   * One absolute command: `letter` (M, L, T, Q, C, A or Z), its numbers in units of 10⁻ᵖ
   * (integers; an arc: its end point only, `head` its radii, rotation and flags as printed).
   */
  push(letter: string, units: readonly number[], head?: readonly string[]): void {
    let x = this.sx,
      y = this.sy;
    if (letter !== 'Z') {
      x = units[units.length - 2];
      y = units[units.length - 1];
      if (letter === 'L' && x === this.cx && y === this.cy) return;
    }
    const op: PathOp = { letter, units, head, x, y };
    const prev = this.held,
      before = this.before;
    let joined = false;
    if (letter === 'L' && prev?.letter === 'L' && before && before.letter !== 'Z') {
      // prev runs before → prev; this one prev → (x, y): joined when on one line, same way.
      const ax = prev.x - before.x,
        ay = prev.y - before.y,
        bx = x - prev.x,
        by = y - prev.y;
      joined = ax * by - ay * bx === 0 && ax * bx + ay * by > 0;
    }
    if (!joined && prev) {
      this.write(prev);
      this.before = prev;
    }
    this.held = op;
    this.cx = x;
    this.cy = y;
    if (letter === 'M') {
      this.sx = x;
      this.sy = y;
    }
  }

  /** The path data so far (the held command included). */
  toString(): string {
    if (!this.held) return this.out;
    const { out, wx, wy, lastLetter, lastNumber } = this;
    this.write(this.held);
    const s = this.out;
    Object.assign(this, { out, wx, wy, lastLetter, lastNumber });
    return s;
  }

  /**
   * Writes one command absolute or relative, whichever is shorter (a tie: absolute; lengths as
   * if every number took a separator), lengths counted before any text is made.
   */
  private write({ letter, units, head, x, y }: PathOp): void {
    const cx = this.wx,
      cy = this.wy;
    this.wx = x;
    this.wy = y;
    if (letter === 'Z') {
      this.out += this.letter('z', true);
      return;
    }
    let abs = letter,
      rel = letter.toLowerCase(),
      first = 0,
      end = units.length;
    if (letter === 'L' && y === cy) {
      abs = 'H';
      rel = 'h';
      end = 1;
    } else if (letter === 'L' && x === cx) {
      abs = 'V';
      rel = 'v';
      first = 1;
    }
    const { precision: p, scale } = this;
    // Relative numbers: each less the current point's x (even index) or y (odd).
    let absLength = abs === this.lastLetter ? 0 : 1,
      relLength = rel === this.lastLetter ? 0 : 1;
    for (let k = first; k < end; k++) {
      absLength += pathNumberLength(units[k], p, scale);
      relLength += pathNumberLength(units[k] - (k % 2 === 0 ? cx : cy), p, scale);
    }
    const relative = relLength < absLength; // the arc's head and the separators count the same in both
    // The command's text made first, then appended once (a concatenation per command, not per number: less garbage).
    let text = this.letter(relative ? rel : abs, false);
    if (head) for (const t of head) text += this.number(t.startsWith('0.') ? t.slice(1) : t);
    for (let k = first; k < end; k++) text += this.number(unitsToPathNumber(relative ? units[k] - (k % 2 === 0 ? cx : cy) : units[k], p, scale));
    this.out += text;
  }

  /** A command's letter unless it repeats the last one (M and z, with `always`, never left out). */
  private letter(letter: string, always: boolean): string {
    const last = this.lastLetter;
    this.lastLetter = letter;
    if (!always && letter === last && letter !== 'M' && letter !== 'm') return '';
    this.lastNumber = '';
    return letter;
  }

  /** One number, after a space only where the path grammar needs one (none before '-', none before '.' after a number holding one). */
  private number(t: string): string {
    const last = this.lastNumber;
    this.lastNumber = t;
    return last !== '' && !(t[0] === '-' || (t[0] === '.' && last.includes('.'))) ? ' ' + t : t;
  }
}

/** `unitsToPathNumber(v, …).length`, counted without making the text (exact integers below 2⁵⁰; beyond, from the text). */
function pathNumberLength(v: number, precision: number, scale: number): number {
  const a = v < 0 ? -v : v;
  if (!(a < 2 ** 50)) return unitsToPathNumber(v, precision, scale).length;
  const whole = Math.floor(a / scale);
  let frac = a - whole * scale;
  let n = v < 0 ? 1 : 0;
  if (whole !== 0) for (let t = 1; whole >= t; t *= 10) n++;
  if (frac !== 0) {
    let digits = precision;
    while (frac % 10 === 0) {
      frac /= 10;
      digits--;
    }
    n += 1 + digits;
  }
  return whole === 0 && frac === 0 ? 1 : n;
}

/**
 * An integer count of 10⁻ᵖ units as `formatPathNumber(v / 10ᵖ, p)` prints it (no leading zero,
 * trailing zeros and `-0` dropped), from the integer's digits: the same text without toFixed's
 * decimal expansion of a double, which was most of the rewrite's time on a large scan.
 */
export function unitsToPathNumber(v: number, precision: number, scale: number): string {
  const negative = v < 0;
  const a = negative ? -v : v;
  const whole = Math.floor(a / scale);
  let frac = a - whole * scale;
  let s = whole === 0 ? '' : String(whole);
  if (frac !== 0) {
    let digits = precision;
    while (frac % 10 === 0) {
      frac /= 10;
      digits--;
    }
    s += '.' + String(frac).padStart(digits, '0');
  }
  if (s === '') return '0';
  return negative ? '-' + s : s;
}
