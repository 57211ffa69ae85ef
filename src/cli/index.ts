/** The `conicfit` command line entry (tsup adds the shebang); the logic is in core.ts. Started as a worker thread (jobs.ts), it runs trace jobs instead. */
import { isMainThread } from 'node:worker_threads';
import { runCli } from './core.js';
import { workerMain } from './jobs.js';

if (isMainThread) process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
else workerMain();
