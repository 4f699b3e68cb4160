/** Builds (cached by content hash) and loads the Go plugins integration tests run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioText, type Scenario } from '../../src/harness/scenario.ts';
import { buildExamples, EXAMPLES, FIXTURES, type BuildTarget } from '../../tools/build-examples.ts';
import { findGo } from '../../tools/lib/go-toolchain.ts';

export interface LoadedPlugin {
  bytes: Uint8Array;
  defaultConfig: unknown;
}

const built = new Map<BuildTarget, Promise<unknown>>();

async function ensureBuilt(target: BuildTarget): Promise<void> {
  if (!built.has(target)) built.set(target, buildExamples(findGo(), () => {}, target));
  await built.get(target);
}

/** An example's compiled bytes and its config.json. */
export async function loadExample(name: string): Promise<LoadedPlugin> {
  await ensureBuilt(EXAMPLES);
  return {
    bytes: readFileSync(join(EXAMPLES.outDir, `${name}.wasm`)),
    defaultConfig: JSON.parse(readFileSync(join(EXAMPLES.sourceDir, name, 'config.json'), 'utf8')),
  };
}

/** A test fixture plugin's compiled bytes. */
export async function loadFixture(name: string): Promise<LoadedPlugin> {
  await ensureBuilt(FIXTURES);
  return { bytes: readFileSync(join(FIXTURES.outDir, `${name}.wasm`)), defaultConfig: {} };
}

/** Parses an inline YAML scenario. */
export function scenario(yaml: string): Scenario {
  return loadScenarioText(yaml, 'test-scenario.yaml');
}
