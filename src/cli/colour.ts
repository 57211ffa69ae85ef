/**
 * `conicfit trace --colors auto|N` (docs/design.md §22, §8.4): one colour trace per input and mode,
 * written as <name>.svg (one path per region) and, with --json, <name>.json (`conicfit-colour/1`).
 */
import { dirname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { colourToJson, colourToSvg } from '../colour/svg.js';
import { makeFolder } from '../make-folder.js';
import type { FitMode } from '../model.js';
import { traceColour } from '../node.js';
import { overToleranceMessage } from '../report.js';
import { writeAtomic, type Item } from './files.js';
import type { JobOptions } from './jobs.js';

/** What the colour trace reads of the command line's options: the grey jobs' fit and output options (jobs.ts), the palette size and --report. */
export interface ColourCliOptions extends Pick<JobOptions, 'tolerance' | 'rmsTolerance' | 'seed' | 'minArea' | 'refine' | 'precision' | 'json' | 'maxPixels'> {
  colors?: number | 'auto';
  /** --pixel-art / --no-pixel-art; undefined: 'auto'. */
  pixelArt?: boolean;
  report?: boolean;
}

/** `--colors`: 'auto' or an integer 2..64. */
export function parseColors(value: string): number | 'auto' {
  const v = value.trim().toLowerCase();
  if (v === 'auto') return 'auto';
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(Number.isInteger(n) && n >= 2 && n <= 64)) throw new InvalidArgumentError("Expected 'auto' or a number of colours 2..64 (background included).");
  return n;
}

/** A warning of a colour trace, printed as the grey traces' are (core.ts). */
export interface ColourWarning {
  mode: FitMode;
  code: 'OVER_TOLERANCE';
  message: string;
}

/**
 * Traces one input in colour in each mode and writes its outputs; returns the files written and
 * the warnings. Colour traces have no raster check (docs/design.md §22.8), but a piece left over
 * the tolerance is in their report and was not said (a JPEG logo: 3 pieces up to 1.77 px at 1 px).
 */
export async function traceColourOne(
  item: Extract<Item, { kind: 'file' }>,
  options: ColourCliOptions,
  modes: FitMode[],
  reportLine: (line: string) => void,
): Promise<{ written: string[]; warnings: ColourWarning[] }> {
  const written: string[] = [];
  const warnings: ColourWarning[] = [];
  for (const mode of modes) {
    const t0 = globalThis.performance.now();
    const result = await traceColour(item.path, {
      colors: options.colors,
      mode,
      tolerance: options.tolerance,
      rmsTolerance: options.rmsTolerance,
      seed: options.seed,
      ...(options.minArea === undefined ? {} : { minArea: Math.round(options.minArea) }),
      refine: options.refine,
      pixelArt: options.pixelArt ?? 'auto',
      maxPixels: options.maxPixels,
    });
    const { failedIntervals, pieces, maxDeviation } = result.report;
    if (failedIntervals > 0) {
      warnings.push({
        mode,
        code: 'OVER_TOLERANCE',
        message: overToleranceMessage(failedIntervals, pieces, 'pieces', maxDeviation),
      });
    }
    const suffix = modes.length > 1 ? `.${mode}` : '';
    // The output's subfolder (with -r) as the grey path makes it (core.ts writeOutputs).
    makeFolder(dirname(item.outBase));
    writeAtomic(`${item.outBase}${suffix}.svg`, colourToSvg(result, { precision: options.precision ?? 2 }));
    written.push(`${item.outBase}${suffix}.svg`);
    if (options.json) {
      writeAtomic(`${item.outBase}${suffix}.json`, colourToJson(result));
      written.push(`${item.outBase}${suffix}.json`);
    }
    if (options.report) {
      const r = result.report;
      reportLine(
        `${item.display} [${mode}, colour]: ${r.colours} colours, ${r.regions} regions, ${r.chains} chains, ${r.pieces} pieces, ` +
          `max deviation ${r.maxDeviation.toFixed(3)} px, ${(globalThis.performance.now() - t0).toFixed(1)} ms`,
      );
    }
  }
  return { written, warnings };
}
