/**
 * Colour stage 1 — the palette (docs/design.md §22.2).
 *
 * Reads RGBA pixels (8 bits per channel, row-major). Produces the palette (colours in OKLab
 * clusters, one entry for transparency, the background entry) and, per pixel, which one or two
 * palette colours it is made of: `first` (the larger share), `second` and `fraction` (the share of
 * `second`, 0..0.5).
 *
 * 1. Mixed pixels: a pixel that lies between two opposite neighbours in premultiplied RGBA (an
 *    anti-aliased edge, a blurred edge, a colour fading into transparency) is a mixture; it does
 *    not vote in the clustering, so edges never make colours of their own.
 * 2. Clusters: the remaining ("pure") colours, most frequent first, join the nearest cluster within
 *    ΔE_OK `deltaE` (src/colour/oklab.ts) or start one; two k-means passes; then the closest
 *    clusters merge while closer than `deltaE`, or, with `colors: n`, until n are left.
 * 3. Each pure pixel takes its nearest entry; each mixed pixel the pair of entries (among those
 *    around it) whose mixing segment passes nearest to it, with the fraction along it.
 * 4. The background is the entry that covers most of the image border.
 */
import { oklab } from './oklab.js';
import * as dm from '../geometry/fdlibm.js';

/** One palette colour. */
export interface PaletteEntry {
  /** sRGB bytes, the mean of the entry's pure pixels. */
  rgb: [number, number, number];
  /** OKLab of `rgb` (L 0..1). */
  lab: [number, number, number];
  /** True for the transparency entry (pixels with alpha below one half). */
  transparent: boolean;
  /** Pure pixels in the cluster. */
  pixels: number;
}

/** Which palette colours every pixel is made of (length width·height each). */
export interface PixelMix {
  first: Uint8Array;
  second: Uint8Array;
  /** Share of `second` in the pixel, 0..0.5 (0 for a pure pixel, where second = first). */
  fraction: Float32Array;
  /** Pixels found to be mixtures of two colours. */
  mixed: number;
}

export interface PaletteResult {
  palette: PaletteEntry[];
  background: number;
  mix: PixelMix;
}

/** Defaults of the palette stage, one line each. */
export const PALETTE_DEFAULTS = Object.freeze({
  /** ΔE_OK under which two clusters are one colour ('auto'): JPEG noise and dithering stay well below, distinct logo colours well above. */
  deltaE: 8,
  /** Premultiplied RGBA distance (0..2) two neighbours must differ by for a pixel between them to count as their mixture. */
  minContrast: 0.12,
  /** Largest distance (premultiplied RGBA, 0..2) of a mixed pixel from its neighbours' mixing segment. */
  mixResidual: 0.04,
  /** A mixture's share of either side must be at least this, else the pixel is pure. */
  minShare: 0.05,
  /** Most palette entries. */
  maxColours: 64,
} as const);

/** Neighbour offsets in opposite pairs: left/right, up/down and both diagonals. */
const OPPOSITE: readonly (readonly [number, number, number, number])[] = [
  [-1, 0, 1, 0],
  [0, -1, 0, 1],
  [-1, -1, 1, 1],
  [1, -1, -1, 1],
];

/** Premultiplied RGBA (0..1 each) of pixel i. */
function premul(rgba: Uint8Array, i: number): [number, number, number, number] {
  const a = rgba[4 * i + 3] / 255;
  return [(rgba[4 * i] / 255) * a, (rgba[4 * i + 1] / 255) * a, (rgba[4 * i + 2] / 255) * a, a];
}

/** Share t of q along p → q nearest to x, and the distance of x from that point (4-vectors). */
function onSegment(x: readonly number[], p: readonly number[], q: readonly number[]): { t: number; residual: number; length: number } {
  let dd = 0,
    dx = 0;
  for (let k = 0; k < 4; k++) {
    dd += (q[k] - p[k]) ** 2;
    dx += (x[k] - p[k]) * (q[k] - p[k]);
  }
  const t = dd > 0 ? Math.min(1, Math.max(0, dx / dd)) : 0;
  let r = 0;
  for (let k = 0; k < 4; k++) r += (x[k] - p[k] - t * (q[k] - p[k])) ** 2;
  return { t, residual: Math.sqrt(r), length: Math.sqrt(dd) };
}

/** 1 where pixel i lies between two of its opposite neighbours (step 1). */
export function mixedPixels(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const D = PALETTE_DEFAULTS;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = premul(rgba, y * width + x);
      for (const [ax, ay, bx, by] of OPPOSITE) {
        const x0 = x + ax,
          y0 = y + ay,
          x1 = x + bx,
          y1 = y + by;
        if (x0 < 0 || y0 < 0 || x1 < 0 || y1 < 0 || x0 >= width || x1 >= width || y0 >= height || y1 >= height) continue;
        const s = onSegment(c, premul(rgba, y0 * width + x0), premul(rgba, y1 * width + x1));
        if (s.length >= D.minContrast && s.residual <= D.mixResidual && s.t * s.length >= D.minShare && (1 - s.t) * s.length >= D.minShare) {
          out[y * width + x] = 1;
          break;
        }
      }
    }
  }
  return out;
}

interface Cluster {
  lab: [number, number, number];
  /** Weighted sums of sRGB bytes and OKLab, and the weight. */
  sum: [number, number, number];
  labSum: [number, number, number];
  n: number;
  transparent: boolean;
}

const labDistance = (a: readonly number[], b: readonly number[]) => 100 * dm.hypot3(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * The palette of `rgba` (steps 1–4). `colors`: 'auto' (clusters merge while closer than deltaE)
 * or the number of entries wanted, transparency included (fewer when the image has fewer).
 */
export function buildPalette(
  rgba: Uint8Array,
  width: number,
  height: number,
  colors: number | 'auto',
  deltaE: number = PALETTE_DEFAULTS.deltaE,
  minPixels = 3,
): PaletteResult {
  const n = width * height;
  const mixed = mixedPixels(rgba, width, height);
  // Distinct pure colours with their counts (transparent pixels as one key, −1).
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (mixed[i]) continue;
    const key = rgba[4 * i + 3] < 128 ? -1 : (rgba[4 * i] << 16) | (rgba[4 * i + 1] << 8) | rgba[4 * i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) {
    // Every pixel a mixture (a tiny or noisy image): cluster them all.
    for (let i = 0; i < n; i++) {
      const key = rgba[4 * i + 3] < 128 ? -1 : (rgba[4 * i] << 16) | (rgba[4 * i + 1] << 8) | rgba[4 * i + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const colours = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const clusters = clusterColours(colours, colors === 'auto' ? deltaE : Math.min(deltaE, 3));
  // Clusters of fewer than minPixels pure pixels (a corner pixel mixing three colours, a speck) are not colours.
  for (let k = clusters.length - 1; k >= 0 && clusters.length > 1; k--) if (clusters[k].n < minPixels && !clusters[k].transparent) clusters.splice(k, 1);
  dropEdgeClusters(clusters, rgba, width, height, mixed);
  mergeClusters(clusters, colors === 'auto' ? deltaE : 0, colors === 'auto' ? PALETTE_DEFAULTS.maxColours : Math.min(colors, PALETTE_DEFAULTS.maxColours));
  clusters.sort((a, b) => b.n - a.n || a.lab[0] - b.lab[0] || a.lab[1] - b.lab[1] || a.lab[2] - b.lab[2]);
  const palette: PaletteEntry[] = clusters.map((c) => {
    const rgb: [number, number, number] = c.transparent ? [0, 0, 0] : [c.sum[0] / c.n, c.sum[1] / c.n, c.sum[2] / c.n];
    return { rgb, lab: c.transparent ? [0, 0, 0] : oklab(rgb[0], rgb[1], rgb[2]), transparent: c.transparent, pixels: 0 };
  });
  const mix = assignPixels(rgba, width, height, mixed, palette, deltaE);
  return { palette, background: borderMajority(mix.first, width, height, palette.length), mix };
}

/** Step 2, leader clustering: each colour (most frequent first) joins the nearest cluster within `threshold`, else starts one; then two k-means passes. */
function clusterColours(colours: [number, number][], threshold: number): Cluster[] {
  const clusters: Cluster[] = [];
  const labs = colours.map(([key]) => (key < 0 ? null : oklab((key >> 16) & 255, (key >> 8) & 255, key & 255)));
  const nearest = (lab: readonly number[]): [number, number] => {
    let best = -1,
      bestD = Infinity;
    clusters.forEach((c, k) => {
      if (c.transparent) return;
      const d = labDistance(c.lab, lab);
      if (d < bestD) [best, bestD] = [k, d];
    });
    return [best, bestD];
  };
  const add = (c: Cluster, key: number, lab: readonly number[], w: number) => {
    c.sum[0] += ((key >> 16) & 255) * w;
    c.sum[1] += ((key >> 8) & 255) * w;
    c.sum[2] += (key & 255) * w;
    for (let k = 0; k < 3; k++) c.labSum[k] += lab[k] * w;
    c.n += w;
  };
  const empty = (lab: readonly number[], transparent: boolean): Cluster => ({
    lab: [lab[0], lab[1], lab[2]],
    sum: [0, 0, 0],
    labSum: [0, 0, 0],
    n: 0,
    transparent,
  });
  colours.forEach(([key, w], i) => {
    const lab = labs[i];
    if (lab === null) {
      clusters.push({ ...empty([0, 0, 0], true), n: w });
      return;
    }
    const [k, d] = nearest(lab);
    if (k >= 0 && d < threshold) add(clusters[k], key, lab, w);
    else {
      const c = empty(lab, false);
      add(c, key, lab, w);
      clusters.push(c);
    }
  });
  for (let pass = 0; pass < 2; pass++) {
    for (const c of clusters) {
      if (c.transparent) continue;
      c.lab = [c.labSum[0] / c.n, c.labSum[1] / c.n, c.labSum[2] / c.n];
      c.sum = [0, 0, 0];
      c.labSum = [0, 0, 0];
      c.n = 0;
    }
    colours.forEach(([key, w], i) => {
      const lab = labs[i];
      if (lab !== null) add(clusters[nearest(lab)[0]], key, lab, w);
    });
    for (let k = clusters.length - 1; k >= 0; k--) if (clusters[k].n === 0) clusters.splice(k, 1);
  }
  for (const c of clusters) if (!c.transparent) c.lab = [c.labSum[0] / c.n, c.labSum[1] / c.n, c.labSum[2] / c.n];
  return clusters;
}

/**
 * Step 2, edge colours: on an anti-aliased image (mixed pixels ≥ 10 % of the pixels next to a colour
 * change), a cluster that is a mixture of two larger clusters (within 0.06 of their segment, 5–95 %
 * along it) and has almost no interior (under a quarter of its pixels have all four neighbours in
 * it) is the fringe of thin strokes or small features, where no opposite neighbour is pure; it is
 * dropped and its pixels are decomposed as mixtures (step 3).
 */
function dropEdgeClusters(clusters: Cluster[], rgba: Uint8Array, width: number, height: number, mixed: Uint8Array): void {
  const n = width * height;
  let changes = 0,
    mixedCount = 0;
  for (let i = 0; i < n; i++) {
    if (mixed[i]) mixedCount++;
    const x = i % width;
    if ((x + 1 < width && !sameRgba(rgba, i, i + 1)) || (i + width < n && !sameRgba(rgba, i, i + width))) changes++;
  }
  if (clusters.length < 3 || mixedCount < 0.1 * changes) return;
  const member = new Int16Array(n).fill(-1);
  for (let i = 0; i < n; i++) if (!mixed[i]) member[i] = nearestCluster(clusters, rgba, i);
  const interior = new Float64Array(clusters.length),
    size = new Float64Array(clusters.length);
  for (let i = 0; i < n; i++) {
    const k = member[i];
    if (k < 0) continue;
    size[k]++;
    const x = i % width;
    if (
      (x === 0 || member[i - 1] === k) &&
      (x + 1 === width || member[i + 1] === k) &&
      (i < width || member[i - width] === k) &&
      (i + width >= n || member[i + width] === k)
    )
      interior[k]++;
  }
  const vec = (c: Cluster) => (c.transparent ? [0, 0, 0, 0] : [c.sum[0] / c.n / 255, c.sum[1] / c.n / 255, c.sum[2] / c.n / 255, 1]);
  const order = clusters.map((_, k) => k).sort((a, b) => size[a] - size[b] || a - b);
  const gone = new Set<number>();
  for (const c of order) {
    if (clusters[c].transparent || interior[c] >= 0.25 * size[c]) continue;
    const bigger = order.filter((k) => k !== c && !gone.has(k) && size[k] > size[c]);
    const fringe = bigger.some((a) =>
      bigger.some((b) => {
        if (b <= a) return false;
        const s = onSegment(vec(clusters[c]), vec(clusters[a]), vec(clusters[b]));
        return s.residual <= 0.06 && s.t >= 0.05 && s.t <= 0.95;
      }),
    );
    if (fringe) gone.add(c);
  }
  for (let i = 0; i < n; i++) if (member[i] >= 0 && gone.has(member[i])) mixed[i] = 1;
  for (let k = clusters.length - 1; k >= 0; k--) if (gone.has(k)) clusters.splice(k, 1);
}

function sameRgba(rgba: Uint8Array, i: number, j: number): boolean {
  return rgba[4 * i] === rgba[4 * j] && rgba[4 * i + 1] === rgba[4 * j + 1] && rgba[4 * i + 2] === rgba[4 * j + 2] && rgba[4 * i + 3] === rgba[4 * j + 3];
}

/** Index of the cluster nearest to pixel i (OKLab; transparency for alpha below one half). */
function nearestCluster(clusters: Cluster[], rgba: Uint8Array, i: number): number {
  const transparent = rgba[4 * i + 3] < 128;
  const lab = oklab(rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]);
  let best = 0,
    bestD = Infinity;
  clusters.forEach((c, k) => {
    const d = c.transparent ? (transparent ? -1 : Infinity) : transparent ? Infinity : labDistance(c.lab, lab);
    if (d < bestD) [best, bestD] = [k, d];
  });
  return best;
}

/** Step 2, merging: the two closest colour clusters merge while closer than `threshold` or more than `most` remain. */
function mergeClusters(clusters: Cluster[], threshold: number, most: number): void {
  for (;;) {
    let bi = -1,
      bj = -1,
      bd = Infinity;
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        if (clusters[i].transparent || clusters[j].transparent) continue;
        const d = labDistance(clusters[i].lab, clusters[j].lab);
        if (d < bd) [bi, bj, bd] = [i, j, d];
      }
    }
    if (bi < 0 || (bd >= threshold && clusters.length <= most)) return;
    const a = clusters[bi],
      b = clusters[bj];
    for (let k = 0; k < 3; k++) {
      a.sum[k] += b.sum[k];
      a.labSum[k] += b.labSum[k];
    }
    a.n += b.n;
    a.lab = [a.labSum[0] / a.n, a.labSum[1] / a.n, a.labSum[2] / a.n];
    clusters.splice(bj, 1);
  }
}

/** Step 3: every pixel's one or two palette entries. */
function assignPixels(rgba: Uint8Array, width: number, height: number, mixed: Uint8Array, palette: PaletteEntry[], deltaE: number): PixelMix {
  const n = width * height;
  const first = new Uint8Array(n),
    second = new Uint8Array(n),
    fraction = new Float32Array(n);
  const vectors = palette.map((e) => (e.transparent ? [0, 0, 0, 0] : [e.rgb[0] / 255, e.rgb[1] / 255, e.rgb[2] / 255, 1]));
  /** The nearest entry, or −1 when none is within deltaE (the pixel is then decomposed as a mixture). */
  const nearestEntry = (i: number): number => {
    const k = nearestAny(palette, rgba, i);
    if (palette[k].transparent) return k;
    return labDistance(palette[k].lab, oklab(rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2])) <= deltaE ? k : -1;
  };
  for (let i = 0; i < n; i++) {
    if (mixed[i]) continue;
    const k = nearestEntry(i);
    if (k < 0) mixed[i] = 1;
    else first[i] = second[i] = k;
  }
  let mixedCount = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mixed[i]) continue;
      // Candidates: the entries of the pure pixels within two pixels (all entries if none).
      const near = new Set<number>();
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const xx = x + dx,
            yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < width && yy < height && !mixed[yy * width + xx]) near.add(first[yy * width + xx]);
        }
      }
      const cands = near.size >= 2 ? [...near].sort((a, b) => a - b) : palette.map((_, k) => k);
      const c = premul(rgba, i);
      let best = { a: cands[0], b: cands[0], t: 0, r: Infinity };
      for (let p = 0; p < cands.length; p++) {
        for (let q = p + 1; q < cands.length; q++) {
          const s = onSegment(c, vectors[cands[p]], vectors[cands[q]]);
          if (s.residual < best.r - 1e-12) best = { a: cands[p], b: cands[q], t: s.t, r: s.residual };
        }
      }
      if (cands.length === 1) best = { a: cands[0], b: cands[0], t: 0, r: 0 };
      const [dom, other, share] = best.t <= 0.5 ? [best.a, best.b, best.t] : [best.b, best.a, 1 - best.t];
      first[i] = dom;
      second[i] = share > 0 ? other : dom;
      if (best.r > MAX_MIX_RESIDUAL) {
        // Explained by no pair: the nearest entry, as a pure pixel.
        first[i] = second[i] = nearestAny(palette, rgba, i);
        fraction[i] = 0;
        continue;
      }
      fraction[i] = share;
      if (share > 0) mixedCount++;
    }
  }
  for (let i = 0; i < n; i++) palette[first[i]].pixels++;
  return { first, second, fraction, mixed: mixedCount };
}

/** Largest distance (premultiplied RGBA) of a pixel from its best mixing segment for it to count as that mixture. */
const MAX_MIX_RESIDUAL = 0.15;

/** The nearest entry in OKLab, transparency for alpha below one half. */
function nearestAny(palette: PaletteEntry[], rgba: Uint8Array, i: number): number {
  if (rgba[4 * i + 3] < 128) {
    const t = palette.findIndex((e) => e.transparent);
    if (t >= 0) return t;
  }
  const lab = oklab(rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]);
  let best = 0,
    bestD = Infinity;
  palette.forEach((e, k) => {
    if (e.transparent) return;
    const d = labDistance(e.lab, lab);
    if (d < bestD) [best, bestD] = [k, d];
  });
  return best;
}

/** Step 4: the entry covering most border pixels (lowest index on a tie). */
function borderMajority(first: Uint8Array, width: number, height: number, entries: number): number {
  const votes = new Float64Array(Math.max(1, entries));
  for (let x = 0; x < width; x++) {
    votes[first[x]]++;
    if (height > 1) votes[first[(height - 1) * width + x]]++;
  }
  for (let y = 1; y < height - 1; y++) {
    votes[first[y * width]]++;
    if (width > 1) votes[first[y * width + width - 1]]++;
  }
  let best = 0;
  for (let k = 1; k < entries; k++) if (votes[k] > votes[best]) best = k;
  return best;
}
