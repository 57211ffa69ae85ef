/**
 * Bit access and constants shared by the fdlibm ports (src/geometry/fdlibm.ts, fdlibm-trig.ts;
 * docs/design.md §8.5).
 *
 * `BITS` is eight scratch bytes for reinterpreting a double, written and read back within one
 * call, so it carries nothing from one call to the next (a register, not state). A DataView per
 * call allocated on every exp, log and atan2: the fit stage ran 1.4× slower (baiona_gray.png,
 * conic: 1023 → 1450 ms).
 */
const BITS = new DataView(new ArrayBuffer(8));

/** π rounded to a double (fdlibm's pi). */
export const PI = 3.141592653589793116;

/** The high 32 bits of a double, as a signed int (fdlibm's GET_HIGH_WORD). */
export function highWord(x: number): number {
  BITS.setFloat64(0, x);
  return BITS.getInt32(0);
}

/** The low 32 bits of a double, unsigned (GET_LOW_WORD). */
export function lowWord(x: number): number {
  BITS.setFloat64(0, x);
  return BITS.getUint32(4);
}

/** The double with these high and low words (INSERT_WORDS). */
export function fromWords(hi: number, lo: number): number {
  BITS.setInt32(0, hi | 0);
  BITS.setUint32(4, lo >>> 0);
  return BITS.getFloat64(0);
}

/** x with its low word cleared (SET_LOW_WORD(x, 0)). */
export const clearLow = (x: number): number => fromWords(highWord(x), 0);

/** |x| ≥ H for a positive high word H ⇔ |x|'s high word ≥ H: thresholds as numbers, no bit access on hot paths. */
export const at = (hi: number): number => fromWords(hi, 0);

/** 2^k for an integer −1074 ≤ k ≤ 1023, exactly, from its bits. */
function twoPowBits(k: number): number {
  if (k >= -1022) return fromWords((k + 1023) << 20, 0);
  return fromWords((k + 1022 + 1023) << 20, 0) * at(0x00100000); // 2^(k+1022) · 2^−1022
}

/**
 * 2^k for k = −1074 … 1023 at index k + 1074, made once from twoPowBits and frozen (a constant
 * table, not state). exp scales every result by 2^k, and a load is cheaper than the DataView round
 * trip (docs/design.md §18.51).
 */
const TWO_POW: readonly number[] = Object.freeze(Array.from({ length: 1023 + 1074 + 1 }, (_, i) => twoPowBits(i - 1074)));

/** 2^k for an integer −1074 ≤ k ≤ 1023, exactly. */
export function twoPow(k: number): number {
  return TWO_POW[k + 1074];
}
