/** Runs the repository's wasm-lab CLI as a reader runs it with `npx wasm-lab`, from its TypeScript source. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
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
