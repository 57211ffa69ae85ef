/**
 * Peak memory of tracing a large scan: a 4096×4096 synthetic grey "scan" (glyph-like shapes —
 * rings, stems with serifs, bowls, wedges, counters — anti-aliased, with paper noise), built in
 * memory as a raw grey image and traced with traceImage in conic mode.
 *
 *   tsx bench/memory.ts [--size 4096] [--mode conic|linear]
 *
 * Tracing is synchronous after loading, so a setInterval sampler never runs while it works. The
 * honest figure is the process's peak resident set (`process.resourceUsage().maxRSS`, the kernel's
 * high-water mark), read at exit in a child process; a second child that only loads the same
 * modules gives the baseline, and (peak − baseline) / pixels is the cost per pixel. A third child
 * runs the stages one by one (load → contours → corners → fit → raster), keeping every stage's
 * output alive as traceImage does, and samples ArrayBuffer memory between them: the peak of those
 * samples is a lower bound of the true ArrayBuffer peak (inside a stage it may be higher).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '4096' },
    mode: { type: 'string', default: 'conic' },
    child: { type: 'string' },
  },
});
const SIZE = Number(values.size);
const MODE = values.mode === 'linear' ? 'linear' : 'conic';
const MB = 1024 * 1024;

/** Signed distance (px, > 0 inside) of a glyph-like shape centred in a cell of side s. */
type Shape = (x: number, y: number, s: number) => number;
const ring =
  (rx: number, ry: number, w: number): Shape =>
  (x, y, s) => {
    const d = Math.hypot((x - s / 2) / rx, (y - s / 2) / ry) * Math.min(rx, ry) - Math.min(rx, ry) * s * 0.3;
    return w * s * 0.5 - Math.abs(d);
  };
const box = (x0: number, y0: number, x1: number, y1: number) => (x: number, y: number, s: number) => Math.min(x - x0 * s, x1 * s - x, y - y0 * s, y1 * s - y);
const union =
  (...f: Shape[]): Shape =>
  (x, y, s) =>
    Math.max(...f.map((g) => g(x, y, s)));
const minus =
  (a: Shape, b: Shape): Shape =>
  (x, y, s) =>
    Math.min(a(x, y, s), -b(x, y, s));
const SHAPES: Shape[] = [
  ring(1, 1, 0.12), // O
  union(box(0.42, 0.12, 0.58, 0.88), box(0.3, 0.12, 0.7, 0.2), box(0.3, 0.8, 0.7, 0.88)), // I with serifs
  union(box(0.25, 0.12, 0.4, 0.88), box(0.25, 0.75, 0.75, 0.88)), // L
  minus(ring(1, 1.15, 0.1), box(0.5, 0.4, 1, 0.6)), // C
  (x, y, s) => {
    // A wedge with a triangular counter (an "A" without the bar)
    const outer = Math.min(y - 0.12 * s, 0.88 * s - y, 0.5 * s - Math.abs(x - 0.5 * s) - (0.88 * s - y) * 0.45);
    const inner = Math.min(y - 0.5 * s, 0.8 * s - y, 0.5 * s - Math.abs(x - 0.5 * s) - (0.88 * s - y) * 0.45 + 0.08 * s);
    return Math.min(outer, -inner);
  },
  union(ring(0.8, 1, 0.07), box(0.62, 0.15, 0.72, 0.85)), // a bowl with a stem ("d"-like)
];

/** The synthetic scan: a grid of glyph cells on slightly noisy paper, grey 0..255 (0 = ink). */
function makeScan(size: number): Uint8Array {
  const cells = Math.max(1, Math.round(size / 640));
  const cell = size / cells;
  const data = new Uint8Array(size * size);
  let seed = 12345;
  const rnd = () => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed / 2 ** 32;
  };
  for (let y = 0; y < size; y++) {
    const cy = Math.floor(y / cell);
    for (let x = 0; x < size; x++) {
      const cx = Math.floor(x / cell);
      const shape = SHAPES[(cx + cy * cells) % SHAPES.length];
      const d = shape(x + 0.5 - cx * cell, y + 0.5 - cy * cell, cell * 0.9);
      const cov = Math.min(1, Math.max(0, d + 0.5));
      const paper = 240 + rnd() * 12;
      data[y * size + x] = Math.round(paper * (1 - cov) + 20 * cov);
    }
  }
  return data;
}

// ---------------------------------------------------------------------------------------------
// Children

async function child(kind: string): Promise<void> {
  const lib = await import('../src/node.js');
  const out: Record<string, unknown> = { kind };
  if (kind === 'trace') {
    const t0 = performance.now();
    const data = makeScan(SIZE);
    out.buildMs = performance.now() - t0;
    const before = process.memoryUsage();
    const t1 = performance.now();
    const result = await lib.traceImage({ width: SIZE, height: SIZE, data }, { mode: MODE, seed: 1 });
    out.traceMs = performance.now() - t1;
    const after = process.memoryUsage();
    out.arrayBuffersBefore = before.arrayBuffers;
    out.arrayBuffersAfter = after.arrayBuffers;
    out.totals = result.report.totals;
    out.timings = result.report.timings;
    out.raster = result.report.raster;
  } else if (kind === 'stages') {
    const data = makeScan(SIZE);
    const samples: Record<string, number> = {};
    const sample = (name: string) => (samples[name] = process.memoryUsage().arrayBuffers);
    sample('input');
    const bitmap = await lib.loadBitmap({ width: SIZE, height: SIZE, data });
    sample('load');
    const { contours } = lib.extractContoursWithStats(bitmap, {});
    sample('contours');
    const corners = contours.map((c) => lib.detectCorners(c));
    sample('corners');
    const fits = lib.fitAll(MODE, contours, corners, { seed: 1 });
    sample('fit');
    lib.compareRaster(fits, bitmap);
    sample('raster');
    out.arrayBuffers = samples;
    out.keep = [bitmap.width, contours.length, corners.length, fits.length];
  }
  out.maxRSS = process.resourceUsage().maxRSS * 1024; // KiB → bytes
  console.log(JSON.stringify(out));
}

async function spawn(kind: string): Promise<Record<string, unknown>> {
  const self = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', self, '--child', kind, '--size', String(SIZE), '--mode', MODE], {
    maxBuffer: 16 * MB,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

if (values.child) {
  await child(values.child);
} else {
  const px = SIZE * SIZE;
  console.log(`conicfit memory: ${SIZE}×${SIZE} synthetic grey scan (${(px / 1e6).toFixed(1)} MP), traceImage mode ${MODE}`);
  const baseline = await spawn('baseline');
  const trace = await spawn('trace');
  const stages = await spawn('stages');
  const mb = (b: unknown) => `${((b as number) / MB).toFixed(1)} MB`;
  const net = (trace.maxRSS as number) - (baseline.maxRSS as number);
  const totals = trace.totals as Record<string, number>;
  console.log(`  baseline process (modules loaded, nothing traced): peak RSS ${mb(baseline.maxRSS)}`);
  console.log(
    `  trace process: peak RSS ${mb(trace.maxRSS)}; build ${(trace.buildMs as number).toFixed(0)} ms, trace ${(trace.traceMs as number).toFixed(0)} ms`,
  );
  console.log(
    `    ${totals.contours} contours, ${totals.points} points, ${totals.corners} corners, ${totals.intervals} intervals, max deviation ${totals.maxDeviation.toFixed(3)} px`,
  );
  console.log(`  peak RSS − baseline = ${mb(net)} = ${(net / px).toFixed(1)} bytes per pixel (includes the 1 byte/pixel grey input)`);
  const ab = stages.arrayBuffers as Record<string, number>;
  const peakAb = Math.max(...Object.values(ab));
  console.log(
    `  ArrayBuffers between stages (stage outputs kept alive): ${Object.entries(ab)
      .map(([k, v]) => `${k} ${mb(v)}`)
      .join(', ')}`,
  );
  console.log(`  peak ArrayBuffers seen = ${mb(peakAb)} = ${(peakAb / px).toFixed(1)} bytes per pixel (a lower bound; stages run synchronously)`);
  console.log(`  stages process peak RSS ${mb(stages.maxRSS)}`);
}
