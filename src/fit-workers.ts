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
 * Work goes out in batches of whole contours (about `points / (4 · threads)` points each, largest
 * contours first), each thread taking the next batch when free. A worker runs this same code:
 * the built bundle (dist/node.js, node.cjs, cli.js) starts itself with `workerData` marking the
 * role (`fitWorkerMain` runs only then); from the TypeScript sources, node.ts through tsx.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { FitOptions } from './fit/options.js';
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

/** `fitAll`, on `threadCount` threads (default: the cores) when the contours hold `minPoints` points or more. */
export async function fitOnWorkers(
  mode: FitMode,
  contours: Contour[],
  corners: Corner[][],
  options: Omit<FitOptions, 'contourIndex'>,
  onFitted?: (done: number) => void,
  minPoints = FIT_WORKER_POINTS,
  threadCount = availableParallelism(),
): Promise<FittedContour[]> {
  const points = contours.reduce((sum, c) => sum + c.points.length / 2, 0);
  const threads = Math.min(threadCount, contours.length);
  if (threads <= 1 || points < minPoints) return fitAll(mode, contours, corners, options, onFitted);

  const { onProgress: _, ...fitOptions } = options as Omit<FitOptions, 'contourIndex'> & { onProgress?: unknown };
  const batches = makeBatches(contours, points / (4 * threads));
  const fits: FittedContour[] = new Array(contours.length);
  let done = 0;
  let next = 0;
  const take = (indices: number[], fitted: FittedContour[]) => {
    indices.forEach((i, k) => (fits[i] = fitted[k]));
    done += indices.length;
    onFitted?.(done);
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
        const feed = () => {
          if (next >= batches.length) return resolve();
          const indices = batches[next++];
          worker.postMessage(batch(indices));
          worker.once('message', (fitted: FittedContour[]) => {
            take(indices, fitted);
            feed();
          });
        };
        worker.once('error', reject);
        feed();
      });
    });
    // This thread fits batches too, yielding between them to take the workers' results in.
    while (next < batches.length) {
      const indices = batches[next++];
      take(
        indices,
        indices.map((i) => fitContour(mode, contours[i], corners[i], fitOptions, i)),
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(runs);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return fits;
}

/** Contour indices in batches of about `size` points, largest contours first (a long one may be a batch alone). */
function makeBatches(contours: Contour[], size: number): number[][] {
  const order = contours.map((_, i) => i).sort((a, b) => contours[b].points.length - contours[a].points.length || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  let points = 0;
  for (const i of order) {
    current.push(i);
    points += contours[i].points.length / 2;
    if (points >= size) {
      batches.push(current);
      current = [];
      points = 0;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
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
  port.on('message', (b: Batch) => {
    port.postMessage(b.indices.map((index, k) => fitContour(b.mode, b.contours[k], b.corners[k], b.options, index)));
  });
}
