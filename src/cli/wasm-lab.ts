#!/usr/bin/env -S node --experimental-strip-types --no-warnings
/**
 * wasm-lab: run a Higress Go plugin against a scenario from the terminal (shared/design.md, "CLI").
 *   wasm-lab run <plugin> --scenario <file> [--config <file|json>] [--redis memory|redis://…] [--json] [--trace]
 *   wasm-lab test <scenario…>
 *   wasm-lab inspect <plugin>
 *   wasm-lab init <dir> [--template <name>]
 * A thin face over the harness: read the command line, call it, print the result. Every failure
 * ends with one sentence on stderr and exit code 2, never a stack (failure.ts).
 */
import { describeFailure } from './failure.ts';
import { initCommand } from './init.ts';
import { inspectCommand } from './inspect.ts';
import { readCommandLine, USAGE } from './options.ts';
import { checkRedisReachable, runCommand } from './run.ts';
import { testCommand } from './test.ts';

async function main(argv: string[]): Promise<number> {
  const invocation = readCommandLine(argv);
  switch (invocation.command) {
    case 'help':
      console.log(USAGE);
      return invocation.exitCode;
    case 'run':
      if (invocation.redisUrl) await checkRedisReachable(invocation.redisUrl);
      return runCommand(invocation);
    case 'test':
      if (invocation.redisUrl) await checkRedisReachable(invocation.redisUrl);
      return testCommand(invocation);
    case 'inspect':
      return inspectCommand(invocation.plugin, invocation.json);
    case 'init':
      return initCommand(invocation);
  }
}

function fail(error: unknown): void {
  console.error(describeFailure(error));
  process.exit(2);
}

// Errors thrown outside main's promise chain (an event handler, a timer) get the same one sentence.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// A reader that stops early (`wasm-lab run … | head`) is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? process.exit(0) : fail(error)));

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  fail(error);
}
