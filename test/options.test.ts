/**
 * Unknown option names are BAD_OPTION errors that name the key and list the known ones, in every
 * public function that takes an options object (top level and nested: corners, anneal, layers),
 * and the key lists name exactly the keys of the options interfaces.
 */
import { describe, expect, it } from 'vitest';
import * as api from '../src/node.js';
import { ConicfitError, checkKnownKeys, optionKeys } from '../src/errors.js';
import { FIT_OPTION_KEYS, ANNEAL_OPTION_KEYS } from '../src/fit/options.js';
import { LOAD_OPTION_KEYS } from '../src/load/options.js';
import { CONTOUR_OPTION_KEYS } from '../src/contours/index.js';
import { CORNER_OPTION_KEYS } from '../src/corners.js';
import { ANNEAL_DEFAULTS } from '../src/fit/anneal.js';
import { FIT_DEFAULTS } from '../src/fit/index.js';
import { diskBitmap } from './helpers.js';

/** The error a call throws or rejects with (fails the test when it does neither). */
async function failure(f: () => unknown): Promise<ConicfitError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConicfitError);
    return e as ConicfitError;
  }
  throw new Error('expected an error, got none');
}

const bitmap = diskBitmap(24, 12, 12, 8);
const contour = api.extractContours(bitmap)[0];
const corners = api.detectCorners(contour);
const pixels = { width: 2, height: 1, data: [0, 255] };

describe('unknown option names → BAD_OPTION naming the key and listing the known ones', () => {
  // [call, where, the known keys the message must list]
  const cases: Array<[string, () => unknown, string, readonly string[]]> = [
    ['traceImage (Node)', () => api.traceImage(bitmap, { colour: true } as never), 'traceImage', api.TRACE_OPTION_KEYS],
    ['traceImage (path)', () => api.traceImage('/no/such/file.png', { colour: true } as never), 'traceImage', api.TRACE_OPTION_KEYS],
    ['traceImage corners', () => api.traceImage(bitmap, { corners: { colour: 1 } } as never), 'traceImage: corners', CORNER_OPTION_KEYS],
    ['traceImage anneal', () => api.traceImage(bitmap, { anneal: { colour: 1 } } as never), 'traceImage: anneal', ANNEAL_OPTION_KEYS],
    ['loadBitmap (pixels)', () => api.loadBitmap(pixels, { colour: true } as never), 'loadBitmap', LOAD_OPTION_KEYS],
    ['loadBitmap (path)', () => api.loadBitmap('/no/such/file.png', { colour: true } as never), 'loadBitmap', LOAD_OPTION_KEYS],
    ['extractContours', () => api.extractContours(bitmap, { colour: true } as never), 'extractContours', CONTOUR_OPTION_KEYS],
    ['detectCorners', () => api.detectCorners(contour, { colour: true } as never), 'detectCorners', CORNER_OPTION_KEYS],
    ['cornerAngles', () => api.cornerAngles(contour, { colour: true } as never), 'cornerAngles', CORNER_OPTION_KEYS],
    ['fitLinear', () => api.fitLinear(contour, corners, { colour: true } as never), 'fitLinear', FIT_OPTION_KEYS],
    ['fitConic', () => api.fitConic(contour, corners, { colour: true } as never), 'fitConic', FIT_OPTION_KEYS],
    ['fitConic anneal', () => api.fitConic(contour, corners, { anneal: { colour: 1 } } as never), 'fitConic: anneal', ANNEAL_OPTION_KEYS],
    ['resolveFitOptions', () => api.resolveFitOptions({ colour: true } as never, false), 'resolveFitOptions', FIT_OPTION_KEYS],
  ];

  it.each(cases)('%s', async (_name, call, where, known) => {
    const e = await failure(call);
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toBe(`${where}: unknown option "colour"; known options: ${known.join(', ')}`);
  });

  it('toSvg, toJson, renderCoverage, compareRaster (and toSvg layers)', async () => {
    const result = await api.traceImage(bitmap, { mode: 'conic', seed: 1 });
    const outputs: Array<[() => unknown, string, string]> = [
      [() => api.toSvg(result, { colour: '#f00' } as never), 'toSvg', 'precision, fillRule, fill, stroke, strokeWidth'],
      [() => api.toSvg(result, { layers: { colour: true } } as never), 'toSvg: layers', 'source, corners, intermediate, knots'],
      [() => api.toJson(result, { colour: true } as never), 'toJson', 'timings, indent'],
      [() => api.renderCoverage(result.fits, 24, 24, { colour: 1 } as never), 'renderCoverage', 'flatness, maxPixels'],
      [() => api.compareRaster(result.fits, bitmap, { colour: 1 } as never), 'renderCoverage', 'flatness, maxPixels'],
    ];
    for (const [call, where, known] of outputs) {
      const e = await failure(call);
      expect(e.code).toBe('BAD_OPTION');
      expect(e.message).toMatch(new RegExp(`^${where}: unknown option "colour"; known options: ${known}`));
    }
    await expect(failure(() => api.toJson(result, null as never))).resolves.toMatchObject({ code: 'BAD_OPTION' });
  });

  it('traceImage lists every option it takes: mode, fit, contour, load, corners, raster, onProgress', async () => {
    const e = await failure(() => api.traceImage(bitmap, { tolernce: 1 } as never));
    expect(e.message).toBe(
      'traceImage: unknown option "tolernce"; known options: mode, tolerance, rmsTolerance, seed, tangentReach, annealTangents, refine, maxKnotFraction, moveCorners, dropCorners, anneal, minArea, subpixel, turnPolicy, threshold, invert, blur, maxPixels, corners, raster, onProgress',
    );
    // contourIndex is a fit option traceImage sets per contour, not one of its own.
    expect((await failure(() => api.traceImage(bitmap, { contourIndex: 2 } as never))).message).toMatch(/^traceImage: unknown option "contourIndex"/);
    // A key given as undefined is still a typo.
    expect((await failure(() => api.traceImage(bitmap, { colour: undefined } as never))).code).toBe('BAD_OPTION');
  });

  it('every known key is accepted, at every level', async () => {
    const stages: string[] = [];
    const all = {
      mode: 'linear',
      tolerance: 2,
      rmsTolerance: 0.5,
      seed: 2,
      tangentReach: 3,
      annealTangents: false,
      refine: true,
      maxKnotFraction: 0.5,
      moveCorners: true,
      dropCorners: true,
      anneal: { ...ANNEAL_DEFAULTS },
      minArea: 0,
      subpixel: 'auto',
      turnPolicy: 'black',
      threshold: 'auto',
      invert: 'auto',
      blur: 0,
      maxPixels: 1e6,
      corners: { dMin: 2, dMax: 4, alphaMax: 150, smoothing: 0 },
      raster: true,
      onProgress: (stage: string) => stages.push(stage),
    } as const;
    expect(Object.keys(all).sort()).toEqual([...api.TRACE_OPTION_KEYS].sort());
    const result = await api.traceImage(bitmap, all);
    expect(result.fits).toHaveLength(1);
    // Accepted and used, not dropped: the values differ from the defaults.
    expect(result.tolerance).not.toBe(FIT_DEFAULTS.tolerance);
    expect(result.tolerance).toBe(2);
    expect(result.mode).toBe('linear');
    expect(result.seed).toBe(2);
    expect(result.rmsTolerance).toBe(0.5);
    expect(result.dropCorners).toBe(true);
    expect(stages).toContain('fit');
    expect(
      api.toSvg(result, {
        precision: 2,
        fillRule: 'evenodd',
        fill: '#000',
        stroke: '#111',
        strokeWidth: 1,
        background: '#fff',
        ellipse: 'cubic',
        cubicTolerance: 0.01,
        joinArcs: true,
        layers: { source: true, corners: true, intermediate: true, knots: true },
        markerSize: 1,
      }),
    ).toMatch(/^<svg /);
    expect(api.toJson(result, { timings: false, indent: 0 })).toMatch(/^\{"format"/);
  });

  it('the CLI rejects unknown and misspelt flags (commander), exit 2', async () => {
    const { runCli } = await import('../src/cli/core.js');
    for (const flag of ['--colour', '--tolerence']) {
      let stderr = '';
      const code = await runCli(['trace', 'samples/fork-64-aa.png', flag, '1'], {
        stdout: { write: () => true },
        stderr: { write: (s: string) => ((stderr += s), true) },
      } as never);
      expect(code).toBe(2);
      expect(stderr).toContain(`unknown option '${flag}'`);
    }
  });
});

describe('checkKnownKeys and optionKeys', () => {
  it('accepts known keys, rejects the first unknown one with the list', () => {
    expect(() => checkKnownKeys({ a: 1, b: undefined }, ['a', 'b'], 'f')).not.toThrow();
    expect(() => checkKnownKeys({ a: 1, z: 2 }, ['a', 'b'], 'f')).toThrow('f: unknown option "z"; known options: a, b');
    expect(() => checkKnownKeys({}, [], 'f')).not.toThrow();
  });

  it('optionKeys is a compile-time completeness check (a missing key is a type error)', () => {
    interface Two {
      a?: number;
      b?: string;
    }
    expect(optionKeys<Two>()(['a', 'b'])).toEqual(['a', 'b']);
    // @ts-expect-error — 'b' is missing
    optionKeys<Two>()(['a']);
    // @ts-expect-error — 'c' is not a key of Two
    optionKeys<Two>()(['a', 'b', 'c']);
  });
});
