/**
 * The main job on the bundled samples: loads every sample in samples/ and prints its contours
 * and their point counts. (Grows into the full linear-vs-conic report with the fitting stage.)
 * Run: npm run report
 */
import fs from 'node:fs';
import path from 'node:path';
import { extractContoursWithStats, loadBitmap } from '../src/index.js';

const dir = path.resolve('samples');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
for (const f of files) {
  const bitmap = await loadBitmap(path.join(dir, f));
  const { contours, stats } = extractContoursWithStats(bitmap);
  const list = contours.map((c) => `${c.hole ? 'hole' : 'outer'}:${c.points.length / 2}`).join(' ');
  console.log(`${f} ${bitmap.width}×${bitmap.height}: ${contours.length} contours (${stats.removedContours} specks removed) — ${list}`);
}
