import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputFileError, readConfigArgument, readText, resolvePlugin } from '../../../../src/harness/node/plugin-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'wasm-lab-files-'));

/** The one sentence `run` throws, failing the test when it throws anything else or nothing. */
function sentence(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputFileError);
    return (error as InputFileError).message;
  }
  throw new Error('nothing was thrown');
}

describe('readConfigArgument', () => {
  test('reads inline JSON objects, with spaces around', () => {
    expect(readConfigArgument(' {"qpm": 1} ')).toEqual({ qpm: 1 });
  });

  test('refuses inline JSON of any other kind, saying a plugin takes an object', () => {
    expect(sentence(() => readConfigArgument('[1,2]'))).toMatchInlineSnapshot(`"--config is a JSON list, not an object; a plugin's config is a JSON object like {"qpm": 10}, and wasm-go would read anything else as an empty config."`);
    expect(sentence(() => readConfigArgument('"qpm"'))).toContain('--config is a JSON string, not an object;');
    expect(sentence(() => readConfigArgument('42'))).toContain('--config is a JSON number, not an object;');
    expect(sentence(() => readConfigArgument('null'))).toContain('--config is JSON null, not an object;');
    expect(sentence(() => readConfigArgument('true'))).toContain('--config is a JSON boolean, not an object;');
  });

  test('reports broken inline JSON that starts like an object, a list or a string', () => {
    expect(sentence(() => readConfigArgument('{qpm: 1}'))).toMatchInlineSnapshot(`"--config is not valid JSON (Expected property name or '}' in JSON at position 1 (line 1 column 2)); pass a JSON object or a file path."`);
    expect(sentence(() => readConfigArgument('[1,'))).toMatch(/^--config is not valid JSON \(/);
  });

  test('reads a JSON file, relative to the given directory, and checks it holds an object', () => {
    writeFileSync(join(dir, 'config.json'), '{"qpm": 2}');
    writeFileSync(join(dir, 'list.json'), '[]');
    expect(readConfigArgument('config.json', dir)).toEqual({ qpm: 2 });
    expect(sentence(() => readConfigArgument('list.json', dir))).toMatch(/^list\.json holds a JSON list, not an object;/);
  });

  test('names a value that is neither JSON nor a file, and an empty one', () => {
    expect(sentence(() => readConfigArgument('nope.json', dir))).toMatchInlineSnapshot(`"--config "nope.json" is neither JSON nor an existing file; pass a JSON object like '{"qpm": 10}' or a path to a JSON file."`);
    expect(sentence(() => readConfigArgument('  '))).toMatchInlineSnapshot(`"--config is empty; pass a JSON object like '{"qpm": 10}' or a path to a JSON file."`);
  });
});

describe('readText', () => {
  test('names a directory and a missing file in one sentence each', () => {
    expect(sentence(() => readText(dir))).toBe(`${dir} is a directory; name a file in it.`);
    expect(sentence(() => readText(join(dir, 'missing.yaml')))).toBe(`${join(dir, 'missing.yaml')} does not exist; check the path.`);
  });

  const isRoot = process.getuid?.() === 0;
  test.skipIf(isRoot)(`names a file it may not read${isRoot ? ' (skipped: root reads any file)' : ''}`, () => {
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, 'requests: []');
    chmodSync(file, 0o000);
    expect(sentence(() => readText(file))).toBe(`${file} cannot be read: permission denied (EACCES); check its permissions.`);
  });

  const isLinux = process.platform === 'linux';
  test.skipIf(!isLinux)(`words another read error without repeating the path${isLinux ? '' : ' (skipped: needs /proc)'}`, () => {
    expect(sentence(() => readText('/proc/self/mem'))).toBe('/proc/self/mem cannot be read: EIO: i/o error; name a regular file.');
  });
});

describe('resolvePlugin', () => {
  test('names a directory given as the plugin, with the build command', () => {
    mkdirSync(join(dir, 'plugin.wasm'), { recursive: true });
    expect(sentence(() => resolvePlugin('plugin.wasm', dir))).toMatchInlineSnapshot(`"plugin.wasm is a directory, not a .wasm file; build the plugin with GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o main.wasm and name that file."`);
  });

  test('points an example folder given as a path to the example name', () => {
    expect(sentence(() => resolvePlugin('examples/redis-limiter', join(import.meta.dirname, '../../../..')))).toBe(
      'examples/redis-limiter is a directory; name the example as redis-limiter, or a built .wasm file.',
    );
  });

  test('suggests the example a typo meant', () => {
    expect(sentence(() => resolvePlugin('redis-limitr'))).toBe('"redis-limitr" is neither a .wasm file nor an example; did you mean "redis-limiter"?');
    expect(sentence(() => resolvePlugin('..'))).toMatch(/^"\.\." is neither a \.wasm file nor an example; name an example \(.*redis-limiter.*\) or a path ending in \.wasm\.$/);
  });
});
