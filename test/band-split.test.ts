/**
 * The bilevel glyph-mean steps of docs/design.md §18.35 on shapes rendered from a known outline (a
 * pixel is ink iff its centre is inside), each step switched off by mocking its module (no option
 * exists):
 * - the split of conic pieces far off their band (src/fit/band-split.ts) on superellipses, whose
 *   flat sides and tight ends one conic spans badly: one knot added, an intermediate one, the old
 *   knots kept; no more pixel centres on the wrong side; the fit no farther from the truth; every
 *   piece within its bounds as measured from the data (§12);
 * - corners between two line pieces placed on the band loss (cornersBetweenLines,
 *   src/fit/band-corners.ts) on stars and a trapezoid: no more pixel centres on the wrong side in
 *   any case, the stars' summed mean distance to the truth lower, knots of the same kinds at the
 *   same data points, a corner moved at most BAND_DEFAULTS.cornerShift in x and y, and one beside
 *   an axis-parallel side moved only along it.
 * Anti-aliased contours are left alone by both.
 */
import { describe, expect, it, vi } from 'vitest';
import { BAND_DEFAULTS } from '../src/fit/band-loss.js';
import { type Bitmap, type FittedContour } from '../src/index.js';
import {
  bitmapFromShape,
  centresOffSide,
  closedPolylineDistance,
  expectFitsWithinBounds,
  placePolygon,
  stepEffect,
  polygonBitmap,
  starPolygon,
  fitWithPass,
  meanDistanceToTruth,
} from './helpers.js';

const step = vi.hoisted(() => ({ split: true, lines: true }));
vi.mock('../src/fit/band-split.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/band-split.js')>();
  return { ...original, splitOffBand: (...args: Parameters<typeof original.splitOffBand>) => (step.split ? original.splitOffBand(...args) : undefined) };
});
// The later pass that moves line pieces onto their own band (band-lines.ts, §18.44) is off here: it
// starts from what these steps leave, so with it on the comparisons would measure it too (its own
// properties: test/band-lines.test.ts).
vi.mock('../src/fit/band-lines.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/band-lines.js')>();
  return { ...original, linesInBand: () => undefined };
});
vi.mock('../src/fit/band-corners.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/fit/band-corners.js')>();
  return {
    ...original,
    cornersBetweenLines: (...args: Parameters<typeof original.cornersBetweenLines>) => (step.lines ? original.cornersBetweenLines(...args) : undefined),
  };
});

/** Every contour of the bitmap fitted in conic mode, with one step on or off. */
function fitAll(bm: Bitmap, which: 'split' | 'lines', on: boolean): FittedContour[] {
  return fitWithPass(step, which, bm, on);
}

/** A superellipse |u/a|^e + |v/b|^e ≤ 1 tilted by `deg`, in a (size + 16)² canvas: its bitmap and a fine polygon of its outline. */
function superellipse(size: number, e: number, deg: number, bilevel: boolean): { bitmap: Bitmap; poly: Float64Array } {
  const w = size + 16;
  const c = w / 2 + 0.21,
    a = size / 2,
    b = 0.7 * a;
  const t = (deg * Math.PI) / 180;
  const inside = (x: number, y: number) => {
    const u = (x - c) * Math.cos(t) + (y - c) * Math.sin(t),
      v = -(x - c) * Math.sin(t) + (y - c) * Math.cos(t);
    return Math.abs(u / a) ** e + Math.abs(v / b) ** e <= 1;
  };
  const poly = new Float64Array(2 * 4096);
  for (let k = 0; k < 4096; k++) {
    const phi = (2 * Math.PI * k) / 4096;
    const cs = Math.cos(phi),
      sn = Math.sin(phi);
    const u = a * Math.sign(cs) * Math.abs(cs) ** (2 / e),
      v = b * Math.sign(sn) * Math.abs(sn) ** (2 / e);
    poly[2 * k] = c + u * Math.cos(t) - v * Math.sin(t);
    poly[2 * k + 1] = c + u * Math.sin(t) + v * Math.cos(t);
  }
  return { bitmap: bitmapFromShape(w, w, inside, { bilevel, samples: 4 }), poly };
}

/** Bilevel defaults: tolerance 1 px, rmsTolerance 0.5 px (docs/design.md §9.4). */
// Shapes on which a piece is split (found by a search over sizes 40–160, exponents 2.5–6, tilts 0–21°).
const SPLIT_CASES = [
  { size: 100, e: 3, deg: 8 },
  { size: 40, e: 6, deg: 8 },
];

describe('conic pieces split where they lie off their band (bilevel)', () => {
  for (const { size, e, deg } of SPLIT_CASES) {
    const { bitmap, poly } = superellipse(size, e, deg, true);
    const truth = (x: number, y: number) => closedPolylineDistance(poly, x, y);
    const name = `superellipse ${size} px, exponent ${e}, tilted ${deg}°`;

    it(`${name}: one intermediate knot added, the others kept`, () => {
      const before = fitAll(bitmap, 'split', false);
      const after = fitAll(bitmap, 'split', true);
      const added = after.flatMap((f, c) => f.knots.filter((k) => !before[c].knots.some((b) => b.index === k.index)));
      expect(added.length).toBeGreaterThanOrEqual(1);
      for (const k of added) expect(k.kind).toBe('intermediate');
      before.forEach((f, c) => {
        for (const k of f.knots) if (k.kind === 'corner') expect(after[c].knots.some((a) => a.index === k.index && a.kind === 'corner')).toBe(true);
      });
    });

    it(`${name}: no more pixel centres on the wrong side, no farther from the truth`, () => {
      const before = fitAll(bitmap, 'split', false);
      const after = fitAll(bitmap, 'split', true);
      expect(centresOffSide(bitmap, after)).toBeLessThanOrEqual(centresOffSide(bitmap, before));
      expect(meanDistanceToTruth(after, truth)).toBeLessThanOrEqual(meanDistanceToTruth(before, truth));
    });

    it(`${name}: every piece within its bounds`, () => {
      expectFitsWithinBounds(fitAll(bitmap, 'split', true), bitmap);
    });
  }

  it('leaves anti-aliased contours alone', () => {
    const { bitmap } = superellipse(100, 3, 8, false);
    expect(fitAll(bitmap, 'split', true)).toEqual(fitAll(bitmap, 'split', false));
  });
});

// Stars of 4–6 tips at three sizes and rotations: every side a sloped line, corners between two lines.
const STARS = [
  [4, 0.45],
  [5, 0.45],
  [6, 0.6],
].flatMap(([tips, inner]) =>
  [40, 64, 100].flatMap((size) =>
    [7, 19, 33].map((deg) => {
      const { poly, canvas } = placePolygon(starPolygon(tips, inner), size, deg);
      return { name: `${tips}-tip star ${size} px at ${deg}°`, bitmap: polygonBitmap(canvas, canvas, [poly], true), poly: Float64Array.from(poly) };
    }),
  ),
);

describe('corners between two line pieces placed on the band loss (bilevel)', () => {
  it('no more pixel centres on the wrong side on any star, the same knots, corners moved at most cornerShift', () => {
    for (const { bitmap } of STARS) {
      const before = fitAll(bitmap, 'lines', false);
      const after = fitAll(bitmap, 'lines', true);
      expect(centresOffSide(bitmap, after)).toBeLessThanOrEqual(centresOffSide(bitmap, before));
      after.forEach((f, c) => {
        expect(f.knots.map((k) => [k.index, k.kind])).toEqual(before[c].knots.map((k) => [k.index, k.kind]));
        f.knots.forEach((k, i) => {
          expect(Math.abs(k.x - before[c].knots[i].x)).toBeLessThanOrEqual(BAND_DEFAULTS.cornerShift + 1e-9);
          expect(Math.abs(k.y - before[c].knots[i].y)).toBeLessThanOrEqual(BAND_DEFAULTS.cornerShift + 1e-9);
        });
      });
      expectFitsWithinBounds(after, bitmap);
    }
  });

  it('moves corners and lowers the stars’ summed mean distance to the truth', () => {
    const { moved, before, after } = stepEffect(STARS, (bm, on) => fitAll(bm, 'lines', on));
    expect(moved).toBeGreaterThan(0);
    expect(after).toBeLessThan(before);
  });

  it('a corner beside an axis-parallel line moves only along it', () => {
    // A trapezoid whose top and bottom lie on pixel edges (y = 10 and 50) and whose sides slope.
    const poly = [20.3, 10, 61.7, 10, 78.2, 50, 9.4, 50];
    const bitmap = polygonBitmap(90, 60, [poly], true);
    const before = fitAll(bitmap, 'lines', false);
    const after = fitAll(bitmap, 'lines', true);
    let checked = 0;
    after.forEach((f, c) => {
      const m = f.knots.length;
      f.knots.forEach((k, i) => {
        const into = before[c].pieces[(i - 1 + m) % m],
          out = before[c].pieces[i];
        if (k.kind !== 'corner' || into.kind !== 'line' || out.kind !== 'line') return;
        const b = before[c].knots[i];
        const horizontal = into.p0.y === into.p1.y || out.p0.y === out.p1.y;
        const vertical = into.p0.x === into.p1.x || out.p0.x === out.p1.x;
        if (horizontal) expect(k.y).toBe(b.y);
        if (vertical) expect(k.x).toBe(b.x);
        if (horizontal || vertical) checked++;
      });
    });
    expect(checked).toBeGreaterThan(0);
    expect(centresOffSide(bitmap, after)).toBeLessThanOrEqual(centresOffSide(bitmap, before));
  });

  it('leaves anti-aliased contours alone', () => {
    const { poly, canvas } = placePolygon(starPolygon(5, 0.45), 64, 19);
    const aa = polygonBitmap(canvas, canvas, [poly], false);
    expect(fitAll(aa, 'lines', true)).toEqual(fitAll(aa, 'lines', false));
  });
});
