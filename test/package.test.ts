/**
 * The package as a user gets it: `npm pack` (whose prepack runs `npm run build`) in a copy of the
 * repository, the tarball installed into a fresh project, and the README's own examples — taken
 * from README.md here, so the README cannot drift — run as an ES module and as CommonJS and
 * type-checked under `"module": "nodenext"` and `"moduleResolution": "bundler"` (with the repo's
 * TypeScript 5, and no skipLibCheck, so the shipped declarations are checked too).
 *
 * The build and pack run in a temporary copy, so this file never rewrites the repository's
 * dist/ (which cli.test.ts may be running at the same time). Installing needs only the npm
 * registry, and with --prefer-offline usually not even that: the dependencies are in the cache
 * from the repository's own `npm ci`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJson, toSvg, traceImage } from '../src/node.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = join(ROOT, 'samples', 'fork-64-aa.png');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TIMEOUT = 300_000;
const KEEP = process.env.CONICFIT_KEEP_PACKAGE_TEST === '1';

/** The fenced code blocks of one README section ("## Library"), by language. */
function readmeBlocks(readme: string, heading: string): Array<{ lang: string; code: string }> {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}" section`);
  const next = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}

function run(cmd: string, args: string[], cwd: string): { stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

const blocks = readmeBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), '## Library');
const esmExample = blocks.filter((b) => b.lang === 'ts');
const cjsExample = blocks.filter((b) => b.lang === 'js');

let work = '';
let consumer = '';
let tarball = '';
let installOutput = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'conicfit-package-'));
  // 1. A copy of what the build reads, with the repo's node_modules linked in; `npm pack` there
  //    runs prepack (`npm run build`) and packs what "files" names.
  const build = join(work, 'build');
  mkdirSync(build);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'tsup.config.ts', 'tsconfig.json', 'src'])
    cpSync(join(ROOT, f), join(build, f), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(build, 'node_modules'), 'dir');
  const packDir = join(work, 'pack');
  mkdirSync(packDir);
  run('npm', ['pack', '--pack-destination', packDir], build);
  const tgz = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);
  tarball = join(packDir, tgz[0]);

  // 2. A fresh ESM project ("type": "module") that installs the tarball and @types/node.
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  const typesNode = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version;
  const r = run('npm', ['install', tarball, `@types/node@${typesNode}`, '--no-audit', '--no-fund', '--prefer-offline'], consumer);
  installOutput = r.stdout + r.stderr;
  cpSync(SAMPLE, join(consumer, 'glyph.png'));
}, TIMEOUT);

afterAll(() => {
  if (work && !KEEP) rmSync(work, { recursive: true, force: true });
});

describe('the packed package, installed in a fresh project', () => {
  it('the README has one TypeScript/ESM and one CommonJS example under "## Library"', () => {
    expect(esmExample).toHaveLength(1);
    expect(cjsExample).toHaveLength(1);
    expect(esmExample[0].code).toMatch(/from 'conicfit'/);
    expect(cjsExample[0].code).toMatch(/require\('conicfit'\)/);
  });

  it('ships the builds, declarations, LICENSE and README, and no source maps', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(files).toEqual(
      [
        'LICENSE',
        'README.md',
        'dist/cli.js',
        'dist/index.d.ts',
        'dist/index.js',
        'dist/node.cjs',
        'dist/node.d.cts',
        'dist/node.d.ts',
        'dist/node.js',
        'package.json',
      ].map((f) => `package/${f}`),
    );
    const size = statSync(tarball).size;
    console.log(`tarball ${(size / 1024).toFixed(0)} kB`);
    // A guard against shipping something by mistake (source maps, fixtures): four builds of the
    // library, now with font capture and colour tracing (opentype.js stays a dependency), 505 kB
    // with the short-arm corner check (496.6 kB before; npm pack --dry-run), 530 kB with the coverage
    // fit, the band corners, the linear corner placement and the faster stages (2026-12-07); 563 kB
    // with the next session's notch arms, line-end knots, fold test and linear re-solve; 581 kB with
    // the round test, the TIFF decoder, the band split and the run-end knots (the session after);
    // 590–605 kB with the anti-aliased tips, the band lines, dropCorners and compact path data (the
    // file list above is exact, so the growth is code); 654 kB with the slivers and the tone levels
    // (2026-12-08).
    expect(size).toBeLessThan(700_000);
  });

  it('installs without warnings from the package’s own scripts', () => {
    expect(installOutput).not.toMatch(/install-scripts|conicfit@[^\n]*(prepare|install|tsup)/);
    expect(installOutput).not.toMatch(/npm (warn|WARN)/);
    const pkg = JSON.parse(readFileSync(join(consumer, 'node_modules', 'conicfit', 'package.json'), 'utf8'));
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts?.[s], s).toBeUndefined();
  });

  it('the README’s ES module example runs and writes the same SVG and JSON as the source', async () => {
    writeFileSync(join(consumer, 'example.mjs'), esmExample[0].code);
    const { stdout } = run('node', ['example.mjs'], consumer);
    const expected = await traceImage(SAMPLE, { mode: 'conic', tolerance: 1, seed: 1 });
    expect(stdout).toContain(`contours: ${expected.report.totals.contours}`);
    expect(stdout).toContain(`intervals: ${expected.report.totals.intervals}`);
    expect(stdout).toContain(String(expected.report.raster.iou));
    expect(readFileSync(join(consumer, 'glyph.svg'), 'utf8')).toBe(toSvg(expected));
    expect(readFileSync(join(consumer, 'glyph.json'), 'utf8')).toBe(toJson(expected));
  });

  it('the README’s CommonJS example runs (require loads the CJS build) and writes the same SVG', async () => {
    writeFileSync(join(consumer, 'example.cjs'), cjsExample[0].code);
    const { stdout } = run('node', ['example.cjs'], consumer);
    const expected = await traceImage(SAMPLE, { mode: 'linear', tolerance: 1 });
    expect(stdout.trim()).toBe(`${expected.report.totals.intervals} linear pieces`);
    expect(readFileSync(join(consumer, 'glyph-linear.svg'), 'utf8')).toBe(toSvg(expected));
    // Both module systems see one API.
    const esmNames = run('node', ['--input-type=module', '-e', "console.log(Object.keys(await import('conicfit')).sort().join())"], consumer).stdout;
    const cjsNames = run('node', ['-e', "console.log(Object.keys(require('conicfit')).sort().join())"], consumer).stdout;
    expect(cjsNames).toBe(esmNames);
    expect(esmNames.trim().split(',')).toContain('traceImage');
  });

  it.each([
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext', allowJs: true, checkJs: true }, ['example.ts', 'example.cjs']],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['example.ts']],
  ])('the README’s examples type-check under "%s" (tsc --noEmit, strict, declarations checked)', (name, options, files) => {
    writeFileSync(join(consumer, 'example.ts'), esmExample[0].code);
    writeFileSync(join(consumer, 'example.cjs'), cjsExample[0].code);
    const tsconfig = `tsconfig.${name}.json`;
    const compilerOptions = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], ...options };
    writeFileSync(join(consumer, tsconfig), JSON.stringify({ compilerOptions, files }, null, 2));
    const r = spawnSync('node', [TSC, '-p', tsconfig], { cwd: consumer, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the `conicfit` command runs from node_modules/.bin', () => {
    const bin = join(consumer, 'node_modules', '.bin', 'conicfit');
    expect(existsSync(bin)).toBe(true);
    run(bin, ['trace', 'glyph.png', '-o', 'out', '--json'], consumer);
    expect(readFileSync(join(consumer, 'out', 'glyph.svg'), 'utf8')).toMatch(/^<svg /);
    expect(existsSync(join(consumer, 'out', 'glyph.json'))).toBe(true);
  });
});
