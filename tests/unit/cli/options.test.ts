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
      command: 'run', plugin: 'redis-limiter', scenario: S, config: '{}', redisUrl: 'redis://127.0.0.1:6379/1', json: true, trace: true, watch: false,
    });
  });

  test('reads test --plugin, which runs the scenarios against another plugin, and refuses it elsewhere', () => {
    expect(readCommandLine(['test', S, '--plugin', 'ai-token-usage-naive'])).toEqual({ command: 'test', scenarios: [S], plugin: 'ai-token-usage-naive', json: false });
    expect(refusal(['run', 'redis-limiter', '-s', S, '--plugin', 'x'])).toBe('--plugin applies to wasm-lab test; for wasm-lab run, pass the plugin as the first argument: wasm-lab run <plugin> --scenario <file>.');
    expect(refusal(['inspect', 'x', '--plugin', 'y'])).toMatch(/^--plugin applies to wasm-lab test; /);
    expect(refusal(['test', S, '--plugin', ' '])).toMatch(/^--plugin is empty; /);
  });

  test('reads init with a template, and run --watch', () => {
    expect(readCommandLine(['init', 'my-plugin', '--template', 'limiter'])).toEqual({ command: 'init', dir: 'my-plugin', template: 'limiter' });
    expect(readCommandLine(['init', 'my-plugin'])).toEqual({ command: 'init', dir: 'my-plugin' });
    expect(readCommandLine(['run', './main.wasm', '-s', S, '--watch'])).toMatchObject({ command: 'run', watch: true });
    expect(refusal(['init'])).toBe('wasm-lab init takes one folder to make the project in, e.g. wasm-lab init my-plugin.');
    expect(refusal(['init', 'a', '--json'])).toBe('--json applies to wasm-lab run, test and inspect; drop it from wasm-lab init.');
    expect(refusal(['test', S, '--watch'])).toBe('--watch applies to wasm-lab run; drop it from wasm-lab test.');
  });

  test('reads test --reporter junit --output, and refuses a half of it', () => {
    expect(readCommandLine(['test', S, '--reporter', 'junit', '--output', 'r.xml'])).toEqual({ command: 'test', scenarios: [S], json: false, junit: 'r.xml' });
    expect(refusal(['test', S, '--reporter', 'junit'])).toBe('--reporter junit needs a file to write: add --output results.xml.');
    expect(refusal(['test', S, '--reporter', 'tap', '--output', 'r'])).toBe('--reporter "tap" is not one wasm-lab writes; use --reporter junit --output results.xml.');
    expect(refusal(['test', S, '--output', 'r.xml'])).toBe('--output names the file of a --reporter; write --reporter junit --output results.xml.');
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
    expect(refusal(['rn'])).toMatchInlineSnapshot(`"unknown command "rn"; did you mean "run"? (the commands are run, test, inspect and init)"`);
    expect(refusal(['-x'])).toMatchInlineSnapshot(`"unknown option -x; wasm-lab --help lists the options."`);
  });
});

describe('readRedisOption', () => {
  test('keeps a redis:// URL as given', () => {
    expect(readRedisOption('redis://user:pw@127.0.0.1:6380/2')).toBe('redis://user:pw@127.0.0.1:6380/2');
    expect(readRedisOption(undefined)).toBeUndefined();
  });
});
