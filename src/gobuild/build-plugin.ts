/**
 * Builds a wasip1 c-shared plugin from Go sources with the real Go compiler and linker compiled to
 * WebAssembly, as `go build -buildmode=c-shared` would (reference/in-browser-go.md §1.5):
 *   compile -o /out/main.a -p main -lang=go1.24 -complete -dwarf=false -importcfg /importcfg -pack /src/*.go
 *   link    -o /out/plugin.wasm -importcfg /importcfg -buildmode=c-shared /out/main.a
 * Dependencies arrive as prebuilt archives; the importcfg lists every package of the link closure
 * (a file of only packagefile lines is valid for both tools).
 */
import { type GoClass, runGoTool } from './go-tool.ts';
import { missingImports } from './go-imports.ts';
import { createMemFs } from './memfs.ts';

export interface GoTools {
  Go: GoClass;
  compile: WebAssembly.Module;
  link: WebAssembly.Module;
}

/** One dependency: its import path and its archive (from `go list -export`). */
export interface PackageArchive {
  importPath: string;
  bytes: Uint8Array;
}

/** A compiler or linker message placed on a source line (columns are in bytes, 1-based). */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** Peak linear memory of each tool during a build (the Go heap plus its stacks). */
export interface BuildMemory {
  compileBytes: number;
  linkBytes: number;
}

/** `compileMs` and `linkMs`: how long each tool ran (0 for a tool that did not run). */
export type BuildResult =
  | { ok: true; wasm: Uint8Array; compileMs: number; linkMs: number; memory: BuildMemory }
  | { ok: false; phase: 'compile' | 'link'; diagnostics: Diagnostic[]; output: string; compileMs: number; linkMs: number };

const DIAGNOSTIC = /^(?:\/src\/)?([^:\s]+\.go):(\d+):(\d+): (.*)$/;

/** Reads `file:line:col: message` lines out of compiler output. */
export function parseDiagnostics(output: string): Diagnostic[] {
  return output.split('\n').flatMap((line) => {
    const m = DIAGNOSTIC.exec(line.trim());
    return m ? [{ file: m[1]!, line: Number(m[2]), col: Number(m[3]), message: m[4]! }] : [];
  });
}

/**
 * Converts a compiler column (1-based, counted in UTF-8 bytes) into an editor column (1-based,
 * counted in UTF-16 code units), using the text of that line; they differ after non-ASCII text.
 */
export function byteColumnToCharColumn(lineText: string, byteColumn: number): number {
  const encoder = new TextEncoder();
  let bytes = 0;
  let units = 0;
  for (const char of lineText) {
    if (bytes >= byteColumn - 1) break;
    bytes += encoder.encode(char).length;
    units += char.length;
  }
  return units + 1;
}

/**
 * Compiles and links `sources` (file name → Go text) into plugin bytes, or returns diagnostics.
 * Throws a GoBuildError (errors.ts) when a tool runs out of memory or crashes instead of exiting.
 */
export async function buildPlugin(
  tools: GoTools,
  sources: Record<string, string>,
  packages: PackageArchive[],
  options: { lang?: string; onPhase?: (phase: 'compile' | 'link') => void } = {},
): Promise<BuildResult> {
  const names = Object.keys(sources).filter((n) => n.endsWith('.go') && !n.endsWith('_test.go')).sort();
  // A package the toolchain lacks would fail as "could not import x (open : Invalid argument)".
  const missing = missingImports(Object.fromEntries(names.map((n) => [n, sources[n]!])), new Set(packages.map((p) => p.importPath)));
  if (missing.length > 0) {
    return { ok: false, phase: 'compile', diagnostics: missing, output: missing.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'), compileMs: 0, linkMs: 0 };
  }
  const fs = createMemFs();
  for (const name of names) fs.writeFile(`/src/${name}`, sources[name]!);
  packages.forEach((p, i) => fs.writeFile(`/pkg/${i}.a`, p.bytes));
  fs.writeFile('/importcfg', packages.map((p, i) => `packagefile ${p.importPath}=/pkg/${i}.a`).join('\n') + '\n');

  const t0 = performance.now();
  options.onPhase?.('compile');
  const compile = await runGoTool(tools.Go, tools.compile, fs, [
    'compile', '-o', '/out/main.a', '-p', 'main', `-lang=${options.lang ?? 'go1.24'}`, '-complete', '-dwarf=false',
    '-importcfg', '/importcfg', '-pack', ...names.map((n) => `/src/${n}`),
  ]);
  const t1 = performance.now();
  if (compile.exitCode !== 0) {
    const output = compile.stdout + compile.stderr;
    return { ok: false, phase: 'compile', diagnostics: parseDiagnostics(output), output, compileMs: t1 - t0, linkMs: 0 };
  }
  options.onPhase?.('link');
  const link = await runGoTool(tools.Go, tools.link, fs, ['link', '-o', '/out/plugin.wasm', '-importcfg', '/importcfg', '-buildmode=c-shared', '/out/main.a']);
  const t2 = performance.now();
  const wasm = fs.readFile('/out/plugin.wasm');
  if (link.exitCode !== 0 || !wasm) {
    const output = link.stdout + link.stderr;
    return { ok: false, phase: 'link', diagnostics: parseDiagnostics(output), output, compileMs: t1 - t0, linkMs: t2 - t1 };
  }
  return { ok: true, wasm, compileMs: t1 - t0, linkMs: t2 - t1, memory: { compileBytes: compile.memoryBytes, linkBytes: link.memoryBytes } };
}
