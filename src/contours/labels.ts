/**
 * Contours, part 1 (docs/design.md §2.5): component labelling.
 *
 * Reads a `Bitmap`'s ink mask. Produces a label per pixel — ink components 8-connected,
 * background components 4-connected (the pairing that keeps every boundary a simple closed
 * walk), the background touching the border being one exterior component — with each
 * component's pixel count. Why: the hierarchy (which hole is in which outer boundary) and the
 * speckle filter (index.ts) are read off these labels.
 */
import type { Bitmap } from '../types.js';

export interface Labels {
  /** Per pixel: ink label (≥ 0) for ink pixels, or −1 − background label for background. */
  label: Int32Array;
  inkCount: number;
  backgroundCount: number;
  inkSizes: Int32Array;
  backgroundSizes: Int32Array;
  exteriorLabel: number;
}

export function labelComponents(bitmap: Bitmap): Labels {
  const { width: w, height: h, ink } = bitmap;
  const n = w * h;
  const label = new Int32Array(n).fill(0x7fffffff); // unvisited
  const stack = new Int32Array(n);
  const inkSizes: number[] = [];
  const backgroundSizes: number[] = [];

  const fill = (seed: number, value: number, isInk: boolean): number => {
    let top = 0;
    let size = 0;
    stack[top++] = seed;
    label[seed] = value;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const x = p % w;
      const y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          if (dx === 0 && dy === 0) continue;
          if (!isInk && dx !== 0 && dy !== 0) continue; // background is 4-connected
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (label[q] !== 0x7fffffff || (ink[q] === 1) !== isInk) continue;
          label[q] = value;
          stack[top++] = q;
        }
      }
    }
    return size;
  };

  // Exterior background first: every background pixel on the border.
  const exteriorLabel = 0;
  backgroundSizes.push(0);
  for (let p = 0; p < n; p++) {
    const x = p % w;
    const y = (p - x) / w;
    const onBorder = x === 0 || y === 0 || x === w - 1 || y === h - 1;
    if (onBorder && ink[p] === 0 && label[p] === 0x7fffffff) {
      backgroundSizes[0] += fill(p, -1 - exteriorLabel, false);
    }
    if (!onBorder && x === 1) p += w - 3; // jump to the right border of this row
  }
  for (let p = 0; p < n; p++) {
    if (label[p] !== 0x7fffffff) continue;
    if (ink[p] === 1) {
      const id = inkSizes.length;
      inkSizes.push(fill(p, id, true));
    } else {
      const id = backgroundSizes.length;
      backgroundSizes.push(fill(p, -1 - id, false));
    }
  }
  return {
    label,
    inkCount: inkSizes.length,
    backgroundCount: backgroundSizes.length,
    inkSizes: Int32Array.from(inkSizes),
    backgroundSizes: Int32Array.from(backgroundSizes),
    exteriorLabel,
  };
}
