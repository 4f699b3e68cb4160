/**
 * Every real build passes the checks a plugin module goes through before it runs (compilePlugin):
 * exports, memory, and the signature of each host function it imports. A wrong entry in
 * host/signatures.ts would refuse a working plugin here.
 */
import { describe, expect, test } from 'vitest';
import { describeModule } from '../../src/harness/module-info.ts';
import { compilePlugin } from '../../src/harness/run.ts';
import { FIXTURES, listPlugins } from '../../tools/build-examples.ts';
import { listExamples, loadExample, loadFixture } from '../helpers/plugins.ts';

const plugins = [
  ...listExamples().map((name) => ({ name: `examples/${name}`, load: () => loadExample(name) })),
  ...listPlugins(FIXTURES).map((name) => ({ name: `tests/fixtures/${name}`, load: () => loadFixture(name) })),
];

describe('compilePlugin on real builds', () => {
  test('finds the examples and the fixtures', () => {
    expect(plugins.map((p) => p.name)).toEqual(expect.arrayContaining(['examples/hello-world', 'examples/redis-limiter', 'tests/fixtures/faulty-plugin']));
  });

  for (const { name, load } of plugins) {
    test(`loads ${name}, whose imports all have the host's signatures`, async () => {
      const { bytes } = await load();
      const module = await compilePlugin(bytes, name);
      const info = describeModule(module, bytes);
      expect(info.mismatches).toEqual([]);
      expect(info.problems).toEqual([]);
      // Every function import was read from the binary, so the check above saw them all.
      expect(info.imports.filter((i) => i.kind === 'function' && i.signature === undefined)).toEqual([]);
    });
  }
});
