/**
 * Fitting benchmark (issue 4): the Arabic word "Lillah" (the paper's test image) rendered so that
 * its main contour has about 1,700 points — the size M. Sarfraz (2012) reports 48 s for — fitted
 * in conic mode with annealing and intermediate points. Linear mode on the same contour is the
 * peer: timings on a shared 2-core machine are noisy, so the ratio is the figure to compare.
 * Run: npx tsx bench/fit.ts
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Resvg } from '@resvg/resvg-js';
import { detectCorners, extractContours, fitConic, fitLinear, loadBitmap } from '../src/node.js';

const svg = fs.readFileSync(new URL('../samples/truth/lillah-600-aa.svg', import.meta.url), 'utf8');
const width = Number(/width="([\d.]+)"/.exec(svg)?.[1] ?? 0);
const scale = 1700 / 2029; // the 600 px render's main contour has 2,029 points
const png = new Resvg(svg, { fitTo: { mode: 'width', value: Math.round(width * scale) }, background: 'white' }).render().asPng();
const bitmap = await loadBitmap(png);
const contour = extractContours(bitmap).reduce((a, b) => (b.points.length > a.points.length ? b : a));
const corners = detectCorners(contour);

function median(f: () => void, runs = 9): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

fitConic(contour, corners); // warm-up (JIT)
const conic = fitConic(contour, corners);
const linear = fitLinear(contour, corners);
const tConic = median(() => fitConic(contour, corners));
const tLinear = median(() => fitLinear(contour, corners));
const tCorners = median(() => detectCorners(contour));
console.log(`contour: ${contour.points.length / 2} points, ${corners.length} corners (corner detection ${tCorners.toFixed(1)} ms)`);
console.log(
  `conic : ${conic.report.intervals} intervals (${conic.report.intermediatePoints} intermediate), max deviation ${conic.report.maxDeviation.toFixed(3)} px — median ${tConic.toFixed(1)} ms over 9 runs`,
);
console.log(
  `linear: ${linear.report.intervals} intervals (${linear.report.intermediatePoints} intermediate), max deviation ${linear.report.maxDeviation.toFixed(3)} px — median ${tLinear.toFixed(1)} ms over 9 runs`,
);
console.log(`conic / linear time: ${(tConic / tLinear).toFixed(1)}×; paper (Sarfraz 2012): 48 s for a 1,700-point contour`);
