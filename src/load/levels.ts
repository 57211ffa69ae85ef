/**
 * Levels: an image's own paper and ink levels, and the ink coverage of every pixel between them
 * (docs/design.md §2.6). Browser-safe and pure.
 *
 * Reads: the luminance of each pixel composited over white (or black with `invert: true`),
 * 0..255, and its alpha when the image has one. Produces: coverage 0..1 per pixel and the levels
 * it was measured between (`ImageLevels`, reported with the trace).
 *
 * 1. One colour on transparency (most pixels of the border transparent, the opaque pixels all
 *    of one luminance): coverage is the alpha itself, whatever the colour.
 * 2. Otherwise the grey levels split in two classes (Otsu); the class that fills most of the
 *    image's border is the paper, so light ink on a dark ground is found without `invert`.
 * 3. Uneven light (background.ts; a page lit from one side, a photographed sign): the paper level is estimated
 *    per block of the image (the paper-side 98th percentile of each block's pixels, blocks with
 *    too little paper filled in from their neighbours, then smoothed and interpolated), and
 *    each pixel is divided by it — the flat-field correction of document scanners — when those
 *    estimates differ by more than `UNEVEN_LIGHT_SPREAD` of the contrast.
 * 4. Paper and ink levels: the mode (peak of the smoothed histogram) of each class, robust to
 *    noise and to the anti-aliased pixels between; coverage c = clamp((paper − L)/(paper − ink)).
 * 5. Flat fills at other levels (tones.ts), reported, and kept out of the paper's noise.
 * A clean black-on-white image has paper 255 and ink 0, so c = (255 − L)/255 exactly as before.
 */

import { ConicfitError, describeValue } from '../errors.js';
import { BLOCK_HISTOGRAMS_MIN, blockGrid, blockHistograms, flatten, histogram, paperBackground, percentile } from './background.js';
import { apartFromPaper, findTones, withoutCounts, type ToneLevel } from './tones.js';

/** How the coverage was measured, reported with every trace (TraceReport.levels). */
export interface ImageLevels {
  /** 'luminance': between the paper and ink levels below; 'alpha': one colour on transparency. */
  source: 'luminance' | 'alpha';
  /** Luminance of the paper (after any flattening), 0..255; for 'alpha', the paper's alpha (0). */
  paper: number;
  /** Luminance of the ink, 0..255; for 'alpha', the largest alpha. */
  ink: number;
  /** Light ink on a dark ground (found from the border, or forced by `invert`). */
  inverted: boolean;
  /** True when uneven light was divided out before the levels were taken. */
  flattened: boolean;
  /** |paper − ink| / 255: how far apart ink and paper are (0..1). */
  contrast: number;
  /**
   * Noise of the paper, as coverage (0..1): 1.4826 × the median absolute deviation of the paper
   * pixels from the paper level, over |paper − ink|. 0 for a clean render; the sub-pixel step
   * widens its full/empty tests by it (docs/design.md §13).
   */
  noise: number;
  /**
   * Flat tone levels besides the paper and the ink (luminance, and the share of the image's pixels
   * that are flat tone pixels within ±TONE_DEFAULTS.window of it), darkest first: the grey fills of a map, a logo's other colours. One ink
   * threshold keeps them as ink or drops them (src/load/tones.ts, docs/design.md §2.6 item 9);
   * empty for most images.
   */
  tones: ToneLevel[];
}

/**
 * Luminance per pixel, 0..255: an opaque grey image's own bytes (no copy: its values are the
 * composite, docs/design.md §18.25), or the composited values of any other image.
 */
export type Luminance = Float64Array | Uint8Array;

/** Polarity: 'auto' finds it from the border; true forces light ink on dark; false dark on light. */
export type Polarity = boolean | 'auto';

/** Tuning of the levels (docs/design.md §2.6). */
export const LEVELS_DEFAULTS = Object.freeze({
  /** Alpha below this counts as transparent when deciding whether the image is one colour on transparency. */
  transparentAlpha: 128,
  /** Share of the border that must be transparent for the alpha rule. */
  transparentBorder: 0.5,
  /** Largest spread (5th to 95th percentile, levels) of the opaque pixels' luminance for "one colour". */
  oneColourSpread: 24,
  /** Histogram smoothing half-width (levels) before taking each class's mode. */
  modeWindow: 3,
  /** Share of a class within ±modeWindow of its mode for the mode to count as the class's level. */
  plateauShare: 0.15,
  /** Blocks per image side for the background estimate (the larger side; at least 8 px a block). */
  backgroundBlocks: 12,
  /** Share of a block's pixels that must be paper for its own estimate (else filled from neighbours). */
  blockPaperShare: 0.2,
  /** Paper-side percentile of a block's pixels taken as its paper level (high: blur tails and anti-aliasing lie below it). */
  blockPercentile: 0.98,
  /** A blank page (`isNoiseOnly`): ink and paper closer than this share of the grey range … */
  blankContrast: 0.15,
  /**
   * … with the paper's noise at least this share of their difference. Otsu's split of Gaussian
   * noise alone puts the class means 1.6 σ apart (noise ≈ 0.63); ink at 0.4 would flip ~10 % of
   * pixels either way (docs/design.md §2.6).
   */
  blankNoise: 0.4,
});

/**
 * Whether the image's two levels are one noise distribution split in two: no ink to find (a blank,
 * noisy page). Multi-coloured images can read as noisy too, but their levels lie far apart.
 */
export function isNoiseOnly(levels: ImageLevels): boolean {
  return levels.source === 'luminance' && levels.contrast < LEVELS_DEFAULTS.blankContrast && levels.noise >= LEVELS_DEFAULTS.blankNoise;
}

/** Runs of one value at least this long are written with `fill` (load over the corpus: 8 and 32 alike, 128 ~15 % slower; docs/design.md §18.33). */
const FILL_RUN = 32;

export interface CoverageResult {
  coverage: Float32Array;
  /** Grey level per pixel in the dark-ink-on-white view (255·(1 − coverage) before clamping, rounded), for the threshold. */
  grey: Uint8Array;
  /** Histogram of `grey` (for the 'auto' threshold). */
  greyHistogram: Uint32Array;
  /**
   * Set when the caller asked for the ink mask at Otsu's threshold (`inkAtOtsu`) and the grey
   * levels came from a value table: the threshold, and `grey` then already holds the mask (1 where
   * the grey level is below it), made in the same pass instead of a second one.
   */
  inkThreshold?: number;
  /** Some pixel's coverage is strictly between 0 and 1. */
  partial: boolean;
  levels: ImageLevels;
}

/**
 * Coverage between the image's own levels. `lum`: composited luminance 0..255 per pixel (read only);
 * `alpha`: 0..255 per pixel, or null for an opaque image.
 *
 * @example const { coverage, levels } = measureCoverage(lum, null, w, h, 'auto')
 */
export function measureCoverage(
  lum: Luminance,
  alpha: Uint8Array | null,
  width: number,
  height: number,
  polarity: Polarity,
  inkAtOtsu = false,
): CoverageResult {
  // Transparent is ground whatever the polarity says (docs/design.md §16.1).
  if (alpha && isOneColourOnTransparency(lum, alpha, width, height)) return alphaCoverage(alpha);

  // Bytes on blocks large enough: the blocks' histograms in the same pass (`blockHistograms`).
  const grid = blockGrid(width, height, LEVELS_DEFAULTS);
  const byBlocks =
    lum instanceof Uint8Array && grid.bw >= 2 && grid.bh >= 2 && grid.block >= BLOCK_HISTOGRAMS_MIN ? blockHistograms(lum, width, height, grid) : null;
  const { hist, integral } = byBlocks ?? histogram(lum);
  const split = otsuThreshold(hist);
  // A one-level image (all white, all black) has no ground to find: dark on light unless forced.
  const oneLevel = usedLevels(hist) < 2;
  const inverted = polarity === 'auto' ? !oneLevel && borderIsLight(lum, width, height, split) === false : polarity;
  let values = lum;
  let flattened = false;
  let h2 = hist;
  let integralValues = integral;
  let { dark, light } = classLevels(hist, split);
  // Light ink on a dark ground is not flattened: dividing by a dark paper level would scale the
  // ink down with it (a limit: docs/design.md §19).
  let background = inverted ? null : paperBackground(lum, width, height, split, Math.abs(light - dark), integral, LEVELS_DEFAULTS, byBlocks?.blocks);
  // A large flat fill lighter than the ink reads to the blocks as paper in another light: when the
  // image's own levels hold a tone (a spike, which light falling off never makes), it is not flattened.
  const unflattened = background ? findTones(hist, lum, width, height, light, dark) : null;
  const keepFills = unflattened !== null && unflattened.tones.some((t) => apartFromPaper(hist, t, light, width * height));
  if (keepFills) background = null;
  if (background) {
    values = flatten(lum, background.levels, width, height, background.reference);
    flattened = true;
    ({ hist: h2, integral: integralValues } = histogram(values));
    ({ dark, light } = classLevels(h2, otsuThreshold(h2)));
  }
  const paper = inverted ? dark : light;
  const ink = inverted ? light : dark;
  const n = width * height;
  const coverage = new Float32Array(n);
  const grey = new Uint8Array(n);
  const identity = paper === 255 && ink === 0 && !flattened;
  // A pixel's coverage and grey level depend on its value alone.
  const coverageOf = (L: number) => {
    const c = (paper - L) / (paper - ink);
    return c > 0 ? (c < 1 ? c : 1) : 0; // (also turns −0 into 0)
  };
  const greyOf = (L: number) => {
    // The identity keeps the exact grey levels of a clean black-on-white image.
    const g = identity ? L : 255 * (1 - (paper - L) / (paper - ink));
    return g <= 0 ? 0 : g >= 255 ? 255 : Math.round(g);
  };
  const greyHistogram = new Uint32Array(256);
  let partial = false;
  let inkThreshold: number | undefined;
  if (integralValues) {
    // Every value an integer 0..255 (an opaque grey image, unflattened: most PNGs): both from a
    // 256-entry table, and their histogram from the values' (docs/design.md §18.25).
    const coverageTable = new Float32Array(256);
    const greyTable = new Uint8Array(256);
    for (let L = 0; L < 256; L++) {
      coverageTable[L] = coverageOf(L);
      greyTable[L] = greyOf(L);
      greyHistogram[greyTable[L]] += h2[L];
      if (h2[L] > 0 && coverageTable[L] > 0 && coverageTable[L] < 1) partial = true;
    }
    if (inkAtOtsu) {
      // The histogram is complete before the pass: the ink mask by value, as the caller would make it.
      inkThreshold = otsuThreshold(greyHistogram);
      for (let L = 0; L < 256; L++) greyTable[L] = greyTable[L] < inkThreshold ? 1 : 0;
    }
    fillByTable(values, coverageTable, greyTable, coverage, grey);
  } else partial = fillByValue(values, coverageOf, greyOf, coverage, grey, greyHistogram);
  // A flat fill at another level is not noise of the paper: its pixels leave the noise's histogram.
  const { tones, tonePixels } = keepFills ? unflattened : findTones(h2, values, width, height, paper, ink);
  const noise = paperNoise(tonePixels ? withoutCounts(h2, tonePixels) : h2, paper, ink) / Math.max(1, Math.abs(paper - ink));
  const levels: ImageLevels = { source: 'luminance', paper, ink, inverted, flattened, contrast: Math.abs(paper - ink) / 255, noise, tones };
  return { coverage, grey, greyHistogram, partial, levels, ...(inkThreshold !== undefined ? { inkThreshold } : {}) };
}

// The per-pixel passes of measureCoverage, each in a function that ends with its loop: a loop
// optimised on stack (OSR) inside measureCoverage left the code after it without type feedback,
// and deoptimised measureCoverage on large images again and again (docs/design.md §8.4).

/** Coverage and grey level of integer values 0..255 from their tables. */
function fillByTable(values: Luminance, coverageTable: Float32Array, greyTable: Uint8Array, coverage: Float32Array, grey: Uint8Array): void {
  const n = coverage.length;
  for (let i = 0; i < n;) {
    const L = values[i] | 0; // exact: an integer 0..255 (−0 → 0)
    // A run of one value (paper, solid ink: most of an image) is filled at once.
    let end = i + 1;
    while (end < n && values[end] === L) end++;
    if (end - i >= FILL_RUN) {
      coverage.fill(coverageTable[L], i, end);
      grey.fill(greyTable[L], i, end);
    } else
      for (let k = i; k < end; k++) {
        coverage[k] = coverageTable[L];
        grey[k] = greyTable[L];
      }
    i = end;
  }
}

/** Coverage and grey level of any values, and the grey levels' histogram; whether any coverage (as stored, float32) is partial. */
function fillByValue(
  values: Luminance,
  coverageOf: (L: number) => number,
  greyOf: (L: number) => number,
  coverage: Float32Array,
  grey: Uint8Array,
  greyHistogram: Uint32Array,
): boolean {
  let partial = false;
  for (let i = 0; i < coverage.length; i++) {
    const L = values[i];
    coverage[i] = coverageOf(L);
    const g = (grey[i] = greyOf(L));
    greyHistogram[g]++;
    const c = coverage[i]; // as stored (float32)
    if (c > 0 && c < 1) partial = true;
  }
  return partial;
}

// ---------------------------------------------------------------------------------------------
// One colour on transparency
// ---------------------------------------------------------------------------------------------

function isOneColourOnTransparency(lum: Luminance, alpha: Uint8Array, width: number, height: number): boolean {
  const { transparentAlpha, transparentBorder, oneColourSpread } = LEVELS_DEFAULTS;
  let border = 0,
    clear = 0;
  forEachBorderPixel(width, height, (i) => {
    border++;
    if (alpha[i] < transparentAlpha) clear++;
  });
  if (clear < transparentBorder * border) return false;
  // Luminance of the opaque pixels, uncomposited: lum was composited over a known ground, so
  // only fully opaque pixels show their own colour.
  const hist = new Uint32Array(256);
  let opaque = 0;
  for (let i = 0; i < alpha.length; i++) {
    if (alpha[i] === 255) {
      hist[Math.round(lum[i])]++;
      opaque++;
    }
  }
  if (opaque === 0) return true;
  return percentile(hist, opaque, 0.95) - percentile(hist, opaque, 0.05) <= oneColourSpread;
}

/** Coverage = alpha; the levels are alpha values (paper 0, ink the largest alpha), so contrast is how opaque the ink gets. */
function alphaCoverage(alpha: Uint8Array): CoverageResult {
  const coverage = new Float32Array(alpha.length);
  const grey = new Uint8Array(alpha.length);
  const greyHistogram = new Uint32Array(256);
  let most = 0;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i];
    coverage[i] = a / 255;
    grey[i] = 255 - a;
    greyHistogram[255 - a]++;
    if (a > most) most = a;
  }
  const partial = greyHistogram.subarray(1, 255).some((count) => count > 0);
  return {
    coverage,
    grey,
    greyHistogram,
    partial,
    levels: { source: 'alpha', paper: 0, ink: most, inverted: false, flattened: false, contrast: most / 255, noise: 0, tones: [] },
  };
}

// ---------------------------------------------------------------------------------------------
// Histogram classes
// ---------------------------------------------------------------------------------------------

/**
 * Otsu's threshold on a 256-bin grey-level histogram (N. Otsu, "A threshold selection method
 * from gray-level histograms", IEEE SMC 9, 1979): returns t such that levels `q < t` form the
 * dark class and `q ≥ t` the light one, chosen to maximise the between-class variance. When
 * several splits tie (empty bins between the two modes), t is the middle of the tied range, so
 * black on white gives 128. A histogram with fewer than two occupied levels has no split; then
 * t = 128, so an all-white image has no ink and an all-black image is all ink.
 */
export function otsuThreshold(hist: Uint32Array): number {
  if (!(hist instanceof Uint32Array) || hist.length !== 256) {
    throw new ConicfitError('BAD_INPUT', `otsuThreshold: expected a Uint32Array of 256 bins, got ${describeValue(hist)}`);
  }
  let total = 0,
    sumAll = 0;
  for (let q = 0; q < 256; q++) {
    total += hist[q];
    sumAll += q * hist[q];
  }
  let best = -1,
    bestK = -1,
    w0 = 0,
    sum0 = 0;
  // Split after level k: dark class 0..k, light class k+1..255.
  for (let k = 0; k < 255; k++) {
    w0 += hist[k];
    sum0 += k * hist[k];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const diff = sum0 / w0 - (sumAll - sum0) / w1;
    const between = w0 * w1 * diff * diff;
    if (between > best) {
      best = between;
      bestK = k;
    }
  }
  if (bestK < 0) return 128;
  // Every k' with empty bins k+1..k' gives the same split: take the middle of that range.
  let lastK = bestK;
  while (lastK + 1 < 255 && hist[lastK + 1] === 0) lastK++;
  return Math.floor((bestK + lastK) / 2) + 1;
}

/** How many bins of a histogram are not empty (a plain loop: a callback closure made per call deoptimised its caller, docs/design.md §8.4). */
function usedLevels(hist: Uint32Array): number {
  let used = 0;
  for (let q = 0; q < hist.length; q++) if (hist[q] > 0) used++;
  return used;
}

/** The dark class's level (below the split) and the light class's (at or above it). */
function classLevels(hist: Uint32Array, split: number): { dark: number; light: number } {
  return { dark: classLevel(hist, 0, split, 0), light: classLevel(hist, split, 256, 255) };
}

/**
 * A class's level: its mode when the mode is a plateau (at least `plateauShare` of the class
 * within ±modeWindow of it: the ink of a print, the paper), else the class's extreme (its 1st or
 * 99th percentile, away from the other class) — thin strokes blurred so that no pixel is fully
 * inked have no plateau, and their mode would read the blur as grey ink.
 */
function classLevel(hist: Uint32Array, from: number, to: number, empty: number): number {
  const mode = classMode(hist, from, to, empty);
  const r = LEVELS_DEFAULTS.modeWindow;
  let count = 0,
    near = 0;
  for (let q = from; q < to; q++) {
    count += hist[q];
    if (Math.abs(q - mode) <= r) near += hist[q];
  }
  if (count === 0 || near >= LEVELS_DEFAULTS.plateauShare * count) return mode;
  return percentile(hist, count, empty === 255 ? 0.99 : 0.01, from, to);
}

/**
 * The most frequent level in [from, to) of the histogram smoothed over ±modeWindow levels; on a
 * tie the level farthest from the other class (the lowest of the dark class, the highest of the
 * light one); `empty` when the class has no pixel.
 */
function classMode(hist: Uint32Array, from: number, to: number, empty: number): number {
  const r = LEVELS_DEFAULTS.modeWindow;
  const light = empty === 255;
  let best = 0,
    at = empty;
  for (let k = 0; k < to - from; k++) {
    const q = light ? to - 1 - k : from + k;
    let s = 0;
    for (let j = Math.max(from, q - r); j <= Math.min(to - 1, q + r); j++) s += hist[j];
    // Weight the centre so that a sharp peak (a clean image's exact 0 or 255) stays exact.
    s = 2 * s + hist[q];
    if (s > best) {
      best = s;
      at = q;
    }
  }
  return at;
}

/**
 * Robust standard deviation of the paper, in levels: 1.4826 × the median absolute deviation from
 * the paper level, taken on the side away from the ink only (levels above a light paper, below a
 * dark one), where faint ink, blurred edges and anti-aliasing never fall — only noise does. The
 * paper level's own pixels count half on this side.
 */
function paperNoise(hist: Uint32Array, paper: number, ink: number): number {
  const away = paper >= ink ? 1 : -1;
  const far = deviations(hist, paper, away, 255);
  // A paper at the end of the scale (255, or 0 for light ink) clips its noise on the far side:
  // then read the near side, within a tenth of the contrast (anti-aliasing and blur tails spread
  // over the whole range, so few of them fall that close to the paper).
  const clipped = far.count - hist[paper] < 0.05 * hist[paper];
  const { dev, count } = clipped ? deviations(hist, paper, -away, Math.ceil(0.1 * Math.abs(paper - ink))) : far;
  return count === 0 ? 0 : 1.4826 * percentile(dev, count, 0.5);
}

/** Histogram of |q − paper| for q from the paper `step`-wards, at most `reach` levels away; the paper's own bin counts half. */
function deviations(hist: Uint32Array, paper: number, step: number, reach: number): { dev: Uint32Array; count: number } {
  const dev = new Uint32Array(256);
  let count = 0;
  for (let q = paper, k = 0; q >= 0 && q <= 255 && k <= reach; q += step, k++) {
    const weight = q === paper ? 1 : 2;
    dev[k] += weight * hist[q];
    count += weight * hist[q];
  }
  return { dev, count };
}

/** Whether most of the border is in the light class (≥ split); null for an image without border pixels. */
function borderIsLight(lum: Luminance, width: number, height: number, split: number): boolean | null {
  let light = 0,
    all = 0;
  forEachBorderPixel(width, height, (i) => {
    all++;
    if (lum[i] >= split) light++;
  });
  return all === 0 ? null : 2 * light >= all;
}

function forEachBorderPixel(width: number, height: number, visit: (i: number) => void): void {
  for (let x = 0; x < width; x++) {
    visit(x);
    if (height > 1) visit((height - 1) * width + x);
  }
  for (let y = 1; y < height - 1; y++) {
    visit(y * width);
    if (width > 1) visit(y * width + width - 1);
  }
}
