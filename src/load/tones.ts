/**
 * Flat tone levels: fills at levels other than the paper and the ink — a map's grey fills, a
 * logo's other colours — which one ink threshold keeps whole as ink or drops (docs/design.md §2.6
 * item 9). Browser-safe and pure.
 *
 * Reads the image's luminance (after any flattening), its histogram and its paper and ink levels.
 * Produces the tone levels (`ImageLevels.tones`, the `TONE_LEVELS` warning) and the histogram of
 * the tone pixels, which the paper's noise is then read without.
 */
import type { Luminance } from './levels.js';

/** A flat tone level (ImageLevels.tones): its luminance, and the share of the image's pixels at it. */
export interface ToneLevel {
  level: number;
  share: number;
}

/** Tuning of the tone levels (docs/design.md §2.6 item 9); levels are luminance 0..255. */
export const TONE_DEFAULTS = Object.freeze({
  /** A tone level holds at least this share of the image's pixels within ±window levels of it … */
  share: 0.005,
  /** … of which at least this share are interior (all 8 neighbours within `flat`) … */
  interior: 0.1,
  /** … and lies at least this share of the contrast (and 2·window + 1 levels) from the paper and from the ink. */
  separation: 0.15,
  /** Largest difference (levels) between a tone pixel and a neighbour that counts as the same fill. */
  flat: 3,
  /** Histogram window half-width, levels (as LEVELS_DEFAULTS.modeWindow). */
  window: 3,
  /**
   * A tone level is a spike of the histogram, not part of a continuum: the flat pixels in the
   * window+1 levels on either side of its window hold at most this share of its window's (a ramp or a
   * vignette holds (window+1)/(2·window+1) ≈ 0.57; a fill under σ = 2.5 levels of noise ≈ 0.1).
   */
  isolation: 0.25,
});

/**
 * The image's tone levels, darkest first, and the histogram of its tone pixels when there are any
 * (null otherwise). `hist` is the histogram of `values`.
 *
 * @example const { tones } = findTones(hist, lum, w, h, 255, 0)
 */
export function findTones(
  hist: Uint32Array,
  values: Luminance,
  width: number,
  height: number,
  paper: number,
  ink: number,
): { tones: ToneLevel[]; tonePixels: Uint32Array | null } {
  const total = width * height;
  if (!tonePixelsPossible(hist, paper, ink, total)) return { tones: [], tonePixels: null };
  const flat = flatToneHistogram(values, width, height, paper, ink);
  const apart = toneApart(paper, ink);
  const isApart = (q: number) => Math.abs(q - paper) >= apart && Math.abs(q - ink) >= apart;
  const tones = toneLevels(flat, total, isApart);
  if (tones.length === 0) return { tones, tonePixels: null };
  // The pixels of the tone levels' windows (those apart from paper and ink) leave the noise's histogram.
  const tonePixels = new Uint32Array(256);
  const r = TONE_DEFAULTS.window;
  for (const t of tones) for (let q = Math.max(0, t.level - r); q <= Math.min(255, t.level + r); q++) if (isApart(q)) tonePixels[q] = flat.hist[q];
  return { tones, tonePixels };
}

/**
 * Whether a valley of the image's histogram `hist` parts the tone level from the paper: some level
 * between them whose ±window sum is at most `isolation` of the tone's pixels. A fill is parted from
 * the paper by its edges' few pixels; light falling off, or a vignette, spreads pixels over every
 * level between its darkest part and the paper (measureCoverage does not flatten a fill away).
 */
export function apartFromPaper(hist: Uint32Array, tone: ToneLevel, paper: number, total: number): boolean {
  const { window: r, isolation } = TONE_DEFAULTS;
  const step = paper > tone.level ? 1 : -1;
  for (let c = tone.level + step * (2 * r + 1); (paper - c) * step > r; c += step)
    if (rangeSum(hist, c - r, c + r) <= isolation * tone.share * total) return true;
  return false;
}

/** The counts of bins from..to of a 256-bin histogram, both ends included and clamped to 0..255. */
function rangeSum(hist: ArrayLike<number>, from: number, to: number): number {
  let n = 0;
  for (let j = Math.max(0, from); j <= Math.min(255, to); j++) n += hist[j];
  return n;
}

/** hist − minus, bin by bin (minus ≤ hist). */
export function withoutCounts(hist: Uint32Array, minus: Uint32Array): Uint32Array {
  const out = new Uint32Array(256);
  for (let q = 0; q < 256; q++) out[q] = hist[q] - minus[q];
  return out;
}

/**
 * Histogram of the image's flat tone pixels (docs/design.md §2.6 item 9): those that lie at least
 * `separation` of the contrast from the paper and from the ink, and of whose 4-neighbours in
 * the image at most one differs from them by more than `flat` levels. A pixel on the ramp of an
 * anti-aliased or blurred edge differs from its two neighbours across the edge; a pixel of a fill
 * at least 2 px wide from at most one. `interior` counts those that differ from none of their 8-neighbours (a
 * blurred faint line's ridge can match its four nearest, never all eight).
 */
function flatToneHistogram(values: Luminance, width: number, height: number, paper: number, ink: number): { hist: Uint32Array; interior: Uint32Array } {
  const { flat: toneFlat, window: r } = TONE_DEFAULTS;
  // Flat pixels up to 2·window + 1 levels nearer the paper and the ink are counted too, so that a
  // peak at the edge of the tone range is judged against its neighbours (toneLevels' isolation).
  const reach = Math.max(1, toneApart(paper, ink) - (2 * r + 1));
  const hist = new Uint32Array(256);
  const interior = new Uint32Array(256);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const v = values[i];
      if (Math.abs(v - paper) < reach || Math.abs(v - ink) < reach) continue;
      let differing = 0;
      if (x > 0 && Math.abs(values[i - 1] - v) > toneFlat) differing++;
      if (x < width - 1 && Math.abs(values[i + 1] - v) > toneFlat) differing++;
      if (y > 0 && Math.abs(values[i - width] - v) > toneFlat) differing++;
      if (y < height - 1 && Math.abs(values[i + width] - v) > toneFlat) differing++;
      if (differing > 1) continue;
      const q = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      hist[q]++;
      if (differing === 0 && diagonalsWithin(values, width, height, x, y, toneFlat)) interior[q]++;
    }
  }
  return { hist, interior };
}

/**
 * Whether the image's histogram holds enough pixels within ±window of some level apart from the
 * paper and the ink for a tone level there (a tone's flat pixels are a part of them). Most images
 * fail it and skip the pixel pass: a page's two levels, and anti-aliased renders, whose edge pixels
 * spread over every level between (a 64 px glyph: ~0.3 % of its pixels in any 7 levels).
 */
function tonePixelsPossible(hist: Uint32Array, paper: number, ink: number, total: number): boolean {
  const { window: r, share } = TONE_DEFAULTS;
  // Windows whose centroid can be apart (toneLevels reports a peak's centroid, within ±window of it).
  const near = toneApart(paper, ink) - r;
  for (let q = 0; q < 256; q++) {
    if (Math.abs(q - paper) < near || Math.abs(q - ink) < near) continue;
    if (rangeSum(hist, q - r, q + r) >= share * total) return true;
  }
  return false;
}

/** How far (levels) a tone pixel lies at least from the paper and from the ink. */
function toneApart(paper: number, ink: number): number {
  return Math.max(2 * TONE_DEFAULTS.window + 1, TONE_DEFAULTS.separation * Math.abs(paper - ink));
}

/** Whether the image's diagonal neighbours of pixel (x, y) all lie within `flat` levels of it. */
function diagonalsWithin(values: Luminance, width: number, height: number, x: number, y: number, flat: number): boolean {
  const v = values[y * width + x];
  for (let ny = y - 1; ny <= y + 1; ny += 2) {
    for (let nx = x - 1; nx <= x + 1; nx += 2) {
      if (nx >= 0 && nx < width && ny >= 0 && ny < height && Math.abs(values[ny * width + nx] - v) > flat) return false;
    }
  }
  return true;
}

/**
 * The flat tone histogram's peaks (sums over ±window) holding at least `share` of the
 * image's `total` pixels, of which at least `interior` are interior (flatToneHistogram),
 * darkest first. The two middle columns of an even-width stroke blurred into grey are equal and
 * flat by symmetry, but never interior (a 64 px serif M blurred by σ = 1.5 px: 1.3 % of its
 * pixels at one grey level).
 */
function toneLevels(flat: { hist: Uint32Array; interior: Uint32Array }, total: number, isApart: (q: number) => boolean): ToneLevel[] {
  const { window: r, share: toneShare, interior: toneInterior, isolation } = TONE_DEFAULTS;
  const sums = new Float64Array(256);
  const inner = new Float64Array(256);
  for (let q = 0; q < 256; q++) {
    sums[q] = rangeSum(flat.hist, q - r, q + r);
    inner[q] = rangeSum(flat.interior, q - r, q + r);
  }
  const tones: ToneLevel[] = [];
  for (let q = 0; q < 256; q++) {
    const s = sums[q];
    if (s === 0 || s < toneShare * total || inner[q] < toneInterior * s) continue;
    // A peak: above every sum to its left within ±r, at least every sum to its right (a plateau gives its first level).
    let peak = true;
    for (let j = Math.max(0, q - r); j <= Math.min(255, q + r) && peak; j++) peak = j === q || (j < q ? sums[j] < s : sums[j] <= s);
    if (!peak) continue;
    // A plateau of equal sums starts r levels before a one-level fill: report the window's centroid.
    let weighted = 0;
    for (let j = Math.max(0, q - r); j <= Math.min(255, q + r); j++) weighted += j * flat.hist[j];
    const c = Math.round(weighted / s);
    // Apart from paper and ink, and a spike: not the edge of a continuum (a ramp, a vignette's
    // residue, the near side of a plateau whose far side holds another fill).
    if (!isApart(c)) continue;
    const own = sums[c];
    if (rangeSum(flat.hist, c - 2 * r - 1, c - r - 1) > isolation * own || rangeSum(flat.hist, c + r + 1, c + 2 * r + 1) > isolation * own) continue;
    if (tones.length > 0 && c - tones[tones.length - 1].level <= r) continue; // the same fill's second peak
    tones.push({ level: c, share: own / total });
  }
  return tones;
}
