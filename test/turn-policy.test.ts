/**
 * Diagonal connectivity (docs/design.md §2.7): each turn policy on small hand-made bitmaps, and
 * the speck filter's sliver rule (§2.8).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractContours, extractContoursWithStats, type TurnPolicy } from '../src/contours/index.js';
import { labelComponents } from '../src/contours/labels.js';
import { saddleRule, TURN_POLICIES } from '../src/contours/saddles.js';
import type { Bitmap, Contour } from '../src/types.js';
import { arbInkMask, bitmapFromAscii, bitmapFromInk, bitmapFromShape, FC_SEED } from './helpers.js';

const outers = (cs: Contour[]) => cs.filter((c) => !c.hole).length;
const holes = (cs: Contour[]) => cs.filter((c) => c.hole).length;
const traced = (b: Bitmap, turnPolicy?: TurnPolicy) => extractContours(b, { minArea: 0, turnPolicy });
const inkCount = (b: Bitmap) => b.ink.reduce((s, v) => s + v, 0);

/** 10 × 10 ink with a diagonal of background pixels (2,2)…(7,7): a thin gap, not touching the border. */
const diagonalGap = (): Bitmap =>
  bitmapFromAscii(Array.from({ length: 10 }, (_, y) => Array.from({ length: 10 }, (_, x) => (x === y && x >= 2 && x <= 7 ? '.' : '#')).join('')));
/** A one-pixel staircase (1,1)…(8,8) on 10 × 10 paper: a thin stroke. */
const diagonalLine = (): Bitmap =>
  bitmapFromAscii(Array.from({ length: 10 }, (_, y) => Array.from({ length: 10 }, (_, x) => (x === y && x >= 1 && x <= 8 ? '#' : '.')).join('')));
const X = ['#...#', '.#.#.', '..#..', '.#.#.', '#...#'];

describe('turn policies: which colour joins at a corner-only touch', () => {
  // [bitmap, policy] → [outer boundaries, holes]
  const cases: [string, () => Bitmap, Partial<Record<TurnPolicy, [number, number]>>][] = [
    // Two ink pixels touching at a corner, mostly paper around: ink is the minority.
    ['checkerboard corner', () => bitmapFromAscii(['#.', '.#']), { black: [1, 0], white: [2, 0], minority: [1, 0], majority: [2, 0] }],
    // Two background pixels touching at a corner inside ink: background is the minority.
    ['inverse corner', () => bitmapFromAscii(['####', '#.##', '##.#', '####']), { black: [1, 2], white: [1, 1], minority: [1, 1], majority: [1, 2] }],
    ['an X', () => bitmapFromAscii(X), { black: [1, 0], white: [9, 0], minority: [1, 0], majority: [9, 0] }],
    ['a thin diagonal line', diagonalLine, { black: [1, 0], white: [8, 0], minority: [1, 0], majority: [8, 0] }],
    ['a thin diagonal gap', diagonalGap, { black: [1, 6], white: [1, 1], minority: [1, 1], majority: [1, 6] }],
  ];
  for (const [name, make, want] of cases) {
    it(name, () => {
      for (const [policy, [o, h]] of Object.entries(want) as [TurnPolicy, [number, number]][]) {
        const b = make();
        const cs = traced(b, policy);
        expect([outers(cs), holes(cs)], `${name}, ${policy}`).toEqual([o, h]);
        // Whatever joins, the boundaries enclose exactly the ink (holes count negative).
        expect(
          cs.reduce((s, c) => s + c.area, 0),
          `${name}, ${policy}`,
        ).toBe(inkCount(b));
      }
    });
  }

  it("'coverage' follows the saddle of the bilinear coverage; a tie (bilevel) falls back to 'minority'", () => {
    // Ink at (0,0) and (1,1); the other two pixels' coverage decides.
    const saddle = (other: number, inkLevel: number): Bitmap => ({
      width: 2,
      height: 2,
      ink: Uint8Array.from([1, 0, 0, 1]),
      coverage: Float32Array.from([inkLevel, other, other, inkLevel]),
      threshold: 128,
      grey: true,
    });
    // (1·1 − 0.45²)/(2 − 0.9) ≈ 0.73 > ½: the ink joins; (0.55² − 0)/1.1 = 0.275 < ½: the background does.
    expect(outers(traced(saddle(0.45, 1), 'coverage'))).toBe(1);
    expect(outers(traced(saddle(0, 0.55), 'coverage'))).toBe(2);
    // 'black' and 'white' ignore coverage.
    expect(outers(traced(saddle(0, 0.55), 'black'))).toBe(1);
    expect(outers(traced(saddle(0.45, 1), 'white'))).toBe(2);
    // Bilevel: the saddle value is exactly the level's neighbourhood midpoint, so minority decides.
    expect(outers(traced(bitmapFromAscii(['#.', '.#']), 'coverage'))).toBe(1);
    expect(holes(traced(diagonalGap(), 'coverage'))).toBe(1);
  });

  it('anti-aliased thin diagonal strokes and gaps stay whole under the default', () => {
    // A 0.8 px stroke and a 0.8 px gap at 45°, rendered with 16 × 16 samples per pixel.
    const band = (x: number, y: number) => Math.abs(x - y) / Math.SQRT2 < 0.4 && x > 3 && x < 21;
    const stroke = bitmapFromShape(24, 24, band);
    const gap = bitmapFromShape(24, 24, (x, y) => x > 1 && y > 1 && x < 23 && y < 23 && !band(x, y));
    expect(stroke.grey && gap.grey).toBe(true);
    for (const policy of [undefined, 'minority'] as const) {
      expect(outers(traced(stroke, policy)), policy).toBe(1);
      expect(holes(traced(gap, policy)), policy).toBe(1);
    }
    // Under a fixed policy one of them breaks (if the mask has saddles at all).
    expect(holes(traced(gap, 'black')) > 1 || outers(traced(stroke, 'white')) > 1).toBe(true);
  });

  it('property: under every policy the walk and the labelling agree — one outer boundary per ink component, one hole per enclosed background component, areas adding up to the ink', () => {
    fc.assert(
      fc.property(arbInkMask(16), fc.constantFrom<TurnPolicy>(...TURN_POLICIES), ({ w, h, ink }, policy) => {
        const b = bitmapFromInk(w, h, ink);
        const labels = labelComponents(b, saddleRule(b, policy));
        const cs = traced(b, policy);
        expect(outers(cs)).toBe(labels.inkCount);
        expect(holes(cs)).toBe(labels.backgroundCount - 1);
        expect(cs.reduce((s, c) => s + c.area, 0)).toBe(inkCount(b));
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  });

  it('rejects an unknown policy with a typed error', () => {
    expect(() => extractContours(bitmapFromAscii(['#']), { turnPolicy: 'left' as TurnPolicy })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});

describe('speck filter: sliver pieces stay, specks go', () => {
  it('a pixel of a thin stroke broken by thresholding stays; the same pixel alone goes', () => {
    // The stroke: runs along a slope of −½, the middle one cut off on both sides (as in the 64 px
    // bilevel 1Panel logo's 0.7 px stroke).
    const broken = ['.............', '.........###.', '.......#.....', '...###.......', '.............'];
    const r = extractContoursWithStats(bitmapFromAscii(broken), { turnPolicy: 'black' });
    expect(r.stats.removedContours).toBe(0);
    expect(outers(r.contours)).toBe(3);
    // Alone, or beside a single long edge, or inside a small counter: removed.
    const alone = ['......', '......', '...#..', '......'];
    const besideEdge = ['...........', '.....#.....', '...........', '###########'];
    const inCounter = ['#######', '#.....#', '#..#..#', '#.....#', '#######'];
    for (const art of [alone, besideEdge, inCounter]) {
      const { stats } = extractContoursWithStats(bitmapFromAscii(art));
      expect(stats.removedContours, art.join('/')).toBe(1);
    }
  });

  it('a hole that is a piece of a thin gap stays; a pinhole in solid ink goes', () => {
    // A gap tapering into ink, broken into pieces: the 1-pixel hole between two larger gap pieces stays.
    const gap = [
      '################',
      '################',
      '################',
      '####..##########',
      '####..##########',
      '#######.########',
      '#########..#####',
      '#########..#####',
      '################',
      '################',
      '################',
    ];
    expect(extractContoursWithStats(bitmapFromAscii(gap), { turnPolicy: 'black' }).stats.removedContours).toBe(0);
    const pinhole = ['#######', '#######', '###.###', '#######', '#######'];
    expect(extractContoursWithStats(bitmapFromAscii(pinhole)).stats.removedContours).toBe(1);
    // A pinhole in the middle of a diagonal stroke 5 px wide (9 ≤ x + y ≤ 15): the paper beyond
    // both edges shows one pixel each within reach, on opposite sides, like a sliver's tips, but
    // it fills 30 of the 81 pixels around: no thin feature.
    const stroke = Array.from({ length: 13 }, (_, y) =>
      Array.from({ length: 13 }, (_, x) => (x + y >= 9 && x + y <= 15 && !(x === 6 && y === 6) ? '#' : '.')).join(''),
    );
    expect(extractContoursWithStats(bitmapFromAscii(stroke)).stats.removedContours).toBe(1);
  });

  it('minArea 0 keeps everything; a sliver piece is kept only while it is under minArea for a reason', () => {
    const alone = bitmapFromAscii(['......', '...#..', '......']);
    expect(extractContours(alone, { minArea: 0 })).toHaveLength(1);
    expect(extractContours(alone)).toHaveLength(0);
  });
});
