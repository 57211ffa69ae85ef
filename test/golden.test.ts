/**
 * Golden outputs: sha256 of `toJson` and `toSvg` for every bundled sample and a fixed set of bench
 * cases (test/golden/cases/, written by scripts/golden-cases.ts), in both modes with default
 * options. Any difference fails, and the new hashes are written to test/golden-changed.json beside
 * test/golden.json for review. An output change is deliberate: regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts` and say in the commit what changed and by
 * how much.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toJson, toSvg, traceImage, type FitMode } from '../src/node.js';
import { checkTraceResult } from './invariants.js';

const ROOT = resolve(import.meta.dirname, '..');
const GOLDEN = join(ROOT, 'test/golden.json');
const CHANGED = join(ROOT, 'test/golden-changed.json');
const MODES: FitMode[] = ['conic', 'linear'];

interface Entry {
  json: string;
  svg: string;
  /** Conic only: one command per arc (exact A), cubic ellipses, every figure layer. */
  svgVariants?: string;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function inputs(): { name: string; file: string }[] {
  const pngs = (dir: string) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f) => ({ name: `${dir}/${f}`, file: join(ROOT, dir, f) }));
  return [...pngs('samples'), ...pngs('test/golden/cases')];
}

describe('golden outputs (test/golden.json)', () => {
  it('every sample and golden bench case gives the recorded toJson and toSvg, in both modes', async () => {
    const actual: Record<string, Entry> = {};
    for (const { name, file } of inputs()) {
      const bytes = readFileSync(file);
      for (const mode of MODES) {
        const result = await traceImage(bytes, { mode });
        checkTraceResult(result);
        const entry: Entry = { json: sha(toJson(result)), svg: sha(toSvg(result)) };
        if (mode === 'conic') {
          const layers = { source: true, corners: true, intermediate: true, knots: true };
          entry.svgVariants = sha(toSvg(result, { joinArcs: false, layers }) + toSvg(result, { ellipse: 'cubic', joinArcs: false }));
        }
        actual[`${name} ${mode}`] = entry;
      }
    }
    const text = JSON.stringify(actual, null, 2) + '\n';
    if (process.env.UPDATE_GOLDEN) {
      writeFileSync(GOLDEN, text);
      if (existsSync(CHANGED)) rmSync(CHANGED);
    }
    const expected = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Entry>;
    const differing = Object.keys({ ...expected, ...actual }).filter((k) => JSON.stringify(expected[k]) !== JSON.stringify(actual[k]));
    if (differing.length > 0) writeFileSync(CHANGED, text);
    else if (existsSync(CHANGED)) rmSync(CHANGED);
    expect(differing, `outputs differ from test/golden.json; new hashes in test/golden-changed.json`).toEqual([]);
    expect(Object.keys(actual).length).toBeGreaterThanOrEqual(2 * 60);
  });
});
