/**
 * Multi-colour test scenes with known truth for bench/colour.ts, and the measures taken on any
 * tracer's SVG.
 *
 * Scenes (fixed rules, no hand-picking): scene k (k = 0…SCENES−1) holds 2 + (k mod 5) shapes, taken
 * in turn from the bench corpus's shapes (bench/corpus.ts: glyphs and simple-icons, alternating),
 * the i-th scaled to a box of 0.5 × the canvas and centred on a circle of radius 0.2 × the canvas at
 * angle 2πi/n + k, so neighbours overlap and touch; painted in order (later on top) in the colours
 * of COLOURS on white. The outlines are flattened within 0.005 px (resvg draws curves as chords, so
 * the scenes are rasterised here, not by resvg): 'aa' = 16 × 16 point samples per pixel averaged in
 * sRGB; 'bilevel' = each pixel the colour of most of its samples.
 *
 * Truth boundary: the points (every 0.1 px) of each shape's outline that no later shape covers.
 * Measures (`measureSvg`): the SVG rendered by resvg at 8 × and each pixel labelled with the nearest
 * scene colour; the boundary is the cracks between labels; mean distance = (mean over its points of
 * the distance to the truth + mean over the truth's points of the distance to it) / 2, capped at
 * 3 px per point. Gaps: the SVG without its background-coloured paths rendered at 1 ×, pixels
 * wholly inside the shapes' union (all 256 samples) with alpha < 50 %. ΔE: per non-background fill,
 * ΔE_OK to the nearest scene colour (src/colour/oklab.ts), the largest.
 */
import { Resvg } from '@resvg/resvg-js';
import { deltaE } from '../src/colour/oklab.js';
import { parsePath, pathBBox, transformSegs } from '../scripts/svg-tools.js';
import { iconShapes, glyphShapes, type Shape } from './corpus.js';
import { flatten, flattenedArc, type Polyline } from './geometry.js';

export const SCENES = 10;
export const CANVAS = 128;
const SAMPLES = 16;
export const WHITE = [255, 255, 255] as const;
export const COLOURS: readonly (readonly [number, number, number])[] = [
  [220, 38, 38],
  [37, 99, 235],
  [22, 163, 74],
  [234, 179, 8],
  [124, 58, 237],
  [15, 23, 42],
];

export interface Scene {
  id: string;
  width: number;
  height: number;
  /** Per shape, in painting order: its polylines (pixel coordinates) and colour. */
  shapes: { polys: Polyline[]; colour: readonly [number, number, number] }[];
  /** Colours of the scene, background first. */
  colours: (readonly [number, number, number])[];
  aa: Uint8Array;
  bilevel: Uint8Array;
  /** Samples (of 256) per pixel inside some shape. */
  unionSamples: Uint16Array;
  /** Visible truth boundary points, interleaved. */
  truth: Float64Array;
}

/** Nonzero winding intervals of polylines along the horizontal line y (sorted [x0, x1, …]). */
function spans(polys: Polyline[], y: number): number[] {
  const xs: [number, number][] = [];
  for (const p of polys) {
    for (let i = 0; i + 3 < p.length; i += 2) {
      const y0 = p[i + 1],
        y1 = p[i + 3];
      if (y0 <= y === y1 <= y) continue;
      xs.push([p[i] + ((y - y0) / (y1 - y0)) * (p[i + 2] - p[i]), y1 > y0 ? 1 : -1]);
    }
  }
  xs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  let w = 0;
  for (const [x, d] of xs) {
    const was = w;
    w += d;
    if (was === 0 && w !== 0) out.push(x);
    else if (was !== 0 && w === 0) out.push(x);
  }
  return out;
}

function windingAt(polys: Polyline[], x: number, y: number): boolean {
  const s = spans(polys, y);
  for (let k = 0; k + 1 < s.length; k += 2) if (x >= s[k] && x < s[k + 1]) return true;
  return false;
}

/** A shape's outline scaled into a box of `size` px centred on (cx, cy), flattened within 0.005 px. */
function place(shape: Shape, size: number, cx: number, cy: number): Polyline[] {
  const b = pathBBox(shape.segs, flattenedArc);
  const s = size / Math.max(b.x1 - b.x0, b.y1 - b.y0);
  return flatten(transformSegs(shape.segs, s, cx - ((b.x0 + b.x1) / 2) * s, cy - ((b.y0 + b.y1) / 2) * s), 0.005);
}

/** The bench scenes (`quick`: the first 3). */
export function buildScenes(quick = false): Scene[] {
  const glyphs = glyphShapes();
  const icons = iconShapes().shapes;
  const pool: Shape[] = [];
  for (let i = 0; i < Math.max(glyphs.length, icons.length); i++) {
    if (i < icons.length) pool.push(icons[i]);
    if (i < glyphs.length) pool.push(glyphs[i]);
  }
  const out: Scene[] = [];
  let next = 0;
  for (let k = 0; k < (quick ? 3 : SCENES); k++) {
    const n = 2 + (k % 5);
    const shapes = Array.from({ length: n }, (_, i) => {
      const a = (2 * Math.PI * i) / n + k;
      const shape = pool[next++ % pool.length];
      return {
        polys: place(shape, 0.5 * CANVAS, CANVAS / 2 + 0.2 * CANVAS * Math.cos(a), CANVAS / 2 + 0.2 * CANVAS * Math.sin(a)),
        colour: COLOURS[i],
        id: shape.id,
      };
    });
    out.push(render(`scene${k}-${n}`, shapes));
  }
  return out;
}

function render(id: string, shapes: { polys: Polyline[]; colour: readonly [number, number, number] }[]): Scene {
  const w = CANVAS,
    h = CANVAS;
  const colours = [WHITE, ...shapes.map((s) => s.colour)];
  const counts = new Uint16Array(w * h * colours.length);
  const top = new Int8Array(w * SAMPLES);
  for (let sy = 0; sy < h * SAMPLES; sy++) {
    const y = (sy + 0.5) / SAMPLES;
    top.fill(0);
    shapes.forEach((s, i) => {
      const sp = spans(s.polys, y);
      for (let k = 0; k + 1 < sp.length; k += 2) {
        const a = Math.max(0, Math.ceil(sp[k] * SAMPLES - 0.5)),
          b = Math.min(w * SAMPLES - 1, Math.ceil(sp[k + 1] * SAMPLES - 0.5) - 1);
        for (let sx = a; sx <= b; sx++) top[sx] = i + 1;
      }
    });
    const row = Math.floor(sy / SAMPLES);
    for (let sx = 0; sx < w * SAMPLES; sx++) counts[(row * w + Math.floor(sx / SAMPLES)) * colours.length + top[sx]]++;
  }
  const aa = new Uint8Array(4 * w * h),
    bilevel = new Uint8Array(4 * w * h),
    unionSamples = new Uint16Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const acc = [0, 0, 0];
    let best = 0;
    for (let c = 0; c < colours.length; c++) {
      const m = counts[i * colours.length + c];
      for (let k = 0; k < 3; k++) acc[k] += m * colours[c][k];
      if (m > counts[i * colours.length + best]) best = c;
    }
    unionSamples[i] = SAMPLES * SAMPLES - counts[i * colours.length];
    for (let k = 0; k < 3; k++) {
      aa[4 * i + k] = Math.round(acc[k] / (SAMPLES * SAMPLES));
      bilevel[4 * i + k] = colours[best][k];
    }
    aa[4 * i + 3] = bilevel[4 * i + 3] = 255;
  }
  // Visible outline points.
  const truth: number[] = [];
  shapes.forEach((s, i) => {
    for (const p of s.polys) {
      for (let j = 0; j + 3 < p.length; j += 2) {
        const len = Math.hypot(p[j + 2] - p[j], p[j + 3] - p[j + 1]);
        const steps = Math.max(1, Math.ceil(len / 0.1));
        for (let t = 0; t < steps; t++) {
          const x = p[j] + ((p[j + 2] - p[j]) * t) / steps,
            y = p[j + 1] + ((p[j + 3] - p[j + 1]) * t) / steps;
          if (!shapes.slice(i + 1).some((o) => windingAt(o.polys, x, y))) truth.push(x, y);
        }
      }
    }
  });
  return { id, width: w, height: h, shapes, colours, aa, bilevel, unionSamples, truth: Float64Array.from(truth) };
}

/** Nearest-point search over a point set with a 1 px grid. */
export class PointGrid {
  private readonly cells = new Map<number, number[]>();
  constructor(private readonly pts: Float64Array) {
    for (let i = 0; i < pts.length; i += 2) {
      const key = this.key(Math.floor(pts[i]), Math.floor(pts[i + 1]));
      const list = this.cells.get(key);
      if (list) list.push(i);
      else this.cells.set(key, [i]);
    }
  }
  private key(cx: number, cy: number): number {
    return (cy + 64) * 100_000 + (cx + 64);
  }
  /** Distance to the nearest point, capped at `cap` px. */
  distance(x: number, y: number, cap = 3): number {
    let best = cap * cap;
    const cx = Math.floor(x),
      cy = Math.floor(y);
    for (let dy = -cap; dy <= cap; dy++) {
      for (let dx = -cap; dx <= cap; dx++) {
        for (const i of this.cells.get(this.key(cx + dx, cy + dy)) ?? []) best = Math.min(best, (this.pts[i] - x) ** 2 + (this.pts[i + 1] - y) ** 2);
      }
    }
    return Math.sqrt(best);
  }
}

export interface SvgMeasures {
  /** Mean boundary distance to the truth, px (scenes only). */
  meanDistance: number;
  /** Pixels inside the shapes' union no region covers ≥ 50 %. */
  gaps: number;
  /** Largest ΔE_OK of a non-background fill to the nearest scene colour. */
  maxDeltaE: number;
  /** Paths drawn, and bytes of their path data. */
  paths: number;
  bytes: number;
}

/** Path elements of an SVG: fill (as rgb) and the element's text. */
export function svgPaths(svg: string): { fill: [number, number, number]; element: string; d: string }[] {
  const out: { fill: [number, number, number]; element: string; d: string }[] = [];
  for (const m of svg.matchAll(/<path\b[^>]*>/g)) {
    const d = /\bd="([^"]*)"/.exec(m[0])?.[1] ?? '';
    const f = /fill="([^"]*)"/.exec(m[0])?.[1] ?? '#000';
    out.push({ fill: parseColour(f), element: m[0], d });
  }
  return out;
}

function parseColour(f: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(f);
  if (hex) return [0, 2, 4].map((k) => parseInt(hex[1].slice(k, k + 2), 16)) as [number, number, number];
  const rgb = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(f);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return [0, 0, 0];
}

const nearest = (colours: readonly (readonly number[])[], c: readonly number[]) =>
  colours.reduce(
    (b, q, k) =>
      (c[0] - q[0]) ** 2 + (c[1] - q[1]) ** 2 + (c[2] - q[2]) ** 2 < (c[0] - colours[b][0]) ** 2 + (c[1] - colours[b][1]) ** 2 + (c[2] - colours[b][2]) ** 2
        ? k
        : b,
    0,
  );

/** The measures of one tracer's SVG on a scene (see the file comment). */
export function measureSvg(svg: string, scene: Scene): SvgMeasures {
  const paths = svgPaths(svg);
  const bytes = paths.reduce((s, p) => s + p.d.length, 0);
  const fg = paths.filter((p) => nearest(scene.colours, p.fill) !== 0);
  const maxDeltaE = Math.max(0, ...fg.map((p) => Math.min(...scene.colours.slice(1).map((c) => deltaE(p.fill, c)))));
  // Boundary at 8×.
  const Z = 8;
  const big = new Resvg(svg, { background: 'white', fitTo: { mode: 'width', value: scene.width * Z } }).render();
  const W = big.width,
    H = big.height,
    px = big.pixels; // a getter that copies: read once
  const label = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) label[i] = nearest(scene.colours, [px[4 * i], px[4 * i + 1], px[4 * i + 2]]);
  const pts: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (x + 1 < W && label[i] !== label[i + 1]) pts.push((x + 1) / Z, (y + 0.5) / Z);
      if (y + 1 < H && label[i] !== label[i + W]) pts.push((x + 0.5) / Z, (y + 1) / Z);
    }
  }
  const traced = Float64Array.from(pts);
  const toTruth = new PointGrid(scene.truth),
    toTrace = new PointGrid(traced);
  let a = 0,
    b = 0;
  for (let i = 0; i < traced.length; i += 2) a += toTruth.distance(traced[i], traced[i + 1]);
  for (let i = 0; i < scene.truth.length; i += 2) b += toTrace.distance(scene.truth[i], scene.truth[i + 1]);
  const meanDistance = (a / Math.max(1, traced.length / 2) + b / Math.max(1, scene.truth.length / 2)) / 2;
  const gaps = gapMask(svg, scene).reduce((s, g) => s + g, 0);
  return { meanDistance, gaps, maxDeltaE, paths: paths.length, bytes };
}

/** Gap pixels (1) of a tracer's SVG: only its non-background paths rendered at 1 × on transparency, pixels wholly inside the shapes' union with alpha < 50 %. */
export function gapMask(svg: string, scene: Scene): Uint8Array {
  const fg = svgPaths(svg).filter((p) => nearest(scene.colours, p.fill) !== 0);
  const fgSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}">${fg.map((p) => p.element).join('')}</svg>`;
  const alpha = new Resvg(fgSvg, { fitTo: { mode: 'original' } }).render().pixels;
  const mask = new Uint8Array(scene.width * scene.height);
  for (let i = 0; i < mask.length; i++) if (scene.unionSamples[i] === SAMPLES * SAMPLES && alpha[4 * i + 3] < 128) mask[i] = 1;
  return mask;
}

/** Parse check for the path data (bench sanity: every tracer's output must be valid path syntax). */
export function parses(d: string): boolean {
  try {
    parsePath(d);
    return true;
  } catch {
    return false;
  }
}
