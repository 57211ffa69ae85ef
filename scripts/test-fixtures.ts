/**
 * Writes the bench cases that tests read by name (FIXTURES) as PNG files under test/fixtures/, so
 * the tests depend neither on bench/ nor on the corpus's renderer. Run once:
 * `npx tsx scripts/test-fixtures.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCorpus } from '../bench/corpus.js';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures');
/** test/real-input.test.ts: thin strokes that a coarse linear fit drops (INK_MISSED, docs/design.md §7.4). */
const FIXTURES = ['icon-365datascience-64-aa'];

mkdirSync(OUT, { recursive: true });
for (const c of buildCorpus().cases) {
  if (!FIXTURES.includes(c.id)) continue;
  writeFileSync(path.join(OUT, `${c.id}.png`), c.png);
  console.log(c.id);
}
