/**
 * Builds the browser demo (demo/) into static files in docs/demo/: main.js and worker.js bundled
 * by esbuild (minified ES modules, no source maps), index.html, style.css and two sample images.
 * Deterministic: the same sources give the same bytes (no timestamps, no content hashes), so
 * rebuilding leaves the committed copy unchanged; test/demo-browser.test.ts checks that.
 *
 *   npm run demo                      # → docs/demo/, then prints the sizes
 *   npm run demo -- --serve [port]    # … then serves it on http://127.0.0.1:8080/ (default port)
 *   npx tsx scripts/build-demo.ts --out <dir>
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
export const DEMO_OUT = join(ROOT, 'docs', 'demo');

/** Files copied as they are: [from, to name]. */
const STATIC: readonly (readonly [string, string])[] = [
  ['demo/index.html', 'index.html'],
  ['demo/style.css', 'style.css'],
  ['samples/fork-64-aa.png', 'fork-64-aa.png'],
  ['samples/baskerville-ampersand-600-aa.png', 'ampersand-600-aa.png'],
];

const BUNDLE: esbuild.BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  sourcemap: false,
  logLevel: 'warning',
};

/** Builds the demo into `out` (emptied first); returns the file names written, sorted. */
export async function buildDemo(out: string = DEMO_OUT): Promise<string[]> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const entry of ['main', 'worker']) {
    await esbuild.build({ ...BUNDLE, entryPoints: [join(ROOT, 'demo', `${entry}.ts`)], outfile: join(out, `${entry}.js`) });
  }
  for (const [from, to] of STATIC) copyFileSync(join(ROOT, from), join(out, to));
  return readdirSync(out).sort();
}

/** Size in bytes of the browser core (src/index.ts, everything it exports), bundled and minified, and gzipped. */
export async function coreSize(): Promise<{ min: number; gzip: number }> {
  const r = await esbuild.build({ ...BUNDLE, entryPoints: [join(ROOT, 'src', 'index.ts')], write: false });
  const bytes = r.outputFiles[0].contents;
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
};

/**
 * Serves the files of `dir` (no sub-folders) on 127.0.0.1 over http — module workers do not run
 * from file:// — on `port` (0: any free port). Resolves to the server and its base URL.
 */
export function serveStatic(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const type = TYPES[extname(name)];
    let body: Buffer | null = null;
    if (type && !name.includes('/') && !name.includes('\\')) {
      try {
        body = readFileSync(join(dir, name));
      } catch {
        body = null;
      }
    }
    if (!body || !type) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const at = (flag: string) => args.indexOf(flag);
  const out = at('--out') >= 0 ? resolve(args[at('--out') + 1]) : DEMO_OUT;
  const files = await buildDemo(out);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  for (const f of files) {
    const bytes = readFileSync(join(out, f));
    console.log(`${f.padEnd(22)} ${kb(bytes.length).padStart(9)}  (gzip ${kb(gzipSync(bytes, { level: 9 }).length)})`);
  }
  const core = await coreSize();
  console.log(`browser core (src/index.ts, minified): ${kb(core.min)}, gzipped ${kb(core.gzip)}`);
  if (at('--serve') >= 0) {
    const { url } = await serveStatic(out, Number(args[at('--serve') + 1] ?? 8080) || 8080);
    console.log(`demo served on ${url} (Ctrl-C stops)`);
  } else {
    console.log(`demo written to ${out}; open it over http (module workers do not run from file://): npm run demo -- --serve`);
  }
}
