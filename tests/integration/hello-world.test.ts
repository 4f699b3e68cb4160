import { beforeAll, describe, expect, test } from 'vitest';
import { runScenario } from '../../src/harness/run.ts';
import { loadExample, scenario, type LoadedPlugin } from '../helpers/plugins.ts';

let hello: LoadedPlugin;
beforeAll(async () => {
  hello = await loadExample('hello-world');
});

describe('hello-world', () => {
  test('answers /hello itself with 200 and the header, without reaching the upstream', async () => {
    const { outcomes } = await runScenario({ module: hello.bytes, scenario: scenario('requests: [{ path: /hello?x=1 }]'), defaultConfig: hello.defaultConfig });
    expect(outcomes[0]).toMatchObject({ status: 200, source: 'plugin', body: 'hello world\n', upstreamRequest: null });
    expect(outcomes[0]!.headers).toContainEqual(['x-hello', 'world']);
    expect(outcomes[0]!.changedHeaders).toEqual(['x-hello']);
  });

  test('adds the configured header to upstream responses', async () => {
    const { outcomes } = await runScenario({
      module: hello.bytes,
      scenario: scenario('requests: [{ path: /get }]'),
      config: { headerName: 'x-lab', headerValue: 'yes' },
    });
    expect(outcomes[0]).toMatchObject({ status: 200, source: 'upstream', body: '{"ok":true}' });
    expect(outcomes[0]!.headers).toContainEqual(['x-lab', 'yes']);
  });

  test('runs each callback in Envoy order, response body included and on_log before on_done and on_delete', async () => {
    const { outcomes } = await runScenario({ module: hello.bytes, scenario: scenario('requests: [{ path: /get }]'), defaultConfig: hello.defaultConfig, isTraced: true });
    const callbacks = outcomes[0]!.trace!.filter((l) => l.startsWith('⇒')).map((l) => l.slice(2).replace(/\(.*/, ''));
    expect(callbacks).toEqual([
      'proxy_on_context_create',
      'proxy_on_request_headers',
      'proxy_on_response_headers',
      'proxy_on_response_body',
      'proxy_on_log',
      'proxy_on_done',
      'proxy_on_delete',
    ]);
  });
});
