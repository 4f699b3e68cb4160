/**
 * A copy of this project's working tree as a fresh clone has it: no built output (public/wasm,
 * public/go, dist, .cache). node_modules is hard-linked, a second's work instead of copying
 * ~500 MB, so tests can run npm scripts in the copy without touching the real tree.
 */
import { cpSync, linkSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, copyFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** What a fresh clone lacks: ignored build output and caches (.gitignore), and git itself. */
const NOT_IN_A_FRESH_CLONE = ['node_modules', 'dist', '.astro', '.cache', '.git', '.vitest', 'test-results', 'public/wasm', 'public/go'];

/** Copies the project into `to` (which must not exist) as described in the module comment. */
export function copyFreshProject(to: string): void {
  cpSync(PROJECT_ROOT, to, {
    recursive: true,
    filter: (from) => !NOT_IN_A_FRESH_CLONE.includes(relative(PROJECT_ROOT, from).split('\\').join('/')),
  });
  // Vite's and Astro's caches are rebuilt by the copy, as on a fresh install.
  linkTree(join(PROJECT_ROOT, 'node_modules'), join(to, 'node_modules'), new Set(['.vite', '.astro']));
}

/** Recreates `from` under `to`: directories made, files hard-linked (copied across devices), symlinks kept. */
function linkTree(from: string, to: string, skip: ReadonlySet<string> = new Set()): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (entry.isDirectory()) linkTree(source, target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}
