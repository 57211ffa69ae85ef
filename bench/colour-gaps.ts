/**
 * Gap diagnostic for bench/colour.ts (issue 16): per scene and rendering, conicfit's trace drawn at
 * 8 × with every gap pixel (bench/colour-scenes.ts `measureSvg`: wholly inside the shapes' union,
 * under 50 % covered by the traced regions) outlined in magenta and the truth outline in black.
 *
 *   npx tsx bench/colour-gaps.ts OUT_DIR [--quick]   # writes OUT_DIR/<scene>-<rendering>.png for scenes with gaps
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { Jimp } from 'jimp';
import { traceRgba } from '../src/colour/index.js';
import { colourToSvg } from '../src/colour/svg.js';
import { buildScenes, gapMask } from './colour-scenes.js';

const Z = 8;
const out = process.argv[2];
if (!out || out.startsWith('--')) throw new Error('usage: npx tsx bench/colour-gaps.ts OUT_DIR [--quick]');
mkdirSync(out, { recursive: true });
for (const scene of buildScenes(process.argv.includes('--quick'))) {
  for (const rendering of ['aa', 'bilevel'] as const) {
    const rgba = rendering === 'aa' ? scene.aa : scene.bilevel;
    const svg = colourToSvg(traceRgba(scene.width, scene.height, rgba, { colors: scene.colours.length, seed: 1 }), { precision: 2 });
    const gaps = gapMask(svg, scene);
    const list = [...gaps.keys()].filter((i) => gaps[i]);
    process.stdout.write(`${scene.id} ${rendering}: ${list.length} gaps ${list.map((i) => `(${i % scene.width},${Math.floor(i / scene.width)})`).join(' ')}\n`);
    if (list.length === 0) continue;
    const big = new Resvg(svg, { background: 'white', fitTo: { mode: 'width', value: scene.width * Z } }).render();
    const W = big.width;
    const px = Buffer.from(big.pixels);
    const set = (x: number, y: number, c: readonly number[]) => {
      if (x < 0 || y < 0 || x >= W || y >= big.height) return;
      for (let k = 0; k < 4; k++) px[4 * (y * W + x) + k] = c[k];
    };
    for (let k = 0; k < scene.truth.length; k += 2) set(Math.floor(scene.truth[k] * Z), Math.floor(scene.truth[k + 1] * Z), [0, 0, 0, 255]);
    for (const i of list) {
      const gx = (i % scene.width) * Z,
        gy = Math.floor(i / scene.width) * Z;
      for (let t = 0; t < Z; t++) {
        set(gx + t, gy, [255, 0, 255, 255]);
        set(gx + t, gy + Z - 1, [255, 0, 255, 255]);
        set(gx, gy + t, [255, 0, 255, 255]);
        set(gx + Z - 1, gy + t, [255, 0, 255, 255]);
      }
    }
    const img = new Jimp({ width: W, height: big.height });
    img.bitmap.data.set(px);
    await img.write(path.join(out, `${scene.id}-${rendering}.png`) as `${string}.png`);
  }
}
