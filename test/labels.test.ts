/**
 * Run-length labelling (src/contours/labels.ts, docs/design.md §2.5) against the definition: a
 * flood fill (ink 8-connected, background 4-connected, border background one exterior component,
 * components numbered in raster order of their first pixel) on random bitmaps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crackSpans, interiorCrackCount, labelComponents } from '../src/contours/labels.js';
import { saddleRule, TURN_POLICIES, type TurnPolicy } from '../src/contours/saddles.js';
import { arbInkMask, bitmapFromInk } from './helpers.js';

/**
 * The definition, pixel by pixel: labels (ink ≥ 0, background −1 − id) and sizes. A diagonal step
 * across a saddle (the two pixels beside it of the other colour) is taken by the colour that
 * `joinsInk` at the shared corner picks; by default ink (8-connected) and never background.
 */
function floodLabels(
  ink: Uint8Array,
  w: number,
  h: number,
  joinsInk: (x: number, y: number) => boolean = () => true,
): { label: Int32Array; inkSizes: number[]; bgSizes: number[] } {
  const label = new Int32Array(w * h).fill(0x7fffffff);
  const inkSizes: number[] = [];
  const bgSizes: number[] = [0];
  const fill = (seed: number, value: number, isInk: boolean): number => {
    const stack = [seed];
    label[seed] = value;
    let size = 0;
    while (stack.length > 0) {
      const p = stack.pop()!;
      size++;
      const x = p % w,
        y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          if (dx === 0 && dy === 0) continue;
          const xx = x + dx,
            yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          // A diagonal step through a saddle: allowed only for the colour the rule joins there (a
          // diagonal step past a pixel of the same colour is two edge steps anyway).
          if (dx !== 0 && dy !== 0 && (ink[y * w + xx] === 1) !== isInk && (ink[yy * w + x] === 1) !== isInk) {
            if (joinsInk(Math.max(x, xx), Math.max(y, yy)) !== isInk) continue;
          }
          const q = yy * w + xx;
          if (label[q] !== 0x7fffffff || (ink[q] === 1) !== isInk) continue;
          label[q] = value;
          stack.push(q);
        }
    }
    return size;
  };
  for (let p = 0; p < w * h; p++) {
    const x = p % w,
      y = (p - x) / w;
    if ((x === 0 || y === 0 || x === w - 1 || y === h - 1) && ink[p] === 0 && label[p] === 0x7fffffff) bgSizes[0] += fill(p, -1, false);
  }
  for (let p = 0; p < w * h; p++) {
    if (label[p] !== 0x7fffffff) continue;
    if (ink[p] === 1) inkSizes.push(fill(p, inkSizes.length, true));
    else bgSizes.push(fill(p, -1 - bgSizes.length, false));
  }
  return { label, inkSizes, bgSizes };
}

describe('labelComponents', () => {
  it('property: the labels and sizes of a flood fill, on random bitmaps, for every turn policy (the default: ink joins)', () => {
    fc.assert(
      fc.property(arbInkMask(14), fc.constantFrom<TurnPolicy | 'default'>('default', ...TURN_POLICIES), ({ w, h, ink }, policy) => {
        const bitmap = bitmapFromInk(w, h, ink);
        if (policy === 'default') return check(labelComponents(bitmap), floodLabels(ink, w, h), w, h);
        const joinsInk = saddleRule(bitmap, policy);
        check(labelComponents(bitmap, joinsInk), floodLabels(ink, w, h, joinsInk), w, h);
      }),
      { numRuns: 600, seed: 15 },
    );
  });

  it('property: the same with the mask at any byte offset (the run scan reads aligned words only; docs/design.md §18.33)', () => {
    fc.assert(
      fc.property(arbInkMask(14), fc.integer({ min: 0, max: 3 }), ({ w, h, ink }, offset) => {
        const shifted = new Uint8Array(ink.length + offset);
        shifted.set(ink, offset);
        check(labelComponents(bitmapFromInk(w, h, shifted.subarray(offset))), floodLabels(ink, w, h), w, h);
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});

describe('crackSpans, interiorCrackCount', () => {
  it('property: the spans are exactly the horizontal cracks in raster order; the count is every pair of 4-neighbours that differ', () => {
    fc.assert(
      fc.property(arbInkMask(14), ({ w, h, ink }) => {
        const at = (x: number, y: number) => (y >= 0 && y < h ? ink[y * w + x] : 0);
        const want: number[] = [];
        for (let y = 0; y <= h; y++) for (let x = 0; x < w; x++) if (at(x, y - 1) !== at(x, y)) want.push(y, x);
        const labels = labelComponents(bitmapFromInk(w, h, ink));
        const cracks = crackSpans(labels.runs, ink, w, h);
        const got: number[] = [];
        for (let s = 0; s < cracks.count; s++) {
          const [y, x0, x1] = cracks.spans.subarray(3 * s, 3 * s + 3);
          expect(x1).toBeGreaterThan(x0);
          for (let x = x0; x < x1; x++) got.push(y, x);
        }
        expect(got).toEqual(want);
        let pairs = 0;
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            if (x + 1 < w && ink[y * w + x] !== ink[y * w + x + 1]) pairs++;
            if (y + 1 < h && ink[y * w + x] !== ink[(y + 1) * w + x]) pairs++;
          }
        expect(interiorCrackCount(labels.runs, cracks, h)).toBe(pairs);
      }),
      { numRuns: 400, seed: 17 },
    );
  });
});

/** The labelling agrees with the flood fill pixel by pixel, and in the sizes. */
function check(got: ReturnType<typeof labelComponents>, want: ReturnType<typeof floodLabels>, w: number, h: number): void {
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(got.labelAt(x, y)).toBe(want.label[y * w + x]);
  expect([...got.inkSizes]).toEqual(want.inkSizes);
  expect([...got.backgroundSizes]).toEqual(want.bgSizes);
  expect(got.exteriorLabel).toBe(0);
}
