import { defineConfig } from 'tsup';

// Three builds (package.json "exports" picks between the first two):
// - index: the browser-safe core (src/index.ts), ESM for browsers and bundlers, no Node built-in;
// - node: the Node entry (src/node.ts: the core plus file and byte decoding), ESM + CJS;
// - cli: the `conicfit` command (src/cli/index.ts), ESM only, with a shebang, no declarations.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: false,
    clean: true,
    platform: 'browser',
    target: 'es2022',
  },
  {
    entry: { node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: false,
    platform: 'node',
    target: 'node20',
  },
  {
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: false,
    clean: false,
    platform: 'node',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
