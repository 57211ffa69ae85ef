/**
 * Fonts from image files, written to disk (docs/design.md §21.5–§21.7). Node only: the
 * browser-safe parts (capture.ts, ufo.ts, otf.ts) take traced results and return contents.
 */
import { readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { ConicfitError } from '../errors.js';
import { makeFolder } from '../make-folder.js';
import { traceImage } from '../node.js';
import type { TraceOptions } from '../trace.js';
import { fontFromGlyphImages, fontFromSpecimen, type CapturedFont, type FontCaptureOptions } from './capture.js';
import { toOpenType } from './otf.js';
import { toUfo } from './ufo.js';

/** Image extensions read from a folder of one-glyph images. */
const GLYPH_IMAGE = /\.(png|jpe?g|bmp|gif|tiff?)$/i;

/**
 * Traces a specimen sheet (a file path or image bytes) and captures its glyphs, matched to `chars`.
 *
 * @example const font = await captureFontFromSheet('sheet.png', 'ABCabc', { outline: 'cubic' })
 */
export async function captureFontFromSheet(
  input: string | Uint8Array,
  chars: string,
  options: FontCaptureOptions = {},
  trace: TraceOptions = {},
): Promise<CapturedFont> {
  return fontFromSpecimen(await traceImage(input, trace), chars, options);
}

/**
 * Traces every image of a folder, one glyph each, named by its character: `A.png`, `U+0041.png`,
 * `uni0041.png` or `u1F600.png` (use the code-point forms where the file system ignores case).
 *
 * @example const font = await captureFontFromFolder('glyphs/')
 * @throws ConicfitError BAD_SPECIMEN for a file name that names no character, or an empty folder.
 */
export async function captureFontFromFolder(dir: string, options: FontCaptureOptions = {}, trace: TraceOptions = {}): Promise<CapturedFont> {
  const files = readdirSync(dir)
    .filter((f) => GLYPH_IMAGE.test(f) && statSync(join(dir, f)).isFile())
    .sort();
  if (files.length === 0) throw new ConicfitError('BAD_SPECIMEN', `no image in ${dir}`);
  const images = [];
  for (const f of files) images.push({ char: charOfFileName(f), result: await traceImage(join(dir, f), trace) });
  return fontFromGlyphImages(images, options);
}

/** The character a one-glyph image's file name stands for. */
export function charOfFileName(file: string): string {
  const stem = basename(file, extname(file));
  const cp = /^(?:U\+|uni|u)([0-9A-Fa-f]{4,6})$/.exec(stem);
  if (cp) return String.fromCodePoint(parseInt(cp[1], 16));
  if ([...stem].length === 1) return stem;
  throw new ConicfitError('BAD_SPECIMEN', `${file}: a one-glyph image must be named by its character (A.png, U+0041.png or uni0041.png)`);
}

/**
 * Writes a font by its extension: `.ufo` (a folder, replaced as a whole) or `.otf`. Returns the files written.
 *
 * @example writeFont('MyFont.ufo', font)
 */
export function writeFont(path: string, font: CapturedFont): string[] {
  const ext = extname(path).toLowerCase();
  if (ext === '.otf') {
    writeFileSync(path, new Uint8Array(toOpenType(font)));
    return [path];
  }
  if (ext !== '.ufo') throw new ConicfitError('BAD_OPTION', `writeFont: the output must end in .ufo or .otf, got ${JSON.stringify(path)}`);
  const files = toUfo(font);
  // Written beside the target, then swapped in, so a failed run leaves any old font whole.
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  for (const [rel, text] of Object.entries(files)) {
    makeFolder(dirname(join(tmp, rel)));
    writeFileSync(join(tmp, rel), text);
  }
  rmSync(path, { recursive: true, force: true });
  renameSync(tmp, path);
  return Object.keys(files).map((rel) => join(path, rel));
}
