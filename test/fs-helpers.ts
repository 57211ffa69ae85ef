/** File-system helpers for the command-line, batch and fuzz tests. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir`, recursively. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Leftover temporary files of the atomic writer (`.name.svg.tmp-<pid>-<n>`) below `dir`. */
export const tmpFiles = (dir: string): string[] => listFiles(dir).filter((f) => f.includes('.tmp-'));
