/**
 * Colour stage 3 — the boundary graph (docs/design.md §22.4).
 *
 * Reads the region map (src/colour/regions.ts) and, for sub-pixel points, each pixel's mixture
 * (src/colour/palette.ts). Produces the chains: every boundary between two regions (the
 * background, id 0, included) is cut at junctions — pixel corners where three or more regions
 * meet, or where four boundary cracks do — into chains of crack edges; a boundary with no junction
 * is one closed chain. Each chain is walked with `right` on its right (on screen, y down), as the
 * single-colour crack walk does (docs/design.md §2.5), so a region's outer boundary runs clockwise.
 *
 * Points: the crack vertices (pixel corners) on a bilevel image; else a junction keeps its pixel
 * corner and every crack that is not a riser gives one point, its midpoint slid along its normal
 * by the row or column sum of the left region's share in the pixels either side (for a straight
 * edge the sum across a row equals where the edge crosses the row's centre line; docs/design.md
 * §13.2). The share of a mixed pixel is its fraction of the left region's colour.
 */
import type { PixelMix } from './palette.js';
import type { RegionMap } from './regions.js';
import * as dm from '../geometry/fdlibm.js';

/** One boundary chain between two regions. */
export interface Chain {
  /** Regions on the left and the right of the walk (0 = background). */
  left: number;
  right: number;
  /** True for a boundary with no junction (the walk returns to its start; first point not repeated). */
  closed: boolean;
  /** Pixel-corner vertices of the walk, interleaved [x0, y0, …]; an open chain runs junction to junction, both included. */
  vertices: Int32Array;
  /** Boundary points, interleaved; an open chain starts and ends on its junctions' pixel corners. */
  points: Float64Array;
}

/** Half-width, in cracks, of the window the local edge direction is read over. */
const DIRECTION_WINDOW = 4;
/** A crack is a riser (no point) when the edge runs across its normal more than this many times as far as along it. */
const RISER_RATIO = 2;
/** Pixels read on each side of a crack for its row or column sum. */
const SUM_REACH = 3;
/** A share within this of 1 (0) is a full (empty) pixel: a mixture's smaller share is at least PALETTE_DEFAULTS.minShare (0.05). */
const PURE_SHARE = 0.03;
/** Smallest difference between the farthest shares read that a row sum is rescaled by. */
const MIN_LEVEL_SPAN = 0.25;

/**
 * The chains of a region map, in a deterministic order (open chains by their start junction in
 * raster order, then closed ones by their first crack).
 *
 * @example const chains = boundaryChains(regionMap, width, height, mix, colourOfRegion, true);
 */
export function boundaryChains(map: RegionMap, width: number, height: number, mix: PixelMix | null): Chain[] {
  const { ids } = map;
  const W = width + 1;
  const reg = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : ids[y * width + x]);
  // Crack edges: horizontal H(x, y) from (x, y) to (x+1, y); vertical V(x, y) from (x, y) to (x, y+1).
  const hCount = (height + 1) * width;
  const isH = (e: number) => e < hCount;
  const boundary = (e: number): boolean => {
    if (isH(e)) {
      const x = e % width,
        y = (e - x) / width;
      return reg(x, y - 1) !== reg(x, y);
    }
    const k = e - hCount,
      x = k % W,
      y = (k - x) / W;
    return reg(x - 1, y) !== reg(x, y);
  };
  /** Boundary cracks at vertex (x, y): left, right, up, down (−1 where none). */
  const incident = (x: number, y: number): number[] =>
    [x > 0 ? y * width + x - 1 : -1, x < width ? y * width + x : -1, y > 0 ? hCount + (y - 1) * W + x : -1, y < height ? hCount + y * W + x : -1].filter(
      (e) => e >= 0 && boundary(e),
    );
  const isJunction = (x: number, y: number): boolean => {
    const around = new Set([reg(x - 1, y - 1), reg(x, y - 1), reg(x - 1, y), reg(x, y)]);
    return around.size >= 3 || incident(x, y).length === 4;
  };
  const visited = new Uint8Array(hCount + height * W);
  const chains: Chain[] = [];
  /** Walks from vertex (x, y) along crack e until a junction (or back to the start), marking cracks. */
  const walk = (x0: number, y0: number, e0: number): Chain => {
    const xs = [x0],
      ys = [y0];
    let x = x0,
      y = y0,
      e = e0;
    for (;;) {
      visited[e] = 1;
      if (isH(e)) x = x === e % width ? x + 1 : x - 1;
      else y = y === Math.floor((e - hCount) / W) ? y + 1 : y - 1;
      xs.push(x);
      ys.push(y);
      if ((x === x0 && y === y0) || isJunction(x, y)) break;
      const next = incident(x, y).find((f) => f !== e && !visited[f]);
      if (next === undefined) break;
      e = next;
    }
    const closed = x === x0 && y === y0 && !isJunction(x0, y0);
    if (closed) {
      xs.pop();
      ys.pop();
    }
    // Sides from the first step: moving (dx, dy), the right normal on screen is (−dy, dx).
    const dx = xs[1] - xs[0],
      dy = ys[1] - ys[0];
    const mx = xs[0] + dx / 2,
      my = ys[0] + dy / 2;
    const right = reg(Math.floor(mx - dy / 2), Math.floor(my + dx / 2));
    const left = reg(Math.floor(mx + dy / 2), Math.floor(my - dx / 2));
    const vertices = new Int32Array(2 * xs.length);
    xs.forEach((v, i) => {
      vertices[2 * i] = v;
      vertices[2 * i + 1] = ys[i];
    });
    return { left, right, closed, vertices, points: new Float64Array(0) };
  };
  for (let y = 0; y <= height; y++) {
    for (let x = 0; x <= width; x++) {
      if (!isJunction(x, y)) continue;
      for (const e of incident(x, y)) if (!visited[e]) chains.push(walk(x, y, e));
    }
  }
  for (let e = 0; e < visited.length; e++) {
    if (visited[e] || !boundary(e)) continue;
    const [x, y] = isH(e) ? [e % width, Math.floor(e / width)] : [(e - hCount) % W, Math.floor((e - hCount) / W)];
    chains.push(walk(x, y, e));
  }
  for (const c of chains) c.points = mix === null ? Float64Array.from(c.vertices) : subpixelPoints(c, map, width, height, mix);
  if (mix !== null) placeJunctions(chains);
  return chains;
}

/** Interior points each chain end contributes to its junction's position. */
const JUNCTION_REACH = 4;
/** Furthest a junction moves from its pixel corner, px. */
const MAX_JUNCTION_SHIFT = 1;

/**
 * Sub-pixel junctions: each open chain's last few points near a junction give a line (through
 * their mean, along their spread); the junction moves to the least-squares meeting point of the
 * lines of all chains there, when that is well defined and within MAX_JUNCTION_SHIFT of the
 * pixel corner. Every chain ending there gets the same point, so the chains still meet exactly.
 */
function placeJunctions(chains: Chain[]): void {
  const at = new Map<string, { chain: Chain; end: 0 | 1 }[]>();
  for (const c of chains) {
    if (c.closed || c.points.length < 4) continue;
    const v = c.vertices,
      n = v.length / 2;
    for (const [end, x, y] of [
      [0, v[0], v[1]],
      [1, v[2 * n - 2], v[2 * n - 1]],
    ] as const) {
      const key = `${x},${y}`;
      at.set(key, [...(at.get(key) ?? []), { chain: c, end }]);
    }
  }
  for (const [key, list] of at) {
    const [cx, cy] = key.split(',').map(Number);
    // Normal equations of Σ (nᵢ · (p − mᵢ))² over the chains' lines.
    let a11 = 0,
      a12 = 0,
      a22 = 0,
      b1 = 0,
      b2 = 0;
    for (const { chain, end } of list) {
      const P = chain.points,
        n = P.length / 2;
      const idx: number[] = [];
      // The point next to the junction reads pixels of the third region: start one further when the chain allows.
      const skip = n > JUNCTION_REACH + 3 ? 2 : 1;
      for (let k = skip; k < skip + JUNCTION_REACH && k < n - 1; k++) idx.push(end === 0 ? k : n - 1 - k);
      if (idx.length < 2) continue;
      let mx = 0,
        my = 0;
      for (const i of idx) {
        mx += P[2 * i] / idx.length;
        my += P[2 * i + 1] / idx.length;
      }
      const f = idx[0],
        l = idx[idx.length - 1];
      const tx = P[2 * l] - P[2 * f],
        ty = P[2 * l + 1] - P[2 * f + 1];
      const len = dm.hypot(tx, ty);
      if (len < 1e-9) continue;
      const nx = -ty / len,
        ny = tx / len;
      a11 += nx * nx;
      a12 += nx * ny;
      a22 += ny * ny;
      const d = nx * mx + ny * my;
      b1 += nx * d;
      b2 += ny * d;
    }
    const det = a11 * a22 - a12 * a12;
    if (det < 0.05) continue;
    const px = (a22 * b1 - a12 * b2) / det,
      py = (a11 * b2 - a12 * b1) / det;
    if (dm.hypot(px - cx, py - cy) > MAX_JUNCTION_SHIFT) continue;
    for (const { chain, end } of list) {
      const i = end === 0 ? 0 : chain.points.length / 2 - 1;
      chain.points[2 * i] = px;
      chain.points[2 * i + 1] = py;
    }
  }
}

/** Share of region `side`'s colour in pixel (x, y) for a boundary between regions a and b; NaN beyond a and b. */
function share(map: RegionMap, mix: PixelMix, width: number, height: number, x: number, y: number, side: number, other: number): number {
  const id = x < 0 || y < 0 || x >= width || y >= height ? 0 : map.ids[y * width + x];
  if (id !== side && id !== other) return NaN;
  if (x < 0 || y < 0 || x >= width || y >= height) return id === side ? 1 : 0;
  const i = y * width + x;
  const cs = map.regions[side].colour,
    co = map.regions[other].colour;
  const f = mix.fraction[i];
  if (f > 0 && cs !== co) {
    if (mix.first[i] === cs && mix.second[i] === co) return 1 - f;
    if (mix.first[i] === co && mix.second[i] === cs) return f;
  }
  return id === side ? 1 : 0;
}

/** Sub-pixel points of a chain (see the file comment). */
function subpixelPoints(c: Chain, map: RegionMap, width: number, height: number, mix: PixelMix): Float64Array {
  const v = c.vertices;
  const nv = v.length / 2;
  const steps = c.closed ? nv : nv - 1;
  const out: number[] = [];
  if (!c.closed) out.push(v[0], v[1]);
  const at = (k: number): number => (c.closed ? ((k % nv) + nv) % nv : Math.min(nv - 1, Math.max(0, k)));
  for (let k = 0; k < steps; k++) {
    const a = at(k),
      b = at(k + 1);
    const dx = v[2 * b] - v[2 * a],
      dy = v[2 * b + 1] - v[2 * a + 1];
    // Local edge direction over the window; a riser crosses it more than RISER_RATIO × as far as it runs along it.
    const p = at(k - DIRECTION_WINDOW + 1),
      q = at(k + DIRECTION_WINDOW);
    const tx = v[2 * q] - v[2 * p],
      ty = v[2 * q + 1] - v[2 * p + 1];
    const along = Math.abs(tx * dx + ty * dy),
      across = Math.abs(tx * -dy + ty * dx);
    if (across > RISER_RATIO * along) continue;
    const mx = v[2 * a] + dx / 2,
      my = v[2 * a + 1] + dy / 2;
    const nx = -dy,
      ny = dx; // towards the right region
    // Row or column sum of the left region's share: kL pixels on the left, kR on the right, each
    // share rescaled between the farthest pixels read (a row cut by a corner is not full on either
    // side; docs/design.md §13.3 does the same for single-colour coverage).
    // Each walk stops at the first full (left) or empty (right) pixel: beyond it the row may cross
    // the shape's other side (a stroke or a corner 1–2 px wide), which is not this edge (§13.3).
    const shares: number[] = [];
    let kR = 0;
    for (let s = 0; s < SUM_REACH; s++) {
      const f = share(map, mix, width, height, Math.floor(mx - nx * (s + 0.5)), Math.floor(my - ny * (s + 0.5)), c.left, c.right);
      if (Number.isNaN(f)) break;
      shares.unshift(f);
      if (f >= 1 - PURE_SHARE) break;
    }
    const kL = shares.length;
    for (let s = 0; s < SUM_REACH; s++) {
      const f = share(map, mix, width, height, Math.floor(mx + nx * (s + 0.5)), Math.floor(my + ny * (s + 0.5)), c.left, c.right);
      if (Number.isNaN(f)) break;
      shares.push(f);
      kR++;
      if (f <= PURE_SHARE) break;
    }
    const full = shares[0],
      empty = shares[shares.length - 1];
    const span = full - empty >= MIN_LEVEL_SPAN ? full - empty : 1;
    const base = span === 1 ? 0 : empty;
    let sum = 0;
    for (const f of shares) sum += Math.min(1, Math.max(0, (f - base) / span));
    const e = Math.min(kR, Math.max(-kL, sum - kL));
    const px = mx + e * nx,
      py = my + e * ny;
    // Near a corner a row sum reads a partial row and the point can land behind the last one: drop it.
    const last = out.length - 2;
    if (last >= 0 && (px - out[last]) * dx + (py - out[last + 1]) * dy < 0) continue;
    out.push(px, py);
  }
  if (!c.closed) out.push(v[2 * (nv - 1)], v[2 * (nv - 1) + 1]);
  return Float64Array.from(out);
}
