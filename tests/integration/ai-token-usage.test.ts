/**
 * The split-event lesson of the ai-token-usage page: the fixed plugin's scenario, run against the
 * naive plugin (as `wasm-lab test examples/ai-token-usage/split-event.yaml --plugin
 * ai-token-usage-naive` does), fails exactly where the page says, and passes against the fixed one.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { allFailures } from '../../src/harness/checks.ts';
import { runScenario } from '../../src/harness/run.ts';
import { loadScenarioText } from '../../src/harness/scenario.ts';
import { loadExample } from '../helpers/plugins.ts';

const FILE = 'examples/ai-token-usage/split-event.yaml';
const scenario = loadScenarioText(readFileSync(resolve(import.meta.dirname, '../..', FILE), 'utf8'), FILE);

async function failedPaths(example: string): Promise<string[]> {
  const { bytes, defaultConfig } = await loadExample(example);
  const { checks } = await runScenario({ module: bytes, scenario, defaultConfig, pluginName: example });
  return allFailures(checks).map((f) => f.path);
}

test('an SSE event split across two chunks is lost by the naive plugin and counted by the fixed one', async () => {
  expect(await failedPaths('ai-token-usage-naive')).toEqual(['requests[0].expect.trailers.x-token-usage', 'requests[0].expect.logs[0]']);
  expect(await failedPaths('ai-token-usage')).toEqual([]);
});
