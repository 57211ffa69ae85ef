/**
 * Axis corners (src/fit/axis-corners.ts, docs/design.md §18.47) on bilevel renders of axis
 * rectangles and L shapes, a pixel ink when its exact coverage is at least ½ (as the loader
 * thresholds anti-aliased input, and as the bench corpus renders its bilevel cases), at sub-pixel
 * offsets chosen so that corner pixels are cut (convex) or filled (concave, the L's inner corner),
 * and at offsets where they are not; each shape also mirrored. Properties: at a cut or filled
 * corner the corner knot lies at the crossing c of the two sides' pixel edges moved AXIS_CORNERS.cutWeight of
 * the way into the corner pixel, so within 0.39 px of the true vertex (the farthest vertex that
 * pixel pattern allows is 0.382 px from that point); at a clean corner it lies at c, within
 * hypot(fx, fy) of the vertex. Without the step the cut and filled corners' knots are farther off.
 * The step is switched off by mocking its module (no option exists).
 */
import { describe, expect, it, vi } from 'vitest';
import type { Bitmap, FittedContour } from '../src/index.js';
import { AXIS_CORNERS } from '../src/fit/axis-corners.js';
import { bitmapFromInk, fitWithPass } from './helpers.js';

const step = vi.hoisted(() => ({ on: true }));
vi.mock('../src/fit/axis-corners.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/axis-corners.js')>();
  return { ...original, axisCorners: (...args: Parameters<typeof original.axisCorners>) => (step.on ? original.axisCorners(...args) : undefined) };
});

type Rect = readonly [x0: number, y0: number, x1: number, y1: number];
interface Vertex {
  x: number;
  y: number;
  /** Unit directions of its two sides, away from it, and whether the ink lies between them. */
  ux: number;
  uy: number;
  vx: number;
  vy: number;
  convex: boolean;
}
interface Shape {
  name: string;
  bm: Bitmap;
  vertices: Vertex[];
}

/** Bilevel bitmap of disjoint axis rectangles: each pixel's exact covered area, ink at ≥ ½; mirrored in x when `mirror`. */
function render(width: number, height: number, rects: Rect[], mirror: boolean): Bitmap {
  const ink = new Uint8Array(width * height);
  const overlap = (a: number, b: number, i: number) => Math.max(0, Math.min(b, i + 1) - Math.max(a, i));
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      let c = 0;
      for (const [x0, y0, x1, y1] of rects) c += overlap(x0, x1, i) * overlap(y0, y1, j);
      ink[j * width + (mirror ? width - 1 - i : i)] = c >= 0.5 ? 1 : 0;
    }
  }
  return bitmapFromInk(width, height, ink);
}

/** A vertex from its position and the two side directions, mirrored in x when `mirror`. */
function vertex(width: number, mirror: boolean, x: number, y: number, ux: number, uy: number, vx: number, vy: number, convex: boolean): Vertex {
  return mirror ? { x: width - x, y, ux: -ux, uy, vx: -vx, vy, convex } : { x, y, ux, uy, vx, vy, convex };
}

/** A w × h rectangle at (x0, y0) and an L (an L × t bar on a t × L bar, the inner corner concave), each also mirrored. */
function shapes(x0: number, y0: number): Shape[] {
  const out: Shape[] = [];
  for (const mirror of [false, true]) {
    const w = 17.3,
      h = 12.6;
    const W = Math.ceil(x0 + w + 4),
      H = Math.ceil(y0 + h + 4);
    const [x1, y1] = [x0 + w, y0 + h];
    out.push({
      name: `rectangle at (${x0}, ${y0})${mirror ? ' mirrored' : ''}`,
      bm: render(W, H, [[x0, y0, x1, y1]], mirror),
      vertices: [
        vertex(W, mirror, x0, y0, 1, 0, 0, 1, true),
        vertex(W, mirror, x1, y0, -1, 0, 0, 1, true),
        vertex(W, mirror, x1, y1, -1, 0, 0, -1, true),
        vertex(W, mirror, x0, y1, 1, 0, 0, -1, true),
      ],
    });
    const t = 7,
      L = 19.4;
    const LW = Math.ceil(x0 + L + 4),
      LH = Math.ceil(y0 + L + 4);
    out.push({
      name: `L at (${x0}, ${y0})${mirror ? ' mirrored' : ''}`,
      bm: render(
        LW,
        LH,
        [
          [x0, y0, x0 + L, y0 + t],
          [x0, y0 + t, x0 + t, y0 + L],
        ],
        mirror,
      ),
      vertices: [
        vertex(LW, mirror, x0, y0, 1, 0, 0, 1, true),
        vertex(LW, mirror, x0 + L, y0, -1, 0, 0, 1, true),
        vertex(LW, mirror, x0 + L, y0 + t, -1, 0, 0, -1, true),
        vertex(LW, mirror, x0 + t, y0 + t, 1, 0, 0, 1, false),
        vertex(LW, mirror, x0 + t, y0 + L, -1, 0, 0, -1, true),
        vertex(LW, mirror, x0, y0 + L, 1, 0, 0, -1, true),
      ],
    });
  }
  return out;
}

/**
 * The crossing c of a vertex's sides' pixel edges, the offset f = (fx, fy) of the vertex from c
 * into the pixel between its sides, and that pixel's state: 'cut' (convex, paper), 'filled'
 * (concave, ink) or 'clean'.
 */
function classify(bm: Bitmap, v: Vertex): { cx: number; cy: number; fx: number; fy: number; px: number; py: number; state: 'cut' | 'filled' | 'clean' } {
  const cx = Math.round(v.x),
    cy = Math.round(v.y);
  // The pixel at c between the two sides: towards u + v.
  const sx = v.ux + v.vx,
    sy = v.uy + v.vy;
  const px = sx > 0 ? cx : cx - 1,
    py = sy > 0 ? cy : cy - 1;
  const ink = bm.ink[py * bm.width + px] === 1;
  const state = v.convex ? (ink ? 'clean' : 'cut') : ink ? 'filled' : 'clean';
  return { cx, cy, fx: (v.x - cx) * sx, fy: (v.y - cy) * sy, px: px + 0.5, py: py + 0.5, state };
}

/** Distance from a vertex to the nearest corner knot of the fits. */
function nearestCorner(fits: FittedContour[], x: number, y: number): { d: number; kx: number; ky: number } {
  let best = { d: Infinity, kx: NaN, ky: NaN };
  for (const f of fits)
    for (const k of f.knots) if (k.kind === 'corner' && Math.hypot(k.x - x, k.y - y) < best.d) best = { d: Math.hypot(k.x - x, k.y - y), kx: k.x, ky: k.y };
  return best;
}

// Vertex offsets into the corner pixel: the first four make the corner pixels cut or filled
// ((1 − fx)(1 − fy) < ½ with fx, fy ∈ (0, ½)), the last two leave them clean.
const OFFSETS: Array<[number, number]> = [
  [3.35, 4.4],
  [3.45, 4.25],
  [3.3, 4.45],
  [3.42, 4.42],
  [3.15, 4.2],
  [2.7, 4.9],
];
const CASES = OFFSETS.flatMap(([x, y]) => shapes(x, y));
const fitAll = (bm: Bitmap, on: boolean) => fitWithPass(step, 'on', bm, on);

describe('axis corners (bilevel rectangles and L shapes)', () => {
  it('puts the knot of every cut or filled corner into the corner pixel, within 0.39 px of the true vertex', () => {
    let notched = 0,
      sumOn = 0,
      sumOff = 0;
    for (const c of CASES) {
      const on = fitAll(c.bm, true),
        off = fitAll(c.bm, false);
      for (const v of c.vertices) {
        const k = classify(c.bm, v);
        if (k.state === 'clean') continue;
        notched++;
        const got = nearestCorner(on, v.x, v.y);
        // The knot the rule gives: c moved AXIS_CORNERS.cutWeight of the way to the pixel's far corner.
        const w = AXIS_CORNERS.cutWeight;
        const ex = k.cx + 2 * w * (k.px - k.cx),
          ey = k.cy + 2 * w * (k.py - k.cy);
        expect(Math.hypot(got.kx - ex, got.ky - ey), `${c.name} (${v.x}, ${v.y})`).toBeLessThan(1e-6);
        expect(got.d, `${c.name} (${v.x}, ${v.y})`).toBeLessThan(0.39);
        sumOn += got.d;
        sumOff += nearestCorner(off, v.x, v.y).d;
      }
    }
    // Measured: 43 notched corners (35 cut, 8 filled), their knots 0.117 px from the vertex on
    // average, 0.495 px without the step.
    expect(notched).toBeGreaterThanOrEqual(40);
    expect(sumOn / notched).toBeLessThan(0.5 * (sumOff / notched));
  });

  it('puts the knot of every clean corner at the crossing of its sides’ pixel edges', () => {
    let clean = 0;
    for (const c of CASES) {
      const fits = fitAll(c.bm, true);
      for (const v of c.vertices) {
        const k = classify(c.bm, v);
        if (k.state !== 'clean') continue;
        clean++;
        const got = nearestCorner(fits, v.x, v.y);
        expect(Math.hypot(got.kx - k.cx, got.ky - k.cy), `${c.name} (${v.x}, ${v.y})`).toBeLessThan(1e-6);
        expect(got.d).toBeLessThanOrEqual(Math.hypot(k.fx, k.fy) + 1e-6);
      }
    }
    expect(clean).toBeGreaterThanOrEqual(20);
  });
});
