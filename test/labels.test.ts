/**
 * Run-length labelling (src/contours/labels.ts, docs/design.md §2.5) against the definition: a
 * flood fill (ink 8-connected, background 4-connected, border background one exterior component,
 * components numbered in raster order of their first pixel) on random bitmaps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelComponents } from '../src/contours/labels.js';
import { bitmapFromInk } from './helpers.js';

/** The definition, pixel by pixel: labels (ink ≥ 0, background −1 − id) and sizes. */
function floodLabels(ink: Uint8Array, w: number, h: number): { label: Int32Array; inkSizes: number[]; bgSizes: number[] } {
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
          if ((dx === 0 && dy === 0) || (!isInk && dx !== 0 && dy !== 0)) continue;
          const xx = x + dx,
            yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
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
  it('property: the labels and sizes of a flood fill, on random bitmaps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 14 }),
        fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 196, maxLength: 196 }),
        fc.integer({ min: 10, max: 90 }),
        (w, h, noise, density) => {
          const ink = Uint8Array.from({ length: w * h }, (_, i) => (noise[i] < density ? 1 : 0));
          const got = labelComponents(bitmapFromInk(w, h, ink));
          const want = floodLabels(ink, w, h);
          for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(got.labelAt(x, y)).toBe(want.label[y * w + x]);
          expect([...got.inkSizes]).toEqual(want.inkSizes);
          expect([...got.backgroundSizes]).toEqual(want.bgSizes);
          expect(got.exteriorLabel).toBe(0);
        },
      ),
      { numRuns: 300, seed: 15 },
    );
  });
});
