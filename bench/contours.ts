/**
 * Contour-extraction benchmark (issue 2): a 2048×2048 bitmap with thousands of shapes —
 * discs, rings (with holes) and squares with islands — from a seeded PRNG.
 * Run: npx tsx bench/contours.ts
 */
import { performance } from 'node:perf_hooks';
import { extractContours } from '../src/contours/index.js';
import type { Bitmap } from '../src/types.js';

function makeBitmap(size: number, seed: number): Bitmap {
  let s = seed >>> 0;
  const rand = () => ((s = (s + 0x6d2b79f5) >>> 0), (((s ^ (s >>> 15)) * (1 | s)) >>> 0) / 4294967296);
  const ink = new Uint8Array(size * size);
  const coverage = new Float32Array(size * size);
  const cell = 32; // one shape per 32×32 cell: 4096 cells
  for (let cy = 0; cy < size; cy += cell) {
    for (let cx = 0; cx < size; cx += cell) {
      const kind = Math.floor(rand() * 3);
      const r = 6 + rand() * 9;
      const ox = cx + cell / 2 + (rand() - 0.5) * 4,
        oy = cy + cell / 2 + (rand() - 0.5) * 4;
      for (let y = cy; y < cy + cell; y++) {
        for (let x = cx; x < cx + cell; x++) {
          const d = Math.hypot(x + 0.5 - ox, y + 0.5 - oy);
          const inside =
            kind === 0
              ? d <= r
              : kind === 1
                ? d <= r && d >= r * 0.5
                : Math.max(Math.abs(x + 0.5 - ox), Math.abs(y + 0.5 - oy)) <= r &&
                  (Math.max(Math.abs(x + 0.5 - ox), Math.abs(y + 0.5 - oy)) >= r * 0.6 || d <= r * 0.3);
          if (inside) ink[y * size + x] = 1;
        }
      }
    }
  }
  for (let i = 0; i < ink.length; i++) coverage[i] = ink[i];
  return { width: size, height: size, ink, coverage, threshold: 128, grey: false };
}

const bitmap = makeBitmap(2048, 7);
const times: number[] = [];
let count = 0,
  points = 0;
for (let run = 0; run < 5; run++) {
  const t0 = performance.now();
  const contours = extractContours(bitmap, { minArea: 0 });
  times.push(performance.now() - t0);
  count = contours.length;
  points = contours.reduce((s, c) => s + c.points.length / 2, 0);
}
times.sort((a, b) => a - b);
console.log(
  `2048×2048, ${count} contours, ${points} boundary points: median ${times[2].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[4].toFixed(1)}) over 5 runs`,
);
