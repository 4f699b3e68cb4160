/**
 * Outcome.sequence, the per-request call sequence a traced run records, on real compiled plugins:
 * the limiter's Redis round trip and its 429, an HTTP callout, a long streamed response whose
 * chunks are folded, and the failures (a stall, a crash).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Outcome, SequenceStep } from '../../src/harness/outcome.ts';
import { runScenario } from '../../src/harness/run.ts';
import { CHUNK_STEPS } from '../../src/harness/sequence.ts';
import { loadExample, loadFixture, scenario, type LoadedPlugin } from '../helpers/plugins.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
const exampleScenario = (name: string) => readFileSync(join(EXAMPLES, name, 'scenario.yaml'), 'utf8');

let limiter: LoadedPlugin;
let httpCall: LoadedPlugin;
let probe: LoadedPlugin;
let faulty: LoadedPlugin;
beforeAll(async () => {
  [limiter, httpCall, probe, faulty] = await Promise.all([
    loadExample('redis-limiter'),
    loadExample('http-call'),
    loadFixture('stream-probe'),
    loadFixture('faulty-plugin'),
  ]);
});

const runExample = (plugin: LoadedPlugin, yaml: string, isTraced = true) =>
  runScenario({ module: plugin.bytes, scenario: scenario(yaml), defaultConfig: plugin.defaultConfig, isTraced });

/** The example's own scenario, its Redis cluster answering 5 ms after each command. */
const LIMITER_SLOW_REDIS = exampleScenario('redis-limiter').replace(/(\n\s+port: 6379\n)/, '$1    latency: 5ms\n');

/** Where the first step matching each pattern (in turn, after the previous one) stands; fails naming the one missing. */
function positions(sequence: SequenceStep[], patterns: Array<Partial<SequenceStep>>): number[] {
  const found: number[] = [];
  let from = 0;
  for (const pattern of patterns) {
    const i = sequence.findIndex((step, j) => j >= from && Object.entries(pattern).every(([k, v]) => step[k as keyof SequenceStep] === v));
    expect(i, `no step ${JSON.stringify(pattern)} after step ${from - 1} in\n${render(sequence)}`).toBeGreaterThanOrEqual(0);
    found.push(i);
    from = i + 1;
  }
  return found;
}

const render = (sequence: SequenceStep[]) => sequence.map((s) => `${s.at} ${s.from} → ${s.to} ${s.kind} ${s.label}`).join('\n');
const steps = (outcome: Outcome) => outcome.sequence!;

describe('the call sequence of a traced run', () => {
  test('draws the limiter holding a request for its Redis INCR, then resuming it to the upstream', async () => {
    expect(LIMITER_SLOW_REDIS).toContain('latency: 5ms');
    const { outcomes } = await runExample(limiter, LIMITER_SLOW_REDIS);
    const first = steps(outcomes[0]!);
    const [request, , callout, paused, reply] = positions(first, [
      { kind: 'request', from: 'client', to: 'gateway', label: 'GET /get' },
      { kind: 'callback', to: 'plugin', label: 'proxy_on_request_headers', direction: 'request' },
      { kind: 'callout', from: 'plugin' },
      { kind: 'return', from: 'plugin', direction: 'request', paused: true },
      { kind: 'callout-reply', to: 'gateway' },
      { kind: 'callback', label: 'proxy_on_redis_call_response' },
      { kind: 'resume', direction: 'request' },
      { kind: 'upstream-request', to: 'upstream', label: 'GET /get' },
      { kind: 'upstream-response', from: 'upstream', label: '200' },
      { kind: 'callback', label: 'proxy_on_response_headers', direction: 'response' },
      { kind: 'response', to: 'client', label: '200' },
      { kind: 'callback', label: 'proxy_on_log' },
      { kind: 'callback', label: 'proxy_on_done' },
    ]);
    const incr = first[callout!]!;
    expect(incr.to).toBe('redis:outbound|6379||redis.static');
    expect(incr.label).toBe('incr 1735689600');
    expect(first[paused!]!.label).toMatch(/^Stop/);
    // The reply comes from the cluster the command went to, after its latency, saying what Redis said.
    expect(first[reply!]).toMatchObject({ from: incr.to, label: outcomes[0]!.redis[0]!.reply });
    expect(first[reply!]!.at - first[request!]!.at).toBeGreaterThanOrEqual(5);
    // Bookkeeping callbacks are left out; virtual time never goes back.
    expect(first.some((s) => s.label === 'proxy_on_context_create' || s.label === 'proxy_on_delete')).toBe(false);
    expect(first.map((s) => s.at)).toEqual(first.map((s) => s.at).sort((a, b) => a - b));
    expect(first[0]!.at).toBe(outcomes[0]!.at);
  });

  test('draws the 429 as a local reply that passes the response callbacks and never reaches the upstream', async () => {
    const { outcomes } = await runExample(limiter, LIMITER_SLOW_REDIS);
    const rejected = outcomes.find((o) => o.status === 429)!;
    const sequence = steps(rejected);
    positions(sequence, [
      { kind: 'request', label: 'GET /get' },
      { kind: 'callout-reply' },
      { kind: 'callback', label: 'proxy_on_redis_call_response' },
      { kind: 'local-reply', from: 'plugin', to: 'gateway', label: '429' },
      { kind: 'callback', label: 'proxy_on_response_headers', direction: 'response' },
      { kind: 'response', to: 'client', label: '429' },
    ]);
    expect(sequence.filter((s) => s.kind === 'upstream-request' || s.kind === 'upstream-response')).toEqual([]);
    expect(sequence.some((s) => s.kind === 'resume')).toBe(false);
  });

  test('records nothing when the run is not traced', async () => {
    const { outcomes } = await runExample(limiter, LIMITER_SLOW_REDIS, false);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 429, 200]);
    expect(outcomes.every((o) => !('sequence' in o) && !('trace' in o))).toBe(true);
  });

  test('draws an HTTP callout to its cluster and the status it answered', async () => {
    const { outcomes } = await runExample(httpCall, exampleScenario('http-call'));
    const sequence = steps(outcomes[0]!);
    const [callout, reply] = positions(sequence, [
      { kind: 'callout', from: 'plugin' },
      { kind: 'callout-reply', label: '200' },
      { kind: 'callback', label: 'proxy_on_http_call_response' },
      { kind: 'resume', direction: 'request' },
      { kind: 'upstream-request' },
      { kind: 'response', label: '200' },
    ]);
    const call = outcomes[0]!.httpCalls[0]!;
    expect(sequence[callout!]).toMatchObject({ to: `http:${call.cluster}`, label: `${call.method} ${call.path}` });
    expect(sequence[reply!]!.from).toBe(`http:${call.cluster}`);
  });

  test(`draws the first ${CHUNK_STEPS} chunks of a long stream and the last, and counts the ones between`, async () => {
    const chunks = Array.from({ length: 30 }, (_, i) => `    - { text: "c${String(i + 1).padStart(2, '0')};", after: 10ms }`).join('\n');
    const { outcomes } = await runScenario({
      module: probe.bytes,
      pluginName: 'stream-probe',
      isTraced: true,
      scenario: scenario(`upstream:\n  body:\n${chunks}\nrequests:\n  - { path: /stream, headers: { x-resp-body: count } }`),
    });
    const outcome = outcomes[0]!;
    // The outcome itself keeps every chunk; only the sequence folds them.
    expect(outcome.chunks).toHaveLength(30);
    const sequence = steps(outcome);
    const arrived = sequence.filter((s) => s.kind === 'chunk' && s.from === 'upstream');
    expect(arrived.map((s) => s.label)).toEqual([...Array(CHUNK_STEPS).fill('4 bytes'), '… 9 more chunks', '4 bytes']);
    expect(sequence.filter((s) => s.kind === 'chunk' && s.to === 'client')).toHaveLength(CHUNK_STEPS + 1);
    expect(sequence.filter((s) => s.label === 'proxy_on_response_body')).toHaveLength(CHUNK_STEPS + 1);
    // The count stands where the folded chunks passed: at the 29th chunk, before the last one's callback.
    const [folded, last] = positions(sequence, [
      { kind: 'chunk', label: '… 9 more chunks', direction: 'response' },
      { kind: 'callback', label: 'proxy_on_response_body' },
      { kind: 'callback', label: 'proxy_on_log' },
    ]);
    expect(sequence[folded!]!.at).toBe(outcome.chunks![28]!.at);
    expect(sequence[last!]!.at).toBe(outcome.chunks![29]!.at);
  });

  test('ends a stalled request with an error step and no response', async () => {
    const { outcomes } = await runScenario({
      module: faulty.bytes,
      pluginName: 'faulty-plugin',
      isTraced: true,
      scenario: scenario('requests:\n  - { path: /, headers: { x-fault: stall } }'),
    });
    const sequence = steps(outcomes[0]!);
    const [, error] = positions(sequence, [
      { kind: 'return', paused: true },
      { kind: 'error', from: 'gateway', to: 'client', label: 'stalled' },
      { kind: 'callback', label: 'proxy_on_log' },
    ]);
    expect(sequence[error!]!.at).toBeGreaterThan(outcomes[0]!.at);
    expect(sequence.some((s) => s.kind === 'response')).toBe(false);
  });

  test('ends a crashed request with the trap and the gateway’s 503', async () => {
    const { outcomes } = await runScenario({
      module: faulty.bytes,
      pluginName: 'faulty-plugin',
      isTraced: true,
      scenario: scenario('requests:\n  - { path: /, headers: { x-fault: panic-raw } }'),
    });
    const sequence = steps(outcomes[0]!);
    positions(sequence, [
      { kind: 'callback', label: 'proxy_on_request_headers' },
      { kind: 'error', label: 'plugin-trap' },
      { kind: 'response', label: '503' },
    ]);
    // The trapped callback never returned.
    expect(sequence.some((s) => s.kind === 'return')).toBe(false);
  });
});
