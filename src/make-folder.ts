/**
 * `mkdir -p` that always ends (Node only). Node 20's `mkdirSync(dir, { recursive: true })` loops
 * forever where `mkdir` answers ENOENT although the parent exists — procfs does (`-o /proc/x`;
 * docs/design.md §8.4) — so each missing level is made here once, and a second ENOENT is thrown.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Makes `dir` and any missing parents; an existing folder is fine, anything else throws the file system's error. */
export function makeFolder(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(dir).isDirectory()) return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw e;
    makeFolder(dirname(dir));
    try {
      mkdirSync(dir);
    } catch (again) {
      // Made meanwhile by another process: as good as made here.
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw again;
    }
  }
}
