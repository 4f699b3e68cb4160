/**
 * Runs tools/gofmt-wasm (go/format built for js/wasm) on one Go source text, through wasm_exec.js
 * and an in-memory file system like the compiler (go-tool.ts). The Format button's worker calls
 * this in the browser; tests call it in Node.
 */
import { type GoClass, runGoTool } from './go-tool.ts';
import { createMemFs } from './memfs.ts';

/** gofmt's answer: the formatted text, or its first syntax error (line and column 1-based, the column in UTF-8 bytes). */
export type GofmtAnswer = { text: string } | { error: { line: number; col: number; message: string } };

/** Reads gofmt-wasm's one line of JSON; throws when it is something else. */
export function readGofmtAnswer(stdout: string): GofmtAnswer {
  const answer = JSON.parse(stdout) as Partial<{ text: unknown; error: { line: unknown; col: unknown; message: unknown } }>;
  if (typeof answer.text === 'string') return { text: answer.text };
  const error = answer.error;
  if (error && typeof error.line === 'number' && typeof error.col === 'number' && typeof error.message === 'string') {
    return { error: { line: error.line, col: error.col, message: error.message } };
  }
  throw new Error(`gofmt answered ${stdout.slice(0, 200)}`);
}

/** Formats `source` as gofmt does. Throws when gofmt itself fails (a GoBuildError when it crashes or runs out of memory). */
export async function formatGoSource(gofmt: { Go: GoClass; module: WebAssembly.Module }, source: string): Promise<GofmtAnswer> {
  const fs = createMemFs();
  fs.writeFile('/src/main.go', source);
  const run = await runGoTool(gofmt.Go, gofmt.module, fs, ['gofmt', '/src/main.go']);
  if (run.exitCode !== 0) throw new Error(`gofmt exited with status ${run.exitCode}: ${(run.stderr + run.stdout).trim()}`);
  return readGofmtAnswer(run.stdout);
}
