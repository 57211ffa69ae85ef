/**
 * Batch safety of the command line: over a folder mixing good and bad files it traces every good
 * file, names each bad one with its error code, exits 1, and an interrupted write never leaves a
 * half-written SVG (outputs go to a hidden temporary file, then are renamed over the target).
 *
 * Write failures are simulated by wrapping node:fs's writeFileSync / renameSync (running as root,
 * a read-only folder would not stop the writes).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { Jimp } from 'jimp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli/core.js';
import { fromJson } from '../src/output/json.js';
import { pngFile, tiffFile } from './fuzz/images.js';
import { tmpFiles } from './fs-helpers.js';
import { checkTraceResult } from './invariants.js';

type Fs = typeof import('node:fs');
const hooks = vi.hoisted(() => ({
  write: null as null | ((fs: Fs, file: string, data: string | NodeJS.ArrayBufferView) => void),
  rename: null as null | ((fs: Fs, from: string, to: string) => void),
  unlink: null as null | ((fs: Fs, file: string) => void),
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<Fs>();
  return {
    ...fs,
    writeFileSync: (file: string, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) =>
      hooks.write ? hooks.write(fs, file, data) : (fs.writeFileSync as (...a: unknown[]) => void)(file, data, ...rest),
    renameSync: (from: string, to: string) => (hooks.rename ? hooks.rename(fs, from, to) : fs.renameSync(from, to)),
    unlinkSync: (file: string) => (hooks.unlink ? hooks.unlink(fs, file) : fs.unlinkSync(file)),
  };
});

afterEach(() => {
  hooks.write = hooks.rename = hooks.unlink = null;
});

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
    cwd,
  });
  return { code, stdout, stderr };
}

async function draw(w: number, h: number, inside: (x: number, y: number) => boolean, mime: 'image/png' | 'image/jpeg' | 'image/bmp') {
  const img = new Jimp({ width: w, height: h, color: 0xffffffff });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (inside(x + 0.5, y + 0.5)) img.setPixelColor(0x000000ff, x, y);
  return img.getBuffer(mime);
}

let base: string;
let images: string;
const GOOD = ['a-disk.png', 'f-square.jpg', 'i-ring.bmp'];
const BAD: Record<string, RegExp> = {
  'b-half.png': /b-half\.png: TRUNCATED: /,
  'c-text.png': /c-text\.png: NOT_AN_IMAGE: /,
  'd-empty.gif': /d-empty\.gif: NOT_AN_IMAGE: /,
  'e-bomb.png': /e-bomb\.png: TOO_MANY_PIXELS: /,
  'g-hang.gif': /g-hang\.gif: TRUNCATED: .*LZW/,
  'h-loop.tif': /h-loop\.tif: TRUNCATED: .*loops/,
  'j-zero.png': /j-zero\.png: EMPTY_IMAGE: /,
};

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'conicfit-batch-'));
  images = join(base, 'images');
  mkdirSync(images);
  const disk = await draw(40, 40, (x, y) => (x - 20) ** 2 + (y - 20) ** 2 <= 144, 'image/png');
  writeFileSync(join(images, 'a-disk.png'), disk);
  writeFileSync(join(images, 'f-square.jpg'), await draw(40, 40, (x, y) => x > 8 && x < 30 && y > 10 && y < 32, 'image/jpeg'));
  writeFileSync(join(images, 'i-ring.bmp'), await draw(40, 40, (x, y) => Math.abs(Math.hypot(x - 20, y - 20) - 10) < 4, 'image/bmp'));
  writeFileSync(join(images, 'b-half.png'), disk.subarray(0, disk.length >> 1));
  writeFileSync(join(images, 'c-text.png'), 'not an image\n');
  writeFileSync(join(images, 'd-empty.gif'), '');
  writeFileSync(join(images, 'e-bomb.png'), pngFile({ width: 50_000, height: 50_000, idat: deflateSync(Buffer.alloc(1 << 20)) }));
  writeFileSync(join(images, 'g-hang.gif'), Buffer.from('R0lGODlhDgD//4AAAAAAAP///ywAAAAABAAAAQACBxl/f8NSpO0AOw==', 'base64'));
  writeFileSync(join(images, 'h-loop.tif'), tiffFile({ width: 4, height: 4, lastNext: 8 }));
  writeFileSync(join(images, 'j-zero.png'), pngFile({ width: 0, height: 12 }));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

let counter = 0;
const fresh = (name: string) => {
  const d = join(base, `${name}-${++counter}`);
  mkdirSync(d, { recursive: true });
  return d;
};

describe('a folder with good and bad files', () => {
  it('traces every good file, names each bad one with its error, exits 1, leaves no temporary file', async () => {
    const out = fresh('mixed');
    const r = await run(['trace', images, '-o', out, '--json', '--mode', 'both'], base);
    expect(r.code).toBe(1);
    const expected = GOOD.flatMap((g) => {
      const stem = g.replace(/\.\w+$/, '');
      return [`${stem}.conic.json`, `${stem}.conic.svg`, `${stem}.linear.json`, `${stem}.linear.svg`];
    });
    expect(readdirSync(out).sort()).toEqual(expected.sort());
    for (const f of readdirSync(out)) {
      const text = readFileSync(join(out, f), 'utf8');
      if (f.endsWith('.svg')) expect(text).toMatch(/^<svg [\s\S]*<path d="M[\s\S]*<\/svg>\n$/);
      else {
        const model = fromJson(text);
        checkTraceResult(model);
        expect(model.fits.length).toBeGreaterThan(0);
      }
    }
    for (const [name, line] of Object.entries(BAD)) expect(r.stderr, name).toMatch(line);
    expect(r.stderr).toMatch(/3 of 10 inputs traced, 7 failed/);
    expect(r.stderr).not.toMatch(/INTERNAL/);
    // Where this run wrote (its output folder) and read; not all of `base`, which holds the other tests' folders.
    expect([...tmpFiles(out), ...tmpFiles(images)]).toEqual([]);
  });
});

describe('an interrupted write never leaves a half-written SVG', () => {
  it('a write that fails half way (disk full) leaves no partial SVG and no temp file; the batch carries on', async () => {
    const out = fresh('enospc');
    hooks.write = (fs, file, data) => {
      if (file.includes('f-square.svg')) {
        // Write half the document to the temp file, then fail as a full disk would.
        const text = String(data);
        fs.writeFileSync(file, text.slice(0, text.length >> 1));
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC' });
      }
      fs.writeFileSync(file, data);
    };
    const r = await run(['trace', images, '-o', out], base);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/f-square\.jpg: ENOSPC: /);
    expect(readdirSync(out).sort()).toEqual(['a-disk.svg', 'i-ring.svg']);
    // Where this run wrote (its output folder) and read; not all of `base`, which holds the other tests' folders.
    expect([...tmpFiles(out), ...tmpFiles(images)]).toEqual([]);
    for (const f of readdirSync(out)) expect(readFileSync(join(out, f), 'utf8')).toMatch(/<\/svg>\n$/);
  });

  it('an existing SVG is replaced whole or not at all: a failed rewrite keeps the old file intact', async () => {
    const out = fresh('replace');
    expect((await run(['trace', join(images, 'a-disk.png'), '-o', out, '--precision', '1'], base)).code).toBe(0);
    const before = readFileSync(join(out, 'a-disk.svg'), 'utf8');
    hooks.rename = () => {
      throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
    };
    const r = await run(['trace', join(images, 'a-disk.png'), '-o', out, '--precision', '6'], base);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/a-disk\.png: EXDEV: /);
    expect(readFileSync(join(out, 'a-disk.svg'), 'utf8')).toBe(before);
    expect(readdirSync(out)).toEqual(['a-disk.svg']);
  });

  it('a crash between writing and renaming leaves only a hidden temp file, never a partial name.svg; the next run completes', async () => {
    const out = fresh('crash');
    // As after a kill: the temp file is written, the rename never happens, nothing cleans up.
    hooks.rename = () => {
      throw new Error('killed');
    };
    hooks.unlink = () => undefined;
    const r = await run(['trace', join(images, 'a-disk.png'), '-o', out], base);
    expect(r.code).toBe(1);
    const left = readdirSync(out);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.a-disk\.svg\.tmp-/); // hidden, and not named *.svg
    expect(existsSync(join(out, 'a-disk.svg'))).toBe(false);
    hooks.rename = hooks.unlink = null;
    // The leftover does not disturb a later run (dot-files are skipped as inputs, too).
    const again = await run(['trace', join(images, 'a-disk.png'), out, '-o', out], base);
    expect(again.stderr).not.toMatch(/tmp-/);
    expect(readFileSync(join(out, 'a-disk.svg'), 'utf8')).toMatch(/<\/svg>\n$/);
  });
});
