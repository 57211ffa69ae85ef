/** The `conicfit` command line entry (tsup adds the shebang); the logic is in core.ts. Started as a worker thread (jobs.ts), it runs trace jobs instead. */
import { isMainThread } from 'node:worker_threads';
import { runCli } from './core.js';
import { workerMain } from './jobs.js';

// A reader that closes the pipe early (`conicfit trace --help | head -3`) must not crash the command
// with an unhandled EPIPE: the lines it no longer reads are dropped and the work goes on (output files
// are still written, the exit code is the run's). Other stream errors stay errors.
if (isMainThread) {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}
if (isMainThread) process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
else workerMain();
