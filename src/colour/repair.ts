/**
 * Colour stage 4b — coverage repair (docs/design.md §22.5.1).
 *
 * Reads the chains, their fits (src/colour/chains-fit.ts), the region map and the pixel mixtures.
 * The fit is checked against the pixels it traces: every pixel of a drawn region that is not a
 * mixture with the background lies wholly inside the drawn shapes, so the union of the regions
 * must cover it by at least COVER, or COVER_BILEVEL (the "no gaps": rendered, no such pixel is under 50 %
 * covered). A pixel under it is almost always a corner the detector did not separate (two corners
 * 2–3 px apart, as on a serif's foot): the fit cuts across it within tolerance. The repair makes
 * the chain point near that pixel with the sharpest turn a knot and refits (the first round only
 * the stretch between the fixed knots around it), for at most MAX_ROUNDS rounds; pixels still
 * uncovered are counted in the report, not hidden.
 */
import type { CornerOptions } from '../corners.js';
import type { FitOptions } from '../fit/index.js';
import type { FitMode, FittedContour, FittedPiece, LinePiece, PieceReport } from '../model.js';
import { renderAtImageSize } from '../output/raster.js';
import type { Chain } from './boundaries.js';
import { chainCorners, fitChain, reversePiece, withEnd } from './chains-fit.js';
import type { PixelMix } from './palette.js';
import { PALETTE_DEFAULTS } from './palette.js';
import type { RegionMap } from './regions.js';
import * as dm from '../geometry/fdlibm.js';

/** Coverage a pixel wholly inside the shapes must get from the fit: ½ plus a margin for 2-decimal output and a renderer's sampling. */
const COVER = 0.55;
/**
 * The same on pixel-corner (bilevel) input, where a drawn pixel is only known to be at least half
 * inside its shape: a larger margin adds knots where the truth itself covers the pixel barely over
 * half (bench: 0.55 gave 5 % more bytes and 0.01 px more mean distance); at exactly ½ one bench
 * pixel this render put at ½ resvg drew just under it.
 */
const COVER_BILEVEL = 0.52;
/**
 * Bilevel pixels beside the background (touchesBackground): only a cut deeper than this is
 * repaired (a corner cut off). At 0.4 a 60 px clip-art owl's beak and breast came out stepped; at
 * 0.3 it is smooth, and the colour bench leaves 3 gap pixels over its 10 bilevel scenes (0 with
 * COVER_BILEVEL everywhere, at the cost of outlines that follow the staircase).
 */
const COVER_BILEVEL_EDGE = 0.3;
/** Pixels each run from a square corner must continue (squareCorner). */
const CORNER_RUN = 2;
/** Rounds of knot insertion. */
const MAX_ROUNDS = 6;
/** Chain points within this distance of an uncovered pixel's centre are candidate knots, px. */
const REACH = 2;
/** Points either side over which a point's turn is measured. */
const TURN_ARM = 2;

export interface RepairResult {
  fitted: FittedPiece[][];
  /** Knots added by the repair, over all chains. */
  knots: number;
  /** Pixels still under COVER after the last round. */
  uncovered: number;
}

/** Fits every chain, then inserts knots where the fit leaves a region's pixel uncovered (see the file comment). */
export function fitChainsCovered(
  chains: readonly Chain[],
  map: RegionMap,
  mix: PixelMix,
  width: number,
  height: number,
  mode: FitMode,
  subpixel: boolean,
  fit: FitOptions,
  corners: CornerOptions,
): RepairResult {
  const forced: number[][] = chains.map(() => []);
  const detected = chains.map((c) => chainCorners(c, subpixel, corners));
  const cornerSet = detected.map((list) => new Set(list.map((c) => c.index)));
  const fitted = chains.map((c, k) => fitChain(c, k, mode, subpixel, fit, corners, [], detected[k]));
  const refit = (k: number, added: number[], local: boolean) => {
    const fixed = [...new Set([...detected[k].map((c) => c.index), ...forced[k].filter((i) => !added.includes(i))])];
    const stretches = local ? refitBetweenKnots(chains[k], fitted[k], fixed, added, (sub, f) => fitChain(sub, k, mode, subpixel, fit, corners, f, [])) : null;
    fitted[k] = stretches ?? fitChain(chains[k], k, mode, subpixel, fit, corners, forced[k], detected[k]);
  };
  const bgColour = map.regions[0].colour;
  const mustCover = new Uint8Array(width * height);
  for (let i = 0; i < mustCover.length; i++) {
    if (map.ids[i] === 0) continue;
    if (subpixel) mustCover[i] = mix.fraction[i] >= PALETTE_DEFAULTS.minShare && mix.second[i] === bgColour ? 0 : 1;
    else mustCover[i] = touchesBackground(map, i, width, height) && !squareCorner(map, i, width, height) ? 2 : 1;
  }
  const grid = pointGrid(chains);
  let knots = 0;
  for (let round = 0; ; round++) {
    const missing = uncoveredPixels(chains, fitted, mustCover, width, height, subpixel ? COVER : COVER_BILEVEL, COVER_BILEVEL_EDGE);
    if (missing.length === 0 || round === MAX_ROUNDS) return { fitted, knots, uncovered: missing.length };
    const added = new Map<number, number[]>();
    for (const i of missing) {
      const pick = candidateKnot(chains, grid, (c, j) => forced[c].includes(j) || cornerSet[c].has(j), (i % width) + 0.5, Math.floor(i / width) + 0.5);
      if (pick === null) continue;
      forced[pick.chain].push(pick.index);
      added.set(pick.chain, [...(added.get(pick.chain) ?? []), pick.index]);
      knots++;
    }
    if (added.size === 0) return { fitted, knots, uncovered: missing.length };
    // First round (most of the knots): only the stretches around the new knots are refitted. Later
    // rounds refit whole chains: a stretch between knots 1–2 points apart is too short for the
    // corner shift (§10.2), which the whole chain's fit applies (bench: 1 pixel left uncovered else).
    for (const [k, list] of added) refit(k, list, round === 0);
  }
}

/**
 * The chain's pieces with only the stretches between fixed knots that received new knots refitted
 * (an interval's fit depends only on its two fixed knots, docs/design.md §18.22): each stretch
 * fitted as an open chain with the new knots forced, its ends put on the old pieces' ends there
 * (a corner knot may sit off its data point, §10.2). Null when that does not apply (a closed chain
 * with no fixed knot, a stretch whose pieces wrap round the list): the caller refits the chain.
 */
function refitBetweenKnots(
  chain: Chain,
  pieces: readonly FittedPiece[],
  fixed: number[],
  added: readonly number[],
  fitOpen: (sub: Chain, forced: number[]) => FittedPiece[],
): FittedPiece[] | null {
  const n = chain.points.length / 2;
  const knots = [...new Set(chain.closed ? fixed : [0, n - 1, ...fixed])].sort((a, b) => a - b);
  if (knots.length < 2) return null;
  // Stretches (a, b) of consecutive fixed knots holding new knots (cyclic on a closed chain).
  const groups = new Map<number, { a: number; b: number; inner: number[] }>();
  for (const i of [...new Set(added)].sort((x, y) => x - y)) {
    if (knots.includes(i)) continue;
    let j = knots.findIndex((q) => q > i);
    if (j < 0) j = chain.closed ? 0 : -1;
    if (j < 0) return null;
    const a = knots[(j - 1 + knots.length) % knots.length],
      b = knots[j];
    const g = groups.get(a) ?? { a, b, inner: [] };
    g.inner.push((i - a + n) % n);
    groups.set(a, g);
  }
  let out = [...pieces];
  for (const { a, b, inner } of groups.values()) {
    const s = out.findIndex((p) => p.from === a);
    const e = out.findIndex((p) => p.to === b);
    if (s < 0 || e < s) return null;
    const m = ((b - a + n) % n) + 1;
    const sub = new Float64Array(2 * m);
    for (let t = 0; t < m; t++) {
      sub[2 * t] = chain.points[2 * ((a + t) % n)];
      sub[2 * t + 1] = chain.points[2 * ((a + t) % n) + 1];
    }
    const fresh = fitOpen({ left: chain.left, right: chain.right, closed: false, vertices: new Int32Array(0), points: sub }, inner);
    if (fresh.length === 0) return null;
    const shift = (i: number) => (i + a) % n;
    const moved = fresh.map((p) => ({ ...p, from: shift(p.from), to: shift(p.to), report: { ...p.report, worstIndex: shift(p.report.worstIndex) } }));
    moved[0] = withEnd(moved[0], 0, out[s].p0.x, out[s].p0.y);
    moved[moved.length - 1] = withEnd(moved[moved.length - 1], 1, out[e].p1.x, out[e].p1.y);
    out = [...out.slice(0, s), ...moved, ...out.slice(e + 1)];
  }
  return out;
}

/**
 * Bilevel input: whether pixel i has a background pixel among its 4 neighbours. Such a pixel is
 * only known to be at least half inside its shape, so demanding half of it be covered pulls the
 * outline onto the pixel staircase (a 60 px clip-art owl came out stepped): it is held to
 * COVER_BILEVEL_EDGE, the pixels inside it to COVER_BILEVEL.
 */
function touchesBackground(map: RegionMap, i: number, width: number, height: number): boolean {
  const x = i % width,
    y = (i - x) / width;
  return (
    (x > 0 && map.ids[i - 1] === 0) ||
    (x + 1 < width && map.ids[i + 1] === 0) ||
    (y > 0 && map.ids[i - width] === 0) ||
    (y + 1 < height && map.ids[i + width] === 0)
  );
}

/**
 * Bilevel input: whether pixel i (beside the background) is the corner of two straight runs of its
 * region's boundary (against the background or another region), at right angles, each continuing
 * CORNER_RUN more pixels (a rectangle's corner, not a step of a slanted or
 * curved edge, whose runs alternate with 1-pixel steps): such a corner pixel is wholly inside, and
 * a fit that cuts it has rounded a real corner, so it is held to COVER_BILEVEL.
 */
function squareCorner(map: RegionMap, i: number, width: number, height: number): boolean {
  const x = i % width,
    y = (i - x) / width;
  const id = map.ids[i];
  const bg = (px: number, py: number) => px < 0 || py < 0 || px >= width || py >= height || map.ids[py * width + px] === 0;
  const same = (px: number, py: number) => px >= 0 && py >= 0 && px < width && py < height && map.ids[py * width + px] === id;
  for (const [hx, vy] of [
    [-1, -1],
    [-1, 1],
    [1, -1],
    [1, 1],
  ]) {
    // Background beside (hx, 0) and beyond (0, vy); the run along y continues away from vy, the run along x away from hx.
    if (same(x + hx, y) || same(x, y + vy) || !(bg(x + hx, y) || bg(x, y + vy))) continue;
    let ok = true;
    for (let k = 1; k <= CORNER_RUN && ok; k++) {
      ok = same(x, y - vy * k) && !same(x + hx, y - vy * k) && same(x - hx * k, y) && !same(x - hx * k, y + vy);
    }
    if (ok) return true;
  }
  return false;
}

/** Pixels that must be covered (mustCover 1: under `threshold`; 2: under `edgeThreshold`) and are not, by the fitted union of the regions. */
function uncoveredPixels(
  chains: readonly Chain[],
  fitted: readonly FittedPiece[][],
  mustCover: Uint8Array,
  width: number,
  height: number,
  threshold: number,
  edgeThreshold: number,
): number[] {
  // Every chain along the background, walked with the drawn region on its right, closed through
  // the origin: the origin legs of consecutive chains cancel, so the sum is the union's outline.
  const fits: FittedContour[] = [];
  chains.forEach((c, k) => {
    if ((c.left === 0) === (c.right === 0) || fitted[k].length === 0) return;
    const own = c.right === 0 ? [...fitted[k]].reverse().map(reversePiece) : fitted[k];
    const first = own[0].p0,
      last = own[own.length - 1].p1;
    const origin = { x: 0, y: 0 };
    const pieces = c.closed ? own : [...own, line(last, origin), line(origin, first)];
    fits.push({ mode: 'linear', hole: false, parent: -1, knots: [], pieces, report: EMPTY_REPORT });
  });
  // The render is the image's size, which loading already admitted (maxPixels): no second limit.
  const cover = renderAtImageSize(fits, width, height);
  const out: number[] = [];
  for (let i = 0; i < mustCover.length; i++) if (mustCover[i] !== 0 && cover[i] < (mustCover[i] === 1 ? threshold : edgeThreshold)) out.push(i);
  return out;
}

const EMPTY_REPORT = { points: 0, corners: 0, intermediatePoints: 0, intervals: 0, maxDeviation: 0, rms: 0, failedIntervals: 0 };
const LINE_REPORT: PieceReport = { pointCount: 2, S: 0, rms: 0, maxDeviation: 0, worstIndex: 0, withinTolerance: true };

function line(p0: { x: number; y: number }, p1: { x: number; y: number }): LinePiece {
  return { kind: 'line', from: 0, to: 0, p0, p1, report: LINE_REPORT };
}

/** Chain points of the chains along the background by 1 px cell: [chain, index] pairs. */
function pointGrid(chains: readonly Chain[]): Map<string, [number, number][]> {
  const grid = new Map<string, [number, number][]>();
  chains.forEach((c, k) => {
    if ((c.left === 0) === (c.right === 0)) return;
    const n = c.points.length / 2;
    for (let i = c.closed ? 0 : 1; i < (c.closed ? n : n - 1); i++) {
      const key = `${Math.floor(c.points[2 * i])},${Math.floor(c.points[2 * i + 1])}`;
      const list = grid.get(key);
      if (list) list.push([k, i]);
      else grid.set(key, [[k, i]]);
    }
  });
  return grid;
}

/** The point within REACH of (x, y) that is not yet a knot and turns most (ties: nearest, then lowest chain and index); null if none. */
function candidateKnot(
  chains: readonly Chain[],
  grid: Map<string, [number, number][]>,
  isKnot: (chain: number, index: number) => boolean,
  x: number,
  y: number,
): { chain: number; index: number } | null {
  let best: { chain: number; index: number; turn: number; d: number } | null = null;
  for (let gy = Math.floor(y - REACH); gy <= Math.floor(y + REACH); gy++) {
    for (let gx = Math.floor(x - REACH); gx <= Math.floor(x + REACH); gx++) {
      for (const [k, i] of grid.get(`${gx},${gy}`) ?? []) {
        const P = chains[k].points;
        const d = dm.hypot(P[2 * i] - x, P[2 * i + 1] - y);
        if (d > REACH || isKnot(k, i)) continue;
        const t = turn(chains[k], i);
        const better =
          best === null ||
          t > best.turn + 1e-9 ||
          (t > best.turn - 1e-9 && (d < best.d - 1e-9 || (d < best.d + 1e-9 && (k < best.chain || (k === best.chain && i < best.index)))));
        if (better) best = { chain: k, index: i, turn: t, d };
      }
    }
  }
  return best && { chain: best.chain, index: best.index };
}

/** How much the chain turns at point i, over TURN_ARM points either side: 1 − cos of the turning angle (0 straight, 2 reversing; monotone in the angle). */
function turn(c: Chain, i: number): number {
  const P = c.points,
    n = P.length / 2;
  const at = (k: number) => (c.closed ? ((k % n) + n) % n : Math.min(n - 1, Math.max(0, k)));
  const a = at(i - TURN_ARM),
    b = at(i + TURN_ARM);
  const ax = P[2 * i] - P[2 * a],
    ay = P[2 * i + 1] - P[2 * a + 1];
  const bx = P[2 * b] - P[2 * i],
    by = P[2 * b + 1] - P[2 * i + 1];
  const la = dm.hypot(ax, ay),
    lb = dm.hypot(bx, by);
  if (la === 0 || lb === 0) return 0;
  return 1 - (ax * bx + ay * by) / (la * lb);
}
