/**
 * The worker entry when the CLI runs from its TypeScript sources (jobs.ts `startWorker` loads it
 * through tsx and calls `workerMain`); the built CLI (dist/cli.js) is its own worker entry.
 */
export { workerMain } from './jobs.js';
