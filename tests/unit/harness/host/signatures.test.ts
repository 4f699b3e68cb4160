import { describe, expect, test } from 'vitest';
import { GuestMemory } from '../../../../src/harness/abi/memory.ts';
import { VirtualClock } from '../../../../src/harness/clock.ts';
import type { HostEnv } from '../../../../src/harness/host/host-env.ts';
import { envFunctions } from '../../../../src/harness/host/index.ts';
import { HOST_SIGNATURES, hostSignature } from '../../../../src/harness/host/signatures.ts';
import { describeModule } from '../../../../src/harness/module-info.ts';
import { createWasi } from '../../../../src/harness/wasi.ts';
import { assembleWatFile } from '../wat-guest.ts';

// Building the functions reads no state yet, so a HostEnv of empty objects is enough to list them.
const implemented = {
  env: envFunctions({ gateway: {} } as HostEnv),
  wasi_snapshot_preview1: createWasi(() => new GuestMemory(), { clock: new VirtualClock(0), onOutput: () => {} }).functions,
};

const paramCount = (signature: string) => (/^\(\)/.test(signature) ? 0 : signature.slice(1, signature.indexOf(')')).split(', ').length);

describe('HOST_SIGNATURES', () => {
  for (const [module, functions] of Object.entries(implemented)) {
    test(`has one signature for each ${module} function the host implements, and no other`, () => {
      expect(Object.keys(HOST_SIGNATURES[module]!).sort()).toEqual(Object.keys(functions).sort());
    });

    test(`gives each ${module} function as many parameters as its implementation declares, or it ignores them all`, () => {
      const wrong = Object.entries(functions).filter(([name, fn]) => fn.length !== 0 && fn.length !== paramCount(hostSignature(module, name)!));
      expect(wrong.map(([name]) => name)).toEqual([]);
    });
  }

  test('uses i64 exactly where the ABI passes a 64-bit value', () => {
    const with64 = Object.entries(HOST_SIGNATURES).flatMap(([module, table]) =>
      Object.entries(table).filter(([, signature]) => signature.includes('i64')).map(([name]) => `${module}.${name}`),
    );
    expect(with64).toEqual(['env.proxy_increment_metric', 'env.proxy_record_metric', 'wasi_snapshot_preview1.clock_time_get']);
  });

  test('matches the imports of the hand-written host-function test guests', async () => {
    for (const name of ['buffers', 'headers', 'wasi']) {
      const bytes = await assembleWatFile(new URL(`../guests/${name}.wat`, import.meta.url));
      expect(describeModule(new WebAssembly.Module(bytes), bytes).mismatches, name).toEqual([]);
    }
  });
});

describe('hostSignature', () => {
  test('answers undefined for an import the host does not implement, even an Object.prototype name', () => {
    expect(hostSignature('env', 'proxy_grpc_call')).toBeUndefined();
    expect(hostSignature('env', 'toString')).toBeUndefined();
    expect(hostSignature('wasi_unstable', 'fd_write')).toBeUndefined();
  });
});
