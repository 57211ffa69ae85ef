/**
 * Seeded pseudo-random numbers. Library code never calls Math.random(): every random choice comes
 * from a generator made here and passed in, so the same input and seed give the same output.
 */

/** A generator of floats in [0, 1). */
export type Random = () => number;

/** mulberry32 (Tommy Ettinger, public domain): 32-bit state, fast, good enough for annealing moves. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed (FNV-1a over their 32-bit words), so each interval gets its own stream. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    let v = p >>> 0;
    for (let k = 0; k < 4; k++) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
      v >>>= 8;
    }
  }
  return h >>> 0;
}
