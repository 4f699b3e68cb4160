import { describe, expect, test } from 'vitest';
import { checkPluginModule, runScenario } from '../../src/harness/run.ts';
import { scenario } from '../helpers/plugins.ts';
import { compileWatFile } from '../unit/harness/wat-guest.ts';

/** The guest, checked the way runScenario checks plugin bytes. */
const compileWat = async (file: string) => checkPluginModule(await compileWatFile(new URL(`./guests/${file}`, import.meta.url)));

describe('a hand-written 0_2_0 guest', () => {
  test('records a call to an import the gateway does not provide, answered Unimplemented', async () => {
    const module = await compileWat('minimal-0-2-0.wat');
    const { outcomes, startup } = await runScenario({ module, scenario: scenario('requests: [{ path: / }]') });
    expect(startup.logs).toEqual([{ level: 'info', message: 'configured' }]);
    expect(outcomes[0]!.unimplemented).toEqual([{ module: 'env', name: 'proxy_not_a_real_call', count: 1 }]);
  });

  test('treats a header StopIteration as StopAll under ABI 0_2_0, so a request with a body stalls', async () => {
    const module = await compileWat('minimal-0-2-0.wat');
    const { outcomes } = await runScenario({ module, scenario: scenario('requests: [{ method: POST, path: /, body: data }]') });
    expect(outcomes[0]!.error?.kind).toBe('stalled');
    expect(outcomes[0]!.upstreamRequest).toBeNull();
  });
});
