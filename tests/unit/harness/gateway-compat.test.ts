import { describe, expect, test } from 'vitest';
import { gatewayVerdicts } from '../../../src/harness/gateway-compat.ts';
import { translator } from '../../../src/site/ui-strings.ts';
import { verdictWords } from '../../../src/site/verdict-words.ts';
import type { ImportEntry, ModuleInfo } from '../../../src/harness/module-info.ts';

/** The 15 WASI functions every Go 1.24 plugin imports (reference/host-abi.md §3.5). */
const GO_124_WASI = [
  'sched_yield', 'proc_exit', 'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_time_get', 'random_get',
  'poll_oneoff', 'fd_write', 'fd_close', 'fd_fdstat_get', 'fd_fdstat_set_flags', 'fd_prestat_get', 'fd_prestat_dir_name',
];
const fn = (module: string, name: string): ImportEntry => ({ module, name, kind: 'function' });

function goModule(env: string[], extraWasi: string[] = []): Pick<ModuleInfo, 'abiVersions' | 'entryPoint' | 'imports' | 'problems'> {
  return {
    abiVersions: ['0_2_100'],
    entryPoint: '_initialize',
    imports: [...[...GO_124_WASI, ...extraWasi].map((n) => fn('wasi_snapshot_preview1', n)), ...env.map((n) => fn('env', n))],
    problems: [],
  };
}

/** Each verdict worded as the CLI prints it. */
const byGateway = (verdicts: ReturnType<typeof gatewayVerdicts>) =>
  Object.fromEntries(verdicts.map((v) => {
    const words = verdictWords(v, translator('en'));
    return [v.gateway, { canLoad: v.canLoad, reasons: words.reasons, fix: words.fix }];
  }));

describe('gatewayVerdicts', () => {
  test('a Go 1.24 Higress plugin loads on Higress ≥ 2.1.5, not on older Higress (sched_yield) nor on upstream Envoy (the 0_2_100 marker)', () => {
    const v = byGateway(gatewayVerdicts(goModule(['proxy_log', 'proxy_get_header_map_value'])));
    expect(v.higress).toEqual({ canLoad: 'yes', reasons: [], fix: undefined });
    expect(v['higress-before-2.1.5']!.canLoad).toBe('no');
    expect(v['higress-before-2.1.5']!.reasons.join()).toContain('wasi_snapshot_preview1.sched_yield');
    expect(v.envoy!.canLoad).toBe('no');
    expect(v.envoy!.reasons.join()).toContain('proxy_abi_version_0_2_100');
  });

  test('names Higress-only host functions as missing imports on upstream Envoy, and inject_encoded_data on Higress before 2.1.5', () => {
    const v = byGateway(gatewayVerdicts(goModule(['proxy_redis_init', 'proxy_redis_call', 'proxy_inject_encoded_data_to_filter_chain'])));
    expect(v.higress!.canLoad).toBe('yes');
    expect(v.envoy!.reasons).toEqual(expect.arrayContaining(['missing import: env.proxy_redis_init', 'missing import: env.proxy_redis_call']));
    expect(v['higress-before-2.1.5']!.reasons).toContain('missing import: env.proxy_inject_encoded_data_to_filter_chain (added in 2.1.5)');
    expect(v['higress-before-2.1.5']!.fix).toContain('upgrade the gateway');
  });

  test('refuses an env import no gateway provides, with the fix', () => {
    const v = byGateway(gatewayVerdicts(goModule(['proxy_log', 'proxy_not_a_real_call'])));
    expect(v.higress).toMatchObject({ canLoad: 'no', reasons: ['missing import: env.proxy_not_a_real_call'] });
    expect(v.higress!.fix).toContain('Higress SDK');
  });

  test('is unsure of a WASI import newer Go releases add, and says how to be sure', () => {
    const v = byGateway(gatewayVerdicts(goModule(['proxy_log'], ['fd_read', 'path_open', 'path_filestat_get'])));
    expect(v.higress!.canLoad).toBe('unknown');
    expect(v.higress!.reasons.join()).toContain('wasi_snapshot_preview1.path_filestat_get');
    expect(v.higress!.reasons.join()).not.toContain('fd_read');
    expect(v.higress!.fix).toContain('Go 1.24');
  });

  test('a TinyGo build loads on old Higress and is unsure on current Higress', () => {
    const v = byGateway(gatewayVerdicts({ ...goModule(['proxy_log']), entryPoint: '_start' }));
    expect(v['higress-before-2.1.5']!.canLoad).toBe('yes');
    expect(v.higress!.canLoad).toBe('unknown');
    expect(v.higress!.fix).toContain('init()');
  });

  test('tells old Higress to upgrade only when what it lacks is what 2.1.5 added', () => {
    const unknownImport = byGateway(gatewayVerdicts({ ...goModule(['proxy_not_a_real_call']), imports: [{ module: 'env', name: 'proxy_not_a_real_call', kind: 'function' }] }));
    expect(unknownImport['higress-before-2.1.5']).toEqual({ canLoad: 'no', reasons: ['missing import: env.proxy_not_a_real_call'], fix: unknownImport.higress!.fix });
  });

  test('a module wasm-lab cannot load loads nowhere', () => {
    const verdicts = gatewayVerdicts({ ...goModule(['proxy_log']), problems: ['no `proxy_abi_version_*` export'] });
    expect(verdicts.every((v) => v.canLoad === 'no')).toBe(true);
  });
});
