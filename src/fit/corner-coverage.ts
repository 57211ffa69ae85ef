/**
 * The coverage check of short-armed corners (docs/design.md §10.5 step 6): how well an outline
 * near a corner predicts the anti-aliased data there, from its exact-area coverage.
 *
 * Reads: the fit context (raw points), outline pieces sampled into segments. Produces: the sum of
 * squared differences between data points and their predictions, and the largest.
 * Method: the coverage-sum rule of the sub-pixel points (§13.1, with §13.4's rescaling) applied
 * to the outline's coverage, each row's unit-high strip integrated over lines crossing the
 * sampled outline; the sampling as in sharpenCorners' side check (samplesFor).
 */
import { levelsScalable, polygonArea } from '../contours/points.js';
import { mod } from '../geometry/cyclic.js';
import { pieceEvaluator } from '../geometry/curves.js';
import type { FittedPiece } from '../model.js';
import type { FitContext } from './context.js';
import * as dm from '../geometry/fdlibm.js';

/**
 * How well an outline predicts the anti-aliased data near a corner: the sum of squared
 * differences between each data point within COVERAGE_CHECK_RADIUS of the corner's data point
 * (cx, cy) or its new position (x1, y1)
 * (unwrapped indices strictly between `from` and `to`) and the point the coverage-sum rule
 * (docs/design.md §13.1, §13.4) would give on the outline's exact-area coverage. A point measured
 * along a pixel row (y at a pixel centre) lies at the ink end of its row's span ± COVERAGE_SPAN
 * minus the ink area of the row's unit-high strip over that span, rescaled by the levels p and e
 * the strip has at its ink and background ends (§13.4: a row beside another edge). The area is
 * integrated over COVERAGE_SUBROWS lines, each crossing the outline's sampled pieces (inside or
 * outside by each crossing's direction; a line crossing none lies wholly on the side the contour
 * puts its ink end). Columns likewise. A box-filtered image satisfies it where §13.1 holds, so
 * the outline that fits it better has the image's shape near the corner; a point the rule would
 * not measure on the outline counts COVERAGE_MISS. Returns the sum of squares and the largest
 * difference of a measured point.
 */
export function coverageMismatch(
  ctx: FitContext,
  segs: number[],
  at: number,
  from: number,
  to: number,
  cx: number,
  cy: number,
  x1: number,
  y1: number,
  inkLeft: boolean,
): [sum: number, worst: number] {
  const { n, raw } = ctx;
  // Crossings of one line: distance from the ink end, and whether the ink end's side of it is inside.
  // (hits: the crossings within the span, kept sorted as they come; at most one per segment, and the span's end.)
  const hits = new Float64Array(segs.length / 4 + 1);
  const strip: number[] = [];
  const span = 2 * COVERAGE_SPAN;
  let sum = 0,
    worst = 0;
  // Points within the radius of either corner: anti-aliased points are ≥ ~0.5 px apart.
  const window = Math.ceil(2 * (dm.hypot(x1 - cx, y1 - cy) + COVERAGE_CHECK_RADIUS));
  for (let q = Math.max(from + 1, at - n + 1, at - window); q < Math.min(to, at + n, at + window + 1); q++) {
    const c = mod(q, n);
    const x = raw[2 * c],
      y = raw[2 * c + 1];
    if (dm.hypot(x - cx, y - cy) > COVERAGE_CHECK_RADIUS && dm.hypot(x - x1, y - y1) > COVERAGE_CHECK_RADIUS) continue;
    const onRow = Math.abs(y - Math.floor(y) - 0.5) < 1e-9,
      onColumn = Math.abs(x - Math.floor(x) - 0.5) < 1e-9;
    if (onRow === onColumn) continue;
    // The data's ink side: left of the travel direction when the contour's area is positive.
    const h = mod(c - 1, n),
      j = mod(c + 1, n);
    const tx = raw[2 * j] - raw[2 * h],
      ty = raw[2 * j + 1] - raw[2 * h + 1];
    const ink = Math.sign(onRow ? (inkLeft ? -ty : ty) : inkLeft ? tx : -tx);
    if (ink === 0) continue;
    // Along the row: u = x, the strip spans y; along the column: u = y.
    const u = onRow ? x : y,
      v = onRow ? y : x;
    const uIn = u + ink * COVERAGE_SPAN;
    let inside = 0,
      inkEnd = 0,
      backgroundEnd = 0;
    // The segments that reach the point's strip of lines (the first to the last, as computed below):
    // a segment wholly above or below it crosses none of them (docs/design.md §18.51).
    const lineLo = v - 0.5 + 0.5 / COVERAGE_SUBROWS,
      lineHi = v - 0.5 + (COVERAGE_SUBROWS - 1 + 0.5) / COVERAGE_SUBROWS;
    strip.length = 0;
    for (let s = 0; s < segs.length; s += 4) {
      const a0 = onRow ? segs[s + 1] : segs[s],
        a1 = onRow ? segs[s + 3] : segs[s + 2];
      if (Math.max(a0, a1) < lineLo || Math.min(a0, a1) > lineHi) continue;
      strip.push(s);
    }
    for (let r = 0; r < COVERAGE_SUBROWS; r++) {
      const line = v - 0.5 + (r + 0.5) / COVERAGE_SUBROWS;
      let count = 0;
      let nearest = Infinity,
        nearestIn = false;
      for (const s of strip) {
        const a0 = onRow ? segs[s + 1] : segs[s],
          a1 = onRow ? segs[s + 3] : segs[s + 2];
        if (a0 <= line === a1 <= line) continue;
        const b0 = onRow ? segs[s] : segs[s + 1],
          b1 = onRow ? segs[s + 2] : segs[s + 3];
        const d = ink * (uIn - (b0 + ((line - a0) * (b1 - b0)) / (a1 - a0)));
        // The segment's ink normal along u (as the data's, from its travel direction), towards the ink end?
        const along = onRow ? (inkLeft ? -(a1 - a0) : a1 - a0) : inkLeft ? a1 - a0 : -(a1 - a0);
        const inTowardsInk = along * ink > 0;
        if (Math.abs(d) < Math.abs(nearest)) {
          nearest = d;
          nearestIn = d >= 0 ? inTowardsInk : !inTowardsInk;
        }
        if (d > 0 && d < span) {
          // Insertion in order (a handful per line): the ascending sort's result.
          let k = count++;
          for (; k > 0 && hits[k - 1] > d; k--) hits[k] = hits[k - 1];
          hits[k] = d;
        }
      }
      // Inside at the ink end: by the nearest crossing, or (none) by the contour itself.
      let isIn = nearest === Infinity ? insideContour(ctx, onRow ? uIn : line, onRow ? line : uIn) : nearestIn;
      if (isIn) inkEnd++;
      hits[count++] = span;
      for (let e = 0, last = 0; e < count; e++) {
        if (isIn) inside += hits[e] - last;
        last = hits[e];
        if (e < count - 1) isIn = !isIn;
      }
      if (isIn) backgroundEnd++;
    }
    const pLevel = inkEnd / COVERAGE_SUBROWS,
      eLevel = backgroundEnd / COVERAGE_SUBROWS;
    if (levelsScalable(pLevel, eLevel)) {
      const measured = (inside / COVERAGE_SUBROWS - eLevel * span) / (pLevel - eLevel);
      const err = Math.abs(uIn - ink * measured - u);
      sum += err * err;
      worst = Math.max(worst, err);
    } else sum += COVERAGE_MISS * COVERAGE_MISS;
  }
  return [sum, worst];
}

/**
 * The pieces sampled (samplesFor) into segments (x0, y0, x1, y1 each, in the direction of travel)
 * appended to `segs`: those coverageMismatch can reach for a corner at (cx, cy) moved by up to
 * `reach` px.
 */
export function outlineSegments(outline: FittedPiece[], cx: number, cy: number, reach: number, segs: number[]): number[] {
  const box = reach + COVERAGE_CHECK_RADIUS + COVERAGE_SPAN + 1;
  const p = new Float64Array(2);
  for (const piece of outline) {
    const samples = samplesFor(piece);
    const curve = pieceEvaluator(piece);
    curve(0, p);
    let x0 = p[0],
      y0 = p[1];
    for (let s = 1; s <= samples; s++) {
      curve(s / samples, p);
      const x1 = p[0],
        y1 = p[1];
      if (Math.max(x0, x1) >= cx - box && Math.min(x0, x1) <= cx + box && Math.max(y0, y1) >= cy - box && Math.min(y0, y1) <= cy + box) {
        segs.push(x0, y0, x1, y1);
      }
      x0 = x1;
      y0 = y1;
    }
  }
  return segs;
}

/**
 * The side coverageMismatch treats as ink (its `inkLeft`: the (−dy, dx) side of travel, y down):
 * the contour polygon's interior, on that side when the area is positive. On a hole (area < 0)
 * the interior is the paper, though the ink lies on the (−dy, dx) side of every contour (the walk
 * keeps it on its right, docs/design.md §2.5), and that is right: the coverage-sum rule gives the
 * same point with ink and paper swapped (levels p, e become 1 − e, 1 − p; §10.5 step 6), and the
 * check's fallback for a line crossing no outline segment asks whether the polygon's interior
 * holds the line's ink end. The ink's side would make that fallback wrong on holes.
 */
export function coverageInsideLeft(ctx: FitContext): boolean {
  return polygonArea(ctx.raw) > 0;
}

/** Whether (x, y) lies inside the contour's own polygon (even-odd rule). */
function insideContour(ctx: FitContext, x: number, y: number): boolean {
  const { n, raw } = ctx;
  let inside = false;
  for (let q = 0, p = n - 1; q < n; p = q++) {
    const y0 = raw[2 * p + 1],
      y1 = raw[2 * q + 1];
    if (y0 <= y === y1 <= y) continue;
    if (raw[2 * p] + ((y - y0) * (raw[2 * q] - raw[2 * p])) / (y1 - y0) > x) inside = !inside;
  }
  return inside;
}

/** Samples of a piece at most OUTLINE_STEP apart: its control polygon bounds its length. */
export function samplesFor(piece: FittedPiece): number {
  const length =
    piece.kind === 'line'
      ? dm.hypot(piece.p1.x - piece.p0.x, piece.p1.y - piece.p0.y)
      : dm.hypot(piece.v.x - piece.p0.x, piece.v.y - piece.p0.y) +
        dm.hypot(piece.j.x - piece.v.x, piece.j.y - piece.v.y) +
        dm.hypot(piece.w.x - piece.j.x, piece.w.y - piece.j.y) +
        dm.hypot(piece.p1.x - piece.w.x, piece.p1.y - piece.w.y);
  return Math.min(MAX_OUTLINE_SAMPLES, Math.max(8, Math.ceil(length / OUTLINE_STEP)));
}

/** Data points checked against the coverage: within this distance of the corner's data point or its new position, px. */
export const COVERAGE_CHECK_RADIUS = 2;
/** Half-span of a row's coverage sum, px: the coverage-sum rule's clamp (MAX_SUBPIXEL_SHIFT, §13.1) plus room. */
export const COVERAGE_SPAN = 2;
/** Largest difference between a data point near a sharp corner and its prediction, px: a rounded corner's data lie ~0.3 px inside its sharp outline (§10.2, §10.5 step 6). */
export const COVERAGE_MAX_ERROR = 0.2;
/** Difference counted for a data point the coverage-sum rule would not measure on the outline, px. */
const COVERAGE_MISS = 0.5;
/** Lines across each unit-high strip integrating its ink area. */
const COVERAGE_SUBROWS = 8;
/** Spacing of an outline's samples, px. */
const OUTLINE_STEP = 0.25;
/** At most this many samples per piece (a very long or wild piece is checked more coarsely). */
const MAX_OUTLINE_SAMPLES = 4096;
