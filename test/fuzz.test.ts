/**
 * A slice of the fuzzer (test/fuzz/harness.ts) in the normal test run: a few hundred cases over
 * every public entry point — loadBitmap (random bytes, corrupted real files, absurd headers),
 * traceImage (random small bitmaps and options), toSvg (random options), runCli (random folders
 * and flags). Each case must end in a valid result or a documented ConicfitError within 2 s, with
 * no unhandled rejection. `npm run fuzz` runs the full ≥ 10,000 cases.
 *
 * FUZZ_SEED=<n> (or "random") changes the seed; a failure prints fast-check's seed and path.
 * FUZZ_REPORT=1 prints the counts per entry point and outcome.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOWED_CODES,
  createContext,
  disposeContext,
  ENTRIES,
  ERROR_CODES,
  properties,
  show,
  type Entry,
  type FuzzContext,
} from './fuzz/harness.js';

const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 20251122);
const RUNS: Record<Entry, number> = {
  'loadBitmap:random-bytes': 100,
  'loadBitmap:corrupt-file': 160,
  'loadBitmap:absurd-header': 120,
  traceImage: 240,
  toSvg: 100,
  runCli: 80,
};

let ctx: FuzzContext;
let props: ReturnType<typeof properties>;

beforeAll(async () => {
  // The watchdog turns a hang (synchronous code that never returns) into a loud crash that names the case.
  ctx = await createContext({ boundMs: 2000, watchdogMs: 60_000 });
  props = properties(ctx);
});

afterAll(async () => {
  if (ctx) {
    if (process.env.FUZZ_REPORT) console.log(`fuzz slice (seed ${SEED}):\n${ctx.stats.format()}`);
    await disposeContext(ctx);
  }
});

describe('fuzz slice: every case ends in a valid result or a documented ConicfitError, within 2 s', () => {
  for (const entry of ENTRIES) {
    it(`${entry} (${RUNS[entry]} cases)`, async () => {
      await fc.assert(props[entry], { numRuns: RUNS[entry], seed: SEED + ENTRIES.indexOf(entry) });
      expect(ctx.stats.total(entry)).toBeGreaterThanOrEqual(RUNS[entry]);
    });
  }

  it('the generators reach both valid results and errors where both exist', () => {
    const outcomes = (e: string) => [...(ctx.stats.counts.get(e)?.keys() ?? [])];
    for (const e of ['loadBitmap:corrupt-file', 'loadBitmap:absurd-header', 'traceImage', 'toSvg'] as const) {
      expect(outcomes(e), e).toContain('result');
      expect(outcomes(e).some((o) => (ERROR_CODES as readonly string[]).includes(o)), e).toBe(true);
    }
    expect(outcomes('runCli')).toEqual(expect.arrayContaining(['exit 0', 'exit 1', 'exit 2']));
    expect(outcomes('loadBitmap:absurd-header')).toEqual(expect.arrayContaining(['TOO_MANY_PIXELS', 'TRUNCATED']));
  });

  it('no unhandled promise rejection during the run', () => {
    expect(ctx.rejections.seen.map((r) => show(r))).toEqual([]);
  });

  it('error codes allowed per entry point are documented codes', () => {
    for (const codes of [ALLOWED_CODES.loadBytes, ALLOWED_CODES.trace, ALLOWED_CODES.svg]) {
      for (const c of codes) expect(ERROR_CODES).toContain(c);
    }
  });
});
