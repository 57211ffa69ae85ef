/**
 * Glyph geometry (docs/design.md §21.4): a traced glyph's outline (image pixels, y down) in font
 * space — integer font units, y up, the baseline at y = 0, the ink's left edge at the left side
 * bearing — with contour directions and start points as the outline format wants them.
 *
 * Reads: `OutlineContour[]` (src/output/outline.ts) and the placement (scale in units per px,
 * baseline and ink bounds in px). Produces: a `FontGlyph` with closed point lists (first point
 * on-curve), its advance width and left side bearing, and the rounding error. Browser-safe.
 *
 * Directions: TrueType outer contours run clockwise and holes counter-clockwise; CFF the other
 * way round (OpenType spec, 'glyf' and CFF charstrings; in y-up font space). The direction is
 * measured (signed area of the flattened contour) and a contour is reversed when it is wrong.
 * Rounding: each point moves by at most √½ unit; a quadratic or cubic Bézier is an affine
 * combination of its control points with non-negative weights, so the curve moves by at most
 * the largest move of its points (implied on-curve midpoints included) — `roundingError`.
 */
import { ConicfitError } from '../errors.js';
import type { OutlineContour, OutlineSegment } from '../output/outline.js';
import type { Point } from '../types.js';
import * as dm from '../geometry/fdlibm.js';

/** Point in font units, y up; `on` false for an off-curve (control) point. */
export interface FontPoint {
  x: number;
  y: number;
  on: boolean;
}

/** A closed contour: its points in order, the first on-curve; a curve's off-curve points lie between two on-curve points. */
export interface FontContour {
  points: FontPoint[];
}

/** 'quadratic' (TrueType, `qcurve` in UFO) or 'cubic' (CFF, `curve`). */
export type OutlineKind = 'quadratic' | 'cubic';

export interface FontGlyph {
  /** Glyph name (production name: `A`, `a`, `zero`, `uni0025`, …). */
  name: string;
  /** Unicode code point, when the glyph stands for a character. */
  unicode?: number;
  kind: OutlineKind;
  /** Font units. */
  advanceWidth: number;
  /** Left side bearing, font units: the left edge of the ink (the curves, not their off-curve points), rounded. */
  lsb: number;
  contours: FontContour[];
  report: GlyphReport;
  /** Captured glyphs: the indices of the traced result's fits it was made from. */
  sourceFits?: number[];
}

export interface GlyphReport {
  /** Largest move of a point by rounding to integer units, font units (≤ √½). */
  roundingError: number;
  /** The same in source pixels. */
  roundingErrorPx: number;
  /** Contours reversed to follow the format's direction. */
  reversed: number;
  /** Contours dropped because rounding left them without area. */
  dropped: number;
  /** Where the glyph's origin (x = 0 on the baseline) lies in the source image, px. */
  originPx: Point;
}

/** Where a glyph goes in font space. */
export interface GlyphPlacement {
  /** Font units per source pixel. */
  scale: number;
  /** Baseline, image y in px (font y = (baseline − y) · scale). */
  baseline: number;
  /** Ink's left edge, image x in px; default the outline's own (flattened) left edge. */
  inkLeft?: number;
  /** Ink's right edge, image x in px; default the outline's own right edge. */
  inkRight?: number;
  /** Left and right side bearings, font units. */
  lsb: number;
  rsb: number;
  /** Largest rounding move allowed, px (the font writers use the trace's tolerance). */
  maxRoundingPx: number;
}

/** Samples per curve segment when measuring the ink's extent and the direction. */
const FLATTEN_STEPS = 16;

/**
 * Places an outline in font space.
 *
 * @example glyphFromOutline('A', 65, contours, 'quadratic', { scale: 3, baseline: 250, lsb: 50, rsb: 50, maxRoundingPx: 0.5 })
 * @throws ConicfitError FONT_ROUNDING when integer units would move a point more than `maxRoundingPx`.
 */
export function glyphFromOutline(
  name: string,
  unicode: number | undefined,
  contours: readonly OutlineContour[],
  kind: OutlineKind,
  place: GlyphPlacement,
): FontGlyph {
  const [minX, maxX] = outlineXRange(contours);
  const left = place.inkLeft ?? minX,
    right = place.inkRight ?? maxX;
  const s = place.scale;
  const dx = place.lsb - left * s;
  const map = (p: Point): Point => ({ x: p.x * s + dx, y: (place.baseline - p.y) * s });
  const report: GlyphReport = { roundingError: 0, roundingErrorPx: 0, reversed: 0, dropped: 0, originPx: { x: s > 0 ? -dx / s : 0, y: place.baseline } };
  const out: FontContour[] = [];
  for (const c of contours) {
    let pts = contourPoints(c, map);
    // Outer contours clockwise for TrueType, counter-clockwise for CFF (holes the other way).
    const clockwise = signedArea(pts, kind === 'quadratic') < 0;
    const wantClockwise = kind === 'quadratic' ? !c.hole : c.hole;
    if (clockwise !== wantClockwise) {
      pts = reverseContour(pts);
      report.reversed++;
    }
    const rounded: FontPoint[] = [];
    for (const p of pts) {
      const q = { x: Math.round(p.x) + 0, y: Math.round(p.y) + 0, on: p.on }; // + 0: no -0
      report.roundingError = Math.max(report.roundingError, dm.hypot(q.x - p.x, q.y - p.y));
      const prev = rounded[rounded.length - 1];
      // Two equal consecutive on-curve points make a zero-length line: keep one.
      if (prev && prev.on && q.on && prev.x === q.x && prev.y === q.y) continue;
      rounded.push(q);
    }
    while (rounded.length > 1 && rounded[0].on && rounded[rounded.length - 1].on && samePoint(rounded[0], rounded[rounded.length - 1])) rounded.pop();
    if (rounded.length < 3 || signedArea(rounded, kind === 'quadratic') === 0) {
      report.dropped++;
      continue;
    }
    out.push({ points: rounded });
  }
  report.roundingErrorPx = s > 0 ? report.roundingError / s : 0;
  if (report.roundingErrorPx > place.maxRoundingPx) {
    throw new ConicfitError(
      'FONT_ROUNDING',
      `glyph ${name}: rounding to integer font units moves points by ${report.roundingErrorPx.toFixed(3)} px, more than ${place.maxRoundingPx} px; use more units per em`,
    );
  }
  // The ink's left edge after rounding (the flattened curves, not the off-curve points).
  const xs = out.flatMap((c) => flattenContour(c.points, FLATTEN_STEPS, kind === 'quadratic').map((p) => p.x));
  const xMin = xs.length > 0 ? Math.round(Math.min(...xs)) : 0;
  const advanceWidth = Math.max(0, Math.round((right - left) * s + place.lsb + place.rsb));
  return { name, ...(unicode === undefined ? {} : { unicode }), kind, advanceWidth, lsb: xMin, contours: out, report };
}

/** The contour's points (first on-curve), mapped; curve segments contribute their off-curve points. */
function contourPoints(c: OutlineContour, map: (p: Point) => Point): FontPoint[] {
  const pts: FontPoint[] = [{ ...map(c.start), on: true }];
  c.segments.forEach((s, k) => {
    if (s.kind === 'quadratic') for (const q of s.controls) pts.push({ ...map(q), on: false });
    else if (s.kind === 'cubic') pts.push({ ...map(s.c1), on: false }, { ...map(s.c2), on: false });
    // The closing segment ends at the start point, which is already first.
    if (k < c.segments.length - 1 || !samePoint(s.to, c.start)) pts.push({ ...map(s.to), on: true });
  });
  return pts;
}

function samePoint(a: Point, b: Point): boolean {
  return a.x === b.x && a.y === b.y;
}

/** The same closed contour walked backwards, still starting at an on-curve point. */
export function reverseContour(pts: readonly FontPoint[]): FontPoint[] {
  // Keep the start point first: [p0, p1, …, pn−1] → [p0, pn−1, …, p1].
  return [pts[0], ...pts.slice(1).reverse()];
}

/**
 * Signed area of a closed contour in y-up units, > 0 when counter-clockwise. Curves are
 * flattened (a quadratic's implied on-curve joints are the midpoints of its off-curve points).
 */
export function signedArea(pts: readonly FontPoint[], quadratic: boolean): number {
  const poly = flattenContour(pts, FLATTEN_STEPS, quadratic);
  let a = 0;
  for (let i = 0, n = poly.length; i < n; i++) {
    const p = poly[i],
      q = poly[(i + 1) % n];
    a += p.x * q.y - q.x * p.y;
  }
  return a / 2;
}

/**
 * A closed contour (points as in `FontContour`: off-curve runs are quadratic splines when
 * `quadratic`, else cubics) flattened into a polygon with `steps` chords per curve.
 */
export function flattenContour(pts: readonly FontPoint[], steps: number, quadratic: boolean): Point[] {
  const n = pts.length;
  const out: Point[] = [];
  let i = 0;
  while (i < n) {
    const p = pts[i];
    out.push({ x: p.x, y: p.y });
    let j = i + 1;
    const offs: FontPoint[] = [];
    while (j < n && !pts[j].on) offs.push(pts[j++]);
    if (j === n && offs.length === 0) break;
    const end = pts[j % n];
    if (offs.length > 0) curvePoints(p, offs, end, quadratic, steps, out);
    i = j;
  }
  return out;
}

/** Interior points (not the ends) of a curve from a to b with off-curve points `offs`, pushed to out. */
function curvePoints(a: Point, offs: readonly Point[], b: Point, quadratic: boolean, steps: number, out: Point[]): void {
  if (!quadratic && offs.length === 2) {
    for (let k = 1; k < steps; k++) {
      const t = k / steps,
        r = 1 - t;
      out.push({
        x: r * r * r * a.x + 3 * r * r * t * offs[0].x + 3 * r * t * t * offs[1].x + t * t * t * b.x,
        y: r * r * r * a.y + 3 * r * r * t * offs[0].y + 3 * r * t * t * offs[1].y + t * t * t * b.y,
      });
    }
    return;
  }
  const m = offs.length;
  for (let q = 0; q < m; q++) {
    const c = offs[q];
    const s = q === 0 ? a : { x: (offs[q - 1].x + c.x) / 2, y: (offs[q - 1].y + c.y) / 2 };
    const e = q === m - 1 ? b : { x: (offs[q + 1].x + c.x) / 2, y: (offs[q + 1].y + c.y) / 2 };
    if (q > 0) out.push(s);
    for (let k = 1; k < steps; k++) {
      const t = k / steps,
        r = 1 - t;
      out.push({ x: r * r * s.x + 2 * r * t * c.x + t * t * e.x, y: r * r * s.y + 2 * r * t * c.y + t * t * e.y });
    }
  }
}

/** [min x, max x] of outline contours, flattened (image px). */
export function outlineXRange(contours: readonly OutlineContour[]): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const c of contours) {
    for (const p of flattenOutline(c)) {
      lo = Math.min(lo, p.x);
      hi = Math.max(hi, p.x);
    }
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/** An outline contour flattened into a polygon (image px), `FLATTEN_STEPS` chords per curve. */
export function flattenOutline(c: OutlineContour): Point[] {
  const out: Point[] = [c.start];
  let from = c.start;
  for (const s of c.segments as OutlineSegment[]) {
    if (s.kind === 'quadratic') curvePoints(from, s.controls, s.to, true, FLATTEN_STEPS, out);
    else if (s.kind === 'cubic') curvePoints(from, [s.c1, s.c2], s.to, false, FLATTEN_STEPS, out);
    out.push(s.to);
    from = s.to;
  }
  return out;
}
