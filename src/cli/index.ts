/** The `conicfit` command line entry (tsup adds the shebang); the logic is in core.ts. */
import { runCli } from './core.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
