/**
 * The `conicfit` command line, as an importable function (src/cli/index.ts is only the entry point).
 *
 *   conicfit trace <files or folders…> [-o dir] [--mode linear|conic|both] [--tolerance px] …
 *
 * Exit codes: 0 all inputs traced; 1 at least one input failed (unreadable, not an image,
 * corrupt, missing path, output not writable); 2 usage error (unknown option or command, bad
 * option value, no inputs); 3 all inputs traced, but some trace does not match its input (raster
 * IoU below --min-iou; its warnings say why). Warnings (report.warnings) go to stderr. Every output file is written atomically (temporary file in the same
 * folder, then rename), so an interrupted run never leaves a half-written SVG or JSON. Finding
 * the inputs and writing the outputs are in files.ts.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { version as VERSION } from '../../package.json';
import { CONTOUR_DEFAULTS, type TurnPolicy } from '../contours/index.js';
import { TURN_POLICIES } from '../contours/saddles.js';
import { isConicfitError } from '../errors.js';
import { FIT_DEFAULTS, resolveFitOptions } from '../fit/index.js';
import { LOAD_DEFAULTS } from '../load/options.js';
import type { FitMode } from '../model.js';
import { makeFolder } from '../make-folder.js';
import { REPORT_DEFAULTS } from '../report.js';
import { parseColors, traceColourOne } from './colour.js';
import { collectInputs, displayPath, errorText, writeAtomic, type Item } from './files.js';
import { registerFontCommand } from './font.js';
import { errorCode, startJobs, type JobResult, type TraceSummary } from './jobs.js';

export { IMAGE_EXTENSIONS, writeAtomic } from './files.js';

/** Where the command line writes. `isTTY` on stderr turns on the progress bar (several files). */
export interface CliStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  /** Folder that relative paths (inputs, `-o`, the default `conicfit-out`) resolve against. Default process.cwd(). */
  cwd?: string;
}

export const DEFAULT_OUT_DIR = 'conicfit-out';

type CliMode = FitMode | 'both';

interface TraceCliOptions {
  out: string;
  mode: CliMode;
  tolerance?: number;
  rmsTolerance?: number;
  threshold?: number | 'auto';
  seed?: number;
  /** --invert sets true, --no-invert false; neither: found from the image's border. */
  invert?: boolean;
  blur?: number;
  /** --max-pixels: the largest image (width × height) loaded; the library's default guards memory. */
  maxPixels?: number;
  minIou: number;
  /** Commander's --no-refine sets this false. */
  refine?: boolean;
  /** --drop-corners (linear mode): a detected corner may go where the polygon is better without it. */
  dropCorners?: boolean;
  minArea?: number;
  turnPolicy?: TurnPolicy;
  precision?: number;
  /** Commander's --no-join-arcs sets this false. */
  joinArcs?: boolean;
  json?: boolean;
  report?: boolean;
  quiet?: boolean;
  recursive?: boolean;
  /** --colors auto|N: trace in colour (src/cli/colour.ts). */
  colors?: number | 'auto';
  /** --pixel-art / --no-pixel-art: colour traces' pixelArt option (default: auto). */
  pixelArt?: boolean;
  /** Worker threads tracing files at once (default: the number of cores). */
  jobs: number;
}

/**
 * Runs the command line with `argv` (without `node` and the script path) and returns the exit code.
 * Never calls process.exit and never writes to process.stdout/stderr directly.
 */
export async function runCli(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  let job: { inputs: string[]; options: TraceCliOptions } | null = null;
  let fontExit: number | null = null;

  const program = buildProgram(io, (inputs, options) => {
    job = { inputs, options };
  });
  registerFontCommand(program, { ...io, cwd }, (code) => (fontExit = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  if (fontExit !== null) return fontExit; // `conicfit font` ran in its own action (font.ts)
  if (job === null) return 0;
  const { inputs, options } = job as { inputs: string[]; options: TraceCliOptions };
  return runTrace(inputs, options, io, cwd);
}

/** Options of single-colour traces that `traceColour` has no use for (key, flag as typed). */
const GREY_ONLY_FLAGS: ReadonlyArray<[keyof TraceCliOptions, string]> = [
  ['threshold', '--threshold'],
  ['invert', '--invert'],
  ['blur', '--blur'],
  ['turnPolicy', '--turn-policy'],
  ['joinArcs', '--no-join-arcs'],
  ['minIou', '--min-iou'],
];

function buildProgram(io: CliIo, onTrace: (inputs: string[], options: TraceCliOptions) => void): Command {
  const program = new Command('conicfit')
    .description('Trace glyph and logo bitmaps into linear and conic splines (SVG + JSON, with an error report).')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`conicfit: ${s}`),
    })
    .showHelpAfterError('(run "conicfit trace --help" for usage)')
    .exitOverride();

  // Both polarity flags given: the last one would win without a word (commander keeps one value).
  const polarityFlags = new Set<string>();
  program
    .command('trace')
    .on('option:invert', () => polarityFlags.add('--invert'))
    .on('option:no-invert', () => polarityFlags.add('--no-invert'))
    .summary('trace image files or folders into SVG (and JSON)')
    .description(
      'Trace image files, or every image directly inside a folder (.png .jpg .jpeg .bmp .gif .tif .tiff, sorted by name).\n' +
        'Writes <out>/<name>.svg (or <name>.linear.svg and <name>.conic.svg with --mode both); with -o file.svg and one image, that file.',
    )
    .argument('<inputs...>', 'image files or folders')
    .option('-o, --out <dir|file.svg>', 'output folder, created if missing; or, for one image file, the output file name ending in .svg', DEFAULT_OUT_DIR)
    .addOption(new Option('--mode <mode>', 'spline kind').choices(['linear', 'conic', 'both']).default('conic'))
    .addOption(
      new Option('--tolerance <px>', `largest allowed deviation from the outline, in pixels (default: ${FIT_DEFAULTS.tolerance})`).argParser(
        pixelsParser('tolerance', '0.5'),
      ),
    )
    .addOption(
      new Option(
        '--rms-tolerance <px>',
        `conic mode: largest RMS deviation of a piece, in pixels (default: ${FIT_DEFAULTS.rmsFractionSubpixel} × tolerance, at least ${FIT_DEFAULTS.rmsFloorSubpixel} px, on anti-aliased input; ${FIT_DEFAULTS.rmsFractionBilevel} ×, at least ${FIT_DEFAULTS.rmsFloorBilevel} px, on bilevel)`,
      ).argParser(pixelsParser('rmsTolerance', '0.2')),
    )
    .addOption(
      new Option('--threshold <n|auto>', `ink threshold: an integer 0..255, or auto (Otsu) (default: ${LOAD_DEFAULTS.threshold})`).argParser(parseThreshold),
    )
    .addOption(new Option('--seed <n>', `random seed of the conic fit (default: ${FIT_DEFAULTS.seed})`).argParser(parseSeed))
    .option('--invert', 'light ink on a dark ground (default: the ground is what fills most of the border)')
    .option('--no-invert', 'dark ink on a light ground, whatever the border')
    .addOption(new Option('--blur <px>', 'smooth the image by a Gaussian of this σ before tracing, for noisy scans (default: 0)').argParser(parseBlur))
    .addOption(
      new Option('--min-iou <x>', 'exit with code 3 when a trace matches its input with a raster IoU below this, 0..1')
        .argParser(parseUnit)
        .default(REPORT_DEFAULTS.minIou),
    )
    .option('--no-refine', "conic mode: keep the paper's fit (u by annealing, tangent lengths fixed); skips the geometric refinement")
    .option('--drop-corners', 'linear mode: a detected corner may go where the polygon has fewer vertices and no more squared error without it')
    .addOption(
      new Option('--max-pixels <n>', `refuse images larger than this many pixels, to bound memory (default: ${LOAD_DEFAULTS.maxPixels})`).argParser(
        parseMaxPixels,
      ),
    )
    .addOption(new Option('--min-area <px>', `drop specks smaller than this many pixels (default: ${CONTOUR_DEFAULTS.minArea})`).argParser(parseMinArea))
    .addOption(
      new Option('--turn-policy <policy>', 'which colour joins where two pixels touch only at a corner (docs/design.md §2.7)')
        .choices(TURN_POLICIES)
        .default(CONTOUR_DEFAULTS.turnPolicy),
    )
    .addOption(new Option('--precision <n>', 'decimals of SVG coordinates, an integer 0..10 (default: 3; 2 with --colors)').argParser(parsePrecision))
    .option('--no-join-arcs', 'conic mode: write each conic arc as its own command (elliptic arcs as exact A), not one command per interval within 0.01 px')
    .option('--json', 'also write <name>.json (the whole model and report)')
    .option('--report', 'print a line per file: contours, corners, intermediate points, intervals, max deviation, time')
    .option('-r, --recursive', 'also trace images in subfolders (outputs mirror the folder tree)')
    .option('-q, --quiet', 'print only errors (and --report lines)')
    .addOption(
      new Option(
        '--colors <auto|n>',
        'trace in colour: one path per region of a palette of n colours (background included), or auto; --threshold, --invert, --blur, --turn-policy, --no-join-arcs and --min-iou do not apply',
      ).argParser(parseColors),
    )
    .option(
      '--pixel-art',
      'with --colors: draw every region as pixel polygons, whatever the image size (default: an image without anti-aliasing and no side over 32 px)',
    )
    .option('--no-pixel-art', 'with --colors: fit smooth curves, even on a small image without anti-aliasing')
    .addOption(
      new Option('-j, --jobs <n>', 'files traced at once, on worker threads (outputs and messages are the same for any n)')
        .argParser(parseJobs)
        .default(availableParallelism(), 'the number of cores'),
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 all inputs traced, 1 some input failed, 2 usage error, 3 some trace does not match its input (IoU < --min-iou).\n' +
        'Examples:\n  conicfit trace logo.png\n  conicfit trace glyphs/ -o svg --mode both --json --report',
    )
    .action((inputs: string[], options: TraceCliOptions, command: Command) => {
      // Colour traces read their own palette and levels and have no raster check (docs/design.md
      // §22.8): these flags would be ignored, so they are refused rather than dropped unseen.
      if (polarityFlags.size > 1) command.error('error: --invert and --no-invert cannot both be given', { exitCode: 2 });
      if (options.colors === undefined && command.getOptionValueSource('pixelArt') === 'cli') {
        command.error(`error: --${options.pixelArt ? '' : 'no-'}pixel-art applies only to colour traces (--colors)`, { exitCode: 2 });
      }
      if (options.colors !== undefined) {
        const ignored = GREY_ONLY_FLAGS.filter(([key]) => command.getOptionValueSource(key) === 'cli').map(([key, flag]) =>
          key === 'invert' && options.invert === false ? '--no-invert' : flag,
        );
        if (ignored.length > 0) {
          command.error(`error: ${ignored.join(', ')} ${ignored.length === 1 ? 'does' : 'do'} not apply to colour traces (--colors)`, { exitCode: 2 });
        }
      }
      onTrace(inputs, options);
    });

  return program;
}

// ---------------------------------------------------------------------------------------------
// Option parsers: each turns a bad value into a message saying what is allowed; commander
// prefixes it with the option's name.

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^[+-]?\d+$/;

/** A parser for a fit option in pixels, checked by the library's own range check and message. */
function pixelsParser(name: 'tolerance' | 'rmsTolerance', example: string): (value: string) => number {
  return (value) => {
    const n = DECIMAL.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`Expected a number of pixels, e.g. ${example}.`);
    try {
      resolveFitOptions({ [name]: n }, false);
    } catch (e) {
      if (isConicfitError(e)) throw new InvalidArgumentError(`${e.message}.`);
      throw e;
    }
    return n;
  };
}

function parseThreshold(value: string): number | 'auto' {
  const v = value.trim().toLowerCase();
  if (v === 'auto') return 'auto';
  const n = INTEGER.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new InvalidArgumentError("Expected an integer 0..255 or 'auto'.");
  return n;
}

function parseSeed(value: string): number {
  const n = INTEGER.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('Expected an integer.');
  return n;
}

function parseMaxPixels(value: string): number {
  const n = DECIMAL.test(value.trim()) ? Number(value) : NaN;
  if (!(Number.isSafeInteger(n) && n > 0)) throw new InvalidArgumentError('Expected a positive whole number of pixels, e.g. 80000000 or 8e7.');
  return n;
}

function parseMinArea(value: string): number {
  const n = DECIMAL.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('Expected a number of pixels ≥ 0 (0 keeps every speck).');
  return n;
}

function parseBlur(value: string): number {
  const n = DECIMAL.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 20) throw new InvalidArgumentError('Expected a blur σ in pixels from 0 to 20, e.g. 1.');
  return n;
}

function parseUnit(value: string): number {
  const n = DECIMAL.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('Expected a number from 0 to 1, e.g. 0.9.');
  return n;
}

function parseJobs(value: string): number {
  const n = INTEGER.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('Expected an integer 1..256.');
  return n;
}

function parsePrecision(value: string): number {
  const n = INTEGER.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new InvalidArgumentError('Expected an integer 0..10.');
  return n;
}

// ---------------------------------------------------------------------------------------------
// The trace command.

/** Endings of files that `-o` cannot write (it writes SVG, and JSON beside it with --json). */
const NOT_A_FOLDER = /\.(json|png|jpe?g|gif|bmp|tiff?|webp|pdf|eps|ps|ai|txt|html?|ufo|otf|ttf)$/i;

/** Whether `path` is an existing folder. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function runTrace(inputs: string[], options: TraceCliOptions, io: CliIo, cwd: string): Promise<number> {
  const err = (line: string) => io.stderr.write(`conicfit: ${line}\n`);
  // `-o name.svg` names the output file of a single image (as most tracers' -o does); any other
  // value is a folder. With --mode both it becomes name.linear.svg and name.conic.svg.
  const outFile = /\.svg$/i.test(options.out) ? resolve(cwd, options.out) : undefined;
  // A name ending like another kind of file (out.json, out.png) was taken as a folder of that
  // name, so `-o out.json` wrote out.json/<name>.svg: refused unless that folder exists.
  if (NOT_A_FOLDER.test(options.out) && !isFolder(resolve(cwd, options.out))) {
    err(`-o ${options.out}: -o takes an output folder or a file name ending in .svg (--json writes <name>.json beside the SVG)`);
    return 2;
  }
  if (outFile !== undefined && (inputs.length !== 1 || isFolder(resolve(cwd, inputs[0])))) {
    err(`-o ${options.out} names one output file: give one image file, or an output folder (without .svg)`);
    return 2;
  }
  const outDir = outFile !== undefined ? dirname(outFile) : resolve(cwd, options.out);
  const modes: FitMode[] = options.mode === 'both' ? ['linear', 'conic'] : [options.mode];
  const collected = collectInputs(inputs, options.recursive === true, outDir, modes, cwd);
  const items = outFile === undefined ? collected : collected.map((i) => (i.kind === 'file' ? { ...i, outBase: outFile.slice(0, -'.svg'.length) } : i));
  const files = items.filter((i) => i.kind === 'file').length;

  if (files > 0) {
    try {
      makeFolder(outDir);
    } catch (e) {
      err(`cannot create output folder ${options.out}: ${errorText(e)}`);
      return 1;
    }
  }

  // Progress: a bar on a terminal when there are several files; otherwise one line per file.
  const useBar = !options.quiet && files > 1 && io.stderr.isTTY === true;
  const multibar = useBar
    ? new cliProgress.MultiBar(
        {
          stream: io.stderr as NodeJS.WriteStream,
          format: 'conicfit {bar} {value}/{total} {file}',
          barsize: 30,
          hideCursor: false,
          linewrap: true, // trim to the terminal width instead of switching wrapping off (nothing to restore after Ctrl-C)
          clearOnComplete: false,
          autopadding: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const bar = multibar?.create(files, 0, { file: '' }) ?? null;
  const errLine = (line: string) => (multibar ? multibar.log(`conicfit: ${line}\n`) : err(line));
  const info = (line: string) => {
    if (!options.quiet && !multibar) err(line);
  };
  const reportLine = (line: string) => {
    // Report lines go to stdout; while a bar is drawn on the same terminal, through the bar's log.
    if (multibar && io.stdout.isTTY === true) multibar.log(`${line}\n`);
    else io.stdout.write(`${line}\n`);
  };

  let failed = 0;
  let traced = 0;
  let unfaithful = 0;
  let done = 0;
  // Traces run on workers (jobs.ts); files are written and messages printed here, in input order.
  const fileItems = items.filter((i): i is Extract<Item, { kind: 'file' }> => i.kind === 'file');
  const { threshold, invert, blur, maxPixels, tolerance, rmsTolerance, seed, minArea, turnPolicy, refine, dropCorners, precision, joinArcs, json } = options;
  const jobOptions = { threshold, invert, blur, maxPixels, tolerance, rmsTolerance, seed, minArea, turnPolicy, refine, dropCorners, precision, joinArcs, json };
  // Colour traces (--colors) run here, one file at a time (src/cli/colour.ts); grey traces on the workers.
  const colour = options.colors !== undefined;
  const runner = startJobs(colour ? [] : fileItems.map((i) => ({ path: i.path, modes, options: jobOptions })), options.jobs);
  let jobIndex = 0;
  try {
    for (const item of items) {
      if (item.kind === 'fail') {
        failed++;
        errLine(`${item.display}: ${item.code}: ${item.message}`);
        continue;
      }
      bar?.update(done, { file: item.display });
      multibar?.update();
      const job = colour ? null : runner.result(jobIndex++);
      try {
        const { written, results, warnings } = job
          ? { ...writeOutputs(item, await job, options, reportLine), warnings: [] }
          : { ...(await traceColourOne(item, options, modes, reportLine)), results: [] };
        traced++;
        info(`${item.display} → ${written.map((w) => displayPath(w, cwd)).join(', ')}`);
        for (const w of warnings) if (!options.quiet) errLine(`${item.display} [${w.mode}, colour]: warning ${w.code}: ${w.message}`);
        for (const result of results) {
          const iou = result.report.raster?.iouBeyondEdge;
          const low = iou !== undefined && iou < options.minIou;
          if (low) unfaithful++;
          // Warnings are for people (not with --quiet), except the one that sets the exit code.
          for (const w of result.report.warnings) {
            if (!options.quiet || (low && w.code === 'LOW_FIDELITY')) errLine(`${item.display} [${result.mode}]: warning ${w.code}: ${w.message}`);
          }
          if (low && !result.report.warnings.some((w) => w.code === 'LOW_FIDELITY')) {
            errLine(
              `${item.display} [${result.mode}]: warning LOW_FIDELITY: raster IoU ${iou.toFixed(3)} (beyond the outline's own pixels) is below --min-iou ${options.minIou}`,
            );
          }
        }
      } catch (e) {
        failed++;
        // The loader names the file in its messages; we already do, so drop that prefix.
        const text = errorText(e)
          .replace(`loadBitmap: "${item.path}": `, '')
          .replace(/^loadBitmap: /, '');
        const code = errorCode(e);
        errLine(`${item.display}: ${code}: ${text}${code === 'TOO_MANY_PIXELS' ? ' (raise the limit with --max-pixels)' : ''}`);
      }
      done++;
      bar?.update(done, { file: item.display });
      multibar?.update();
    }
  } finally {
    await runner.close();
    if (multibar) {
      multibar.update(); // flush logged lines (stop() does not)
      multibar.stop();
    }
  }

  const total = traced + failed;
  if (!options.quiet && (total > 1 || failed > 0)) {
    err(`${traced} of ${total} input${total === 1 ? '' : 's'} traced${failed > 0 ? `, ${failed} failed` : ''}`);
  }
  if (failed > 0) return 1;
  if (unfaithful > 0) {
    err(`${unfaithful} trace${unfaithful === 1 ? '' : 's'} below --min-iou ${options.minIou}: see the warnings above`);
    return 3;
  }
  return 0;
}

/** Writes a job's outputs (atomically) and its report lines; throws the job's error after writing what came before it. */
function writeOutputs(
  item: Extract<Item, { kind: 'file' }>,
  job: JobResult,
  options: TraceCliOptions,
  reportLine: (line: string) => void,
): { written: string[]; results: TraceSummary[] } {
  const written: string[] = [];
  const results: TraceSummary[] = [];
  if (job.loaded) makeFolder(dirname(item.outBase));
  for (const out of job.outputs) {
    const suffix = options.mode === 'both' ? `.${out.mode}` : '';
    const svgPath = `${item.outBase}${suffix}.svg`;
    writeAtomic(svgPath, out.svg);
    written.push(svgPath);
    if (out.json !== undefined) {
      const jsonPath = `${item.outBase}${suffix}.json`;
      writeAtomic(jsonPath, out.json);
      written.push(jsonPath);
    }
    if (options.report) reportLine(formatReport(item.display, out.summary, out.ms));
    results.push(out.summary);
  }
  if (job.error) throw new JobError(job.error.code, job.error.message);
  return { written, results };
}

/** A job's error as the main thread rethrows it (its code and message as the trace gave them). */
class JobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function formatReport(name: string, result: TraceSummary, ms: number): string {
  const t = result.report.totals;
  const failed = result.report.failedIntervals;
  return (
    `${name} [${result.mode}]: ${t.contours} contour${t.contours === 1 ? '' : 's'}, ${t.corners} corners, ` +
    `${t.intermediatePoints} intermediate points, ${t.intervals} intervals, ` +
    `max deviation ${t.maxDeviation.toFixed(3)} px` +
    (failed > 0 ? ` (${failed} interval${failed === 1 ? '' : 's'} over tolerance)` : '') +
    (result.report.raster ? `, IoU ${result.report.raster.iou.toFixed(3)}` : '') +
    `, ${ms.toFixed(1)} ms`
  );
}
