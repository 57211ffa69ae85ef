/**
 * Stage 3 — corner detection (docs/design.md §3).
 *
 * Reads a contour's boundary points (a closed curve, cyclic indices) and produces its corners. The
 * fitter takes the corners themselves; `segmentAtCorners` is a helper for callers that want the
 * contour cut at them (docs/design.md §3.2).
 *
 * Detector: D. Chetverikov & Zs. Szabó, "A simple and efficient algorithm for detection of high
 * curvature points in planar curves" (IPAN99, 1999). Pass 1 gives each point p the opening angle
 * α = arccos((a² + b² − c²) / 2ab) of its sharpest admissible triangle (p⁻, p, p⁺), arms a, b in
 * [dMin, dMax], α ≤ αmax. Pass 2 keeps a candidate only if no sharper candidate lies within dMax
 * (here: no sharper *kept* candidate; see `pass2Suppress`).
 *
 * Two additions for digitised input: angles measured on points smoothed along the contour (a
 * staircase makes false corners), and arm lengths scaled with the contour's size (the published
 * 7–9 px arms call a radius-10 circle a polygon); docs/design.md §18.1, §18.3. And a fine pass
 * (§3.3, §18.31): the same two passes at 2–3 px arms that must be straight, which splits a
 * coarse corner standing for two close ones (a serif's square end) and adds small steps. On
 * pixel-corner points a coarse corner whose turn a smooth curve explains (an arch's top, an
 * ellipse's end) or a small round's staircase shows (§3.5, §18.38) is dropped (§3.4, §18.32); on
 * sub-pixel points, one on a 1.8–3 px round (§3.5).
 */
import { checkKnownKeys, ConicfitError, describeValue, optionKeys } from './errors.js';
import { mod, wrap } from './geometry/cyclic.js';
import type { Contour, Corner } from './types.js';
import { fineAngles, mergeFineCorners, snapToTurns } from './corners-fine.js';
import { isPixelRound, isRound, PIXEL_ROUND_DEFAULTS, ROUND_DEFAULTS } from './corners-round.js';
import * as dm from './geometry/fdlibm.js';
import { smoothClosed } from './corners-smooth.js';
import { sliverCorners } from './corners-sliver.js';

export { smoothClosed };

export interface CornerOptions {
  /** Smallest arm length, px. Default: from the contour's size (see `cornerDistances`). */
  dMin?: number;
  /** Largest arm length, px. Default: from the contour's size. */
  dMax?: number;
  /** Largest opening angle that counts as a corner, degrees. */
  alphaMax?: number;
  /** Gaussian σ (px of arc length) of the smoothing applied before measuring angles; 0 = none. Default by point kind. */
  smoothing?: number;
  /** Run the fine pass (straight short arms) that splits merged close corners and finds small steps (docs/design.md §3.3). Default true. */
  fine?: boolean;
  /** Give a sliver, a pixel-corner contour under a pixel wide, its end caps' corners and no other (docs/design.md §3.6). Default true; `traceImage` turns it off in linear mode, whose knots stay on pixel corners. */
  slivers?: boolean;
}

/** Defaults, one line each; distances in px, angles in degrees. */
export const CORNER_DEFAULTS = Object.freeze({
  /** Published IPAN99 value; the requirement is "interior angle ≤ 150° is a corner". */
  alphaMax: 150,
  /** Arm length as a fraction of the contour's larger bounding-box side (a 60 px glyph gets 6 px arms, a 20 px one 3 px). */
  dMaxPerSize: 0.1,
  /** The same for sub-pixel points, which have no staircase to see past: shorter arms resolve small shapes' features (docs/design.md §18.2). */
  dMaxPerSizeSubpixel: 0.06,
  /** Arm-length bounds, px: 3 is the shortest arm that sees past the pixel staircase; 6, not 9, keeps curves of radius ≥ 10 px smooth (docs/design.md §18.1). */
  dMaxLow: 3,
  dMaxHigh: 6,
  /** dMin = dMax − armBand (published 7 / 9): a 2-px band always holds a point of a unit-spaced contour. */
  armBand: 2,
  /** Smoothing σ for pixel-corner (bilevel) points, px: removes the staircase's false corners (docs/design.md §18.3). */
  smoothingBilevel: 1.5,
  /** Smoothing σ for sub-pixel points, which carry little staircase. */
  smoothingSubpixel: 0.5,
  /** Fine pass (§3.3): shortest straight arm on sub-pixel points, px; a 3.5 px serif end keeps ≥ 2 px straight between its rounded corners. */
  fineArmSubpixel: 2,
  /** The same on pixel-corner points (a 3 px serif end drawn on a 1:2 bracket keeps a 2 px run). */
  fineArmBilevel: 2,
  /**
   * Pixel-corner points: fine corners that split a coarse one must lie this far apart, and one
   * that no coarse corner owns needs both arms this long, px. A 2 px flat is how an acute notch
   * digitises, and two 2 px runs meet at 90° where a digitised ellipse (curvature radius 13 px)
   * or a bracket turns.
   */
  fineGapBilevel: 3,
  /** Fine pass: arms run from fineArm to fineArm + fineArmBand px (a unit-spaced contour has a point in the band). */
  fineArmBand: 1,
  /** Fine pass: largest opening angle, degrees; stricter than alphaMax since the arms are short (a radius-3 px circle at 2 px arms opens 142°). */
  fineAlphaMax: 120,
  /** Fine pass: largest distance of a sub-pixel point from its arm's chord, px (their scatter is ~0.05–0.1 px). */
  fineStraightSubpixel: 0.25,
  /** Fine pass: largest distance of a sub-pixel corner point's neighbour from the chord, px: the 50 % level cuts a 90° vertex by a 0.7 px diagonal, 0.35–0.4 px off a 2–3 px chord. */
  fineCutSubpixel: 0.4,
  /** The same for pixel-corner points: a 1 px step lies ≥ 0.31 px off any ≥ 2 px chord over it (1/√5 = 0.45 at slope 2, 1/√10 = 0.32 at 3), so only axis-aligned runs are straight. */
  fineStraightBilevel: 0.3,
  /** Fine pass: the chain must turn by at least this much at the point itself (between its neighbours), degrees; a pixel-corner contour turns 90° at its vertices, 0° between them. */
  fineTurn: 20,
  /**
   * Fine pass, pixel-corner points: a coarse corner on a fine corner's straight run, sharper than
   * it by this much (degrees), stood for a short end's two vertices (a 3 px serif end reads ~42°
   * coarse, its vertices 90°); the run's far end joins the fine corner (§3.3).
   */
  runEndSharper: 30,
  /** Fine pass: candidates within this distance of a sharper kept one are the same corner, px. */
  fineSeparation: 1.5,
  /**
   * Smooth-curve test (§3.4), pixel-corner points: a coarse corner whose concentrated turn (turn
   * over ±dMax less the mean of its two flanks' turns, on the smoothed points) is below this, in
   * degrees, lies on a smooth curve and is dropped. An arc of any radius concentrates ~0°; a
   * 150° vertex between straight sides 30°.
   */
  smoothExcessBilevel: 20,
  /**
   * The smooth-curve test runs only where dMax ≥ this, px (contours ≥ 50 px): shorter chords on a
   * σ = 1.5 px smoothed staircase scatter in direction by ±10–15°, near the threshold, and 40 px
   * octagons lost 135° vertices at 4 (§3.4).
   */
  smoothArmMin: 5,
} as const);

/**
 * IPAN99 arm lengths for a contour of the given size (larger bounding-box side, px):
 * dMax = clamp(0.1·size, 3, 6) (0.06·size for sub-pixel points), dMin = max(1, dMax − 2). Small
 * contours need short arms to resolve features a few pixels apart (a 20 px star's points); the
 * cap keeps round shapes round.
 */
export function cornerDistances(size: number, subpixel = false): { dMin: number; dMax: number } {
  const perSize = subpixel ? CORNER_DEFAULTS.dMaxPerSizeSubpixel : CORNER_DEFAULTS.dMaxPerSize;
  const dMax = Math.min(CORNER_DEFAULTS.dMaxHigh, Math.max(CORNER_DEFAULTS.dMaxLow, perSize * size));
  return { dMin: Math.max(1, dMax - CORNER_DEFAULTS.armBand), dMax };
}

/**
 * Corners of a closed contour, in contour order.
 *
 * @example const corners = detectCorners(contours[0]); // [{ index: 12, angle: 88.7, convex: true }, …]
 */
export function detectCorners(contour: Pick<Contour, 'points' | 'subpixel'>, options: CornerOptions = {}): Corner[] {
  const pts = contour.points;
  const n = pts.length / 2;
  if (n < 3) return [];
  const size = boundingSize(pts);
  const auto = cornerDistances(size, contour.subpixel);
  const o = validateCornerOptions(options, auto, contour.subpixel, 'detectCorners');
  const smooth = o.smoothing > 0 ? smoothClosed(pts, o.smoothing) : pts;
  // A sliver (a stroke of diagonally touching pixels) has its end caps' corners and no other (§3.6).
  const caps = contour.subpixel || !o.slivers ? undefined : sliverCorners(pts);
  if (caps) {
    const scratch = armScratch(n);
    return caps.map((index) => capCorner(pts, smooth, index, o.dMin, o.dMax, scratch));
  }
  const angles = pass1Angles(smooth, o.dMin, o.dMax, o.alphaMax);
  const kept = pass2Suppress(smooth, angles, o.dMax);
  // Marked, so that the merge drops it unless fine corners replace it: on pixel-corner points a coarse corner whose turn is spread as on a
  // smooth curve (§3.4) or that sits on a small round's staircase (§3.5); on sub-pixel points one whose arms meet beyond a 1.8–3 px round (§3.5).
  const D = CORNER_DEFAULTS;
  const onCurve = kept.map((index) =>
    contour.subpixel
      ? isRound(pts, index, ROUND_DEFAULTS)
      : (o.dMax >= D.smoothArmMin && smoothTurn(smooth, index, o.dMax) < D.smoothExcessBilevel) || isPixelRound(pts, index, PIXEL_ROUND_DEFAULTS),
  );
  // The reported angle is measured on the unsmoothed points (smoothing rounds the apex and
  // would overstate it); the smoothed value stands where the raw one has no admissible triangle.
  const scratch = armScratch(n);
  const coarse = kept.map((index) => {
    const raw = sharpestAngle(pts, index, o.dMin, o.dMax, scratch);
    return {
      index,
      angle: Number.isNaN(raw) ? angles[index] : Math.min(raw, angles[index]),
      convex: turnsRight(smooth, index, o.dMin, o.dMax),
    };
  });
  if (!o.fine) return coarse.filter((_, k) => !onCurve[k]);
  // Fine pass (§3.3): pass 1 on straight 2–3 px arms, pass 2, then the merge.
  const sub = contour.subpixel;
  const f = fineAngles(pts, {
    arm: sub ? D.fineArmSubpixel : D.fineArmBilevel,
    armBand: D.fineArmBand,
    straight: sub ? D.fineStraightSubpixel : D.fineStraightBilevel,
    cut: sub ? D.fineCutSubpixel : D.fineStraightBilevel,
    alphaMax: D.fineAlphaMax,
    turn: D.fineTurn,
  });
  const fine = pass2Suppress(pts, f.angles, D.fineSeparation).map((index) => ({ index, angle: f.angles[index], convex: f.turn[index] > 0, arm: f.arm[index] }));
  const runEnd = sub ? undefined : { tol: D.fineStraightBilevel, sharper: D.runEndSharper };
  const merged = mergeFineCorners(pts, coarse, fine, o.dMax, sub ? D.fineArmSubpixel : D.fineGapBilevel, onCurve, runEnd);
  // Pixel-corner points: corners onto the run ends they stand for (§3.3 item 6).
  return sub ? merged : snapToTurns(pts, merged);
}

/** Pass-1 angle of every point (degrees, NaN = not a candidate), for diagnostics and figures. */
export function cornerAngles(contour: Pick<Contour, 'points' | 'subpixel'>, options: CornerOptions = {}): Float64Array {
  const pts = contour.points;
  const o = validateCornerOptions(options, cornerDistances(boundingSize(pts), contour.subpixel), contour.subpixel, 'cornerAngles');
  const smooth = o.smoothing > 0 ? smoothClosed(pts, o.smoothing) : pts;
  return pass1Angles(smooth, o.dMin, o.dMax, o.alphaMax);
}

/** Checks corner options without a contour (throws BAD_OPTION), so callers can validate up front. */
export function checkCornerOptions(options: CornerOptions = {}, where = 'detectCorners'): void {
  validateCornerOptions(options, cornerDistances(0), false, where);
}

/** Every `CornerOptions` key: any other is BAD_OPTION. */
export const CORNER_OPTION_KEYS = optionKeys<CornerOptions>()(['dMin', 'dMax', 'alphaMax', 'smoothing', 'fine', 'slivers']);

interface ResolvedCornerOptions {
  dMin: number;
  dMax: number;
  alphaMax: number;
  smoothing: number;
  fine: boolean;
  slivers: boolean;
}

function validateCornerOptions(options: CornerOptions, auto: { dMin: number; dMax: number }, subpixel: boolean, where: string): ResolvedCornerOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConicfitError('BAD_OPTION', `corner options must be an object, got ${describeValue(options)}`);
  }
  checkKnownKeys(options, CORNER_OPTION_KEYS, where);
  const num = (name: keyof CornerOptions, value: unknown, lo: number, hi: number, unit: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
      throw new ConicfitError('BAD_OPTION', `${name} must be a number from ${lo} to ${hi} ${unit}, got ${describeValue(value)}`);
    }
    return value;
  };
  if (options.dMin !== undefined) num('dMin', options.dMin, 0, 1000, 'px');
  const dMax = num('dMax', options.dMax ?? Math.max(auto.dMax, options.dMin ?? 0), 0.5, 1000, 'px');
  const dMin = num('dMin', options.dMin ?? Math.min(auto.dMin, dMax), 0, 1000, 'px');
  if (dMin > dMax) throw new ConicfitError('BAD_OPTION', `dMin (${dMin}) must not exceed dMax (${dMax})`);
  const alphaMax = num('alphaMax', options.alphaMax ?? CORNER_DEFAULTS.alphaMax, 0, 180, 'degrees');
  const defaultSmoothing = subpixel ? CORNER_DEFAULTS.smoothingSubpixel : CORNER_DEFAULTS.smoothingBilevel;
  const smoothing = num('smoothing', options.smoothing ?? defaultSmoothing, 0, 50, 'px');
  for (const key of ['fine', 'slivers'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new ConicfitError('BAD_OPTION', `${key} must be true or false, got ${describeValue(options[key])}`);
    }
  }
  return { dMin, dMax, alphaMax, smoothing, fine: options.fine ?? true, slivers: options.slivers ?? true };
}

function boundingSize(pts: Float64Array): number {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (let i = 0; i < pts.length; i += 2) {
    if (pts[i] < x0) x0 = pts[i];
    if (pts[i] > x1) x1 = pts[i];
    if (pts[i + 1] < y0) y0 = pts[i + 1];
    if (pts[i + 1] > y1) y1 = pts[i + 1];
  }
  return Math.max(x1 - x0, y1 - y0);
}

/** A sliver's cap corner: its sharpest admissible angle on the raw points (90° where none is: a one-step cap), and its turn. */
function capCorner(pts: Float64Array, smooth: Float64Array, index: number, dMin: number, dMax: number, scratch: ArmScratch): Corner {
  const angle = sharpestAngle(pts, index, dMin, dMax, scratch);
  return { index, angle: Number.isFinite(angle) ? angle : 90, convex: turnsRight(smooth, index, dMin, dMax) };
}

/**
 * Pass 1: the smallest admissible opening angle at each point (degrees), or NaN when no triangle
 * is admissible or the smallest exceeds alphaMax.
 */
function pass1Angles(pts: Float64Array, dMin: number, dMax: number, alphaMax: number): Float64Array {
  const n = pts.length / 2;
  const angles = new Float64Array(n);
  const scratch = armScratch(n);
  // acos is decreasing with slope ≤ −1, so a cosine this far below cos(alphaMax) is surely an angle
  // over alphaMax: such points (most of them) skip the acos.
  const cosBelow = dm.cos((alphaMax * Math.PI) / 180) - 1e-9;
  for (let i = 0; i < n; i++) {
    const a = sharpestAngle(pts, i, dMin, dMax, scratch, cosBelow);
    angles[i] = a <= alphaMax ? a : NaN;
  }
  return angles;
}

/**
 * Smallest opening angle (degrees) over triangles (p⁻, p_i, p⁺) with both arms in [dMin, dMax],
 * walking outwards on each side, skipping points closer than dMin and stopping past dMax; NaN
 * when there is none. cos α comes from the dot product (equal to the law-of-cosines form).
 * Infinity when cos α < `cosBelow` (an angle the caller does not need).
 */
function sharpestAngle(pts: Float64Array, i: number, dMin: number, dMax: number, scratch: ArmScratch, cosBelow = -Infinity): number {
  const n = pts.length / 2;
  const limit = Math.floor(n / 2);
  const { after, before } = scratch;
  const na = collectArms(pts, i, 1, dMin * dMin, dMax * dMax, limit, after);
  if (na === 0) return NaN;
  const nb = collectArms(pts, i, -1, dMin * dMin, dMax * dMax, limit, before);
  if (nb === 0) return NaN;
  const px = pts[2 * i],
    py = pts[2 * i + 1];
  let bestCos = -2;
  const arm = scratch.beforeArm;
  // The arms before: offsets and lengths once, not per pair.
  for (let b = 0; b < nb; b++) {
    const bx = pts[2 * before[b]] - px,
      by = pts[2 * before[b] + 1] - py;
    arm[3 * b] = bx;
    arm[3 * b + 1] = by;
    arm[3 * b + 2] = dm.hypot(bx, by);
  }
  // A pair's cosine is divided out only when its dot product passes `floor` times the lengths'
  // product: floor lies 10⁻⁹ below both the best cosine so far and cosBelow, far more than the
  // rounding of either side, so every pair that could raise bestCos, or matter at all, is divided out
  // and bestCos ends the same; the others (most: a point on a smooth run) cost a multiplication.
  let floor = Math.max(bestCos, cosBelow) - 1e-9;
  for (let a = 0; a < na; a++) {
    const ax = pts[2 * after[a]] - px,
      ay = pts[2 * after[a] + 1] - py;
    const la = dm.hypot(ax, ay);
    for (let b = 0, o = 0; b < nb; b++, o += 3) {
      const dot = ax * arm[o] + ay * arm[o + 1],
        lengths = la * arm[o + 2];
      if (!(dot > floor * lengths)) continue;
      const cos = dot / lengths;
      if (cos > bestCos) {
        bestCos = cos;
        floor = Math.max(bestCos, cosBelow) - 1e-9;
      }
    }
  }
  if (bestCos < cosBelow) return Infinity; // wider than the caller asks about
  return (dm.acos(Math.min(1, bestCos)) * 180) / Math.PI;
}

/** Scratch of `sharpestAngle`: arm point indices on either side, and per arm before its offset and length (3 numbers each). */
interface ArmScratch {
  after: Int32Array;
  before: Int32Array;
  beforeArm: Float64Array;
}

function armScratch(n: number): ArmScratch {
  // collectArms walks at most ⌊n/2⌋ steps a side.
  const size = Math.floor(n / 2) + 1;
  return { after: new Int32Array(size), before: new Int32Array(size), beforeArm: new Float64Array(3 * size) };
}

function collectArms(pts: Float64Array, i: number, dir: 1 | -1, dMin2: number, dMax2: number, limit: number, out: Int32Array): number {
  const n = pts.length / 2;
  const px = pts[2 * i],
    py = pts[2 * i + 1];
  let count = 0;
  for (let step = 1; step <= limit; step++) {
    const j = wrap(i + dir * step, n); // step ≤ n/2
    const d2 = (pts[2 * j] - px) ** 2 + (pts[2 * j + 1] - py) ** 2;
    if (d2 > dMax2) break;
    if (d2 >= dMin2) out[count++] = j;
  }
  return count;
}

/**
 * Pass 2: non-maximum suppression, candidates taken sharpest first, dropped only by a sharper
 * *kept* candidate within dMax (IPAN99 drops by any; docs/design.md §3.2, §18.4). Ties: lower index first.
 */
function pass2Suppress(pts: Float64Array, angles: Float64Array, dMax: number): number[] {
  const n = angles.length;
  const dMax2 = dMax * dMax;
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(angles[i])) candidates.push(i);
  // Angles equal within float noise (1e-9°) tie and go by index, so translating the image cannot reorder them.
  candidates.sort((a, b) => (Math.abs(angles[a] - angles[b]) > 1e-9 ? angles[a] - angles[b] : a - b));
  const kept: number[] = [];
  for (const i of candidates) {
    let free = true;
    for (const k of kept) {
      if ((pts[2 * k] - pts[2 * i]) ** 2 + (pts[2 * k + 1] - pts[2 * i + 1]) ** 2 <= dMax2) {
        free = false;
        break;
      }
    }
    if (free) kept.push(i);
  }
  return kept.sort((a, b) => a - b);
}

/**
 * The part of the turn at point i that a smooth curve cannot explain, degrees (docs/design.md
 * §3.4): the signed turn between the chords p_{i−k}→p_i and p_i→p_{i+k}, less the mean of the
 * same turn on the two flanks (p_{i−2k}, p_{i−k}, p_i) and (p_i, p_{i+k}, p_{i+2k}), taken in the
 * centre turn's sense. It is a second difference of the turning angle: an arc (constant curvature)
 * or a curve whose curvature changes linearly gives 0 whatever its radius; a vertex of turn θ
 * between straight or curved sides gives θ. Indices as arc length: pixel-corner points are
 * unit-spaced. Infinity (keep the corner) when the contour is shorter than the five chords.
 */
export function concentratedTurn(pts: Float64Array, i: number, k: number): number {
  const n = pts.length / 2;
  if (n < 4 * k + 1 || k < 1) return Infinity;
  const at = (j: number) => mod(j, n);
  const centre = signedTurn(pts, at(i - k), i, at(i + k));
  const before = signedTurn(pts, at(i - 2 * k), at(i - k), i);
  const after = signedTurn(pts, i, at(i + k), at(i + 2 * k));
  return Math.sign(centre) * (centre - (before + after) / 2);
}

/**
 * The smooth-curve test's measure (docs/design.md §3.4): `concentratedTurn` at chords of
 * round(¾·dMax) and round(dMax) points, averaged. Two lengths because a staircase of period p
 * makes a chord's direction depend on where its ends fall in the period (±10° at 5 points on a
 * 2:3 slope); the mean of two lengths is less at the mercy of one phase.
 */
export function smoothTurn(pts: Float64Array, i: number, dMax: number): number {
  const a = concentratedTurn(pts, i, Math.round(0.75 * dMax)),
    b = concentratedTurn(pts, i, Math.round(dMax));
  return (a + b) / 2;
}

/** Signed turn from chord a→b to chord b→c, degrees (> 0 turns right on screen, as `turnsRight`). */
function signedTurn(pts: Float64Array, a: number, b: number, c: number): number {
  const ux = pts[2 * b] - pts[2 * a],
    uy = pts[2 * b + 1] - pts[2 * a + 1];
  const vx = pts[2 * c] - pts[2 * b],
    vy = pts[2 * c + 1] - pts[2 * b + 1];
  return (dm.atan2(ux * vy - uy * vx, ux * vx + uy * vy) * 180) / Math.PI;
}

/** True when the contour turns right at i (clockwise on screen): a convex corner of the ink, which lies on the right. */
function turnsRight(pts: Float64Array, i: number, dMin: number, dMax: number): boolean {
  const n = pts.length / 2;
  const reach = Math.max(1, Math.round((dMin + dMax) / 2));
  const a = mod(i - reach, n);
  const b = (i + reach) % n;
  const ux = pts[2 * i] - pts[2 * a],
    uy = pts[2 * i + 1] - pts[2 * a + 1];
  const vx = pts[2 * b] - pts[2 * i],
    vy = pts[2 * b + 1] - pts[2 * i + 1];
  return ux * vy - uy * vx > 0;
}

/** One piece of a contour between two consecutive knots, inclusive, walked forward (cyclic). */
export interface Piece {
  /** First point index (a corner, or the fitter's chosen start for a closed piece). */
  from: number;
  /** Last point index; equals `from` for a closed piece (the whole contour). */
  to: number;
  /** True when the contour had no corner: the piece is the whole closed curve. */
  closed: boolean;
}

/**
 * Cuts a contour at its corners into pieces, each holding the points between two consecutive
 * corners, both included. No corners → one closed piece starting at `closedStart` (default 0).
 *
 * @example segmentAtCorners(contour, detectCorners(contour)) // [{ from: 3, to: 17, closed: false }, …]
 */
export function segmentAtCorners(contour: Pick<Contour, 'points'>, corners: readonly Corner[], closedStart = 0): Piece[] {
  const n = contour.points.length / 2;
  if (corners.length === 0) return n === 0 ? [] : [{ from: closedStart, to: closedStart, closed: true }];
  const idx = corners.map((c) => c.index).sort((a, b) => a - b);
  return idx.map((from, k) => ({ from, to: idx[(k + 1) % idx.length], closed: false }));
}
