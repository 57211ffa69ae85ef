/**
 * `npm run fuzz` — the full fuzz run (≥ 10,000 cases) over every entry point of the harness.
 *
 *   tsx test/fuzz/run.ts [--cases 10000] [--seed 20251122] [--case-ms 2000] [--hang-ms 30000] [--only traceImage,toSvg]
 *
 * Runs each entry point's property for its share of the cases in "keep going" mode: a property
 * failure is counted by class (with its first case printed in full) instead of stopping the run,
 * so one known bug does not hide the rest. `--strict` stops at the first failure of each chunk and
 * lets fast-check shrink it instead. Prints the counts per entry point and outcome, the slowest
 * case, and the failure classes; exits 1 if any property failed. A watchdog thread kills the
 * process, printing the case, if one case hangs for `--hang-ms`.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { createContext, disposeContext, ENTRIES, KNOWN_ISSUES, properties, type Entry } from './harness.js';

/** Share of the cases per entry point (CLI cases are the slowest: real files, several traces). */
const SHARE: Record<Entry, number> = {
  'loadBitmap:random-bytes': 0.15,
  'loadBitmap:corrupt-file': 0.25,
  'loadBitmap:absurd-header': 0.15,
  traceImage: 0.25,
  toSvg: 0.15,
  runCli: 0.05,
};
const CHUNK = 500;

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20251122' },
    'case-ms': { type: 'string', default: '2000' },
    'hang-ms': { type: 'string', default: '30000' },
    only: { type: 'string' },
    strict: { type: 'boolean', default: false },
  },
});
const total = Number(values.cases);
const seed = values.seed === 'random' ? Date.now() % 2 ** 31 : Number(values.seed);
const only = values.only ? (values.only.split(',') as Entry[]) : [...ENTRIES];

const t0 = performance.now();
const ctx = await createContext({
  boundMs: Number(values['case-ms']),
  watchdogMs: Number(values['hang-ms']),
  keepGoing: !values.strict,
});
const props = properties(ctx);
const failures: string[] = [];
console.log(`conicfit fuzz: ${total} cases, seed ${seed}, bound ${ctx.boundMs} ms per case, entry points: ${only.join(', ')}`);

for (const entry of only) {
  const share = SHARE[entry] / only.reduce((s, e) => s + SHARE[e], 0);
  let left = Math.round(total * share);
  let chunk = 0;
  const te = performance.now();
  while (left > 0) {
    const numRuns = Math.min(CHUNK, left);
    const runSeed = seed + 1000 * ENTRIES.indexOf(entry) + chunk++;
    const res = await fc.check(props[entry], { numRuns, seed: runSeed });
    left -= res.failed ? Math.max(1, res.numRuns) : numRuns;
    if (res.failed) {
      const msg = fc.defaultReportMessage(res) ?? String(res.errorInstance);
      failures.push(`${entry} (seed ${runSeed}):\n${msg}`);
      console.log(`  ${entry}: FAILURE (seed ${runSeed}) — ${String((res.errorInstance as Error)?.message ?? res.errorInstance).slice(0, 300)}`);
    }
  }
  console.log(`  ${entry}: ${ctx.stats.total(entry)} cases in ${((performance.now() - te) / 1000).toFixed(1)} s`);
}

console.log('\n' + ctx.stats.format());
console.log(`\nwall time ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await disposeContext(ctx);
for (const f of ctx.failures?.values() ?? []) {
  failures.push(`${f.entry}: ${f.count} case(s) — ${f.kind}\n  first: ${f.message.slice(0, 600)}\n  case: ${f.case.slice(0, 3000)}`);
}
const known = [...ctx.stats.counts.entries()].filter(([e]) => e.endsWith('(known issues)'));
if (known.length > 0) {
  console.log(`\nknown issues (KNOWN_ISSUES in test/fuzz/harness.ts; counted, not failed):`);
  for (const issue of KNOWN_ISSUES) console.log(`  - ${issue.entry}: ${issue.repro}`);
}
if (failures.length > 0) {
  console.log(`\n${failures.length} property failure(s):\n`);
  for (const f of failures) console.log(f + '\n');
  process.exitCode = 1;
} else {
  console.log('no failures');
}
