/**
 * Every scenario file of every example, run through the real harness with the real compiled
 * plugin, must meet all of its `expect` blocks: these are the "what you should see" claims the
 * pages make. Examples and scenario files are discovered, so a new one is checked without edits.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { allFailures } from '../../src/harness/checks.ts';
import { formatFailures } from '../../src/harness/expect.ts';
import { compilePlugin, runScenario } from '../../src/harness/run.ts';
import { expandRequests, loadScenarioText } from '../../src/harness/scenario.ts';
import { listExamples, loadExample, scenarioFiles } from '../helpers/plugins.ts';

const EXAMPLES_DIR = resolve(import.meta.dirname, '../../examples');

const EXAMPLES = listExamples();

/** Compiled once per example, shared by its scenario files. */
const modules = new Map<string, Promise<{ module: WebAssembly.Module; defaultConfig: unknown }>>();

function loadCompiled(example: string) {
  if (!modules.has(example)) {
    modules.set(example, loadExample(example).then(async ({ bytes, defaultConfig }) => ({ module: await compilePlugin(bytes, example), defaultConfig })));
  }
  return modules.get(example)!;
}

describe('example scenarios', () => {
  test('are found in every example', () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(['hello-world', 'redis-limiter', 'custom-response', 'request-block', 'key-auth', 'http-call']));
    for (const example of EXAMPLES) expect(scenarioFiles(example), example).toContain('scenario.yaml');
  });
});

for (const example of EXAMPLES) {
  describe(`examples/${example}`, () => {
    for (const file of scenarioFiles(example)) {
      const path = `examples/${example}/${file}`;
      const scenario = loadScenarioText(readFileSync(join(EXAMPLES_DIR, example, file), 'utf8'), path);

      test(`${file} runs the example it sits in`, () => {
        expect(scenario.plugin ?? example).toBe(example);
      });

      test(`${file} has an expect block on every request`, () => {
        const unchecked = scenario.requests.flatMap((request, i) => (request.expect === undefined ? [`${path}: requests[${i}] (${request.method} ${request.path})`] : []));
        expect(unchecked).toEqual([]);
      });

      test(`${file} meets every expect block`, async () => {
        const { module, defaultConfig } = await loadCompiled(example);
        // As the playground runs it: config.json as the default config, the example's name, a traced run.
        const { outcomes, checks } = await runScenario({ module, scenario, defaultConfig, pluginName: example, isTraced: true });
        const requests = expandRequests(scenario);
        expect(outcomes).toHaveLength(requests.length);
        // The checks the playground shows as ✓, in the same diff `wasm-lab test` prints, so a failure reads like the CLI's.
        expect(formatFailures(allFailures(checks))).toBe('');
        expect(checks).toMatchObject({ checked: requests.length, passed: requests.length });
      });
    }
  });
}
