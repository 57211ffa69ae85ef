/**
 * The fit stage on worker threads (src/fit-workers.ts, docs/design.md §1.4) gives the same trace,
 * bit for bit, as `fitAll` on one thread.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitOnWorkers, workerStages } from '../src/fit-workers.js';
import { loadBitmap } from '../src/load/decode-node.js';
import { toJson } from '../src/output/json.js';
import { toSvg } from '../src/output/svg.js';
import { fitAll, traceWith, type FitStage } from '../src/trace.js';

const ROOT = resolve(import.meta.dirname, '..');

describe('fitOnWorkers', () => {
  it('fits on 3 threads exactly as fitAll does on one (conic and linear)', async () => {
    const png = readFileSync(join(ROOT, 'samples', 'lillah-600-aa.png'));
    const onWorkers: FitStage = (mode, contours, corners, options, onFitted) => fitOnWorkers(mode, contours, corners, options, onFitted, 0, 3);
    for (const mode of ['conic', 'linear'] as const) {
      const progress: number[] = [];
      const one = await traceWith((o) => loadBitmap(png, o), { mode }, fitAll);
      const three = await traceWith((o) => loadBitmap(png, o), { mode, onProgress: (stage, done) => stage === 'fit' && progress.push(done) }, onWorkers);
      expect(three.contours.length).toBeGreaterThan(1);
      expect(toJson(three)).toBe(toJson(one));
      expect(toSvg(three)).toBe(toSvg(one));
      expect(progress.at(-1)).toBe(three.contours.length);
    }
  });

  it('gives the same trace with many small batches, each contour fitted and counted once', async () => {
    // 60 blobs of different sizes: with batches of one point minimum, the guided batches shrink to
    // single contours, the workers hold queued batches and this thread yields between contours;
    // the corner stage (which starts the worker) runs on this thread.
    const width = 240,
      height = 200;
    const data = new Uint8Array(width * height).fill(255);
    for (let b = 0; b < 60; b++) {
      const cx = 12 + (b % 10) * 22,
        cy = 14 + Math.floor(b / 10) * 31,
        r = 2 + ((b * 7) % 9);
      for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + 1.6 * (y - cy) ** 2 <= r * r) data[y * width + x] = 0;
    }
    const raw = { width, height, data, channels: 1 as const };
    const progress: number[] = [];
    const one = await traceWith((o) => loadBitmap(raw, o), { mode: 'conic' }, fitAll);
    const stages = workerStages(0, 2, 1);
    const options = { mode: 'conic', onProgress: (stage: string, done: number) => stage === 'fit' && done > 0 && progress.push(done) } as const;
    const two = await traceWith((o) => loadBitmap(raw, o), options, stages.fit, stages.corners).finally(() => stages.close());
    expect(two.contours.length).toBeGreaterThanOrEqual(50);
    expect(two.corners).toEqual(one.corners);
    expect(two.corners.some((c) => c.length > 0)).toBe(true);
    expect(progress).toEqual(two.contours.map((_, i) => i + 1));
    expect(toJson(two)).toBe(toJson(one));
  });
});
