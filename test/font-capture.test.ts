/**
 * Glyph geometry, specimen splitting and font capture (docs/design.md §21.4, §21.7): contour
 * directions per format, start points, integer rounding, and sheets with an i, a j, a % and a
 * word with counters, rendered from Libre Baskerville.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSpecimen } from '../scripts/make-specimen.js';
import { fontFromSpecimen, glyphName } from '../src/font/capture.js';
import { flattenContour, glyphFromOutline, reverseContour, signedArea, type FontGlyph } from '../src/font/glyph.js';
import { captureFontFromFolder, charOfFileName } from '../src/font/node.js';
import { detectBaseline, splitSpecimen } from '../src/font/specimen.js';
import { convertCurves, CURVE_DEFAULTS } from '../src/output/outline.js';
import { traceImage, type TraceResult } from '../src/node.js';
import { diskBitmap } from './helpers.js';

const PX_PER_EM = 100;
let sheet: ReturnType<typeof renderSpecimen>;
let traced: TraceResult;

beforeAll(async () => {
  sheet = renderSpecimen(['ij%', 'bode'], PX_PER_EM);
  traced = await traceImage(sheet.png);
});

/** Number of contours per glyph group. */
const contourCounts = (result: TraceResult, count: number) => splitSpecimen(result, count).glyphs.map((g) => g.fits.length);

describe('specimen splitting', () => {
  it('groups an i and a j with their dots, a % with its rings, and letters with their counters, in reading order', () => {
    const split = splitSpecimen(traced, 7);
    expect(split.rows).toHaveLength(2);
    expect(split.joined).toBe(0);
    // i: stem + dot; j: stem + dot; %: two rings (outer + hole each) + slash; b, o, d, e: outer + counter.
    expect(split.glyphs.map((g) => g.fits.length)).toEqual([2, 2, 5, 2, 2, 2, 2]);
    expect(split.glyphs.map((g) => g.row)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    for (let k = 1; k < 3; k++) expect(split.glyphs[k].box.x0).toBeGreaterThan(split.glyphs[k - 1].box.x1);
  });

  it('detects each row baseline within a pixel of where the glyphs were set', () => {
    const split = splitSpecimen(traced, 7);
    split.rows.forEach((_, r) => {
      const boxes = split.glyphs.filter((g) => g.row === r).map((g) => g.box);
      expect(Math.abs(detectBaseline(boxes) - sheet.baselines[r])).toBeLessThanOrEqual(1);
    });
  });

  it('joins a glyph drawn in pieces side by side (a ") when the characters say so, and nothing else', async () => {
    const quotes = await traceImage(renderSpecimen(['H"o'], PX_PER_EM).png);
    const split = splitSpecimen(quotes, 3);
    expect(split.joined).toBe(1);
    expect(split.glyphs.map((g) => g.fits.length)).toEqual([1, 2, 2]);
    // Only gaps under half the median gap are joined: on the i j % / b o d e sheet the i and j (3.5 px
    // apart, the others 22–27 px) could be, nothing else.
    expect(splitSpecimen(traced, 6).joined).toBe(1);
    expect(() => splitSpecimen(traced, 5)).toThrow(/holds 7 glyphs but 5 characters/);
  });

  it('names the glyphs it joined (a j left out of the characters: the i and j become one "i")', () => {
    const font = fontFromSpecimen(traced, 'i%bode');
    expect(font.report.joined).toBe(1);
    expect(font.report.joinedChars).toEqual(['i']);
    expect(fontFromSpecimen(traced, 'ij%bode').report.joinedChars).toEqual([]);
  });

  it('fails with BAD_SPECIMEN when more characters are given than the sheet holds', () => {
    expect(() => splitSpecimen(traced, 8)).toThrow(expect.objectContaining({ code: 'BAD_SPECIMEN' }));
    expect(() => fontFromSpecimen(traced, 'ij%bodex')).toThrow(/holds 7 glyphs but 8 characters/);
  });

  it('keeps a dot row with the row below when a row holds only i and j', async () => {
    const ij = renderSpecimen(['ij'], PX_PER_EM);
    expect(contourCounts(await traceImage(ij.png), 2)).toEqual([2, 2]);
  });
});

describe('glyph geometry', () => {
  const check = (g: FontGlyph, kind: 'quadratic' | 'cubic', holes: boolean[]) => {
    g.contours.forEach((c, i) => {
      expect(c.points[0].on).toBe(true);
      for (const p of c.points) expect(Number.isInteger(p.x) && Number.isInteger(p.y)).toBe(true);
      const clockwise = signedArea(c.points, kind === 'quadratic') < 0;
      // TrueType: outer clockwise, holes counter-clockwise; CFF the other way round.
      expect(clockwise).toBe(kind === 'quadratic' ? !holes[i] : holes[i]);
    });
  };

  for (const kind of ['quadratic', 'cubic'] as const) {
    it(`turns outer contours and counters the way ${kind === 'quadratic' ? 'TrueType' : 'CFF'} wants, starts on an on-curve point, rounds to integers`, () => {
      const font = fontFromSpecimen(traced, 'ij%bode', { outline: kind });
      for (const g of font.glyphs) {
        const holes = g.sourceFits!.map((k) => traced.fits[k].hole);
        check(g, kind, holes);
        expect(g.report.roundingError).toBeLessThanOrEqual(Math.SQRT1_2 + 1e-12);
        expect(g.report.roundingErrorPx).toBeCloseTo(g.report.roundingError / font.report.scale, 12);
        // The ink's left edge sits at the side bearing (50 units), up to rounding.
        expect(Math.abs(g.lsb - 50)).toBeLessThanOrEqual(1);
      }
      expect(font.glyphs.map((g) => g.name)).toEqual(['i', 'j', 'uni0025', 'b', 'o', 'd', 'e']);
      // Baseline at y = 0: the bottom of the o's overshoot sits a little below it (up to the conversion tolerance
      // and the integer rounding), the j's descender far below; measured on the outline (off-curve points of a
      // long curve may lie well outside it).
      const yMin = (name: string) =>
        Math.min(...font.glyphs.find((g) => g.name === name)!.contours.flatMap((c) => flattenContour(c.points, 64, kind === 'quadratic').map((p) => p.y)));
      expect(yMin('o')).toBeLessThanOrEqual(CURVE_DEFAULTS.tolerance * font.report.scale + Math.SQRT1_2);
      expect(yMin('o')).toBeGreaterThan(-30);
      expect(yMin('j')).toBeLessThan(-150);
    });
  }

  it('measures the scale from the x-height without an H: x-height of the sheet ↦ 500 units', () => {
    const font = fontFromSpecimen(traced, 'ij%bode');
    expect(font.report.scaleFrom).toBe('tallest glyph');
    const x = fontFromSpecimen(traced, 'ij%bode', { xHeightPx: 46 });
    expect(x.report.scale).toBeCloseTo(500 / 46, 12);
    expect(fontFromSpecimen(traced, 'ij%bode', { pxPerEm: PX_PER_EM }).report.scale).toBeCloseTo(10, 12);
  });

  it('scales its default heights and side bearings with unitsPerEm (was: 700 / 500 / 750 and 50 units in any em)', () => {
    const at1000 = fontFromSpecimen(traced, 'ij%bode', { xHeightPx: 46 });
    const at2048 = fontFromSpecimen(traced, 'ij%bode', { xHeightPx: 46, unitsPerEm: 2048 });
    expect(at2048.report.scale).toBeCloseTo(2.048 * at1000.report.scale, 12);
    // The same glyphs, 2.048 times as many units: advance and bearing within rounding.
    at1000.glyphs.forEach((g, i) => {
      expect(Math.abs(at2048.glyphs[i].advanceWidth - 2.048 * g.advanceWidth)).toBeLessThanOrEqual(3);
      expect(Math.abs(at2048.glyphs[i].lsb - 2.048 * g.lsb)).toBeLessThanOrEqual(2);
    });
    const tallest = fontFromSpecimen(traced, 'ij%bode', { unitsPerEm: 2048 });
    expect(tallest.report.scaleFrom).toBe('tallest glyph');
    expect(tallest.report.scale).toBeCloseTo(2.048 * fontFromSpecimen(traced, 'ij%bode').report.scale, 12);
    // Values given in units are taken as given.
    expect(fontFromSpecimen(traced, 'ij%bode', { xHeightPx: 46, xHeightUnits: 500, unitsPerEm: 2048 }).report.scale).toBeCloseTo(500 / 46, 12);
  });

  it('reverses a contour keeping its start point, and throws FONT_ROUNDING when units are too coarse for the tolerance', async () => {
    const pts = [
      { x: 0, y: 0, on: true },
      { x: 10, y: 0, on: false },
      { x: 10, y: 10, on: true },
    ];
    expect(reverseContour(pts).map((p) => p.x)).toEqual([0, 10, 10]);
    expect(reverseContour(pts)[1].on).toBe(true);
    const disk = await traceImage(diskBitmap(60, 30, 30, 20));
    const { contours } = convertCurves(disk, { curves: 'quadratic' });
    const place = { scale: 0.1, baseline: 50, lsb: 0, rsb: 0, maxRoundingPx: 0.5 };
    expect(() => glyphFromOutline('o', 111, contours, 'quadratic', place)).toThrow(expect.objectContaining({ code: 'FONT_ROUNDING' }));
    const fine = glyphFromOutline('o', 111, contours, 'quadratic', { ...place, scale: 10 });
    expect(fine.report.roundingErrorPx).toBeLessThanOrEqual(Math.SQRT1_2 / 10);
    expect(fine.advanceWidth).toBe(400);
  });

  it('refuses a baseline outside the sheet (was: FONT_ROUNDING, "use more units per em", from the scale it implied)', () => {
    expect(() => fontFromSpecimen(traced, 'ij%bode', { baseline: 99999 })).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION', message: expect.stringMatching(/baseline must be a y in the image/) }),
    );
    expect(() => fontFromSpecimen(traced, 'ij%bode', { baseline: -1 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(fontFromSpecimen(traced, 'ij%bode', { baseline: traced.height }).glyphs.length).toBe(7);
  });

  it('rejects an unknown option and a bad value', () => {
    expect(() => fontFromSpecimen(traced, 'ij%bode', { unitsPerEM: 2048 } as object)).toThrow(/unknown option "unitsPerEM"/);
    expect(() => fontFromSpecimen(traced, 'ij%bode', { unitsPerEm: 7 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => fontFromSpecimen(traced, 'ij%bodi')).toThrow(/"i" repeats/);
  });

  it('names glyphs by production names', () => {
    expect(['A', 'z', '0', '9', '%', ' ', 'é', '😀'].map(glyphName)).toEqual(['A', 'z', 'zero', 'nine', 'uni0025', 'space', 'uni00E9', 'u1F600']);
  });
});

describe('a folder of one-glyph images', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'conicfit-glyphs-'));
    for (const [name, ch] of [
      ['b.png', 'b'],
      ['U+006F.png', 'o'],
    ]) {
      writeFileSync(join(dir, name), renderSpecimen([ch], PX_PER_EM).png);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('captures each image as the glyph its file name names, on a common baseline', async () => {
    const font = await captureFontFromFolder(dir);
    expect(font.glyphs.map((g) => [g.name, g.unicode])).toEqual([
      ['o', 0x6f],
      ['b', 0x62],
    ]);
    expect(font.report.baselines).toHaveLength(1);
    expect(Math.abs(font.report.baselines[0] - renderSpecimen(['b'], PX_PER_EM).baselines[0])).toBeLessThanOrEqual(1);
  });

  it('reads characters from file names and refuses other names', () => {
    expect(['A.png', 'U+0041.png', 'uni0041.tif', 'u1F600.png'].map(charOfFileName)).toEqual(['A', 'A', 'A', '😀']);
    expect(() => charOfFileName('letter-a.png')).toThrow(expect.objectContaining({ code: 'BAD_SPECIMEN' }));
  });
});
