import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wabtInit from 'wabt';
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/harness/run.ts';
import { scenario } from '../helpers/plugins.ts';

async function compileWat(file: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat(file, readFileSync(join(import.meta.dirname, 'guests', file), 'utf8'));
  return new Uint8Array(parsed.toBinary({}).buffer);
}

describe('a hand-written 0_2_0 guest', () => {
  test('records a call to an import the gateway does not provide, answered Unimplemented', async () => {
    const bytes = await compileWat('minimal-0-2-0.wat');
    const { outcomes, startup } = await runScenario({ module: bytes, scenario: scenario('requests: [{ path: / }]') });
    expect(startup.logs).toEqual([{ level: 'info', message: 'configured' }]);
    expect(outcomes[0]!.unimplemented).toEqual([{ module: 'env', name: 'proxy_not_a_real_call', count: 1 }]);
  });

  test('treats a header StopIteration as StopAll under ABI 0_2_0, so a request with a body stalls', async () => {
    const bytes = await compileWat('minimal-0-2-0.wat');
    const { outcomes } = await runScenario({ module: bytes, scenario: scenario('requests: [{ method: POST, path: /, body: data }]') });
    expect(outcomes[0]!.error?.kind).toBe('stalled');
    expect(outcomes[0]!.upstreamRequest).toBeNull();
  });
});
