/**
 * The fit stage on worker threads (docs/design.md §1.4), Node only: the Node entry's `traceImage`
 * shares a large image's contours among this thread and `availableParallelism() − 1` workers.
 *
 * Reads: the contours, their corners and the fit options. Produces: the same `FittedContour[]` as
 * `fitAll` (src/trace.ts) — every contour is fitted by `fitContour` with its own index, which seeds
 * its random streams (§5.5), so where it runs does not change a bit; structured cloning keeps
 * every number (−0 and NaN included) and key order. Small images (under `FIT_WORKER_POINTS`
 * contour points) stay on this thread: a worker's start-up and JIT warm-up cost more than it saves.
 *
 * Work goes out in batches of whole contours, largest contours first, shrinking towards the end
 * (guided self-scheduling, `batchTaker`); each worker holds two batches so it never waits for this
 * thread, which fits batches too and yields every few ms to answer the workers. A worker runs this same code:
 * the built bundle (dist/node.js, node.cjs, cli.js) starts itself with `workerData` marking the
 * role (`fitWorkerMain` runs only then); from the TypeScript sources, node.ts through tsx.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { FitOptions } from './fit/options.js';
import { FitWorkspace } from './fit/workspace.js';
import type { FitMode, FittedContour } from './model.js';
import { fitAll, fitContour } from './trace.js';
import type { Contour, Corner } from './types.js';

/** Contour points from which the fit is shared among threads (a 4000 × 3000 text scan has ~10⁶). */
export const FIT_WORKER_POINTS = 200_000;

/** The `workerData` of a fit worker. */
const ROLE = { conicfit: 'fit' } as const;

interface Batch {
  mode: FitMode;
  options: Omit<FitOptions, 'contourIndex'>;
  indices: number[];
  contours: Contour[];
  corners: Corner[][];
}

/**
 * `fitAll`, on `threadCount` threads (default: the cores) when the contours hold `minPoints` points
 * or more; `minBatchPoints` is the smallest batch (tests lower it to exercise many batches).
 */
export async function fitOnWorkers(
  mode: FitMode,
  contours: Contour[],
  corners: Corner[][],
  options: Omit<FitOptions, 'contourIndex'>,
  onFitted?: (done: number) => void,
  minPoints = FIT_WORKER_POINTS,
  threadCount = availableParallelism(),
  minBatchPoints = MIN_BATCH_POINTS,
): Promise<FittedContour[]> {
  const points = contours.reduce((sum, c) => sum + c.points.length / 2, 0);
  const threads = Math.min(threadCount, contours.length);
  if (threads <= 1 || points < minPoints) return fitAll(mode, contours, corners, options, onFitted);

  const { onProgress: _, ...fitOptions } = options as Omit<FitOptions, 'contourIndex'> & { onProgress?: unknown };
  const next = batchTaker(contours, points, threads, minBatchPoints);
  const fits: FittedContour[] = new Array(contours.length);
  let done = 0;
  const take = (i: number, fitted: FittedContour) => {
    fits[i] = fitted;
    onFitted?.(++done);
  };
  const batch = (indices: number[]): Batch => ({
    mode,
    options: fitOptions,
    indices,
    contours: indices.map((i) => contours[i]),
    corners: indices.map((i) => corners[i]),
  });

  const workers: Worker[] = [];
  try {
    const runs = Array.from({ length: threads - 1 }, () => {
      const worker = startFitWorker();
      workers.push(worker);
      return new Promise<void>((resolve, reject) => {
        // Up to WORKER_QUEUE batches posted ahead, so a worker that finishes one starts the next at
        // once instead of idling until this thread yields (results come back in posting order).
        const posted: number[][] = [];
        const post = () => {
          const indices = next();
          if (indices === null) return;
          posted.push(indices);
          worker.postMessage(batch(indices));
        };
        worker.on('message', (fitted: FittedContour[]) => {
          posted.shift()!.forEach((i, k) => take(i, fitted[k]));
          post();
          if (posted.length === 0) resolve();
        });
        worker.once('error', reject);
        for (let q = 0; q < WORKER_QUEUE; q++) post();
        if (posted.length === 0) resolve();
      });
    });
    // This thread fits batches too, yielding every YIELD_MS to take the workers' results in and post them more.
    const ws = new FitWorkspace();
    let yielded = performance.now();
    for (let indices = next(); indices !== null; indices = next()) {
      for (const i of indices) {
        take(i, fitContour(mode, contours[i], corners[i], fitOptions, i, ws));
        if (performance.now() - yielded > YIELD_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          yielded = performance.now();
        }
      }
    }
    await Promise.all(runs);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return fits;
}

/** Batches a worker holds at once: the one it fits and the next. */
const WORKER_QUEUE = 2;
/** The main thread yields to the workers' messages this often (ms) while it fits. */
const YIELD_MS = 5;
/** The smallest batch (contour points): a few ms of fitting, against ~0.1 ms of messaging. */
const MIN_BATCH_POINTS = 2000;

/**
 * The batches, largest contours first, as a function returning the next one (null when none is
 * left): guided self-scheduling, each batch about the points left / (4 · threads) but at least
 * `minBatch` points, so the batches shrink towards the end and the threads finish close together.
 */
function batchTaker(contours: Contour[], points: number, threads: number, minBatch: number): () => number[] | null {
  const order = contours.map((_, i) => i).sort((a, b) => contours[b].points.length - contours[a].points.length || a - b);
  let cursor = 0;
  let left = points;
  return () => {
    if (cursor >= order.length) return null;
    const size = Math.max(minBatch, left / (4 * threads));
    const indices: number[] = [];
    let taken = 0;
    while (cursor < order.length && taken < size) {
      const i = order[cursor++];
      indices.push(i);
      taken += contours[i].points.length / 2;
    }
    left -= taken;
    return indices;
  };
}

/** This module's bundle (dist/node.js, node.cjs or cli.js) as a fit worker, or node.ts through tsx from the sources. */
function startFitWorker(): Worker {
  const self = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  if (!self.endsWith('.ts')) return new Worker(self, { workerData: ROLE });
  const entry = JSON.stringify(new URL('./node.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`, { eval: true, workerData: ROLE });
}

/** The worker side (run by node.ts when loaded as a fit worker): fit each batch posted, post the fits back. */
export function fitWorkerMain(): void {
  if (isMainThread || parentPort === null || (workerData as typeof ROLE | undefined)?.conicfit !== ROLE.conicfit) return;
  const port = parentPort;
  const ws = new FitWorkspace(); // this worker's scratch, reused across its contours
  port.on('message', (b: Batch) => {
    port.postMessage(b.indices.map((index, k) => fitContour(b.mode, b.contours[k], b.corners[k], b.options, index, ws)));
  });
}
