/**
 * Uneven light (docs/design.md §2.6, step 3 of levels.ts): the paper level per block of the image,
 * and the flat-field correction that divides it out; with the histogram helpers both files use.
 * Browser-safe and pure.
 *
 * Reads: luminance 0..255 per pixel (`Luminance`), the Otsu split between the classes and the
 * block settings of `LEVELS_DEFAULTS` (passed in). Produces: per-block paper levels (or null when
 * the light is even) and the flattened luminance. For byte images on large blocks the blocks'
 * histograms are counted in the histogram's own pass (`blockHistograms`, docs/design.md §18.33).
 */
import type { Luminance } from './levels.js';

/** Flatten when the blocks' paper levels differ by more than this share of the contrast. */
const UNEVEN_LIGHT_SPREAD = 0.12;

/** The block settings of `LEVELS_DEFAULTS` (docs/design.md §2.6). */
export interface BlockSettings {
  backgroundBlocks: number;
  blockPaperShare: number;
  blockPercentile: number;
}

/** Histogram of the values rounded and clamped to 0..255; `integral`: every value was already an integer 0..255 (or −0). */
export function histogram(values: Luminance): { hist: Uint32Array; integral: boolean } {
  const hist = new Uint32Array(256);
  let integral = true;
  // Runs of one bin are counted at once (an image is mostly paper: no store per pixel).
  let last = 0,
    run = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let b = v & 255;
    if (b !== v) {
      b = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      integral = false;
    } // else an integer 0..255 (or −0): its own bin, as rounding and clamping give
    if (b === last) run++;
    else {
      hist[last] += run;
      last = b;
      run = 1;
    }
  }
  hist[last] += run;
  return { hist, integral };
}

/** The level below which `share` of the `count` pixels of the histogram (its levels [from, to)) lie. */
export function percentile(hist: Uint32Array, count: number, share: number, from = 0, to = 256): number {
  const target = share * count;
  let acc = 0;
  for (let q = from; q < to; q++) {
    acc += hist[q];
    if (acc >= target) return q;
  }
  return to - 1;
}

export interface Background {
  /** Paper level per block, bw × bh, row-major. */
  levels: { values: Float64Array; bw: number; bh: number; block: number };
  /** The level the paper is brought to: the brightest block's (dark ink only). */
  reference: number;
}

/** The blocks of the background estimate: side `block` px (at least 8), bw × bh of them. */
export interface BlockGrid {
  block: number;
  bw: number;
  bh: number;
}

export function blockGrid(width: number, height: number, settings: BlockSettings): BlockGrid {
  const block = Math.max(8, Math.ceil(Math.max(width, height) / settings.backgroundBlocks));
  return { block, bw: Math.ceil(width / block), bh: Math.ceil(height / block) };
}

/**
 * Blocks of at least this side (px) get their histograms counted in the histogram's own pass: a
 * block's 256 bins then cost less to sum than a second pass over its pixels.
 */
export const BLOCK_HISTOGRAMS_MIN = 16;

/**
 * The histogram of byte values (all integers: `integral`), counted per block of the grid in one
 * pass (`blocks`: 256 bins per block, row-major), so that `paperBackground` need not read the
 * pixels again: a block's paper pixels are its bins at or above the split.
 */
export function blockHistograms(lum: Uint8Array, width: number, height: number, grid: BlockGrid): { hist: Uint32Array; integral: true; blocks: Uint32Array } {
  const { block, bw, bh } = grid;
  const blocks = new Uint32Array(bw * bh * 256);
  // The loops live in functions of their own that end with them: a loop optimised on stack (OSR)
  // leaves the code after it without type feedback, which deoptimised this function on every
  // large image (docs/design.md §8.4).
  countBlocks(lum, width, height, block, bw, blocks);
  return { hist: sumBlocks(blocks, bw * bh), integral: true, blocks };
}

/** blockHistograms' pass: each block's 256 bins, runs of one value counted at once (as in `histogram`). */
function countBlocks(lum: Uint8Array, width: number, height: number, block: number, bw: number, blocks: Uint32Array): void {
  for (let y = 0; y < height; y++) {
    const rowBlocks = Math.floor(y / block) * bw;
    for (let bx = 0; bx < bw; bx++) {
      const base = 256 * (rowBlocks + bx);
      let last = 0,
        run = 0;
      for (let i = y * width + bx * block, end = y * width + Math.min(width, (bx + 1) * block); i < end; i++) {
        const v = lum[i];
        if (v === last) run++;
        else {
          blocks[base + last] += run;
          last = v;
          run = 1;
        }
      }
      blocks[base + last] += run;
    }
  }
}

/** The image's histogram: the sum of `count` blocks' bins. */
function sumBlocks(blocks: Uint32Array, count: number): Uint32Array {
  const hist = new Uint32Array(256);
  for (let b = 0; b < count; b++) for (let q = 0; q < 256; q++) hist[q] += blocks[256 * b + q];
  return hist;
}

/**
 * Per-block paper levels, or null when the light is even (their spread is within UNEVEN_LIGHT_SPREAD
 * of the contrast). `integral`: every value is an integer 0..255 (`histogram`), its own bin.
 * `blocks`: the blocks' histograms when `blockHistograms` counted them (the pixels are not read).
 */
export function paperBackground(
  lum: Luminance,
  width: number,
  height: number,
  split: number,
  contrast: number,
  integral: boolean,
  settings: BlockSettings,
  blocks?: Uint32Array,
): Background | null {
  const { blockPaperShare, blockPercentile } = settings;
  const { block, bw, bh } = blockGrid(width, height, settings);
  if (bw < 2 || bh < 2) return null;
  const values = new Float64Array(bw * bh).fill(NaN);
  const hist = new Uint32Array(256);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      if (blocks) {
        const own = blocks.subarray(256 * (by * bw + bx), 256 * (by * bw + bx + 1));
        let paper = 0;
        for (let q = split; q < 256; q++) paper += own[q];
        const all = (Math.min(width, (bx + 1) * block) - bx * block) * (Math.min(height, (by + 1) * block) - by * block);
        if (paper >= blockPaperShare * all) values[by * bw + bx] = percentile(own, paper, blockPercentile, split);
        continue;
      }
      hist.fill(0);
      let paper = 0;
      const x0 = bx * block,
        x1 = Math.min(width, (bx + 1) * block),
        y1 = Math.min(height, (by + 1) * block);
      const all = (x1 - x0) * (y1 - by * block);
      for (let y = by * block; y < y1; y++) {
        for (let i = y * width + x0, end = y * width + x1; i < end; i++) {
          const v = lum[i];
          if (!(v >= split)) continue;
          paper++;
          hist[integral ? v : v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v)]++;
        }
      }
      if (paper >= blockPaperShare * all) values[by * bw + bx] = percentile(hist, paper, blockPercentile, split); // no paper bin lies below split
    }
  }
  if (!fillUnknown(values, bw, bh)) return null;
  const smooth = boxSmooth(values, bw, bh);
  let lo = Infinity,
    hi = -Infinity;
  for (const v of smooth) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (hi - lo <= UNEVEN_LIGHT_SPREAD * contrast) return null;
  return { levels: { values: smooth, bw, bh, block }, reference: hi };
}

/** Fills NaN blocks with the mean of their known neighbours, ring by ring; false when no block is known. */
function fillUnknown(values: Float64Array, bw: number, bh: number): boolean {
  if (!values.some((v) => !Number.isNaN(v))) return false;
  let missing = values.reduce((m, v) => m + (Number.isNaN(v) ? 1 : 0), 0);
  while (missing > 0) {
    const next = Float64Array.from(values);
    for (let by = 0; by < bh; by++) {
      for (let bx = 0; bx < bw; bx++) {
        if (!Number.isNaN(values[by * bw + bx])) continue;
        const mean = neighbourMean(values, bw, bh, bx, by);
        if (!Number.isNaN(mean)) {
          next[by * bw + bx] = mean;
          missing--;
        }
      }
    }
    values.set(next);
  }
  return true;
}

/** 3 × 3 box mean of the block grid (edges use the blocks that exist). */
function boxSmooth(values: Float64Array, bw: number, bh: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let by = 0; by < bh; by++) for (let bx = 0; bx < bw; bx++) out[by * bw + bx] = neighbourMean(values, bw, bh, bx, by);
  return out;
}

/** Mean of the known (non-NaN) blocks of the 3 × 3 neighbourhood of (bx, by) inside the grid; NaN when none is known. */
function neighbourMean(values: Float64Array, bw: number, bh: number, bx: number, by: number): number {
  let s = 0,
    k = 0;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const x = bx + dx,
        y = by + dy;
      if (x < 0 || y < 0 || x >= bw || y >= bh) continue;
      const v = values[y * bw + x];
      if (!Number.isNaN(v)) {
        s += v;
        k++;
      }
    }
  }
  return k > 0 ? s / k : NaN;
}

/** Each pixel scaled by reference / (its bilinearly interpolated block level): the flat-field correction. */
export function flatten(lum: Luminance, grid: Background['levels'], width: number, height: number, reference: number): Float64Array {
  const { values, bw, bh, block } = grid;
  const out = new Float64Array(lum.length);
  for (let y = 0; y < height; y++) {
    const gy = Math.min(bh - 1, Math.max(0, (y + 0.5) / block - 0.5));
    const y0 = Math.floor(gy),
      y1 = Math.min(bh - 1, y0 + 1),
      fy = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = Math.min(bw - 1, Math.max(0, (x + 0.5) / block - 0.5));
      const x0 = Math.floor(gx),
        x1 = Math.min(bw - 1, x0 + 1),
        fx = gx - x0;
      const b = (1 - fy) * ((1 - fx) * values[y0 * bw + x0] + fx * values[y0 * bw + x1]) + fy * ((1 - fx) * values[y1 * bw + x0] + fx * values[y1 * bw + x1]);
      const v = b > 0 ? (lum[y * width + x] * reference) / b : lum[y * width + x];
      out[y * width + x] = v > 255 ? 255 : v;
    }
  }
  return out;
}
