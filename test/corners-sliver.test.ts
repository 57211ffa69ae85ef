/**
 * Sliver contours (src/corners-sliver.ts, docs/design.md §3.6): a bilevel stroke under a pixel wide
 * is a chain of diagonally touching pixels, and its contour passes each joint twice. With its end
 * caps' corners as its only corners and line pieces, the fit is a thin straight stroke; without (the
 * module mocked off) the joints read as cusps and the fit bulges round the chain or bends into S
 * shapes. Thin strokes 0.6–0.8 px wide at 8 slopes and 3 sub-pixel offsets: every sliver contour
 * gets 3–4 corners, by its two ends; its fitted area is near its pixels' area, it lies nearer the
 * stroke, within the bounds. 8-connected 1 px lines at 13 slopes and 4 lengths: the sides parallel,
 * the stroke its pixels' area, the mask IoU up. Solid shapes, 1 px axis bars, a bent stroke and a
 * path drawn there and back are no slivers. The corner option `slivers` switches it all off (linear
 * mode does: its knots stay on pixel corners): the conic fit is then the one without the module.
 */
import { describe, expect, it, vi } from 'vitest';
import { detectCorners, extractContours, fitConic, polygonArea, traceImage, type Bitmap } from '../src/index.js';
import { isSliver, sliverCorners } from '../src/corners-sliver.js';
import {
  bitmapFromAscii,
  bitmapFromInk,
  closedPolylineDistance,
  expectFitsWithinBounds,
  fittedOutline,
  meanDistanceToTruth,
  polygonBitmap,
} from './helpers.js';

const step = vi.hoisted(() => ({ sliver: true }));
vi.mock('../src/corners-sliver.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/corners-sliver.js')>();
  return {
    ...original,
    isSliver: (pts: Float64Array) => step.sliver && original.isSliver(pts),
    sliverCorners: (pts: Float64Array) => (step.sliver ? original.sliverCorners(pts) : undefined),
  };
});

/** A stroke of width w and length 24 through (24, 24) at deg degrees, shifted by (dx, dy): its outline and its centre-sampled bitmap. */
function stroke(deg: number, w: number, dx: number, dy: number): { bm: Bitmap; poly: Float64Array } {
  const ux = Math.cos((deg * Math.PI) / 180),
    uy = Math.sin((deg * Math.PI) / 180);
  const x0 = 24 - 12 * ux + dx,
    y0 = 24 - 12 * uy + dy;
  const nx = (-uy * w) / 2,
    ny = (ux * w) / 2;
  const poly = [x0 + nx, y0 + ny, x0 + 24 * ux + nx, y0 + 24 * uy + ny, x0 + 24 * ux - nx, y0 + 24 * uy - ny, x0 - nx, y0 - ny];
  return { bm: polygonBitmap(48, 48, [poly], true), poly: Float64Array.from(poly) };
}

/** An 8-connected 1 px line of length len through (24, 24) at deg degrees (pixels rounded along it), on a 48 px canvas. */
function pixelLine(deg: number, len: number): Bitmap {
  const ink = new Uint8Array(48 * 48);
  const dx = Math.cos((deg * Math.PI) / 180),
    dy = Math.sin((deg * Math.PI) / 180);
  const steps = Math.ceil(len * Math.max(Math.abs(dx), Math.abs(dy)));
  for (let s = 0; s <= steps; s++) {
    const t = -len / 2 + (len * s) / steps;
    ink[Math.round(24 + t * dy) * 48 + Math.round(24 + t * dx)] = 1;
  }
  return bitmapFromInk(48, 48, ink);
}

/** Unsigned area of a closed polyline. */
const area = (p: Float64Array): number => Math.abs(polygonArea(p));

function fitAll(bm: Bitmap, on: boolean) {
  step.sliver = on;
  try {
    return extractContours(bm).map((contour) => {
      const corners = detectCorners(contour);
      return { contour, corners, fit: fitConic(contour, corners) };
    });
  } finally {
    step.sliver = true;
  }
}

describe('sliver contours (corners-sliver.ts)', () => {
  it('fits a thin bilevel stroke as a thin straight stroke: corners at its two ends, its area, nearer the truth', () => {
    let slivers = 0,
      areaOn = 0,
      areaOff = 0,
      distOn = 0,
      distOff = 0,
      lines = 0,
      pieces = 0;
    for (const deg of [-63.4, -45, -26.6, -18.4, 18.4, 26.6, 45, 63.4])
      for (const [w, dx, dy] of [
        [0.6, 0, 0],
        [0.7, 0.3, 0.45],
        [0.8, 0.55, 0.2],
      ]) {
        const { bm, poly } = stroke(deg, w, dx, dy);
        const on = fitAll(bm, true);
        const off = fitAll(bm, false);
        expectFitsWithinBounds(
          on.map((o) => o.fit),
          bm,
        );
        on.forEach(({ contour, corners, fit }, c) => {
          const p = contour.points;
          if (!isSliver(p)) return;
          slivers++;
          const caps = sliverCorners(p) ?? [];
          expect(corners.map((k) => k.index)).toEqual(caps);
          expect(caps.length === 3 || caps.length === 4).toBe(true);
          // Two corners at each end: within 1.5 px of one of the contour's two farthest-apart points.
          const n = p.length / 2;
          let far = [0, 0, -1];
          for (let i = 0; i < n; i++)
            for (let j = i + 1; j < n; j++) {
              const d = Math.hypot(p[2 * i] - p[2 * j], p[2 * i + 1] - p[2 * j + 1]);
              if (d > far[2]) far = [i, j, d];
            }
          const nearEnd = (k: number, e: number) => Math.hypot(p[2 * k] - p[2 * e], p[2 * k + 1] - p[2 * e + 1]) <= 1.5;
          expect(caps.filter((k) => nearEnd(k, far[0])).length).toBeGreaterThanOrEqual(caps.length - 2);
          expect(caps.filter((k) => nearEnd(k, far[1])).length).toBeGreaterThanOrEqual(caps.length - 2);
          lines += fit.pieces.filter((piece) => piece.kind === 'line').length;
          pieces += fit.pieces.length;
          // The fitted area beside the area of the pixels the contour bounds.
          areaOn += Math.abs(area(fittedOutline([fit])[0]) - area(p));
          areaOff += Math.abs(area(fittedOutline([off[c].fit])[0]) - area(p));
          const truth = (x: number, y: number) => closedPolylineDistance(poly, x, y);
          distOn += meanDistanceToTruth([fit], truth);
          distOff += meanDistanceToTruth([off[c].fit], truth);
        });
      }
    // Measured: 20 slivers, 80 of 80 pieces lines; area off the pixels' 94.3 → 0.0 px², mean distance summed 4.37 → 3.06 px.
    expect(slivers).toBeGreaterThanOrEqual(16);
    expect(lines).toBeGreaterThanOrEqual(0.9 * pieces);
    expect(areaOn).toBeLessThan(0.1 * areaOff);
    expect(distOn).toBeLessThan(0.85 * distOff);
  });

  it('puts the two sides of a 1 px line on parallel lines that keep the area of its pixels, and raises its mask IoU', async () => {
    let slivers = 0,
      iouOn = 0,
      iouOff = 0,
      worse = 0;
    for (let deg = 3; deg < 180; deg += 14)
      for (const len of [8, 15, 26, 40]) {
        const bm = pixelLine(deg, len);
        for (const { contour, fit } of fitAll(bm, true)) {
          if (!isSliver(contour.points)) continue;
          slivers++;
          // Two sides (the longer pieces) parallel, as far apart as the pixels' area asks.
          const sides = fit.pieces
            .map((piece, i) => ({ piece, i, span: (piece.to - piece.from + contour.points.length / 2) % (contour.points.length / 2) }))
            .sort((a, b) => b.span - a.span)
            .slice(0, 2)
            .map(({ piece }) => piece);
          expect(sides.every((piece) => piece.kind === 'line')).toBe(true);
          const [u, v] = sides.map((piece) => {
            const len2 = Math.hypot(piece.p1.x - piece.p0.x, piece.p1.y - piece.p0.y);
            return [(piece.p1.x - piece.p0.x) / len2, (piece.p1.y - piece.p0.y) / len2];
          });
          expect(Math.abs(u[0] * v[1] - u[1] * v[0])).toBeLessThan(1e-9);
          expect(Math.abs(area(fittedOutline([fit])[0]) - area(contour.points))).toBeLessThan(0.02 * area(contour.points) + 1e-9);
        }
        const on = await traceImage(bm, { mode: 'conic' });
        step.sliver = false;
        const off = await traceImage(bm, { mode: 'conic' }).finally(() => (step.sliver = true));
        iouOn += on.report.raster!.iou;
        iouOff += off.report.raster!.iou;
        if (on.report.raster!.iou < off.report.raster!.iou - 0.05) worse++;
      }
    // Measured: 52 lines, 30 sliver contours; mean mask IoU 0.777 → 0.912, 3 lines worse by over 0.05.
    expect(slivers).toBeGreaterThanOrEqual(25);
    expect(iouOn).toBeGreaterThan(iouOff + 0.1 * 52);
    expect(worse).toBeLessThanOrEqual(4);
  });

  it('traces a 45° chain of pixels touching at corners as a stroke of its own area (docs/design.md §19 item 14(a))', async () => {
    for (const len of [6, 12, 30]) {
      const W = len + 8;
      const ink = new Uint8Array(W * W);
      for (let k = 0; k < len; k++) ink[(k + 4) * W + k + 4] = 1;
      const result = await traceImage({ width: W, height: W, ink, coverage: Float32Array.from(ink), threshold: 128, grey: false }, { mode: 'conic' });
      const raster = result.report.raster!;
      // Was a hairline (length 30: 12.8 px² for 30 px² of ink, IoU 0, LOW_FIDELITY and AREA_MISMATCH).
      expect(Math.abs(raster.fitArea - len)).toBeLessThan(0.05 * len);
      expect(raster.iou).toBeGreaterThan(0.95);
      expect(result.report.warnings).toEqual([]);
    }
  });

  it('is the corner option `slivers`: off gives the detector corners, linear mode turns it off, a non-boolean is BAD_OPTION', async () => {
    const { bm } = stroke(26.6, 0.6, 0, 0);
    const slivers = extractContours(bm).filter((c) => isSliver(c.points));
    expect(slivers.length).toBeGreaterThan(0);
    for (const c of slivers) {
      expect(detectCorners(c).map((k) => k.index)).toEqual(sliverCorners(c.points));
      expect(detectCorners(c, { slivers: false }).map((k) => k.index)).not.toEqual(sliverCorners(c.points));
    }
    const linear = await traceImage(bm, { mode: 'linear' });
    const conic = await traceImage(bm, { mode: 'conic' });
    linear.contours.forEach((c, i) => expect(linear.corners[i]).toEqual(detectCorners(c, { slivers: false })));
    conic.contours.forEach((c, i) => expect(conic.corners[i]).toEqual(detectCorners(c)));
    expect(() => detectCorners(slivers[0], { slivers: 'yes' as unknown as boolean })).toThrow(/slivers must be true or false/);
    // Off, the fit is the fit without the module: the line rule and the sides follow the cap corners only.
    const without = fitAll(bm, false);
    extractContours(bm).forEach((c, i) => expect(fitConic(c, detectCorners(c, { slivers: false }))).toEqual(without[i].fit));
  });

  it('leaves solid shapes, 1 px axis bars, a bent stroke and a path drawn there and back alone', () => {
    for (const [deg, w] of [
      [26.6, 3],
      [45, 2],
      [0, 1],
      [90, 1],
    ])
      for (const c of extractContours(stroke(deg, w, 0.25, 0.5).bm)) {
        expect(isSliver(c.points)).toBe(false);
        expect(sliverCorners(c.points)).toBeUndefined();
      }
    // A 3 × 1 bar: mean width exactly 0.75 (N / (N + 1)), length 3.
    for (const c of extractContours(bitmapFromAscii(['.....', '.###.', '.....']))) expect(isSliver(c.points)).toBe(false);
    // A V of diagonally touching pixels: thin enough, but its sides bend (the detector finds its tip).
    const v = bitmapFromAscii(['............', '.#.......#..', '..#.....#...', '...#...#....', '....#.#.....', '.....#......', '............']);
    for (const c of extractContours(v)) expect(isSliver(c.points)).toBe(false);
    // So its trace is the one without the module (as a sliver an arm of such a V lost its tip, found by review).
    const fits = fitAll(v, true).map((f) => f.fit);
    expect(fits).toEqual(fitAll(v, false).map((f) => f.fit));
    // An open chain drawn there and back (as src/colour/chains-fit.ts hands one to detectCorners) has no area.
    const there = [0, 0, 3, 1, 6, 2, 9, 3, 12, 4, 15, 5];
    const back: number[] = [];
    for (let k = there.length - 4; k >= 2; k -= 2) back.push(there[k], there[k + 1]);
    expect(isSliver(Float64Array.from([...there, ...back]))).toBe(false);
  });
});
