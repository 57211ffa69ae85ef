/**
 * Load options (docs/design.md §16, §2.6): what `loadBitmap` accepts besides the image, checked once at the
 * boundary.
 *
 * Reads: the caller's `LoadOptions` (any value: it comes from user code). Produces: the resolved
 * options with `LOAD_DEFAULTS` filled in, or a `ConicfitError` BAD_OPTION saying what is allowed.
 * Browser-safe: both entries (src/index.ts, src/node.ts) validate with it before any work.
 */
import { badOption, checkKnownKeys, ConicfitError, describeValue, optionKeys } from '../errors.js';

export interface LoadOptions {
  /**
   * Grey level t (integer 0..255) or 'auto' (Otsu). A pixel is ink when its grey level, as seen
   * in the dark-ink-on-light-ground view, is strictly darker than t: `q < t` (see `loadBitmap`).
   */
  threshold?: number | 'auto';
  /**
   * Light ink on a dark ground (ink is where the image is bright): true forces it, false forces
   * dark ink on a light ground, 'auto' (default) takes as ground what fills most of the border.
   */
  invert?: boolean | 'auto';
  /** Gaussian smoothing of the luminance before levels, σ in px (0 = none): for noisy scans and JPEG ringing. */
  blur?: number;
  /** Largest width·height accepted; checked from the file header before decoding. */
  maxPixels?: number;
}

/** Every `LoadOptions` key: any other is BAD_OPTION. */
export const LOAD_OPTION_KEYS = optionKeys<LoadOptions>()(['threshold', 'invert', 'blur', 'maxPixels']);

/** The one place for `loadBitmap`'s defaults. */
export const LOAD_DEFAULTS: Readonly<ResolvedLoadOptions> = Object.freeze({
  /**
   * 'auto' = Otsu's method on the grey-level histogram. Scans and renders of glyphs/logos are
   * rarely pure black on pure white (paper tint, JPEG noise, grey ink), so a fixed 128 would
   * misplace edges; Otsu finds the valley between the ink and ground modes, and for a clean
   * black/white image it lands in the middle (128) anyway.
   */
  threshold: 'auto',
  /** Found per image: the ground is what fills most of its border (white on dark logos need no flag). */
  invert: 'auto',
  /** No smoothing: anti-aliased edges carry the sub-pixel position, which blurring would spread. */
  blur: 0,
  /**
   * 50 megapixels (~7000 × 7000): above an A4 page scanned at 600 dpi (~35 MP), far above
   * any glyph or logo. Loading needs ~9 bytes per pixel (RGBA decode + Float32 coverage +
   * mask), i.e. ~450 MB at the limit; past it, a corrupt or hostile header ("decompression
   * bomb") would exhaust memory before anything useful happens.
   */
  maxPixels: 50_000_000,
});

export type ResolvedLoadOptions = { threshold: number | 'auto'; invert: boolean | 'auto'; blur: number; maxPixels: number };

/** Validate options at the boundary and fill in `LOAD_DEFAULTS`. An unknown key is BAD_OPTION. */
export function resolveLoadOptions(options: unknown): ResolvedLoadOptions {
  if (options === undefined) return { ...LOAD_DEFAULTS };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConicfitError('BAD_OPTION', `loadBitmap: options must be an object, got ${describeValue(options)}`);
  }
  checkKnownKeys(options, LOAD_OPTION_KEYS, 'loadBitmap');
  const o = options as Record<string, unknown>;
  const out: ResolvedLoadOptions = { ...LOAD_DEFAULTS };

  if (o.threshold !== undefined) {
    const t = o.threshold;
    if (t !== 'auto' && !(typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 255)) {
      throw badOption('loadBitmap', 'threshold', t, "an integer 0..255 or 'auto'");
    }
    out.threshold = t;
  }
  if (o.invert !== undefined) {
    if (typeof o.invert !== 'boolean' && o.invert !== 'auto') throw badOption('loadBitmap', 'invert', o.invert, "true, false or 'auto'");
    out.invert = o.invert;
  }
  if (o.blur !== undefined) {
    const b = o.blur;
    if (!(typeof b === 'number' && b >= 0 && b <= MAX_BLUR)) throw badOption('loadBitmap', 'blur', b, `a number of px from 0 to ${MAX_BLUR}`);
    out.blur = b;
  }
  if (o.maxPixels !== undefined) {
    const m = o.maxPixels;
    if (!(typeof m === 'number' && Number.isSafeInteger(m) && m > 0)) {
      throw badOption('loadBitmap', 'maxPixels', m, 'a positive integer');
    }
    out.maxPixels = m;
  }
  return out;
}

/** Largest `blur` σ, px: beyond it glyph detail is gone and the kernel costs 6σ per pixel and pass. */
const MAX_BLUR = 20;
