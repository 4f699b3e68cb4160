/**
 * Which files in dist/_astro are Monaco's: the editor itself, its CSS, codicon font and workers, and
 * every chunk that only the editor loads (the loader, the shiki-to-Monaco glue, themes, grammars).
 * Vite's names are not a contract (`editor.api.*.js` today, anything after a config change), so the
 * files are recognised by what they contain, then by who refers to them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** Strings only monaco-editor's own code produces. */
function isMonacoItself(name: string, text: string): boolean {
  switch (extname(name)) {
    case '.js':
    case '.mjs':
      // The codicon registry (editor and its workers) or the worker hook every Monaco page sets up.
      return text.includes('references an unknown codicon') || text.includes('MonacoEnvironment');
    case '.css':
      // Monaco's stylesheet has hundreds of `.monaco-…` rules; a page restyling the editor has a few.
      return (text.match(/\.monaco-/g)?.length ?? 0) >= 50;
    case '.ttf':
    case '.woff':
    case '.woff2':
      return text.includes('codicon');
    default:
      return false;
  }
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => join(dir, f));
}

/**
 * Names (no directory) of the Monaco files in `dist/_astro`. A file counts when it is Monaco itself,
 * or when it is reached from Monaco and not from any page without going through Monaco.
 */
export function monacoAssets(dist: string): Set<string> {
  const dir = join(dist, '_astro');
  const names = readdirSync(dir);
  const text = new Map(names.map((n) => [n, readFileSync(join(dir, n), 'latin1')]));
  const refs = (source: string) => names.filter((n) => source.includes(n));
  const seeds = names.filter((n) => isMonacoItself(n, text.get(n)!));

  const walk = (start: string[], stopAt: Set<string>) => {
    const seen = new Set<string>();
    const queue = start.filter((n) => !stopAt.has(n));
    while (queue.length) {
      const n = queue.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const m of refs(text.get(n)!)) if (m !== n && !stopAt.has(m)) queue.push(m);
    }
    return seen;
  };
  const seedSet = new Set(seeds);
  const fromPages = walk(htmlFiles(dist).flatMap((f) => refs(readFileSync(f, 'utf8'))), seedSet);
  const fromMonaco = walk(seeds, new Set());
  return new Set([...fromMonaco].filter((n) => seedSet.has(n) || !fromPages.has(n)));
}
