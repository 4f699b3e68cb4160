/**
 * A `go build -overlay` that builds cmd/compile with the wasm backend only. The stock compiler links
 * every architecture's backend (its SSA rewrite rules are most of the binary) because
 * cmd/compile/main.go maps each GOARCH to an Init function and ssa.NewConfig switches over all of
 * them; dropping the other entries lets the linker leave them out: 12 MiB less raw, 1.2 MiB less
 * brotli for Go 1.26. Only two files of GOROOT are rewritten, in a copy; GOROOT is untouched. When
 * a Go release changes the shape of either file, `null` comes back and the full compiler is built.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CompilerOverlay {
  /** GOROOT file → replacement text (write each somewhere and pass `{ Replace: { file: copy } }`). */
  replace: Record<string, string>;
}

/** main.go with only the `"wasm": wasm.Init` entry of archInits and no imports of the other backends. */
export function wasmOnlyMain(source: string): string | null {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.startsWith('var archInits = map['));
  const end = lines.findIndex((l, i) => i > start && l === '}');
  if (start < 0 || end < 0) return null;
  const dropped = new Set<string>();
  let wasm = 0;
  const entries = lines.slice(start + 1, end).filter((line) => {
    const entry = /^\s*"([^"]+)":\s*(\w+)\.Init,$/.exec(line);
    if (!entry) return true;
    if (entry[1] === 'wasm') wasm++;
    else dropped.add(entry[2]!);
    return entry[1] === 'wasm';
  });
  if (wasm !== 1 || dropped.size === 0) return null;
  const kept = [...lines.slice(0, start + 1), ...entries, ...lines.slice(end)];
  return kept.filter((line) => ![...dropped].some((pkg) => line.trim() === `"cmd/compile/internal/${pkg}"`)).join('\n');
}

/** ssa/config.go whose NewConfig knows only `case "wasm":` (and the default that reports others). */
export function wasmOnlyConfig(source: string): string | null {
  const lines = source.split('\n');
  const fn = lines.findIndex((l) => l.startsWith('func NewConfig('));
  const open = lines.findIndex((l, i) => i > fn && l === '\tswitch arch {');
  const close = lines.findIndex((l, i) => i > open && l === '\t}');
  if (fn < 0 || open < 0 || close < 0) return null;
  let keep = false;
  let wasm = 0;
  const body = lines.slice(open + 1, close).filter((line) => {
    if (line.startsWith('\tcase ') || line.startsWith('\tdefault:')) {
      keep = line.startsWith('\tdefault:') || /"wasm"/.test(line);
      if (/"wasm"/.test(line)) wasm++;
    }
    return keep;
  });
  if (wasm !== 1) return null;
  return [...lines.slice(0, open + 1), ...body, ...lines.slice(close)].join('\n');
}

/** The overlay for `goroot`, or null when this Go release's sources do not look as expected. */
export function wasmOnlyCompilerOverlay(goroot: string): CompilerOverlay | null {
  const mainPath = join(goroot, 'src', 'cmd', 'compile', 'main.go');
  const configPath = join(goroot, 'src', 'cmd', 'compile', 'internal', 'ssa', 'config.go');
  const main = wasmOnlyMain(readFileSync(mainPath, 'utf8'));
  const config = wasmOnlyConfig(readFileSync(configPath, 'utf8'));
  return main && config ? { replace: { [mainPath]: main, [configPath]: config } } : null;
}
