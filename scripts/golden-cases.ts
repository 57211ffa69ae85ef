/**
 * Writes the bench cases that the golden-output test traces (test/golden.test.ts) as PNG files
 * under test/golden/cases/, so the test depends neither on bench/ nor on the renderer's version.
 * The set is fixed by rule: every GOLDEN_STEP-th case (7) of the full bench corpus (bench/corpus.ts),
 * starting with the first. Run once: `npx tsx scripts/golden-cases.ts`.
 * The committed files were written from the corpus as resvg rendered it, before the exact-coverage
 * corpus (docs/design.md §18.40): running this now writes different pixels (all 18 files) and so
 * changes those inputs' golden hashes; do it only in a commit that means to.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCorpus } from '../bench/corpus.js';

const GOLDEN_STEP = 7; // coprime with the 4 renderings of a shape, so all four occur
const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/golden/cases');

mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT)) if (f.endsWith('.png')) rmSync(path.join(OUT, f));
const { cases } = buildCorpus();
for (let i = 0; i < cases.length; i += GOLDEN_STEP) {
  writeFileSync(path.join(OUT, `${cases[i].id}.png`), cases[i].png);
  console.log(cases[i].id);
}
