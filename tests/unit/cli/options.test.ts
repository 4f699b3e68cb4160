import { describe, expect, test } from 'vitest';
import { readCommandLine, readRedisOption, UsageError } from '../../../src/cli/options.ts';

const S = 'examples/redis-limiter/scenario.yaml';

/** The one sentence a command line is refused with. */
function refusal(argv: string[]): string {
  try {
    readCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error('the command line was accepted');
}

describe('readCommandLine', () => {
  test('reads a run with every option', () => {
    expect(readCommandLine(['run', 'redis-limiter', '-s', S, '-c', '{}', '--redis', 'redis://127.0.0.1:6379/1', '--json', '--trace'])).toEqual({
      command: 'run', plugin: 'redis-limiter', scenario: S, config: '{}', redisUrl: 'redis://127.0.0.1:6379/1', json: true, trace: true,
    });
  });

  test('reads test --plugin, which runs the scenarios against another plugin, and refuses it elsewhere', () => {
    expect(readCommandLine(['test', S, '--plugin', 'ai-token-usage-naive'])).toEqual({ command: 'test', scenarios: [S], plugin: 'ai-token-usage-naive', json: false });
    expect(refusal(['run', 'redis-limiter', '-s', S, '--plugin', 'x'])).toBe('--plugin applies to wasm-lab test; for wasm-lab run, pass the plugin as the first argument: wasm-lab run <plugin> --scenario <file>.');
    expect(refusal(['inspect', 'x', '--plugin', 'y'])).toMatch(/^--plugin applies to wasm-lab test; /);
    expect(refusal(['test', S, '--plugin', ' '])).toMatch(/^--plugin is empty; /);
  });

  test('takes --redis memory, or no --redis, as the in-memory Redis', () => {
    expect(readCommandLine(['test', S, '--redis', 'memory'])).toEqual({ command: 'test', scenarios: [S], json: false });
    expect(readCommandLine(['inspect', 'hello-world', '--json'])).toEqual({ command: 'inspect', plugin: 'hello-world', json: true });
  });

  test('shows the usage for --help (exit 0) and for no command (exit 2)', () => {
    expect(readCommandLine(['run', '--help'])).toEqual({ command: 'help', exitCode: 0 });
    expect(readCommandLine([])).toEqual({ command: 'help', exitCode: 2 });
  });

  test('refuses a --redis that is not a Redis URL before anything runs', () => {
    expect(refusal(['run', 'redis-limiter', '-s', S, '--redis', 'http://127.0.0.1:6379'])).toMatchInlineSnapshot(
      `"--redis "http://127.0.0.1:6379" is neither memory nor a Redis URL; write --redis memory or --redis redis://[user:password@]host[:port][/db]."`,
    );
    expect(refusal(['test', S, '--redis', 'mem'])).toMatch(/^--redis "mem" is neither memory nor a Redis URL;/);
  });

  test('refuses options the command does not use, saying where they belong', () => {
    expect(refusal(['test', S, '--scenario', S])).toMatchInlineSnapshot(`"--scenario applies to wasm-lab run; for wasm-lab test, pass the scenario files as arguments: wasm-lab test a.yaml b.yaml."`);
    expect(refusal(['test', S, '--config', '{}'])).toMatchInlineSnapshot(`"--config applies to wasm-lab run; for wasm-lab test, put the config under "config:" in the scenario file."`);
    expect(refusal(['test', S, '--trace'])).toMatch(/^--trace applies to wasm-lab run;/);
    expect(refusal(['inspect', 'hello-world', '--redis', 'redis://h'])).toMatchInlineSnapshot(`"--redis applies to wasm-lab run and test; wasm-lab inspect only reads the module, so drop it."`);
  });

  test('refuses a wrong number of arguments', () => {
    expect(refusal(['run', 'redis-limiter', S])).toMatchInlineSnapshot(
      `"wasm-lab run takes one plugin, but got 2 arguments ("redis-limiter", "examples/redis-limiter/scenario.yaml"); pass the scenario with --scenario <file>."`,
    );
    expect(refusal(['run', 'redis-limiter'])).toMatchInlineSnapshot(`"wasm-lab run needs --scenario <file>; see examples/*/scenario.yaml."`);
    expect(refusal(['inspect'])).toMatchInlineSnapshot(`"wasm-lab inspect needs a plugin: an example name or a .wasm path."`);
    expect(refusal(['test'])).toMatchInlineSnapshot(`"wasm-lab test needs at least one scenario file, e.g. wasm-lab test examples/redis-limiter/scenario.yaml."`);
  });

  test('rewords parse errors as one sentence with the fix', () => {
    expect(refusal(['run', 'redis-limiter', '--scenari', S])).toMatchInlineSnapshot(`"unknown option --scenari; did you mean --scenario? (wasm-lab --help lists the options)"`);
    expect(refusal(['run', 'redis-limiter', '--scenario'])).toMatchInlineSnapshot(`"--scenario needs a value, e.g. --scenario examples/redis-limiter/scenario.yaml."`);
    expect(refusal(['run', 'redis-limiter', '-s', S, '--json=yes'])).toMatchInlineSnapshot(`"--json takes no value; write --json on its own."`);
    expect(refusal(['rn'])).toMatchInlineSnapshot(`"unknown command "rn"; did you mean "run"? (the commands are run, test and inspect)"`);
    expect(refusal(['-x'])).toMatchInlineSnapshot(`"unknown option -x; wasm-lab --help lists the options."`);
  });
});

describe('readRedisOption', () => {
  test('keeps a redis:// URL as given', () => {
    expect(readRedisOption('redis://user:pw@127.0.0.1:6380/2')).toBe('redis://user:pw@127.0.0.1:6380/2');
    expect(readRedisOption(undefined)).toBeUndefined();
  });
});
