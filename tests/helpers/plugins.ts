/**
 * Loads the Go plugins integration tests run. The global setup (tests/helpers/build-plugins.ts)
 * builds them before the workers start, so these loaders only read; a missing file (a test run
 * without that setup) is built here first.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioText, type Scenario } from '../../src/harness/scenario.ts';
import { parse } from 'yaml';
import { buildExamples, EXAMPLES, FIXTURES, listPlugins, type BuildTarget } from '../../tools/build-examples.ts';
import { findGo } from '../../tools/lib/go-toolchain.ts';

export interface LoadedPlugin {
  bytes: Uint8Array;
  defaultConfig: unknown;
}

const built = new Map<BuildTarget, Promise<unknown>>();

/** Reads `<outDir>/<name>.wasm`, building the target once per worker when the file is not there. */
async function readBuilt(target: BuildTarget, name: string): Promise<Uint8Array> {
  const file = join(target.outDir, `${name}.wasm`);
  if (!existsSync(file)) {
    if (!built.has(target)) built.set(target, buildExamples(findGo(), () => {}, target));
    await built.get(target);
  }
  return readFileSync(file);
}

/** An example's compiled bytes and its config.json. */
export async function loadExample(name: string): Promise<LoadedPlugin> {
  return {
    bytes: await readBuilt(EXAMPLES, name),
    defaultConfig: JSON.parse(readFileSync(join(EXAMPLES.sourceDir, name, 'config.json'), 'utf8')),
  };
}

/** A test fixture plugin's compiled bytes. */
export async function loadFixture(name: string): Promise<LoadedPlugin> {
  return { bytes: await readBuilt(FIXTURES, name), defaultConfig: {} };
}

/** Parses an inline YAML scenario. */
export function scenario(yaml: string): Scenario {
  return loadScenarioText(yaml, 'test-scenario.yaml');
}

/** Every examples/<name>/ that is a Go plugin (has a go.mod), sorted. */
export function listExamples(): string[] {
  return listPlugins(EXAMPLES);
}

/** The YAML files of an example that are scenarios (a top-level `requests:`), not docker-compose.yaml or envoy.yaml. */
export function scenarioFiles(example: string): string[] {
  const dir = join(EXAMPLES.sourceDir, example);
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .filter((file) => {
      const doc: unknown = parse(readFileSync(join(dir, file), 'utf8'));
      return typeof doc === 'object' && doc !== null && 'requests' in doc;
    })
    .sort();
}

/** Tells whether a usable Go (≥ 1.24) is on PATH, for tests that skip with a reason without it. */
export function hasGo(): boolean {
  try {
    findGo();
    return true;
  } catch {
    return false;
  }
}
