/**
 * Writes build outputs so that a reader never sees half a file and two builders never trip over
 * each other's temporary files: each write goes to a name of its own, then one rename publishes it.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * A temporary name beside `path` that no other process or call picks: `<path>.<pid>-<random>.tmp`.
 * Beside, not in the system temp dir, so the final rename stays on one file system and is atomic.
 */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/** Tells whether `name` is a temporary file tempPathFor made (for clean-ups that must spare them). */
export function isTempFile(name: string): boolean {
  return /\.\d+-[0-9a-f]{8}\.tmp$/.test(name);
}

/**
 * Writes `data` to a temporary file beside `path`, then renames it over `path`. Readers see the
 * old content or the new, never a mix; of two concurrent writers, the last rename wins.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}
