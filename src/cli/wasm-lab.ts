#!/usr/bin/env -S node --experimental-strip-types --no-warnings
/**
 * wasm-lab: run a Higress Go plugin against a scenario from the terminal (shared/design.md, "CLI").
 *   wasm-lab run <plugin> --scenario <file> [--config <file|json>] [--redis memory|redis://…] [--json] [--trace]
 *   wasm-lab test <scenario…>
 *   wasm-lab inspect <plugin>
 * A thin face over the harness: parse arguments, call it, print the result.
 */
import { parseArgs } from 'node:util';
import { isHarnessError } from '../harness/errors.ts';
import { inspectCommand } from './inspect.ts';
import { runCommand } from './run.ts';
import { testCommand } from './test.ts';

const USAGE = `usage:
  wasm-lab run <plugin> --scenario <file> [--config <file|json>] [--redis memory|redis://host:port] [--json] [--trace]
  wasm-lab test <scenario.yaml…> [--redis …]
  wasm-lab inspect <plugin>

<plugin> is an example name (redis-limiter) or a path to a .wasm file.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scenario: { type: 'string', short: 's' },
      config: { type: 'string', short: 'c' },
      redis: { type: 'string', default: 'memory' },
      json: { type: 'boolean', default: false },
      trace: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const redisUrl = values.redis === 'memory' ? undefined : values.redis;
  switch (command) {
    case 'run':
      return runCommand({ plugin: rest[0], scenario: values.scenario, config: values.config, redisUrl, json: values.json, trace: values.trace });
    case 'test':
      if (values.config !== undefined) {
        console.error('--config applies to wasm-lab run; for wasm-lab test, put the config under "config:" in the scenario file.');
        return 2;
      }
      return testCommand({ scenarios: rest, redisUrl, json: values.json });
    case 'inspect':
      return inspectCommand(rest[0], values.json);
    default:
      console.error(`unknown command "${command}"; use run, test or inspect.\n\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (isHarnessError(error)) {
    console.error(error.message + (error.hint ? ` (${error.hint})` : ''));
  } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`${error.message}\n\n${USAGE}`);
  } else {
    throw error;
  }
  process.exitCode = 2;
}
