/**
 * The font writers (docs/design.md §21.5, §21.6) and `conicfit font`: UFO 3 read back by our
 * GLIF reader, OpenType parsed back by opentype.js, both opened by fontTools when it is installed
 * (Debian python3-fonttools; skipped with the reason printed otherwise), and the command line.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSpecimen } from '../scripts/make-specimen.js';
import { runCli } from '../src/cli/core.js';
import { fontFromSpecimen, type CapturedFont } from '../src/font/capture.js';
import { writeFont } from '../src/font/node.js';
import { toOpenType } from '../src/font/otf.js';
import { readUfoGlyphs, toUfo } from '../src/font/ufo.js';
import { traceImage } from '../src/node.js';

const opentype = createRequire(import.meta.url)('opentype.js') as {
  parse(b: ArrayBuffer): {
    unitsPerEm: number;
    glyphs: {
      length: number;
      get(i: number): { name: string; unicode?: number; advanceWidth: number; path: { commands: { type: string; x?: number; y?: number }[] } };
    };
  };
};

const CHARS = 'Hi%o';
let dir: string;
let sheetPath: string;
let quadratic: CapturedFont;
let cubic: CapturedFont;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conicfit-font-'));
  const sheet = renderSpecimen([CHARS], 100);
  sheetPath = join(dir, 'sheet.png');
  await import('node:fs').then((fs) => fs.writeFileSync(sheetPath, sheet.png));
  const result = await traceImage(sheet.png);
  quadratic = fontFromSpecimen(result, CHARS, { familyName: 'Test <&> Family' });
  cubic = fontFromSpecimen(result, CHARS, { outline: 'cubic' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Python with fontTools, or null after printing why the check is skipped (and skipping it). */
function fontToolsOrSkip(ctx: { skip(): void }): string | null {
  const py = fontToolsPython();
  if (py === null) {
    console.log('fontTools check skipped: no python3 with fontTools (install Debian python3-fonttools)');
    ctx.skip();
  }
  return py;
}

/** A Python with fontTools: the PATH's, else Debian's; null when neither has it. */
function fontToolsPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(py, ['-c', 'import fontTools'], { stdio: 'ignore' });
      return py;
    } catch {
      // not this one
    }
  }
  return null;
}

describe('UFO 3', () => {
  it('writes the UFO files, one .glif per glyph, with qcurve points for quadratic outlines', () => {
    const files = toUfo(quadratic);
    expect(Object.keys(files).sort()).toEqual(
      [
        'fontinfo.plist',
        'glyphs/H_.glif',
        'glyphs/contents.plist',
        'glyphs/i.glif',
        'glyphs/o.glif',
        'glyphs/uni0025.glif',
        'layercontents.plist',
        'lib.plist',
        'metainfo.plist',
      ].sort(),
    );
    expect(files['metainfo.plist']).toContain('<integer>3</integer>');
    expect(files['fontinfo.plist']).toContain('<string>Test &lt;&amp;&gt; Family</string>');
    expect(files['fontinfo.plist']).toContain('<key>capHeight</key>\n<integer>700</integer>');
    expect(files['glyphs/o.glif']).toContain('type="qcurve"');
    expect(files['glyphs/o.glif']).not.toContain('type="curve"');
    expect(toUfo(cubic)['glyphs/o.glif']).toContain('type="curve"');
  });

  it('reads back the same glyphs: names, code points, advances and every point', () => {
    for (const font of [quadratic, cubic]) {
      const back = readUfoGlyphs(toUfo(font));
      expect(back.map((g) => g.name)).toEqual(font.glyphs.map((g) => g.name));
      back.forEach((g, i) => {
        const f = font.glyphs[i];
        expect(g.unicodes).toEqual([f.unicode]);
        expect(g.advanceWidth).toBe(f.advanceWidth);
        expect(g.contours).toEqual(f.contours);
      });
    }
  });

  it('is opened by fontTools (ufoLib) without errors', (ctx) => {
    const py = fontToolsOrSkip(ctx);
    if (py === null) return;
    const out = join(dir, 'T.ufo');
    writeFont(out, quadratic);
    const script =
      'import sys\nfrom fontTools.ufoLib import UFOReader\nr = UFOReader(sys.argv[1], validate=True)\ng = r.getGlyphSet()\nprint(r.formatVersionTuple[0], len(g.keys()))';
    expect(execFileSync(py, ['-c', script, out], { encoding: 'utf8' }).trim()).toBe('3 4');
  });
});

describe('OpenType (CFF)', () => {
  it('is parsed back by opentype.js with the same glyphs, code points, advances and on-curve points', () => {
    const font = opentype.parse(toOpenType(cubic));
    expect(font.unitsPerEm).toBe(1000);
    expect(font.glyphs.length).toBe(cubic.glyphs.length + 1);
    expect(font.glyphs.get(0).name).toBe('.notdef');
    cubic.glyphs.forEach((g, i) => {
      const back = font.glyphs.get(i + 1);
      expect([back.name, back.unicode, back.advanceWidth]).toEqual([g.name, g.unicode, g.advanceWidth]);
      // Command end points per subpath, without an explicit line back to the start (CFF closes implicitly).
      const subpaths: number[][][] = [];
      for (const c of back.path.commands) {
        if (c.type === 'M') subpaths.push([]);
        if (c.type !== 'Z') subpaths[subpaths.length - 1].push([c.x!, c.y!]);
      }
      const ends = subpaths.map((s) => (s.length > 1 && s[s.length - 1][0] === s[0][0] && s[s.length - 1][1] === s[0][1] ? s.slice(0, -1) : s));
      expect(ends).toEqual(g.contours.map((c) => c.points.filter((p) => p.on).map((p) => [p.x, p.y])));
    });
  });

  it('is deterministic: the same bytes on every call (head dates fixed, checksums recomputed)', async () => {
    const a = new Uint8Array(toOpenType(cubic));
    await new Promise((done) => setTimeout(done, 1100));
    expect(new Uint8Array(toOpenType(cubic))).toEqual(a);
  });

  it('is opened by fontTools (TTFont, checksums checked, every table decompiled) without errors', (ctx) => {
    const py = fontToolsOrSkip(ctx);
    if (py === null) return;
    const out = join(dir, 'T.otf');
    writeFont(out, cubic);
    const script =
      'import sys\nfrom fontTools.ttLib import TTFont\nf = TTFont(sys.argv[1], checkChecksums=2)\nassert f["head"].created == f["head"].modified == 2082844800\nfor t in f.keys(): f[t]\ngs = f.getGlyphSet()\nfrom fontTools.pens.boundsPen import BoundsPen\nfor n in f.getGlyphOrder():\n  gs[n].draw(BoundsPen(gs))\nprint(f["head"].unitsPerEm, len(f.getGlyphOrder()))';
    expect(execFileSync(py, ['-c', script, out], { encoding: 'utf8' }).trim()).toBe('1000 5');
  });
});

describe('conicfit font', () => {
  const run = async (argv: string[]) => {
    let stderr = '';
    const code = await runCli(argv, { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir });
    return { code, stderr };
  };

  it('writes a UFO and an OTF from a sheet and prints what it did', async () => {
    const ufo = await run(['font', 'sheet.png', '--chars', CHARS, '-o', 'Cli.ufo']);
    expect(ufo.code).toBe(0);
    expect(ufo.stderr).toMatch(/4 glyphs in 1 row, .*measured capHeight/);
    expect(readdirSync(join(dir, 'Cli.ufo', 'glyphs')).sort()).toEqual(['H_.glif', 'contents.plist', 'i.glif', 'o.glif', 'uni0025.glif']);
    const otf = await run(['font', 'sheet.png', '--chars', CHARS, '-o', 'Cli.otf', '-q']);
    expect(otf).toEqual({ code: 0, stderr: '' });
    expect(opentype.parse(new Uint8Array(readFileSync(join(dir, 'Cli.otf'))).buffer).glyphs.length).toBe(5);
  });

  it('warns when it joined shapes drawn apart into one glyph to match --chars (was: silent, and a missing character misnames the rest)', async () => {
    await import('node:fs').then((fs) => fs.writeFileSync(join(dir, 'ij.png'), renderSpecimen(['ij%', 'bode'], 100).png));
    const r = await run(['font', 'ij.png', '--chars', 'i%bode', '-o', 'Ij.ufo']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning JOINED: glyph "i" is 2 or more shapes drawn apart, joined to match --chars/);
    expect((await run(['font', 'ij.png', '--chars', 'ij%bode', '-o', 'Ij2.ufo'])).stderr).not.toMatch(/JOINED/);
  });

  it('--units-per-em 2048: the H is 0.7 em tall and its side bearings 0.05 em (was: 700 and 50 units, a third of the em)', async () => {
    expect((await run(['font', 'sheet.png', '--chars', CHARS, '-o', 'Em.ufo', '--units-per-em', '2048'])).code).toBe(0);
    const glif = readFileSync(join(dir, 'Em.ufo', 'glyphs', 'H_.glif'), 'utf8');
    const ys = [...glif.matchAll(/ y="(-?\d+)"/g)].map((m) => Number(m[1]));
    const xs = [...glif.matchAll(/ x="(-?\d+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...ys)).toBe(Math.round(0.7 * 2048));
    expect(Math.min(...xs)).toBe(Math.round(0.05 * 2048));
  });

  it('exits 2 on usage errors and 1 when the sheet does not match --chars', async () => {
    expect((await run(['font', 'sheet.png', '-o', 'X.ufo'])).code).toBe(2);
    expect((await run(['font', 'sheet.png', '--chars', CHARS, '-o', 'X.ttf'])).code).toBe(2);
    // A bad value names this command's help, not trace's.
    const badValue = await run(['font', 'sheet.png', '--chars', CHARS, '-o', 'X.ufo', '--cap-height', '0']);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('(run "conicfit font --help" for usage)');
    const bad = await run(['font', 'sheet.png', '--chars', 'Hi%oq', '-o', 'X.ufo']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/BAD_SPECIMEN: the sheet holds 4 glyphs but 5 characters/);
    expect(existsSync(join(dir, 'X.ufo'))).toBe(false);
  });
});
