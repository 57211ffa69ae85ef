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
import { ALLOWED_CODES, createContext, disposeContext, ENTRIES, ERROR_CODES, properties, show, type Entry, type FuzzContext } from './fuzz/harness.js';

const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 20251122);
const RUNS: Record<Entry, number> = {
  'loadBitmap:random-bytes': 100,
  'loadBitmap:corrupt-file': 160,
  'loadBitmap:absurd-header': 120,
  traceImage: 240,
  toSvg: 100,
  runCli: 80,
};

/** Entries whose generators must reach both a valid result and a documented error. */
const BOTH_OUTCOMES: readonly Entry[] = ['loadBitmap:corrupt-file', 'loadBitmap:absurd-header', 'traceImage', 'toSvg'];

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
    const late = ctx.rejections.seen.map((r) => show(r));
    await disposeContext(ctx);
    // A rejection that surfaced after the last case fails the file too.
    expect(late).toEqual([]);
  }
});

describe('fuzz slice: every case ends in a valid result or a documented ConicfitError, within 2 s', () => {
  for (const entry of ENTRIES) {
    // Each entry's test checks its own run (the counts are per entry), so it holds alone or in any order.
    it(`${entry} (${RUNS[entry]} cases): reaches valid results and errors where both exist; no unhandled rejection`, async () => {
      await fc.assert(props[entry], { numRuns: RUNS[entry], seed: SEED + ENTRIES.indexOf(entry) });
      expect(ctx.stats.total(entry)).toBeGreaterThanOrEqual(RUNS[entry]);
      const outcomes = [...(ctx.stats.counts.get(entry)?.keys() ?? [])];
      if (BOTH_OUTCOMES.includes(entry)) {
        expect(outcomes, entry).toContain('result');
        expect(
          outcomes.some((o) => (ERROR_CODES as readonly string[]).includes(o)),
          entry,
        ).toBe(true);
      }
      if (entry === 'runCli') expect(outcomes).toEqual(expect.arrayContaining(['exit 0', 'exit 1', 'exit 2']));
      if (entry === 'loadBitmap:absurd-header') expect(outcomes).toEqual(expect.arrayContaining(['TOO_MANY_PIXELS', 'TRUNCATED']));
      // Let late rejections surface, then none may have been seen.
      await new Promise((r) => setImmediate(r));
      expect(ctx.rejections.seen.map((r) => show(r))).toEqual([]);
    });
  }

  it('error codes allowed per entry point are documented codes', () => {
    for (const codes of [ALLOWED_CODES.loadBytes, ALLOWED_CODES.trace, ALLOWED_CODES.svg]) {
      for (const c of codes) expect(ERROR_CODES).toContain(c);
    }
  });
});
