/**
 * Contours, part 1 (docs/design.md §2.5): component labelling.
 *
 * Reads a `Bitmap`'s ink mask. Produces a label per component — pixels of one colour sharing an
 * edge are joined, and at a saddle (two pixels touching only at a corner) the colour the turn
 * policy picks (saddles.ts) joins, the other not, so every boundary is a simple closed walk; the
 * background touching the border is one exterior component — with each component's pixel count,
 * and `labelAt(x, y)` for any pixel. Why: the hierarchy (which hole is in which outer boundary)
 * and the speckle filter (index.ts) are read off these labels.
 *
 * Method (docs/design.md §2.5, "Labelling"): run-length labelling with union-find — each row cut
 * into maximal runs of one colour, a run joined to the runs of its colour in the row above that
 * share an edge with it, or only a corner where the saddle rule joins its colour, then every run's
 * set numbered in raster order of its first pixel, exactly the numbering a flood fill seeded in
 * raster order gives. Memory: a few integers per run, not per pixel.
 */
import type { Bitmap } from '../types.js';

export interface Labels {
  /** Pixel (x, y) inside the image → ink label (≥ 0) for ink, or −1 − background label for background. */
  labelAt(x: number, y: number): number;
  inkCount: number;
  backgroundCount: number;
  inkSizes: Int32Array;
  backgroundSizes: Int32Array;
  exteriorLabel: number;
  /** The rows' runs the labels were found on (read again by the crack scan, `crackSpans`). */
  runs: Runs;
}

/** Horizontal cracks as spans (y, x0, x1) in `spans[0 .. 3·count)`, raster order (`crackSpans`). */
export interface CrackSpans {
  spans: Int32Array;
  count: number;
}

/**
 * Cracks between two pixels of the image (not on its border), as `subpixelSettings` counts them:
 * one per run that does not start a row, and one per pixel of each span inside the image.
 */
export function interiorCrackCount(runs: Runs, cracks: CrackSpans, h: number): number {
  let n = runs.count - h;
  const { spans, count } = cracks;
  for (let s = 0; s < count; s++) if (spans[3 * s] > 0 && spans[3 * s] < h) n += spans[3 * s + 2] - spans[3 * s + 1];
  return n;
}

/** Runs of one colour per row: starts, and where each row's runs begin in the arrays. */
export interface Runs {
  /** First x of each run, rows in order. */
  start: Int32Array;
  /** Index of row y's first run; rowFirst[h] = number of runs. */
  rowFirst: Int32Array;
  count: number;
}

/**
 * `joinsInk(x, y)` says which colour joins across the saddle at pixel corner (x, y) (saddles.ts,
 * docs/design.md §2.7); the default joins ink always (ink 8-connected, background 4-connected).
 */
export function labelComponents(bitmap: Bitmap, joinsInk: (x: number, y: number) => boolean = () => true): Labels {
  const { width: w, height: h, ink } = bitmap;
  const runs = rowRuns(ink, w, h);
  const { start, rowFirst, count } = runs;
  const end = (k: number, y: number) => (k + 1 < rowFirst[y + 1] ? start[k + 1] : w); // one past the last x
  const isInkRun = (k: number, y: number) => ink[y * w + start[k]] === 1;

  // Union-find over runs; node `count` is the exterior (every background run on the border).
  const parent = new Int32Array(count + 1);
  for (let k = 0; k <= count; k++) parent[k] = k;
  const find = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k]];
    return k;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a),
      rb = find(b);
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };
  const exterior = count;
  for (let y = 0; y < h; y++) {
    const first = rowFirst[y],
      last = rowFirst[y + 1];
    for (let k = first; k < last; k++) {
      if (!isInkRun(k, y) && (y === 0 || y === h - 1 || start[k] === 0 || end(k, y) === w)) union(k, exterior);
    }
    if (y === 0) continue;
    // Runs of the row above touching run k: sharing an edge (x-overlap) joins; touching only at a
    // corner is a saddle (runs are maximal, so the other two pixels there are the other colour),
    // which joins the colour the rule picks.
    let j = rowFirst[y - 1];
    const prevLast = first;
    for (let k = first; k < last; k++) {
      const inkRun = isInkRun(k, y);
      const s = start[k],
        e = end(k, y);
      while (j < prevLast && end(j, y - 1) < s) j++;
      for (let i = j; i < prevLast && start[i] <= e; i++) {
        if (isInkRun(i, y - 1) !== inkRun) continue;
        const ei = end(i, y - 1);
        if (ei === s || start[i] === e) {
          if (joinsInk(ei === s ? s : e, y) !== inkRun) continue;
        }
        union(k, i);
      }
    }
  }

  // Number the sets in raster order of their first run (the exterior is background 0).
  const runLabel = new Int32Array(count);
  const labelOfRoot = new Int32Array(count + 1).fill(0x7fffffff);
  labelOfRoot[find(exterior)] = -1;
  const inkSizes: number[] = [];
  const backgroundSizes: number[] = [0];
  for (let y = 0; y < h; y++) {
    for (let k = rowFirst[y]; k < rowFirst[y + 1]; k++) {
      const root = find(k);
      const inkRun = isInkRun(k, y);
      if (labelOfRoot[root] === 0x7fffffff) {
        labelOfRoot[root] = inkRun ? inkSizes.length : -1 - backgroundSizes.length;
        (inkRun ? inkSizes : backgroundSizes).push(0);
      }
      const label = labelOfRoot[root];
      runLabel[k] = label;
      if (inkRun) inkSizes[label] += end(k, y) - start[k];
      else backgroundSizes[-1 - label] += end(k, y) - start[k];
    }
  }

  const labelAt = (x: number, y: number): number => {
    // The run of row y holding x: the last whose start ≤ x (binary search).
    let lo = rowFirst[y],
      hi = rowFirst[y + 1] - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (start[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    return runLabel[lo];
  };
  return {
    labelAt,
    inkCount: inkSizes.length,
    backgroundCount: backgroundSizes.length,
    inkSizes: Int32Array.from(inkSizes),
    backgroundSizes: Int32Array.from(backgroundSizes),
    exteriorLabel: 0,
    runs,
  };
}

/**
 * The horizontal cracks, from the rows' runs instead of every pixel (docs/design.md §2.5): spans
 * [x0, x1) of row boundary y (0..h, the top edge of row y) where the pixel above and the one below
 * differ in colour (outside the image is background), in raster order, as triples (y, x0, x1) in
 * `spans[0 .. 3·count)`. Work per row boundary is the number of runs of its two rows.
 */
export function crackSpans(runs: Runs, ink: Uint8Array, w: number, h: number): CrackSpans {
  const { start, rowFirst } = runs;
  let spans = new Int32Array(Math.max(48, 6 * (h + 1)));
  let count = 0;
  for (let y = 0; y <= h; y++) {
    // k: the current run of the row above (y − 1), m: of the row below (y); −1 outside the image.
    let k = y > 0 ? rowFirst[y - 1] : -1,
      m = y < h ? rowFirst[y] : -1;
    for (let x = 0; x < w;) {
      const endAbove = k < 0 ? w : k + 1 < rowFirst[y] ? start[k + 1] : w,
        endBelow = m < 0 ? w : m + 1 < rowFirst[y + 1] ? start[m + 1] : w;
      const above = k < 0 ? 0 : ink[(y - 1) * w + start[k]],
        below = m < 0 ? 0 : ink[y * w + start[m]];
      const x1 = endAbove < endBelow ? endAbove : endBelow;
      if (above !== below) {
        if (3 * count + 3 > spans.length) {
          const grown = new Int32Array(2 * spans.length);
          grown.set(spans);
          spans = grown;
        }
        spans[3 * count] = y;
        spans[3 * count + 1] = x;
        spans[3 * count + 2] = x1;
        count++;
      }
      if (k >= 0 && endAbove === x1) k++;
      if (m >= 0 && endBelow === x1) m++;
      x = x1;
    }
  }
  return { spans, count };
}

/** Maximal runs of one colour in each row (a row of width w > 0 has at least one). */
function rowRuns(ink: Uint8Array, w: number, h: number): Runs {
  let start = new Int32Array(Math.max(16, 2 * h));
  const rowFirst = new Int32Array(h + 1);
  let count = 0;
  // The mask read 4 bytes at a time where its offset allows: an aligned word equal to 4 copies of
  // the byte before it holds no run start, and is passed over with one test.
  const words = ink.byteOffset % 4 === 0 ? new Uint32Array(ink.buffer, ink.byteOffset, ink.length >> 2) : null;
  for (let y = 0; y < h; y++) {
    rowFirst[y] = count;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const p = row + x;
      if (x > 0) {
        if (words !== null && (p & 3) === 0 && x + 4 <= w && words[p >> 2] === ink[p - 1] * 0x01010101) {
          x += 3;
          continue;
        }
        if (ink[p] === ink[p - 1]) continue;
      }
      if (count === start.length) {
        const grown = new Int32Array(2 * start.length);
        grown.set(start);
        start = grown;
      }
      start[count++] = x;
    }
  }
  rowFirst[h] = count;
  return { start, rowFirst, count };
}
