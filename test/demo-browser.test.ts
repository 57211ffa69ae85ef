/**
 * The browser demo (demo/, built into docs/demo/ by scripts/build-demo.ts), run in headless
 * Chromium (Debian's `chromium`, driven by puppeteer-core; nothing downloads a browser): the page
 * traces a sample in its Web Workers, and the SVG it offers for download is byte for byte what the
 * Node entry writes for the same image bytes and options; its drawing and table hold one entry per
 * fitted piece. Screenshots are kept in test/artifacts/ (git-ignored).
 *
 * Chromium missing is a failure, not a skip (`.ci/run` installs it); SKIP_BROWSER_TEST=1 skips
 * the browser part on purpose, on a machine without it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, DEMO_OUT, serveStatic } from '../scripts/build-demo.js';
import { FIT_DEFAULTS, toJson, toSvg, traceImage, type FitMode, type TraceResult } from '../src/node.js';

const ROOT = join(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const SKIP = process.env.SKIP_BROWSER_TEST === '1';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('demo build (scripts/build-demo.ts)', () => {
  it('is deterministic and docs/demo/ is up to date: a fresh build equals the committed files byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conicfit-demo-'));
    try {
      const files = await buildDemo(dir);
      expect(files).toEqual(['ampersand-600-aa.png', 'fork-64-aa.png', 'index.html', 'main.js', 'style.css', 'worker.js']);
      expect(readdirSync(DEMO_OUT).sort(), 'docs/demo/ holds exactly the built files').toEqual(files);
      for (const f of files) {
        expect(readFileSync(join(dir, f)).equals(readFileSync(join(DEMO_OUT, f))), `docs/demo/${f} is stale: run npm run demo and commit docs/demo/`).toBe(
          true,
        );
      }
      // Nothing of the build's moment or place in the output.
      const js = readFileSync(join(dir, 'main.js'), 'utf8') + readFileSync(join(dir, 'worker.js'), 'utf8');
      expect(js).not.toContain(ROOT);
      expect(js).not.toMatch(/sourceMappingURL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** What the page shows for one mode, read from its DOM (the SVG fetched from the download link). */
interface CardState {
  svg: string;
  json: string;
  svgName: string;
  drawnPieces: number;
  rows: string[][];
  warnings: string[];
  progressMessages: number;
}

/** Runs in the page (a string: the test's type-check has no DOM types, and the page needs no transpiling). */
const READ_CARD = `async (m) => {
  const card = document.querySelector('.card[data-mode="' + m + '"]');
  const svgLink = card.querySelector('a.dl-svg');
  const jsonLink = card.querySelector('a.dl-json');
  return {
    svg: await (await fetch(svgLink.href)).text(),
    json: await (await fetch(jsonLink.href)).text(),
    svgName: svgLink.download,
    drawnPieces: card.querySelectorAll('.fit-pieces path').length,
    rows: [...card.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    warnings: [...card.querySelectorAll('.warnings code')].map((c) => c.textContent),
    progressMessages: Number(card.dataset.progress ?? 0),
  };
}`;

async function readCard(page: Page, mode: FitMode): Promise<CardState> {
  return (await page.evaluate(`(${READ_CARD})(${JSON.stringify(mode)})`)) as CardState;
}

/** Waits until the page has finished job `job` (body data-state="done", data-job). */
async function waitDone(page: Page, job: number): Promise<void> {
  await page.waitForFunction(`document.body.dataset.state === 'done' && document.body.dataset.job === '${job}'`, { timeout: 90_000 });
}

/** The page's card for `mode` against the Node entry's trace of the same bytes and options. */
function expectSameAsNode(card: CardState, node: TraceResult): void {
  expect(card.svg).toBe(toSvg(node));
  expect(card.json).toBe(toJson(node));
  const pieces = node.fits.flatMap((f, c) => f.pieces.map((p) => ({ c, p })));
  const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
  expect(count(card.svg, /<path /g)).toBe(count(toSvg(node), /<path /g));
  const pathData = [...card.svg.matchAll(/ d="([^"]*)"/g)].map((m) => m[1]).join('');
  expect(count(pathData, /[Mm]/g), 'one subpath per fitted contour (a move absolute or relative, §15.7)').toBe(
    node.fits.filter((f) => f.pieces.length > 0).length,
  );
  expect(card.drawnPieces).toBe(pieces.length);
  expect(card.rows.length).toBe(pieces.length);
  expect(card.rows.map((r) => [r[1], r[2], r[3], r[5], r[6], r[7]])).toEqual(
    pieces.map(({ c, p }) => [
      String(c + 1),
      p.kind,
      String(p.report.pointCount),
      p.report.rms.toFixed(3),
      p.report.maxDeviation.toFixed(3),
      p.report.withinTolerance ? 'yes' : 'no',
    ]),
  );
  expect(card.warnings).toEqual(node.report.warnings.map((w) => w.code));
  expect(card.progressMessages, 'progress per stage and per contour').toBeGreaterThanOrEqual(11 + node.fits.length);
}

describe.skipIf(SKIP)('browser demo in headless Chromium (docs/demo/)', () => {
  let browser: Browser | undefined;
  let server: Server | undefined;
  let profile = '';
  let url = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (or SKIP_BROWSER_TEST=1 to skip on purpose)`).toBe(true);
    ({ server, url } = await serveStatic(DEMO_OUT));
    profile = mkdtempSync(join(tmpdir(), 'conicfit-chromium-'));
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, `--user-data-dir=${profile}`], timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('traces the bundled samples in both modes to the SVG and JSON the Node entry writes, with one drawn path and one table row per piece', async () => {
    const page = await browser!.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(url, { waitUntil: 'load' });
    await page.click('button[data-sample="fork-64-aa.png"]');
    await waitDone(page, 1);
    const bytes = readFileSync(join(ROOT, 'samples', 'fork-64-aa.png'));
    for (const mode of ['conic', 'linear'] as const) {
      const card = await readCard(page, mode);
      expectSameAsNode(card, await traceImage(bytes, { mode, tolerance: FIT_DEFAULTS.tolerance }));
      expect(card.svgName).toBe(`fork-64-aa-${mode}.svg`);
    }
    // The other bundled sample (600 px, a hole), then hovering a table row highlights its piece on the drawing.
    await page.click('button[data-sample="ampersand-600-aa.png"]');
    await waitDone(page, 2);
    const amp = readFileSync(join(ROOT, 'samples', 'baskerville-ampersand-600-aa.png'));
    for (const mode of ['conic', 'linear'] as const)
      expectSameAsNode(await readCard(page, mode), await traceImage(amp, { mode, tolerance: FIT_DEFAULTS.tolerance }));
    await page.hover('.card[data-mode="conic"] tbody tr:nth-child(2)');
    expect(await page.$$eval('.card[data-mode="conic"] .fit-pieces path.hl', (ps) => ps.map((p) => p.getAttribute('data-row')))).toEqual(['1']);
    expect(await page.$$eval('.card[data-mode="conic"] tbody tr.hl', (rows) => rows.length)).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'demo.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('traces a chosen file with another mode and tolerance like the Node entry, and shows progress; narrow window screenshot', async () => {
    const page = await browser!.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.setViewport({ width: 420, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    await page.click('input[name=mode][value=conic]');
    await page.evaluate(`{
      const input = document.querySelector('#tolerance');
      input.value = '0.5';
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('change'));
    }`);
    const file = join(ROOT, 'samples', 'baskerville-g-600-aa.png');
    const input = await page.$('#file');
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(file);
    await waitDone(page, 1);
    expect(await page.$$eval('.card', (cards) => cards.map((c) => c.getAttribute('data-mode')))).toEqual(['conic']);
    const card = await readCard(page, 'conic');
    expectSameAsNode(card, await traceImage(readFileSync(file), { mode: 'conic', tolerance: 0.5 }));
    expect(card.svgName).toBe('baskerville-g-600-aa-conic.svg');
    await page.screenshot({ path: join(ARTIFACTS, 'demo-narrow.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
