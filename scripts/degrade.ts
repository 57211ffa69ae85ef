/**
 * Degraded renderings of a shape, as users' scans and exports come: tinted paper, grey or
 * coloured ink, blur, noise + JPEG, uneven light, white on dark, transparency. Used by the
 * real-input tests (test/real-input.test.ts) and benchmark (bench/real-input.ts).
 *
 * Reads: the shape's ink coverage per pixel (0..1, e.g. 1 − grey/255 of an anti-aliased render
 * on white). Produces: the encoded image (PNG, or JPEG for 'noise-jpeg') of the same size, whose
 * true outline is the shape's own (blur moves a curved edge's 50 % level inwards by about
 * σ²/(2R) for a radius R: 0.1 px for σ = 2 px, R = 20 px).
 */
import { Jimp } from 'jimp';
import { gaussianBlur } from '../src/load/blur.js';
import { mulberry32 } from '../src/random.js';

export const CONDITIONS = [
  'clean',
  'tinted-paper',
  'grey-ink',
  'coloured-ink',
  'blur-0.5',
  'blur-1',
  'blur-1.5',
  'blur-2',
  'noise-jpeg',
  'uneven-light',
  'white-on-dark',
  'transparent',
] as const;
export type Condition = (typeof CONDITIONS)[number];

type Rgb = [number, number, number];

/** Paper and ink colours per condition (clean: black on white). */
const COLOURS: Record<Condition, { paper: Rgb; ink: Rgb }> = {
  clean: { paper: [255, 255, 255], ink: [0, 0, 0] },
  'tinted-paper': { paper: [0xf3, 0xef, 0xe4], ink: [0, 0, 0] },
  'grey-ink': { paper: [255, 255, 255], ink: [0x55, 0x55, 0x55] },
  'coloured-ink': { paper: [255, 255, 255], ink: [0xb0, 0x3a, 0x2e] },
  'blur-0.5': { paper: [255, 255, 255], ink: [0, 0, 0] },
  'blur-1': { paper: [255, 255, 255], ink: [0, 0, 0] },
  'blur-1.5': { paper: [255, 255, 255], ink: [0, 0, 0] },
  'blur-2': { paper: [255, 255, 255], ink: [0, 0, 0] },
  'noise-jpeg': { paper: [0xf0, 0xee, 0xe8], ink: [0x1c, 0x1c, 0x20] },
  'uneven-light': { paper: [0xfa, 0xf8, 0xf2], ink: [0x10, 0x10, 0x10] },
  'white-on-dark': { paper: [0x20, 0x20, 0x20], ink: [255, 255, 255] },
  transparent: { paper: [0, 0, 0], ink: [0x2b, 0x6c, 0xb0] },
};

/** Grey-level noise of 'noise-jpeg' (standard deviation, levels) and its JPEG quality. */
export const NOISE_SIGMA = 10;
export const JPEG_QUALITY = 70;
/** 'uneven-light': light falls from 1 at the top-left corner to this at the bottom-right. */
export const UNEVEN_LIGHT_MIN = 0.55;

/** Coverage from an anti-aliased grey render on white (255 = paper). */
export function coverageFromGrey(grey: Uint8Array): Float64Array {
  const c = new Float64Array(grey.length);
  for (let i = 0; i < grey.length; i++) c[i] = 1 - grey[i] / 255;
  return c;
}

/** The RGBA pixels of the shape under `condition` (before any encoding). */
export function degradedPixels(coverage: Float64Array, w: number, h: number, condition: Condition, seed = 1): Uint8Array {
  const blur = /^blur-(.+)$/.exec(condition);
  const c = blur ? gaussianBlur(coverage, w, h, Number(blur[1]), 'zero') : coverage;
  const { paper, ink } = COLOURS[condition];
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rgba = new Uint8Array(4 * w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = c[i];
      const light = condition === 'uneven-light' ? 1 - (1 - UNEVEN_LIGHT_MIN) * ((x / w + y / h) / 2) : 1;
      const noise = condition === 'noise-jpeg' ? NOISE_SIGMA * gauss() : 0;
      for (let k = 0; k < 3; k++) {
        const level = condition === 'transparent' ? ink[k] : (paper[k] + v * (ink[k] - paper[k])) * light + noise;
        rgba[4 * i + k] = Math.max(0, Math.min(255, Math.round(level)));
      }
      rgba[4 * i + 3] = condition === 'transparent' ? Math.round(255 * v) : 255;
    }
  }
  return rgba;
}

/** The encoded image: PNG (RGBA), or JPEG for 'noise-jpeg'. */
export async function degrade(coverage: Float64Array, w: number, h: number, condition: Condition, seed = 1): Promise<Buffer> {
  const rgba = degradedPixels(coverage, w, h, condition, seed);
  const img = new Jimp({ width: w, height: h, data: Buffer.from(rgba) });
  return condition === 'noise-jpeg' ? img.getBuffer('image/jpeg', { quality: JPEG_QUALITY }) : img.getBuffer('image/png');
}
