/**
 * `conicfit font`: a specimen sheet (or a folder of one-glyph images) to a UFO or OpenType font
 * (docs/design.md §21.7, §8.4). Registered on the program by core.ts; runs in its own action.
 *
 *   conicfit font sheet.png --chars "ABC…" -o MyFont.ufo|MyFont.otf
 *   conicfit font glyphs/ -o MyFont.ufo
 *
 * Exit codes as `trace`: 0 written, 1 failed (unreadable input, glyphs not matching --chars,
 * rounding beyond the tolerance), 2 usage error (including option values the library refuses).
 */
import { statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isConicfitError } from '../errors.js';
import { FONT_DEFAULTS, type CapturedFont, type FontCaptureOptions } from '../font/capture.js';
import { captureFontFromFolder, captureFontFromSheet, writeFont } from '../font/node.js';
import type { CliIo } from './core.js';

interface FontCliOptions {
  chars?: string;
  out: string;
  outline?: 'quadratic' | 'cubic';
  family: string;
  unitsPerEm: number;
  pxPerEm?: number;
  capHeight?: number;
  xHeight?: number;
  baseline?: number;
  sideBearing?: number;
  curveTolerance?: number;
  tolerance?: number;
  quiet?: boolean;
}

function positive(what: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!(v.trim() !== '' && Number.isFinite(n) && n > 0)) throw new InvalidArgumentError(`Expected ${what}.`);
    return n;
  };
}

/** Adds the `font` command; `done` receives its exit code. */
export function registerFontCommand(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('font')
    .showHelpAfterError('(run "conicfit font --help" for usage)')
    .summary('capture a specimen sheet (or a folder of one-glyph images) as a UFO or OpenType font')
    .description(
      'Trace a specimen sheet whose glyphs stand in rows, in reading order, matched to --chars;\n' +
        'or a folder of one-glyph images named by their character (A.png, U+0041.png, uni0041.png).\n' +
        'Writes a UFO 3 folder (quadratic qcurve outlines by default) or an OpenType .otf (CFF, cubic).',
    )
    .argument('<input>', 'specimen image, or a folder of one-glyph images')
    .requiredOption('-o, --out <font>', 'output: <name>.ufo or <name>.otf')
    .option('--chars <text>', 'the characters of the sheet in reading order (spaces ignored; a space adds a space glyph)')
    .addOption(new Option('--outline <kind>', 'UFO outline kind (default: quadratic for .ufo; .otf is always cubic)').choices(['quadratic', 'cubic']))
    .option('--family <name>', 'family name', FONT_DEFAULTS.familyName)
    .addOption(new Option('--units-per-em <n>', 'units per em').argParser(positive('an integer 16..16384')).default(FONT_DEFAULTS.unitsPerEm))
    .addOption(new Option('--px-per-em <px>', 'source pixels per em (default: measured from an H or an x)').argParser(positive('a number of pixels')))
    .addOption(
      new Option(
        '--cap-height <px>',
        `cap height in source pixels (= ${FONT_DEFAULTS.capHeightUnits / FONT_DEFAULTS.unitsPerEm} em, ${FONT_DEFAULTS.capHeightUnits} units of ${FONT_DEFAULTS.unitsPerEm})`,
      ).argParser(positive('a number of pixels')),
    )
    .addOption(
      new Option(
        '--x-height <px>',
        `x-height in source pixels (= ${FONT_DEFAULTS.xHeightUnits / FONT_DEFAULTS.unitsPerEm} em, ${FONT_DEFAULTS.xHeightUnits} units of ${FONT_DEFAULTS.unitsPerEm})`,
      ).argParser(positive('a number of pixels')),
    )
    .addOption(new Option('--baseline <y>', 'baseline, image y in pixels, for every row (default: detected per row)').argParser(positive('a number of pixels')))
    .addOption(
      new Option('--side-bearing <units>', 'left and right side bearing, font units')
        .argParser((v) => {
          const n = Number(v);
          if (!(v.trim() !== '' && Number.isFinite(n))) throw new InvalidArgumentError('Expected a number of font units.');
          return n;
        })
        // Not a commander default: the library's scales with --units-per-em (0.05 em).
        .default(undefined, `${FONT_DEFAULTS.sideBearing / FONT_DEFAULTS.unitsPerEm} em, ${FONT_DEFAULTS.sideBearing} of ${FONT_DEFAULTS.unitsPerEm}`),
    )
    .addOption(
      new Option('--curve-tolerance <px>', 'largest distance of the quadratics or cubics from the fit (default: 0.05)').argParser(
        positive('a number of pixels'),
      ),
    )
    .addOption(new Option('--tolerance <px>', 'fit tolerance of the trace, pixels').argParser(positive('a number of pixels')))
    .option('-q, --quiet', 'print only errors')
    .addHelpText('after', '\nExamples:\n  conicfit font sheet.png --chars "ABCabc" -o MyFont.ufo\n  conicfit font glyphs/ -o MyFont.otf')
    .action(async (input: string, options: FontCliOptions) => done(await runFont(input, options, io)));
}

async function runFont(input: string, o: FontCliOptions, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const err = (line: string) => io.stderr.write(`conicfit: ${line}\n`);
  const out = resolve(cwd, o.out);
  const ext = extname(out).toLowerCase();
  if (ext !== '.ufo' && ext !== '.otf') {
    err(`font: -o must end in .ufo or .otf, got ${o.out}`);
    return 2;
  }
  const options: FontCaptureOptions = {
    familyName: o.family,
    unitsPerEm: o.unitsPerEm,
    outline: ext === '.otf' ? 'cubic' : (o.outline ?? 'quadratic'),
    pxPerEm: o.pxPerEm,
    capHeightPx: o.capHeight,
    xHeightPx: o.xHeight,
    baseline: o.baseline,
    sideBearing: o.sideBearing,
    curveTolerance: o.curveTolerance,
  };
  const trace = o.tolerance === undefined ? {} : { tolerance: o.tolerance };
  let font: CapturedFont;
  try {
    const path = resolve(cwd, input);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) font = await captureFontFromFolder(path, options, trace);
    else {
      if (o.chars === undefined) {
        err('font: a specimen sheet needs --chars (the characters in reading order)');
        return 2;
      }
      font = await captureFontFromSheet(path, o.chars, options, trace);
    }
    writeFont(out, font);
  } catch (e) {
    err(`${input}: ${isConicfitError(e) ? e.code : 'INTERNAL'}: ${e instanceof Error ? e.message : String(e)}`);
    return isConicfitError(e) && e.code === 'BAD_OPTION' ? 2 : 1; // an option value the library refused is a usage error
  }
  if (!o.quiet) {
    const r = font.report,
      c = r.conversion;
    // A join is right for a " or a ÷, but a character missing from --chars joins too (docs/design.md §21.7).
    for (const ch of r.joinedChars) {
      err(
        `${input}: warning JOINED: glyph ${JSON.stringify(ch)} is 2 or more shapes drawn apart, joined to match --chars; ` +
          'if a character is missing from --chars, the glyphs from here on are misnamed',
      );
    }
    err(
      `${input} → ${o.out}: ${r.glyphs} glyphs in ${r.rows} row${r.rows === 1 ? '' : 's'}, scale ${r.scale.toFixed(3)} units/px (${r.scaleFrom}), ` +
        `${c.intervals} intervals → ${c.segments} segments, ${c.commands} ${c.curves} commands (+${c.added}), ` +
        `conversion ≤ ${c.maxDeviation.toFixed(3)} px, rounding ≤ ${r.roundingErrorPx.toFixed(3)} px, fit ≤ ${r.fitDeviation.toFixed(3)} px`,
    );
  }
  return 0;
}
