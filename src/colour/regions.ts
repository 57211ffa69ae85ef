/**
 * Colour stage 2 — regions (docs/design.md §22.3).
 *
 * Reads each pixel's main palette entry (`PixelMix.first`, src/colour/palette.ts) and the
 * background entry. Produces a region id per pixel: 0 for the background (every pixel of the
 * background colour, and the outside of the image), 1… for the 4-connected components of every
 * other colour. Components under `minArea` pixels merge into the neighbour they share most pixel
 * edges with (smallest first), so specks and stray edge pixels never become shapes of their own.
 */

/** One region: a connected set of pixels of one palette colour. */
export interface RegionInfo {
  /** Palette index of the region's colour. */
  colour: number;
  /** Pixels in the region (after merging). */
  area: number;
}

export interface RegionMap {
  /** Region id per pixel (length width·height); 0 = background. */
  ids: Int32Array;
  /** Regions by id; `regions[0]` is the background. */
  regions: RegionInfo[];
  /** Components merged into a neighbour for being under minArea. */
  merged: number;
}

/**
 * Regions of a palette-index image.
 *
 * @example const { ids, regions } = labelRegions(mix.first, w, h, background, 3);
 */
export function labelRegions(first: Uint8Array, width: number, height: number, background: number, minArea: number): RegionMap {
  const n = width * height;
  const raw = new Int32Array(n).fill(-1);
  const colourOf: number[] = [background];
  const areaOf: number[] = [0];
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    if (first[i] === background) {
      raw[i] = 0;
      areaOf[0]++;
    }
  }
  for (let s = 0; s < n; s++) {
    if (raw[s] >= 0) continue;
    const id = colourOf.length;
    colourOf.push(first[s]);
    areaOf.push(0);
    raw[s] = id;
    stack.push(s);
    while (stack.length > 0) {
      const i = stack.pop()!;
      areaOf[id]++;
      const x = i % width;
      for (const j of [x > 0 ? i - 1 : -1, x + 1 < width ? i + 1 : -1, i - width, i + width]) {
        if (j >= 0 && j < n && raw[j] < 0 && first[j] === first[s]) {
          raw[j] = id;
          stack.push(j);
        }
      }
    }
  }
  // Merge small components, smallest first (then by id): each joins the neighbour it shares most edges with.
  const parent = colourOf.map((_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k]];
    return k;
  };
  const pixelsOf: number[][] = colourOf.map(() => []);
  for (let i = 0; i < n; i++) if (raw[i] > 0) pixelsOf[raw[i]].push(i);
  const order = colourOf.map((_, k) => k).filter((k) => k > 0 && areaOf[k] < minArea);
  order.sort((a, b) => areaOf[a] - areaOf[b] || a - b);
  let merged = 0;
  for (const k of order) {
    if (find(k) !== k || areaOf[k] >= minArea) continue;
    const shared = new Map<number, number>();
    for (const i of pixelsOf[k]) {
      const x = i % width,
        y = (i - x) / width;
      for (const [xx, yy] of [
        [x - 1, y],
        [x + 1, y],
        [x, y - 1],
        [x, y + 1],
      ]) {
        const r = xx < 0 || yy < 0 || xx >= width || yy >= height ? 0 : find(raw[yy * width + xx]);
        if (r !== k) shared.set(r, (shared.get(r) ?? 0) + 1);
      }
    }
    let best = -1,
      bestCount = -1;
    for (const [r, c] of shared) if (c > bestCount || (c === bestCount && r < best)) [best, bestCount] = [r, c];
    if (best < 0) continue;
    parent[k] = best;
    areaOf[best] += areaOf[k];
    for (const i of pixelsOf[k]) pixelsOf[best].push(i);
    merged++;
  }
  // Renumber: 0 stays the background, the others in order of their first pixel.
  const newId = new Int32Array(colourOf.length).fill(-1);
  newId[0] = 0;
  const regions: RegionInfo[] = [{ colour: background, area: 0 }];
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(raw[i]);
    if (newId[r] < 0) {
      newId[r] = regions.length;
      regions.push({ colour: colourOf[r], area: 0 });
    }
    ids[i] = newId[r];
    regions[ids[i]].area++;
  }
  return { ids, regions, merged };
}
