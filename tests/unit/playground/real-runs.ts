/**
 * Real RunResults for the view tests: the compiled redis-limiter example and the faulty-plugin,
 * redis-database and stream-probe fixtures run through the real harness, so the views are tested on what the
 * harness produces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePlugin, runScenario, type RunResult } from '../../../src/harness/run.ts';
import { loadExample, loadFixture, scenario, type LoadedPlugin } from '../../helpers/plugins.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The example's own scenario: three allowed, one 429 at 3s, one allowed in the next minute at 61s. */
export const LIMITER_SCENARIO = readFileSync(join(ROOT, 'examples', 'redis-limiter', 'scenario.yaml'), 'utf8');

/** Text that would become markup if any view parsed plugin output as HTML. */
export const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

interface Compiled {
  module: WebAssembly.Module;
  defaultConfig: unknown;
}

const compiled = new Map<string, Promise<Compiled>>();

function load(name: string, loader: (name: string) => Promise<LoadedPlugin>): Promise<Compiled> {
  if (!compiled.has(name)) {
    compiled.set(name, loader(name).then(async (p) => ({ module: await compilePlugin(p.bytes, name), defaultConfig: p.defaultConfig })));
  }
  return compiled.get(name)!;
}

/** Runs redis-limiter (with its config.json) on an inline YAML scenario. */
export async function runLimiter(yaml: string, options: { isTraced?: boolean; config?: unknown } = {}): Promise<RunResult> {
  const { module, defaultConfig } = await load('redis-limiter', loadExample);
  return runScenario({ module, scenario: scenario(yaml), defaultConfig, ...options });
}

/** Runs the faulty-plugin fixture; the x-fault request header picks its misbehaviour per request. */
export async function runFaulty(yaml: string, options: { config?: unknown; env?: Record<string, string> } = {}): Promise<RunResult> {
  const { module } = await load('faulty-plugin', loadFixture);
  return runScenario({ module, scenario: scenario(yaml), pluginName: 'faulty-plugin', ...options });
}

/** Runs the redis-database fixture: each request INCRs `hits` in the database `config.database` names. */
export async function runRedisDatabase(yaml: string, config: Record<string, unknown>): Promise<RunResult> {
  const { module } = await load('redis-database', loadFixture);
  return runScenario({ module, scenario: scenario(yaml), pluginName: 'redis-database', config });
}

/** Runs the stream-probe fixture; request headers pick what its body callbacks return (tests/fixtures/stream-probe/README.md). */
export async function runStreamProbe(yaml: string): Promise<RunResult> {
  const { module } = await load('stream-probe', loadFixture);
  return runScenario({ module, scenario: scenario(yaml), pluginName: 'stream-probe' });
}

/** An SSE reply of three events 20 ms apart with a trailer, and one request at 1s that the probe counts. */
export const STREAMED_SCENARIO = `
upstream:
  body:
    - data: {"n":1}
    - { data: {"n":2}, after: 20ms }
    - { data: "[DONE]", after: 20ms }
requests:
  - { at: 1s, method: POST, body: [ab, { text: cd, after: 10ms }], headers: { x-resp-body: count } }`;

/** A YAML request line for the faulty plugin. */
export const fault = (name: string, extra = '') => `  - { path: /, headers: { x-fault: ${JSON.stringify(name)} }${extra} }`;
