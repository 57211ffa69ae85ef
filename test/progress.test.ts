/**
 * TraceOptions.onProgress (docs/design.md §8.2): called per stage and per fitted contour, and
 * observing only — the trace is the same with or without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toJson, toSvg, traceImage } from '../src/node.js';

const SAMPLE = readFileSync(join(import.meta.dirname, '..', 'samples', 'baskerville-ampersand-64-aa.png'));

describe('traceImage onProgress', () => {
  it('reports each stage start and end, and each fitted contour, in order; the output is unchanged', async () => {
    for (const mode of ['conic', 'linear'] as const) {
      const calls: [string, number, number][] = [];
      const watched = await traceImage(SAMPLE, { mode, onProgress: (stage, done, total) => calls.push([stage, done, total]) });
      const plain = await traceImage(SAMPLE, { mode });
      expect(toJson(watched)).toBe(toJson(plain));
      expect(toSvg(watched)).toBe(toSvg(plain));
      const n = plain.fits.length;
      expect(n).toBeGreaterThan(1);
      const stage = (s: string): [string, number, number][] => [
        [s, 0, 1],
        [s, 1, 1],
      ];
      expect(calls).toEqual([
        ...stage('load'),
        ...stage('contours'),
        ...stage('corners'),
        ['fit', 0, n],
        ...Array.from({ length: n }, (_, i): [string, number, number] => ['fit', i + 1, n]),
        ...stage('raster'),
        ...stage('report'),
      ]);
    }
  });

  it('skips the raster stage when raster is off', async () => {
    const stages = new Set<string>();
    await traceImage(SAMPLE, { raster: false, onProgress: (s) => stages.add(s) });
    expect([...stages]).toEqual(['load', 'contours', 'corners', 'fit', 'report']);
  });

  it('must be a function (BAD_OPTION, before any work), and an exception it throws rejects the trace', async () => {
    const calls: string[] = [];
    await expect(traceImage(SAMPLE, { onProgress: 'yes' as unknown as () => void })).rejects.toMatchObject({
      code: 'BAD_OPTION',
      message: /onProgress must be a function/,
    });
    await expect(
      traceImage(SAMPLE, {
        onProgress: (s) => {
          calls.push(s);
          if (s === 'fit') throw new Error('stop');
        },
      }),
    ).rejects.toThrow('stop');
    expect(calls).toEqual(['load', 'load', 'contours', 'contours', 'corners', 'corners', 'fit']);
  });
});
