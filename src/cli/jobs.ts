/**
 * The command line's per-file work and its worker threads (docs/design.md §8.4, "Jobs").
 *
 * Reads: one image file and the trace options. Produces: what the main thread writes and prints
 * — the SVG (and JSON) text per mode, each trace's report summary and time — or the error. The
 * main thread (core.ts) writes the files and prints in input order, so a run's files, messages and
 * exit code do not depend on `--jobs`: every trace is the same pure computation wherever it runs.
 *
 * `startJobs` runs the jobs in this thread, one at a time when asked for (jobs 1, or one file),
 * or on this thread and `jobs − 1` worker threads, each taking the next job when it is free,
 * smallest files first. A worker runs this same code:
 * the built CLI starts itself (dist/cli.js, which runs `workerMain` off the main thread); from
 * the TypeScript sources (tests, tsx) it starts `worker.ts` through tsx's loader.
 */
import { statSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { isConicfitError } from '../errors.js';
import type { FitMode, TraceReport, TraceResult } from '../model.js';
import type { TurnPolicy } from '../contours/index.js';
import { loadBitmap, traceImage } from '../node.js';
import { toJson } from '../output/json.js';
import { toSvg } from '../output/svg.js';
import { errorText } from './files.js';

/** The trace options a job needs (plain data: it crosses to a worker). */
export interface JobOptions {
  threshold?: number | 'auto';
  invert?: boolean;
  blur?: number;
  maxPixels?: number;
  tolerance?: number;
  rmsTolerance?: number;
  seed?: number;
  minArea?: number;
  turnPolicy?: TurnPolicy;
  refine?: boolean;
  dropCorners?: boolean;
  precision?: number;
  joinArcs?: boolean;
  json?: boolean;
}

export interface TraceJob {
  path: string;
  modes: FitMode[];
  options: JobOptions;
}

/** What the main thread reads of a trace: its mode and the report fields it prints. */
export type TraceSummary = Pick<TraceResult, 'mode'> & { report: Pick<TraceReport, 'totals' | 'failedIntervals' | 'raster' | 'warnings'> };

export interface JobOutput {
  mode: FitMode;
  svg: string;
  json?: string;
  summary: TraceSummary;
  /** Load (once per file) plus this mode's trace and serialisation, ms. */
  ms: number;
}

/** The outputs of the modes traced, in order; `error` when a load or a later mode failed. */
export interface JobResult {
  /** The image loaded (its output folder is made even when a trace then fails). */
  loaded: boolean;
  outputs: JobOutput[];
  error?: { code: string; message: string };
}

/** Loads once, traces in each mode, serialises. Never throws: a failure is `error`. */
export async function runJob(job: TraceJob): Promise<JobResult> {
  const { options } = job;
  const outputs: JobOutput[] = [];
  let loaded = false;
  try {
    const t0 = globalThis.performance.now();
    const { threshold, invert, blur, maxPixels } = options;
    const bitmap = await loadBitmap(job.path, { threshold, invert: invert ?? 'auto', blur, maxPixels });
    const loadMs = globalThis.performance.now() - t0;
    loaded = true;
    for (const mode of job.modes) {
      const t1 = globalThis.performance.now();
      const result = await traceImage(bitmap, {
        mode,
        tolerance: options.tolerance,
        rmsTolerance: options.rmsTolerance,
        seed: options.seed,
        minArea: options.minArea,
        turnPolicy: options.turnPolicy,
        refine: options.refine,
        dropCorners: options.dropCorners,
        maxPixels,
      });
      const svg = toSvg(result, { ...(options.precision === undefined ? {} : { precision: options.precision }), joinArcs: options.joinArcs !== false });
      const json = options.json ? toJson(result) : undefined;
      const { totals, failedIntervals, raster, warnings } = result.report;
      const summary: TraceSummary = { mode, report: { totals, failedIntervals, raster, warnings } };
      outputs.push({ mode, svg, json, summary, ms: loadMs + globalThis.performance.now() - t1 });
    }
    return { loaded, outputs };
  } catch (e) {
    return { loaded, outputs, error: { code: errorCode(e), message: errorText(e) } };
  }
}

export function errorCode(e: unknown): string {
  if (isConicfitError(e)) return e.code;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : 'INTERNAL';
}

/** Results by job index; `close` ends the workers. */
export interface JobRunner {
  result(index: number): Promise<JobResult>;
  close(): Promise<void>;
}

/**
 * Runs `jobs` on `threads` threads: this one and `threads − 1` workers (only this one when
 * `threads` ≤ 1 or there is one job: then each job runs when its result is asked for). Results
 * come back by index, whatever order they finish in.
 */
export function startJobs(jobs: TraceJob[], threads: number): JobRunner {
  const count = Math.min(threads, jobs.length);
  if (count <= 1) return { result: (i) => runJob(jobs[i]), close: async () => {} };

  const settle: Array<(r: JobResult) => void> = [];
  const results = jobs.map((_, i) => new Promise<JobResult>((resolve) => (settle[i] = resolve)));
  const workers: Worker[] = [];
  // Smallest files first (the results are still taken in input order): every thread JIT-compiles
  // the whole pipeline for itself, and its cold code costs less on small images — over the bench
  // corpus, --jobs 2 took 3.46 s of CPU smallest first against 3.88 s largest first (docs/design.md
  // §8.4). The tail is at most one large file, and a large image's fit has workers of its own.
  const sizes = jobs.map((j) => fileSize(j.path));
  const order = jobs.map((_, i) => i).sort((a, b) => sizes[a] - sizes[b] || a - b);
  let next = 0;
  const feed = (worker: Worker, busy: { index: number }) => {
    if (next >= jobs.length) return void (busy.index = -1);
    busy.index = order[next++];
    worker.postMessage({ index: busy.index, job: jobs[busy.index] });
  };
  const spawn = () => {
    const worker = startWorker();
    const busy = { index: -1 };
    worker.on('message', (m: { index: number; result: JobResult }) => {
      settle[m.index](m.result);
      feed(worker, busy);
    });
    // A worker that dies (out of memory, a crash) fails its job; a fresh one takes the rest.
    worker.on('error', (e) => {
      if (busy.index >= 0) settle[busy.index]({ loaded: false, outputs: [], error: { code: 'INTERNAL', message: `worker thread failed: ${errorText(e)}` } });
      workers.splice(workers.indexOf(worker), 1);
      if (next < jobs.length) spawn();
    });
    workers.push(worker);
    feed(worker, busy);
  };
  // This thread is one of the `count`: it takes jobs too, yielding between them so that the
  // workers' results are taken in (a worker costs a start-up and its own JIT warm-up).
  for (let k = 1; k < count; k++) spawn();
  void (async () => {
    while (next < jobs.length) {
      const index = order[next++];
      settle[index](await runJob(jobs[index]));
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    result: (i) => results[i],
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Bytes in a file, 0 when it cannot be read (its job then reports why). */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The `workerData` of a job worker (the same bundle also serves fit workers, src/fit-workers.ts). */
const JOB_ROLE = { conicfit: 'job' } as const;

/** A worker running `workerMain`: this bundle itself when built, worker.ts through tsx from the sources. */
function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL(self), { workerData: JOB_ROLE });
  const entry = JSON.stringify(new URL('./worker.ts', self).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); }).then((m) => m.workerMain());`, {
    eval: true,
    workerData: JOB_ROLE,
  });
}

/** The worker side: run each job posted, post its result back. */
export function workerMain(): void {
  if (isMainThread || parentPort === null || (workerData as typeof JOB_ROLE | undefined)?.conicfit !== JOB_ROLE.conicfit) return;
  const port = parentPort;
  port.on('message', (m: { index: number; job: TraceJob }) => {
    void runJob(m.job).then((result) => port.postMessage({ index: m.index, result }));
  });
}
