/**
 * Reads wasm-lab's command line and checks it before anything runs: a bad option, an option the
 * command does not use, a wrong number of arguments or a --redis that is not a Redis URL each end
 * the command with one sentence (a HarnessError of kind `bad-input`), never with a half run.
 */
import { parseArgs } from 'node:util';
import { closest, HarnessError, show } from '../harness/errors.ts';
import { parseRedisUrl } from '../harness/node/redis-tcp.ts';
import { INIT_TEMPLATES } from './init-templates.ts';

export const USAGE = `usage:
  wasm-lab run <plugin> --scenario <file> [--config <file|json>] [--redis memory|redis://host:port] [--json|--jsonl] [--trace] [--watch]
  wasm-lab test <scenario.yaml…> [--plugin <plugin>] [--redis …] [--json] [--reporter junit --output <file.xml>]
  wasm-lab inspect <plugin> [--json]
  wasm-lab init <dir> [--template ${INIT_TEMPLATES.map((t) => t.name).join('|')}]

<plugin> is an example name (redis-limiter) or a path to a .wasm file; test --plugin runs the
scenarios against it instead of the plugin each one names. run --watch rebuilds the plugin with
go build when a .go file beside it changes, and runs the scenario again. test --reporter junit
writes a JUnit XML file for CI besides the usual output.

Outcomes are printed as requests end (--jsonl: one JSON object per line). A run longer than two
seconds shows its progress on stderr (WASM_LAB_PROGRESS=1 shows it when stderr is not a
terminal, 0 hides it). Ctrl+C stops a run after the current event: the outcomes so far are
printed, a JSON array is closed, and wasm-lab exits with 130.`;

export type Invocation =
  | { command: 'help'; exitCode: 0 | 2 }
  | { command: 'run'; plugin?: string; scenario: string; config?: string; redisUrl?: string; json: boolean; jsonl?: boolean; trace: boolean; watch: boolean }
  | { command: 'test'; scenarios: string[]; plugin?: string; redisUrl?: string; json: boolean; junit?: string }
  | { command: 'inspect'; plugin: string; json: boolean }
  | { command: 'init'; dir: string; template?: string };

const OPTIONS = {
  scenario: { type: 'string', short: 's' },
  plugin: { type: 'string', short: 'p' },
  config: { type: 'string', short: 'c' },
  redis: { type: 'string' },
  json: { type: 'boolean' },
  jsonl: { type: 'boolean' },
  trace: { type: 'boolean' },
  watch: { type: 'boolean', short: 'w' },
  reporter: { type: 'string' },
  output: { type: 'string', short: 'o' },
  template: { type: 'string', short: 't' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

const COMMANDS = ['run', 'test', 'inspect', 'init'] as const;

/** The options each command takes besides --help. */
const TAKES: Record<(typeof COMMANDS)[number], readonly OptionName[]> = {
  run: ['scenario', 'config', 'redis', 'json', 'jsonl', 'trace', 'watch'],
  test: ['plugin', 'redis', 'json', 'reporter', 'output'],
  inspect: ['json'],
  init: ['template'],
};

/** What to do instead of an option the command does not take, where more than "drop it" helps. */
const NOT_FOR: Partial<Record<(typeof COMMANDS)[number], Partial<Record<OptionName, string>>>> = {
  run: {
    plugin: '--plugin applies to wasm-lab test; for wasm-lab run, pass the plugin as the first argument: wasm-lab run <plugin> --scenario <file>.',
  },
  test: {
    scenario: '--scenario applies to wasm-lab run; for wasm-lab test, pass the scenario files as arguments: wasm-lab test a.yaml b.yaml.',
    config: '--config applies to wasm-lab run; for wasm-lab test, put the config under "config:" in the scenario file.',
    jsonl: '--jsonl applies to wasm-lab run; wasm-lab test --json reports each scenario file as JSON.',
    trace: '--trace applies to wasm-lab run; to see the host calls of one scenario, use wasm-lab run <plugin> --scenario <file> --trace.',
  },
  inspect: {
    plugin: '--plugin applies to wasm-lab test; for wasm-lab inspect, pass the plugin as the argument: wasm-lab inspect <plugin>.',
    scenario: '--scenario applies to wasm-lab run; wasm-lab inspect only reads the module, so drop it.',
    config: '--config applies to wasm-lab run; wasm-lab inspect only reads the module, so drop it.',
    redis: '--redis applies to wasm-lab run and test; wasm-lab inspect only reads the module, so drop it.',
    trace: '--trace applies to wasm-lab run; wasm-lab inspect only reads the module, so drop it.',
  },
};

/** A command line that cannot run, in one sentence. */
export class UsageError extends HarnessError {
  constructor(message: string) {
    super('bad-input', message);
    this.name = 'UsageError';
  }
}

/** Reads argv (without node and the script); throws UsageError naming the first problem. */
export function readCommandLine(argv: string[]): Invocation {
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (values.help) return { command: 'help', exitCode: 0 };
  if (command === undefined) return { command: 'help', exitCode: 2 };
  if (!(COMMANDS as readonly string[]).includes(command)) {
    const near = closest(command, [...COMMANDS]);
    throw new UsageError(`unknown command ${show(command)}; ${near ? `did you mean "${near}"? (the commands are run, test, inspect and init)` : 'use run, test, inspect or init.'}`);
  }
  const name = command as (typeof COMMANDS)[number];
  for (const option of Object.keys(values) as OptionName[]) {
    if (option === 'help' || TAKES[name].includes(option)) continue;
    const owners = COMMANDS.filter((c) => TAKES[c].includes(option));
    const where = owners.length > 1 ? `${owners.slice(0, -1).join(', ')} and ${owners.at(-1)}` : owners[0];
    throw new UsageError(NOT_FOR[name]?.[option] ?? `--${option} applies to wasm-lab ${where}; drop it from wasm-lab ${name}.`);
  }
  if (name === 'init') {
    if (rest.length !== 1) throw new UsageError('wasm-lab init takes one folder to make the project in, e.g. wasm-lab init my-plugin.');
    if (values.template?.trim() === '') throw new UsageError('--template is empty; name one, e.g. --template limiter.');
    return { command: 'init', dir: rest[0]!, ...(values.template ? { template: values.template } : {}) };
  }
  const json = values.json ?? false;
  const redisUrl = readRedisOption(values.redis);
  if (command === 'test') {
    if (rest.length === 0) throw new UsageError('wasm-lab test needs at least one scenario file, e.g. wasm-lab test examples/redis-limiter/scenario.yaml.');
    if (values.plugin?.trim() === '') throw new UsageError('--plugin is empty; name an example or a .wasm file, e.g. --plugin ai-token-usage-naive.');
    const junit = readReporter(values.reporter, values.output);
    return { command, scenarios: rest, json, ...(values.plugin ? { plugin: values.plugin } : {}), ...(redisUrl ? { redisUrl } : {}), ...(junit ? { junit } : {}) };
  }
  if (rest.length > 1) {
    const hint = command === 'run' ? 'pass the scenario with --scenario <file>' : 'inspect them one at a time';
    throw new UsageError(`wasm-lab ${command} takes one plugin, but got ${rest.length} arguments (${rest.map(show).join(', ')}); ${hint}.`);
  }
  const [plugin] = rest;
  if (command === 'inspect') {
    if (plugin === undefined) throw new UsageError('wasm-lab inspect needs a plugin: an example name or a .wasm path.');
    return { command, plugin, json };
  }
  if (values.scenario === undefined) throw new UsageError('wasm-lab run needs --scenario <file>; see examples/*/scenario.yaml.');
  if (json && values.jsonl) throw new UsageError('--json and --jsonl are two ways to print the same outcomes; keep one.');
  if (values.scenario.trim() === '') throw new UsageError('--scenario is empty; name a scenario file, e.g. --scenario examples/redis-limiter/scenario.yaml.');
  return {
    command: 'run',
    scenario: values.scenario,
    json,
    ...(values.jsonl ? { jsonl: true } : {}),
    trace: values.trace ?? false,
    watch: values.watch ?? false,
    ...(plugin === undefined ? {} : { plugin }),
    ...(values.config === undefined ? {} : { config: values.config }),
    ...(redisUrl ? { redisUrl } : {}),
  };
}

/** `--reporter junit --output <file>`: the JUnit file to write, or undefined without --reporter. */
function readReporter(reporter: string | undefined, output: string | undefined): string | undefined {
  if (reporter === undefined) {
    if (output !== undefined) throw new UsageError('--output names the file of a --reporter; write --reporter junit --output results.xml.');
    return undefined;
  }
  if (reporter !== 'junit') throw new UsageError(`--reporter ${show(reporter)} is not one wasm-lab writes; use --reporter junit --output results.xml.`);
  if (output === undefined || output.trim() === '') throw new UsageError('--reporter junit needs a file to write: add --output results.xml.');
  return output;
}

/** `--redis`: undefined for the in-memory Redis (absent or `memory`), else a checked redis:// URL. */
export function readRedisOption(value: string | undefined): string | undefined {
  if (value === undefined || value === 'memory') return undefined;
  try {
    parseRedisUrl(value);
  } catch {
    throw new UsageError(`--redis ${show(value)} is neither memory nor a Redis URL; write --redis memory or --redis redis://[user:password@]host[:port][/db].`);
  }
  return value;
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError(parseErrorSentence(error));
  }
}

/** parseArgs' own messages, reworded as one sentence that names the fix. */
function parseErrorSentence(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  const given = /'(-[^' ]+)'/.exec(text)?.[1] ?? /--[a-z-]+/.exec(text)?.[0] ?? '';
  const names = Object.keys(OPTIONS);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const near = closest(given.replace(/^-+/, '').split('=')[0] ?? '', names);
    return `unknown option ${given}; ${near ? `did you mean --${near}? (wasm-lab --help lists the options)` : 'wasm-lab --help lists the options.'}`;
  }
  const long = names.find((name) => text.includes(`--${name}`));
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && long !== undefined) {
    if (OPTIONS[long as OptionName].type === 'boolean') return `--${long} takes no value; write --${long} on its own.`;
    return `--${long} needs a value, e.g. ${EXAMPLE_VALUES[long as OptionName] ?? `--${long} <value>`}.`;
  }
  return `${text.replace(/\.$/, '')}; wasm-lab --help lists the options.`;
}

const EXAMPLE_VALUES: Partial<Record<OptionName, string>> = {
  scenario: '--scenario examples/redis-limiter/scenario.yaml',
  config: `--config '{"qpm": 10}'`,
  redis: '--redis redis://127.0.0.1:6379',
};
