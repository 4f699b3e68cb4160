/** Content hash of a Go module folder: what decides whether an example must be rebuilt. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SOURCE_FILE = /(\.go|^go\.mod|^go\.sum)$/;

/** Lists the Go sources, go.mod and go.sum under `dir`, sorted, skipping `_test.go` files. */
export function listGoSources(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) {
        if (!name.startsWith('.') && name !== 'testdata') walk(path);
      } else if (SOURCE_FILE.test(name) && !name.endsWith('_test.go')) {
        found.push(path);
      }
    }
  };
  walk(dir);
  return found.sort();
}

/** Hashes the sources' paths and bytes together with anything else that shapes the build. */
export function hashSources(dir: string, salt: string): string {
  const hash = createHash('sha256').update(salt);
  for (const path of listGoSources(dir)) {
    hash.update(`\0${relative(dir, path)}\0`).update(readFileSync(path));
  }
  return hash.digest('hex').slice(0, 16);
}
