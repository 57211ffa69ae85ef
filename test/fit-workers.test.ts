/**
 * The fit stage on worker threads (src/fit-workers.ts, docs/design.md §1.4) gives the same trace,
 * bit for bit, as `fitAll` on one thread.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitOnWorkers } from '../src/fit-workers.js';
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
});
