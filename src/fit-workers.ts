/**
 * The fit stage on worker threads (docs/design.md §1.4), Node only: the Node entry's `traceImage`
 * shares a large image's contours among this thread and `availableParallelism() − 1` workers,
 * started at the corner stage so that their start-up overlaps it (`workerStages`, one per trace).
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
import { detectAllCorners, fitAll, fitContour, type CornerStage, type FitStage } from './trace.js';
import type { Contour, Corner } from './types.js';

/** Contour points from which the fit is shared among threads (a 4000 × 3000 text scan has ~10⁶). */
export const FIT_WORKER_POINTS = 200_000;

/** The `workerData` of a fit worker. */
const ROLE = { conicfit: 'fit' } as const;

/** What a worker is sent: a batch of contours to fit. */
interface Job {
  mode: FitMode;
  options: Omit<FitOptions, 'contourIndex'>;
  indices: number[];
  contours: Contour[];
  corners: Corner[][];
}

/** The corner and fit stages of one trace sharing its worker threads; `close` ends them (call it once the trace is done). */
export interface WorkerStages {
  corners: CornerStage;
  fit: FitStage;
  close(): Promise<void>;
}

/**
 * A trace's corner and fit stages: for contours holding `minPoints` points or more the fit runs on
 * `threadCount` threads (default: the cores), whose workers the corner stage starts; otherwise
 * both run on this thread alone. `minBatchPoints` is the smallest batch (tests lower it to
 * exercise many batches).
 */
export function workerStages(minPoints = FIT_WORKER_POINTS, threadCount = availableParallelism(), minBatchPoints = MIN_BATCH_POINTS): WorkerStages {
  const workers: Worker[] = [];
  /** Threads for these contours, their points and the workers (started here), or null: this thread alone. */
  const plan = (contours: Contour[]) => {
    const points = contours.reduce((sum, c) => sum + c.points.length / 2, 0);
    const threads = Math.min(threadCount, contours.length);
    if (threads <= 1 || points < minPoints) return null;
    while (workers.length < threads - 1) workers.push(startFitWorker());
    return { points, threads, workers: workers.slice(0, threads - 1) };
  };

  // The corner stage stays on this thread (on linn.png a cold worker's share took longer than the
  // whole stage here, docs/design.md §1.4) but starts the workers, whose start-up then overlaps it.
  const corners: CornerStage = (contours, options) => {
    plan(contours);
    return detectAllCorners(contours, options);
  };

  const fit: FitStage = async (mode, contours, corners, options, onFitted) => {
    const p = plan(contours);
    if (p === null) return fitAll(mode, contours, corners, options, onFitted);
    const { onProgress: _, ...fitOptions } = options as Omit<FitOptions, 'contourIndex'> & { onProgress?: unknown };
    const fits: FittedContour[] = new Array(contours.length);
    const ws = new FitWorkspace(); // this thread's scratch, reused across its contours
    let done = 0;
    await share(
      p.workers,
      batchTaker(contours, p.points, p.threads, minBatchPoints),
      (indices) => ({
        mode,
        options: fitOptions,
        indices,
        contours: indices.map((i) => contours[i]),
        corners: indices.map((i) => corners[i]),
      }),
      (i) => fitContour(mode, contours[i], corners[i], fitOptions, i, ws),
      (i, fitted: FittedContour) => {
        fits[i] = fitted;
        onFitted?.(++done);
      },
    );
    return fits;
  };

  const close = async () => {
    await Promise.all(workers.splice(0).map((w) => w.terminate()));
  };
  return { corners, fit, close };
}

/** `fitAll`, on `threadCount` threads when the contours hold `minPoints` points or more (`workerStages`' fit stage alone). */
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
  const stages = workerStages(minPoints, threadCount, minBatchPoints);
  try {
    return await stages.fit(mode, contours, corners, options, onFitted);
  } finally {
    await stages.close();
  }
}

/**
 * One stage's contours shared among `workers` and this thread, batch by batch from `next`: `job`
 * makes a worker's message, `local` does one contour here, `take` stores a result (any order).
 */
async function share<R>(
  workers: Worker[],
  next: () => number[] | null,
  job: (indices: number[]) => Job,
  local: (i: number) => R,
  take: (i: number, result: R) => void,
): Promise<void> {
  const runs = workers.map(
    (worker) =>
      new Promise<void>((resolve, reject) => {
        // Up to WORKER_QUEUE batches posted ahead, so a worker that finishes one starts the next at
        // once instead of idling until this thread yields (results come back in posting order).
        const posted: number[][] = [];
        const post = () => {
          const indices = next();
          if (indices === null) return;
          posted.push(indices);
          worker.postMessage(job(indices));
        };
        const end = (error?: Error) => {
          worker.off('message', onResults);
          worker.off('error', end);
          if (error === undefined) resolve();
          else reject(error);
        };
        const onResults = (results: R[]) => {
          posted.shift()!.forEach((i, k) => take(i, results[k]));
          post();
          if (posted.length === 0) end();
        };
        worker.on('message', onResults);
        worker.on('error', end);
        for (let q = 0; q < WORKER_QUEUE; q++) post();
        if (posted.length === 0) end();
      }),
  );
  // Handled now, awaited after this thread's share: a worker's error must not go unhandled meanwhile.
  const all = Promise.all(runs);
  all.catch(() => {});
  // This thread takes batches too, yielding every YIELD_MS to take the workers' results in and post them more.
  let yielded = performance.now();
  for (let indices = next(); indices !== null; indices = next()) {
    for (const i of indices) {
      take(i, local(i));
      if (performance.now() - yielded > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
    }
  }
  await all;
}

/** Batches a worker holds at once: the one it fits and the next. */
const WORKER_QUEUE = 2;
/** This thread yields to the workers' messages this often (ms) while it works. */
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
  port.on('message', (job: Job) => {
    port.postMessage(job.indices.map((index, k) => fitContour(job.mode, job.contours[k], job.corners[k], job.options, index, ws)));
  });
}
