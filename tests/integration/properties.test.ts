/**
 * Built-in properties as a plugin reads them (reference/host-abi.md §10): the stream-probe fixture
 * copies the properties named in x-properties into response headers. The repeats of a spec share
 * their planned request (run.ts), so these pin what must still differ per request: request.time.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { runScenario } from '../../src/harness/run.ts';
import type { Outcome } from '../../src/harness/outcome.ts';
import { loadFixture, scenario, type LoadedPlugin } from '../helpers/plugins.ts';

let probe: LoadedPlugin;
beforeAll(async () => {
  probe = await loadFixture('stream-probe');
});

const NAMES = 'request.time,request.path,request.url_path,request.query,request.method,source.address,source.port,route_name,cluster_name,response.code,plugin_name,tenant';

async function run(yaml: string): Promise<Outcome[]> {
  const { outcomes } = await runScenario({ module: probe.bytes, scenario: scenario(yaml), pluginName: 'stream-probe' });
  return outcomes;
}

/** The property headers of one outcome, by property name. */
function properties(outcome: Outcome): Record<string, string> {
  return Object.fromEntries(outcome.headers.filter(([k]) => k.startsWith('x-property-')).map(([k, v]) => [k.slice('x-property-'.length), v]));
}

const START = Date.parse('2026-01-01T00:00:00Z');

describe('properties of repeated requests', () => {
  test('each repeat reads its own request.time; what the repeats share reads the same; specs keep their own', async () => {
    const outcomes = await run(`
startTime: "2026-01-01T00:00:00Z"
properties: { tenant: acme }
requests:
  - { path: /a?x=1, repeat: 3, every: 250ms, source: "10.0.0.7:5555", headers: { x-properties: "${NAMES}" } }
  - { method: POST, path: /b, at: 100ms, body: hi, properties: { tenant: other }, headers: { x-properties: "${NAMES}" } }
`);
    // Arrival order: /a at 0, /b at 100 ms, /a at 250 and 500 ms.
    expect(outcomes.map((o) => `${o.request.path}@${o.at}`)).toEqual(['/a?x=1@0', '/b@100', '/a?x=1@250', '/a?x=1@500']);
    const read = outcomes.map(properties);
    expect(read.map((p) => p['request.time'])).toEqual([0, 100, 250, 500].map((ms) => `int:${(START + ms) * 1_000_000}`));
    for (const i of [0, 2, 3]) {
      expect(read[i]).toMatchObject({
        'request.path': '/a?x=1', 'request.url_path': '/a', 'request.query': 'x=1', 'request.method': 'GET',
        'source.address': '10.0.0.7:5555', 'source.port': 'int:5555', 'response.code': 'int:200', plugin_name: 'stream-probe', tenant: 'acme',
      });
    }
    expect(read[1]).toMatchObject({ 'request.path': '/b', 'request.method': 'POST', 'request.query': '', tenant: 'other', 'response.code': 'int:200' });
    expect(read[0]!.route_name).toBe(read[1]!.route_name);
    expect(read[0]!.cluster_name).toMatch(/^outbound\|\d+\|\|/);
  });

  test('a request.time the scenario sets wins over the arrival time', async () => {
    const [outcome] = await run(`
requests:
  - { path: /, properties: { request.time: 42 }, headers: { x-properties: request.time } }
`);
    expect(properties(outcome!)['request.time']).toBe('int:42');
  });
});
