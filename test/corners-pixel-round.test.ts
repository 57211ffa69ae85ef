/**
 * The round test on pixel-corner points (`isPixelRound`, src/corners-round.ts, docs/design.md §3.5,
 * §18.38) on bilevel renders: rounded rectangles and stadiums of radius 4–7 px lose the corners on
 * their rounds, so that their straight sides become lines on their pixel edge (the run-end knots of
 * §18.37 need the rounds free) and the trace comes closer to the truth; 90° vertices — squares and L
 * shapes whose corner pixels the 50 % level may cut, and rotated regular polygons — keep exactly
 * the corners they had. The test is switched off by mocking its module (no option exists).
 */
import { describe, expect, it, vi } from 'vitest';
import { extractContours } from '../src/contours/index.js';
import { detectCorners } from '../src/corners.js';
import type { Bitmap, FittedContour } from '../src/index.js';
import { bitmapFromInk, bitmapFromShape, fitWithPass, outlineHausdorff, placePolygon, polygonBitmap, roundedRectCases, sidesAsLines } from './helpers.js';

const test = vi.hoisted(() => ({ on: true }));
vi.mock('../src/corners-round.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/corners-round.js')>();
  return { ...original, isPixelRound: (...args: Parameters<typeof original.isPixelRound>) => test.on && original.isPixelRound(...args) };
});

/** Every contour of the bitmap fitted in conic mode, with the round test on or off. */
const fitAll = (bm: Bitmap, on: boolean): FittedContour[] => fitWithPass(test, 'on', bm, on);

/** Corners of every contour of the bitmap (as points), with the round test on or off. */
function cornersOf(bm: Bitmap, on: boolean): Array<[number, number]> {
  test.on = on;
  try {
    return extractContours(bm, { minArea: 0 }).flatMap((c) =>
      detectCorners(c).map((k): [number, number] => [c.points[2 * k.index], c.points[2 * k.index + 1]]),
    );
  } finally {
    test.on = true;
  }
}

/** Pixels inked where the exact coverage of `inside` is ≥ 50 %: a 90° vertex whose corner pixel is under half covered is cut by one pixel (§18.36). */
function coverageBilevel(width: number, height: number, inside: (x: number, y: number) => boolean): Bitmap {
  const grey = bitmapFromShape(width, height, inside);
  return bitmapFromInk(
    width,
    height,
    Uint8Array.from(grey.coverage!, (c) => (c >= 0.5 ? 1 : 0)),
  );
}

const SHAPES = [
  { w: 30, h: 16, r: 4 },
  { w: 40, h: 22, r: 5 },
  { w: 44, h: 26, r: 7 },
  { w: 32, h: 12, r: 6 },
  { w: 36, h: 14, r: 7 },
  { w: 28, h: 10, r: 5 },
];
const OFFSETS: Array<[number, number]> = [
  [3.3, 4.1],
  [4.05, 3.45],
  [3.8, 3.25],
  [3.55, 3.7],
];
const CASES = roundedRectCases(SHAPES, OFFSETS);

/** Corners within 1 px of a round's arc (the arc between its two tangent points, ends excluded by 0.5 px). */
function onRounds(corners: Array<[number, number]>, c: (typeof CASES)[number]): number {
  const centres = [
    [c.x0 + c.r, c.y0 + c.r, -1, -1],
    [c.x0 + c.w - c.r, c.y0 + c.r, 1, -1],
    [c.x0 + c.r, c.y0 + c.h - c.r, -1, 1],
    [c.x0 + c.w - c.r, c.y0 + c.h - c.r, 1, 1],
  ];
  return corners.filter(([x, y]) =>
    centres.some(([cx, cy, sx, sy]) => (x - cx) * sx > 0.5 && (y - cy) * sy > 0.5 && Math.abs(Math.hypot(x - cx, y - cy) - c.r) <= 1),
  ).length;
}

describe('round test on pixel-corner points: bilevel rounded rectangles and stadiums, radius 4–7', () => {
  it('leaves few corners on the rounds: under a quarter of those without the test', () => {
    const tally = { on: 0, off: 0, rounds: 0 };
    for (const c of CASES) {
      tally.on += onRounds(cornersOf(c.bm, true), c);
      tally.off += onRounds(cornersOf(c.bm, false), c);
      tally.rounds += 4;
    }
    // Measured: 18 with the test, 102 without, on 96 rounds; those left are mostly radius-4 rounds
    // whose staircase shows one diagonal step, as a cut vertex's does, and stadium ends (two
    // parallel runs, not a 90° turn).
    expect(tally.on, `${tally.on} with, ${tally.off} without`).toBeLessThanOrEqual(0.25 * tally.off);
  });

  it('traces more straight sides as lines on their pixel edge, and comes closer to the truth in sum', () => {
    const tally = { on: 0, off: 0, sides: 0, hOn: 0, hOff: 0 };
    const worse: string[] = [];
    for (const c of CASES) {
      const [a, b] = [fitAll(c.bm, true), fitAll(c.bm, false)];
      const s = sidesAsLines(a, c.x0, c.y0, c.w, c.h, c.r);
      tally.on += s.lines;
      tally.sides += s.sides;
      tally.off += sidesAsLines(b, c.x0, c.y0, c.w, c.h, c.r).lines;
      const [hOn, hOff] = [outlineHausdorff(a, c.truth), outlineHausdorff(b, c.truth)];
      tally.hOn += hOn;
      tally.hOff += hOff;
      if (hOn > hOff + 1e-3) worse.push(`${c.name} ${hOff.toFixed(3)} → ${hOn.toFixed(3)}`);
    }
    // Measured: 27 of 64 sides of ≥ 12 px with the test, 4 without (the run-end knots of §18.37 need
    // runs ≥ 8 × their neighbours, so a 12 px side between radius-5 rounds stays a conic); Hausdorff
    // summed over the 24 shapes 13.78 against 17.97 px, 3 shapes higher by 0.005–0.11 px (36 × 14
    // r 7 at (3.3, 4.1): 0.649 → 0.759, a corner knot left on one end) and one by under 0.001
    // (not counted: the bound keeps one shape of slack).
    expect(tally.on, `${tally.on} with, ${tally.off} without, of ${tally.sides}`).toBeGreaterThanOrEqual(0.35 * tally.sides);
    expect(tally.off).toBeLessThanOrEqual(0.1 * tally.sides);
    expect(tally.hOn, worse.join('; ')).toBeLessThanOrEqual(0.85 * tally.hOff);
    expect(worse.length, worse.join('; ')).toBeLessThanOrEqual(4);
  });
});

describe('round test on pixel-corner points: 90° vertices keep their corners', () => {
  it('squares, rectangles and L shapes, centre-sampled and at 50 % coverage, at 16 offsets: the same corners as without the test', () => {
    const shapes: Array<(ox: number, oy: number) => (x: number, y: number) => boolean> = [
      (ox, oy) => (x, y) => x > ox && x < ox + 20 && y > oy && y < oy + 20,
      (ox, oy) => (x, y) => x > ox && x < ox + 30 && y > oy && y < oy + 9,
      (ox, oy) => (x, y) => x > ox && y > oy && ((x < ox + 8 && y < oy + 26) || (x < ox + 22 && y < oy + 8)),
    ];
    let vertices = 0,
      same = 0;
    for (const shape of shapes) {
      for (let k = 0; k < 16; k++) {
        const inside = shape(3 + (k % 4) / 4 + 0.07, 3 + Math.floor(k / 4) / 4 + 0.11);
        for (const bm of [bitmapFromShape(40, 40, inside, { bilevel: true }), coverageBilevel(40, 40, inside)]) {
          const [a, b] = [cornersOf(bm, true), cornersOf(bm, false)];
          vertices += b.length;
          if (JSON.stringify(a) === JSON.stringify(b)) same += b.length;
        }
      }
    }
    expect(same).toBe(vertices);
  });

  it('regular pentagons, hexagons and octagons 24–150 px, bilevel, at 7 rotations: the same corners as without the test', () => {
    let differ = 0,
      renders = 0;
    for (const sides of [5, 6, 8]) {
      const base = Array.from({ length: 2 * sides }, (_, k) => (k % 2 === 0 ? Math.cos : Math.sin)((2 * Math.PI * (k >> 1)) / sides));
      for (const size of [24, 30, 40, 64, 150]) {
        for (const rotation of [0, 5, 10, 15, 22.5, 30, 45]) {
          const { poly, canvas } = placePolygon(base, size, rotation);
          const bm = polygonBitmap(canvas, canvas, [poly], true);
          renders++;
          if (JSON.stringify(cornersOf(bm, true)) !== JSON.stringify(cornersOf(bm, false))) differ++;
        }
      }
    }
    expect(differ, `of ${renders} renders`).toBe(0);
  });
});
