/**
 * Compact path data (docs/design.md §15.7, §22.7): the absolute commands the outline writers print
 * (`fitToPathData`, `outlinePathData`) rewritten relative where shorter, lines along an axis as
 * H/V, collinear lines joined, repeated letters left out — what svgo does, exact at the printed
 * precision. Used by `toSvg` (single colour) and `colourToSvg`.
 *
 * Reads: path data of M, L, T, Q, C, A, Z commands with absolute numbers. Produces: path data.
 */
import { ConicfitError } from '../errors.js';

/** Letters of the absolute commands `fitToPathData` writes, and their numbers (arc: rx ry rotation large sweep x y). */
const ARITY: Record<string, number> = { M: 2, L: 2, T: 2, Q: 4, C: 6, A: 7, Z: 0 };

/** One parsed command: its letter, its numbers as printed and in units of the last decimal (not for A), and its end point in those units. */
interface PathOp {
  letter: string;
  nums: string[];
  units: number[];
  x: number;
  y: number;
}

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
  const show = (v: number) => unitsToPathNumber(v, precision, scale);
  const ops: PathOp[] = [];
  let cx = 0,
    cy = 0,
    sx = 0,
    sy = 0;
  for (const m of d.matchAll(/([MLQTCAZ])([^MLQTCAZ]*)/g)) {
    const letter = m[1];
    const nums = m[2].match(/-?(?:\d+\.?\d*|\.\d+)/g) ?? [];
    if (nums.length !== ARITY[letter]) throw new ConicfitError('BAD_MODEL', `compactPathData: unexpected path command ${m[0]}`);
    if (letter === 'Z') {
      ops.push({ letter, nums, units: [], x: sx, y: sy });
      [cx, cy] = [sx, sy];
      continue;
    }
    // An arc's radii and rotation have more decimals than the precision: only its end is in units.
    const units = letter === 'A' ? nums.slice(5).map(fixed) : nums.map(fixed);
    const x = units[units.length - 2],
      y = units[units.length - 1];
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
    ops.push({ letter, nums, units, x, y });
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
  for (const { letter, nums, units, x, y } of ops) {
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
      abs = [letter, units.map(show)];
      rel = [letter.toLowerCase(), units.map((t, k) => show(t - (k % 2 === 0 ? cx : cy)))];
    }
    const len = ([l, n]: [string, string[]]) => (l === lastLetter ? 0 : 1) + n.reduce((sum, t) => sum + t.length + 1, 0);
    const pick = len(rel) < len(abs) ? rel : abs;
    emit(pick[0], pick[1]);
    [cx, cy] = [x, y];
  }
  return out;
}

/**
 * An integer count of 10⁻ᵖ units as `formatPathNumber(v / 10ᵖ, p)` prints it (no leading zero,
 * trailing zeros and `-0` dropped), from the integer's digits: the same text without toFixed's
 * decimal expansion of a double, which was most of the rewrite's time on a large scan.
 */
function unitsToPathNumber(v: number, precision: number, scale: number): string {
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
