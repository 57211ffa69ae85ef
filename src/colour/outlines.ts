/**
 * Colour stage 5 — region outlines from shared chains (docs/design.md §22.6).
 *
 * Reads the chains (src/colour/boundaries.ts) and the region map. Produces, per drawn region (not
 * the background), its loops: each loop a cycle of chains, each used forwards where the region is
 * on the chain's right and backwards where it is on its left, so two neighbours reference the same
 * chain and draw the same curve. Loops run with the region on their right: outer boundaries
 * clockwise on screen (positive area, y down), holes counter-clockwise, as single-colour contours
 * (docs/design.md §2.3). A hole records whether background shows through it; a hole with none is
 * entirely covered by regions drawn above, which the stacked SVG uses (src/colour/svg.ts).
 */
import type { Chain } from './boundaries.js';
import type { RegionMap } from './regions.js';

/** One chain in a loop: its index in `chains` and whether it is walked backwards. */
export interface ChainUse {
  chain: number;
  reversed: boolean;
}

/** A closed boundary of a region. */
export interface RegionLoop {
  chains: ChainUse[];
  /** Signed area of the loop's pixel-corner polygon, px² (> 0 outer boundary, < 0 hole). */
  area: number;
  /** Holes only: true when background pixels lie inside it (it must stay open when stacking). */
  showsBackground: boolean;
}

/** The loops of every region id (index 0, the background, gets none). */
export function regionLoops(chains: readonly Chain[], map: RegionMap, width: number): RegionLoop[][] {
  const uses: ChainUse[][] = map.regions.map(() => []);
  chains.forEach((c, k) => {
    if (c.right !== 0) uses[c.right].push({ chain: k, reversed: false });
    if (c.left !== 0) uses[c.left].push({ chain: k, reversed: true });
  });
  return uses.map((list, region) => (region === 0 ? [] : loopsOf(list, chains, map, width)));
}

/** First and last vertex of a chain use as "x,y" keys. */
function ends(c: Chain, reversed: boolean): [string, string] {
  const v = c.vertices,
    n = v.length / 2;
  const a = `${v[0]},${v[1]}`,
    b = `${v[2 * n - 2]},${v[2 * n - 1]}`;
  return reversed ? [b, a] : [a, b];
}

function loopsOf(list: ChainUse[], chains: readonly Chain[], map: RegionMap, width: number): RegionLoop[] {
  const loops: RegionLoop[] = [];
  const used = new Uint8Array(list.length);
  const byStart = new Map<string, number[]>();
  list.forEach((u, k) => {
    if (chains[u.chain].closed) return;
    const s = ends(chains[u.chain], u.reversed)[0];
    byStart.set(s, [...(byStart.get(s) ?? []), k]);
  });
  list.forEach((u, k) => {
    if (used[k]) return;
    used[k] = 1;
    const loop: ChainUse[] = [u];
    if (!chains[u.chain].closed) {
      const start = ends(chains[u.chain], u.reversed)[0];
      let at = ends(chains[u.chain], u.reversed)[1];
      while (at !== start) {
        const next = (byStart.get(at) ?? []).find((j) => !used[j]);
        if (next === undefined) break;
        used[next] = 1;
        loop.push(list[next]);
        at = ends(chains[list[next].chain], list[next].reversed)[1];
      }
    }
    const poly = loopVertices(loop, chains);
    const area = shoelace(poly);
    loops.push({ chains: loop, area, showsBackground: area < 0 && enclosesBackground(poly, map, width) });
  });
  return loops;
}

/** The loop's pixel-corner polygon, interleaved (each chain's last vertex is the next one's first). */
function loopVertices(loop: readonly ChainUse[], chains: readonly Chain[]): number[] {
  const out: number[] = [];
  for (const u of loop) {
    const v = chains[u.chain].vertices,
      n = v.length / 2;
    const last = chains[u.chain].closed ? n : n - 1;
    for (let k = 0; k < last; k++) {
      const i = u.reversed ? n - 1 - k : k;
      out.push(v[2 * i], v[2 * i + 1]);
    }
  }
  return out;
}

function shoelace(p: readonly number[]): number {
  let s = 0;
  const n = p.length / 2;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    s += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
  }
  return s / 2;
}

/** True when a background pixel lies inside the pixel-corner polygon (scanline over its vertical cracks). */
function enclosesBackground(p: readonly number[], map: RegionMap, width: number): boolean {
  const rows = new Map<number, number[]>();
  const n = p.length / 2;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    if (p[2 * i] !== p[2 * j]) continue;
    const y = Math.min(p[2 * i + 1], p[2 * j + 1]);
    rows.set(y, [...(rows.get(y) ?? []), p[2 * i]]);
  }
  for (const [y, xs] of rows) {
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      for (let x = xs[k]; x < xs[k + 1]; x++) if (map.ids[y * width + x] === 0) return true;
    }
  }
  return false;
}
