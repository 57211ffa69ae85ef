/**
 * The command line's file system side: which files a run traces, and how outputs are written.
 *
 * Reads: the input arguments (files as given, folders expanded and sorted by name) and the output
 * folder. Produces: the work items in output order — missing paths, empty folders and output
 * name clashes become failed items, reported in order with the rest — and atomic writes (a
 * temporary file in the same folder, then rename). Node only.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, parse as parsePath, relative, resolve } from 'node:path';
import type { FitMode } from '../model.js';

/** Extensions picked up from folders (case-insensitive). Files named explicitly are traced whatever their name. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.gif', '.tif', '.tiff'] as const;

/** One unit of work, in output order: a file to trace, or an input that already failed. */
export type Item = { kind: 'file'; path: string; display: string; outBase: string } | { kind: 'fail'; display: string; code: string; message: string };

/** Write to `.name.tmp-<pid>-<random>` in the same folder, then rename over the target (atomic on one filesystem). */
export function writeAtomic(file: string, data: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}-${randomUUID()}`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone, or never created
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs: files as given, folders expanded (sorted by name), missing paths and output clashes
// turned into failed items so they are reported in order with the rest.

export function collectInputs(inputs: string[], recursive: boolean, outDir: string, modes: FitMode[], cwd: string): Item[] {
  const items: Item[] = [];
  const seenInputs = new Set<string>();
  const outputs = new Map<string, string>(); // output base → display name of the input that claimed it

  const addFile = (path: string, display: string, outBase: string) => {
    const key = resolve(cwd, path);
    if (seenInputs.has(key)) return; // the same file named twice (or via its folder): trace once
    seenInputs.add(key);
    const claimedBy = outputs.get(outBase);
    if (claimedBy !== undefined) {
      const names = modes.length > 1 ? modes.map((m) => `${outBase}.${m}.svg`) : [`${outBase}.svg`];
      items.push({
        kind: 'fail',
        display,
        code: 'OUTPUT_CLASH',
        message: `its output ${names.map((n) => displayPath(n, cwd)).join(', ')} would overwrite the output of ${claimedBy}; rename one of them`,
      });
      return;
    }
    outputs.set(outBase, display);
    items.push({ kind: 'file', path: key, display, outBase });
  };

  for (const input of inputs) {
    const abs = resolve(cwd, input);
    let stat;
    try {
      stat = statSync(abs);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : `cannot read (${errorText(e)})`;
      items.push({ kind: 'fail', display: input, code: 'FILE_NOT_FOUND', message: why });
      continue;
    }
    if (!stat.isDirectory()) {
      addFile(input, input, join(outDir, parsePath(input).name));
      continue;
    }
    let found: string[];
    try {
      found = listImages(abs, recursive);
    } catch (e) {
      items.push({ kind: 'fail', display: input, code: 'FILE_NOT_FOUND', message: `cannot list folder (${errorText(e)})` });
      continue;
    }
    if (found.length === 0) {
      items.push({
        kind: 'fail',
        display: input,
        code: 'NO_IMAGES',
        message: `no image files (${IMAGE_EXTENSIONS.join(' ')}) in this folder${recursive ? ' or its subfolders' : ''}`,
      });
      continue;
    }
    for (const rel of found) {
      const p = parsePath(rel);
      addFile(join(input, rel), join(input, rel), join(outDir, p.dir, p.name));
    }
  }
  return items;
}

/** Image files in `dir` (relative paths), sorted by name (code-unit order); subfolders after files when recursive. Dot-files are skipped. */
function listImages(dir: string, recursive: boolean, visited = new Set<string>()): string[] {
  visited.add(realpathSync(dir));
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  const subdirs: string[] = [];
  for (const e of entries) {
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const s = statSync(join(dir, e.name));
        isDir = s.isDirectory();
        isFile = s.isFile();
      } catch {
        isFile = true; // a dangling link to an image name: let the loader report it
      }
    }
    if (isFile && (IMAGE_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase())) files.push(e.name);
    else if (isDir && recursive) subdirs.push(e.name);
  }
  const out = [...files];
  for (const sub of subdirs) {
    const full = join(dir, sub);
    if (visited.has(realpathSync(full))) continue; // symlink loop
    for (const rel of listImages(full, true, visited)) out.push(join(sub, rel));
  }
  return out;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A path for messages: relative to cwd when inside it. */
export function displayPath(p: string, cwd: string): string {
  const r = relative(cwd, p);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r : p;
}
