/**
 * The example folders' sources as the site build sees them (examples/<name>/*), and the content
 * hash that versions what a page fetches of them. One glob, so every component reads the same files.
 */
import { createHash } from 'node:crypto';

const sources = import.meta.glob<string>('/examples/*/*.{go,json,yaml,mod,sum}', { query: '?raw', import: 'default', eager: true });

/** The files of examples/<example>/ by name, e.g. { 'main.go': '…', 'config.json': '…' }. */
export function exampleFiles(example: string): Record<string, string> {
  const prefix = `/examples/${example}/`;
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(sources)) {
    if (path.startsWith(prefix)) files[path.slice(prefix.length)] = text;
  }
  return files;
}

/** Every example folder that holds a plugin (a main.go). */
export function exampleNames(): string[] {
  return [...new Set(Object.keys(sources).filter((p) => p.endsWith('/main.go')).map((p) => p.split('/')[2]!))].sort();
}

/** A short hash of the example's files: a new version of them gets a new URL, so no cache serves stale code. */
export function exampleFilesHash(example: string): string {
  const hash = createHash('sha256');
  for (const [name, text] of Object.entries(exampleFiles(example)).sort(([a], [b]) => a.localeCompare(b))) hash.update(`${name}\0${text}\0`);
  return hash.digest('hex').slice(0, 12);
}

