/**
 * Flat tone levels besides paper and ink (docs/design.md §2.6 item 9, §7.4 `TONE_LEVELS`): a
 * grey image with fills at other levels says so, and its noise is not read from those fills;
 * anti-aliased and blurred edges, even-width strokes blurred into grey and faint blurred lines
 * are not tone levels.
 */
import { describe, expect, it } from 'vitest';
import { degrade } from '../scripts/degrade.js';
import { assessTrace, fromJson, loadBitmap, REPORT_DEFAULTS, toJson, traceImage } from '../src/node.js';
import { bitmapFromShape } from './helpers.js';

/** 16 × 16 supersampled coverage of a shape, as scripts/degrade.ts takes it. */
const strokeCoverage = (width: number, height: number, inside: (x: number, y: number) => boolean) =>
  Float64Array.from(bitmapFromShape(width, height, inside).coverage);

/** A grey image (1 byte per pixel) filled with `paper`, then each rectangle [x, y, w, h, level] in order. */
function greyImage(width: number, height: number, paper: number, rects: [number, number, number, number, number][]) {
  const data = new Uint8Array(width * height).fill(paper);
  for (const [x0, y0, w, h, level] of rects) for (let y = y0; y < y0 + h; y++) data.fill(level, y * width + x0, y * width + x0 + w);
  return { width, height, data, channels: 1 as const };
}

describe('flat tone levels (TONE_LEVELS)', () => {
  it('fills at two grey levels between paper and ink are found, with their shares, and the trace warns', async () => {
    const image = greyImage(60, 40, 255, [
      [4, 4, 12, 30, 0],
      [22, 6, 12, 12, 128],
      [40, 6, 12, 12, 200],
    ]);
    const bitmap = await loadBitmap(image);
    const tones = bitmap.levels!.tones;
    expect(tones.map((t) => t.level)).toEqual([128, 200]);
    // A 12 × 12 fill's pixels but its 4 corners (which differ from 2 of their neighbours).
    for (const t of tones) expect(t.share).toBeCloseTo(140 / 2400, 9);
    const result = await traceImage(image);
    const warning = result.report.warnings.find((w) => w.code === 'TONE_LEVELS');
    expect(warning?.message).toMatch(/2 flat tone levels.*luminance 128 over 5\.8 %.*luminance 200 over 5\.8 %/);
  });

  it('a fill beyond the paper level is a tone level too, and the paper noise is not read from it', async () => {
    // Light ink on a dark ground with a black fill (as the 47 × 45 px arc-de-triumph clip art of
    // ../shared/realdata/multicolor): before, the black fill on the paper's far side read as noise
    // (NOISY, "the blur option helps").
    const image = greyImage(48, 48, 60, [
      [2, 2, 27, 27, 0],
      [31, 31, 15, 15, 220],
    ]);
    const result = await traceImage(image);
    const levels = result.report.levels!;
    expect([levels.paper, levels.ink, levels.inverted]).toEqual([60, 220, true]);
    expect(levels.tones.map((t) => t.level)).toEqual([0]);
    expect(levels.noise).toBeLessThan(REPORT_DEFAULTS.maxNoise);
    expect(result.report.warnings.map((w) => w.code)).toContain('TONE_LEVELS');
    expect(result.report.warnings.map((w) => w.code)).not.toContain('NOISY');
  });

  it('a small fill (under toneShare of the image) or a fill near the paper level is not a tone level', async () => {
    const small = await loadBitmap(
      greyImage(100, 100, 255, [
        [10, 10, 30, 30, 0],
        [60, 60, 6, 6, 128],
      ]),
    );
    expect(small.levels!.tones).toEqual([]);
    const nearPaper = await loadBitmap(
      greyImage(100, 100, 255, [
        [10, 10, 30, 30, 0],
        [50, 50, 30, 30, 235],
      ]),
    );
    expect(nearPaper.levels!.tones).toEqual([]);
  });

  it('anti-aliased and blurred strokes are not tone levels: even-width stems blurred into grey, a faint sloped line', async () => {
    const width = 64,
      height = 48;
    // Stems 2, 3, 4 and 6 px wide on the pixel grid (the middle two columns of an even-width stem
    // blurred are equal and flat), a 0.7 px line at 30°, a bar at 10°.
    const stems = [4, 12, 21, 31].map((x, k) => [x, [2, 3, 4, 6][k]] as const);
    const t = Math.tan(Math.PI / 6);
    const inside = (x: number, y: number) =>
      (y > 4 && y < 28 && stems.some(([x0, w]) => x >= x0 && x < x0 + w)) ||
      (x > 40 && x < 62 && Math.abs(y - (6 + (x - 40) * t)) * Math.cos(Math.PI / 6) < 0.35) ||
      (x > 4 && x < 60 && Math.abs(y - (36 + (x - 4) * 0.176)) < 2.5);
    const coverage = strokeCoverage(width, height, inside);
    for (const condition of ['clean', 'blur-0.5', 'blur-1', 'blur-1.5', 'blur-2', 'uneven-light', 'white-on-dark', 'grey-ink'] as const) {
      const bitmap = await loadBitmap(await degrade(coverage, width, height, condition));
      expect(bitmap.levels!.tones, condition).toEqual([]);
    }
    // A 1 px line at 45° blurred by σ = 2 px: its faint ridge matches its four nearest neighbours
    // (0.8 % of the image at one level), never all eight.
    const diagonal = strokeCoverage(64, 64, (x, y) => (x > 4 && x < 40 && Math.abs(y - x) * Math.SQRT1_2 < 0.5) || (x > 2 && x < 20 && y > 40 && y < 60));
    expect((await loadBitmap(await degrade(diagonal, 64, 64, 'blur-2'))).levels!.tones).toEqual([]);
  });

  it('a continuum is not a tone level: a ramp, a vignette left after flattening, the near side of two close fills', async () => {
    // A horizontal ramp 0..255 (before: 17 "levels", 2 % each).
    const ramp = new Uint8Array(200 * 200);
    for (let i = 0; i < ramp.length; i++) ramp[i] = Math.round(((i % 200) * 255) / 199);
    expect((await loadBitmap({ width: 200, height: 200, data: ramp, channels: 1 })).levels!.tones).toEqual([]);
    // Black bars under light falling off to 55 % at the corners: flattening leaves a smooth residue
    // just past the tone range's edge (before: a tone at paper − 0.16 of the contrast).
    const w = 320,
      h = 320,
      lit = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const ink = (x % 80 >= 20 && x % 80 < 44 && y > 20 && y < 300) || (y > 150 && y < 170);
        lit[y * w + x] = Math.round((ink ? 0 : 255) * (1 - 0.45 * 2 * ((x / w - 0.5) ** 2 + (y / h - 0.5) ** 2)));
      }
    const vignette = await loadBitmap({ width: w, height: h, data: lit, channels: 1 });
    expect(vignette.levels!.flattened).toBe(true);
    expect(vignette.levels!.tones).toEqual([]);
    // An H of 72 px under a radial fall-off to 50 % (flat beyond the radius, as ImageMagick's
    // radial-gradient): the residue peaks at the tone range's edge, judged against the levels past it
    // (before: a tone at 183, 2.2 %).
    const small = new Uint8Array(72 * 72);
    for (let y = 0; y < 72; y++)
      for (let x = 0; x < 72; x++) {
        const ink = ((x >= 16 && x < 28) || (x >= 44 && x < 56)) && y > 8 && y < 64 ? true : y >= 30 && y < 40 && x > 16 && x < 56;
        small[y * 72 + x] = Math.round((ink ? 0 : 255) * Math.max(0.5, 1 - (0.5 * Math.hypot(x + 0.5 - 36, y + 0.5 - 36)) / 36));
      }
    const radial = await loadBitmap({ width: 72, height: 72, data: small, channels: 1 });
    expect(radial.levels!.flattened).toBe(true);
    expect(radial.levels!.tones).toEqual([]);
    // Fills at 120 and 124: one tone, counted once (before: 120 at 7.8 % and 122 at 18.1 %).
    const close = await loadBitmap(
      greyImage(200, 200, 255, [
        [20, 20, 41, 161, 0],
        [80, 20, 51, 61, 120],
        [80, 100, 51, 81, 124],
      ]),
    );
    expect(close.levels!.tones.map((t) => t.level)).toEqual([122]);
    expect(close.levels!.tones[0].share).toBeCloseTo((51 * 61 - 4 + 51 * 81 - 4) / 40000, 9);
  });

  it('a large light fill is a tone at its own level, not uneven light flattened away', async () => {
    // A 101 × 101 fill at 205 (25 % of the image): before, the blocks read it as paper in dimmer
    // light, flattened it to ~255 and reported a level no pixel has (214, 2.5 %).
    const bitmap = await loadBitmap(
      greyImage(200, 200, 255, [
        [20, 20, 41, 161, 0],
        [80, 20, 101, 101, 205],
      ]),
    );
    expect(bitmap.levels!.flattened).toBe(false);
    expect(bitmap.levels!.tones.map((t) => t.level)).toEqual([205]);
    expect(bitmap.levels!.tones[0].share).toBeCloseTo((101 * 101 - 4) / 40000, 9);
  });

  it('AREA_MISMATCH blames the tones only when a tone lies between paper and ink on the side that explains it', async () => {
    const result = await traceImage(greyImage(60, 40, 255, [[4, 4, 30, 30, 0]]));
    const report = structuredClone(result.report);
    const stats = { removedContours: 0, removedPixels: 0, edgeBlur: 0 };
    const area = (tones: number[], share: number) => {
      report.levels!.tones = tones.map((level) => ({ level, share: 0.1 }));
      report.raster!.fitArea = share * report.raster!.inkArea;
      return assessTrace(report, result.contours, stats).find((w) => w.code === 'AREA_MISMATCH')!.message;
    };
    expect(area([200], 0.8)).toMatch(/nearer the paper than the ink are dropped \(TONE_LEVELS\)/);
    expect(area([60], 1.2)).toMatch(/nearer the ink than the paper count as full ink \(TONE_LEVELS\)/);
    // A tone beyond the paper (as contacts-021-contact-list's white on a 212 paper) is dropped whatever the area says.
    expect(area([60], 0.8)).toMatch(/thin or faint strokes/);
    expect(area([200], 1.2)).not.toMatch(/TONE_LEVELS/);
  });

  it('a JSON file written before tone levels reads back with none', async () => {
    const result = await traceImage(greyImage(40, 30, 255, [[5, 5, 20, 20, 0]]));
    const old = JSON.parse(toJson(result));
    delete old.report.levels.tones;
    expect(fromJson(JSON.stringify(old)).report.levels!.tones).toEqual([]);
  });
});
