/** Runs the repository's wasm-lab CLI as a reader runs it with `npx wasm-lab`, from its TypeScript source. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../../src/cli/wasm-lab.ts');

/** The node arguments that start the CLI with `args`; `nodeFlags` go before the script (e.g. an --import). */
export function cliArgv(args: readonly string[], nodeFlags: readonly string[] = []): string[] {
  return ['--experimental-strip-types', '--no-warnings', ...nodeFlags, CLI, ...args];
}

/** Runs the CLI to its end in `cwd`. */
export function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; nodeFlags?: readonly string[] }): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, cliArgv(args, options.nodeFlags), { cwd: options.cwd, encoding: 'utf8', ...(options.env ? { env: options.env } : {}) });
}

/** A CLI run in progress: its process, and what it has printed so far. */
export interface StartedCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once `test` passes on what has been printed (checked as output arrives). */
  waitFor(test: (out: { stdout: string; stderr: string }) => boolean): Promise<void>;
  /** Resolves with the exit code (null when a signal ended it) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the CLI without waiting for it, for tests that act on it while it runs (Ctrl+C). */
export function startCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): StartedCli {
  const child = spawn(process.execPath, cliArgv(args), { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(options.env ? { env: options.env } : {}) });
  let stdout = '';
  let stderr = '';
  const waiting = new Set<() => void>();
  const onData = () => {
    for (const check of waiting) check();
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    onData();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    onData();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor: (test) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!test({ stdout, stderr })) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        void exited.then(() => {
          if (!waiting.has(check)) return;
          waiting.delete(check);
          reject(new Error(`the CLI exited before the awaited output; stderr: ${stderr}`));
        });
        check();
      }),
  };
}
