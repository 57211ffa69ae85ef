/**
 * The browser build: src/index.ts bundles for the browser with no Node built-in reachable, and the
 * bundle, run where only a worker's globals exist (no process, Buffer, require), traces decoded
 * pixels to exactly the SVG the Node entry gives for the same pixels and options.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import vm from 'node:vm';
import pngCodec from '@jimp/js-png';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { toSvg, traceImage, type TraceOptions } from '../src/node.js';

const ROOT = join(import.meta.dirname, '..');
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Fails the build on any import of a Node built-in (node:*, fs, zlib, stream, …), naming the importer. */
const noNodeBuiltins: esbuild.Plugin = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.replace(/\/.*$/, '');
      if (args.path.startsWith('node:') || BUILTINS.has(args.path) || BUILTINS.has(bare)) {
        return { errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer}` }] };
      }
      return undefined;
    });
  },
};

async function bundle(entry = 'index.ts'): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(ROOT, 'src', entry)],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [noNodeBuiltins],
  });
  expect(result.errors).toEqual([]);
  return result.outputFiles[0].text;
}

/** The ESM bundle as a script that sets `globalThis.conicfit`, run in a context with only `performance` and `console`. */
async function workerLike(esm: string): Promise<vm.Context> {
  const { code } = await esbuild.transform(esm, { format: 'iife', globalName: 'conicfit', loader: 'js' });
  const context = vm.createContext({ performance, console });
  vm.runInContext(code, context, { filename: 'conicfit.browser.js' });
  return context;
}

describe('browser bundle of src/index.ts', () => {
  it('builds for the browser with no Node built-in, and traces decoded pixels like the Node entry, byte for byte', async () => {
    const esm = await bundle();
    expect(esm.length).toBeGreaterThan(10_000);
    const context = await workerLike(esm);
    expect(vm.runInContext('[typeof process, typeof Buffer, typeof require, typeof module, typeof global]', context)).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
    ]);

    const png = pngCodec().decode(readFileSync(join(ROOT, 'samples', 'aeroplane-64-aa.png')));
    const rgba = Array.from(png.data.subarray(0, png.width * png.height * 4));
    const cases: TraceOptions[] = [{}, { mode: 'linear', tolerance: 0.75, seed: 7 }];
    for (const options of cases) {
      const expected = toSvg(await traceImage({ width: png.width, height: png.height, data: Uint8Array.from(rgba) }, options));
      // Pixels made inside the context, as a page would get them from a canvas (ImageData: RGBA, clamped).
      const svg = await vm.runInContext(
        `conicfit.traceImage({ width: ${png.width}, height: ${png.height}, data: new Uint8ClampedArray(${JSON.stringify(rgba)}) }, ${JSON.stringify(options)}).then((r) => conicfit.toSvg(r))`,
        context,
      );
      expect(svg).toBe(expected);
    }
  });

  it('the check is not vacuous: bundling the Node entry (src/node.ts) for the browser fails on its built-ins', async () => {
    const failure = await bundle('node.ts').then(
      () => null,
      (e: { errors?: { text: string }[] }) => e.errors?.map((x) => x.text) ?? [],
    );
    expect(failure).not.toBeNull();
    expect(failure!.some((t) => /^Node built-in "(node:)?(fs|zlib|stream|util)/.test(t))).toBe(true);
  });

  it('refuses a path or bytes with BAD_INPUT that says to decode first or use the Node entry', async () => {
    const context = await workerLike(await bundle());
    for (const input of ['"logo.png"', 'new Uint8Array([0x89, 0x50, 0x4e, 0x47])', 'new ArrayBuffer(8)']) {
      const e = await vm.runInContext(`conicfit.loadBitmap(${input}).then(() => null, (e) => ({ name: e.name, code: e.code, message: e.message }))`, context);
      expect(e).toMatchObject({ name: 'ConicfitError', code: 'BAD_INPUT' });
      expect(e.message).toMatch(/decode the image first .* Node entry/);
      const t = await vm.runInContext(`conicfit.traceImage(${input}).then(() => null, (e) => e.code)`, context);
      expect(t).toBe('BAD_INPUT');
    }
  });
});
