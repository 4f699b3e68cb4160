/**
 * Which gateways can load a module, judged from what it imports and exports, with the fix for
 * each one that cannot. The facts come from shared/reference/deploy.md §7 (versions and the errors
 * gateways print) and host-abi.md §2, §3.3 (the ABI marker, the Higress-only host functions); a
 * gateway refuses a module at link time when it lacks one of its imports ("missing import").
 */
import { hostSignature } from './host/signatures.ts';
import type { ModuleInfo } from './module-info.ts';

/** Host functions only Higress's Envoy provides (host-abi.md §3.3). */
const HIGRESS_ONLY = new Set([
  'proxy_redis_init',
  'proxy_redis_call',
  'proxy_inject_encoded_data_to_filter_chain',
  'proxy_get_upstream_hosts',
  'proxy_set_upstream_override_host',
]);
/**
 * WASI functions the gateway's host (proxy-wasm cpp-host) registers beyond what wasm-lab answers:
 * host-abi.md §3.5 names how it answers them. Other WASI imports — newer Go releases add some,
 * e.g. Go 1.26's path_filestat_get — are not in our references either way.
 */
const GATEWAY_WASI_EXTRA = new Set(['fd_read', 'fd_seek', 'path_open', 'clock_res_get']);
/** Added to Higress in 2.1.5 (higress#2440); older gateways lack it. */
const SINCE_2_1_5 = 'proxy_inject_encoded_data_to_filter_chain';

export type GatewayId = 'higress' | 'higress-before-2.1.5' | 'envoy';

/** Why a gateway cannot (or may not) load the module; src/site/verdict-words.ts words each code (`verdict.reason.*`). */
export type VerdictReason =
  | { code: 'problem'; text: string }
  | { code: 'missing-import'; name: string }
  | { code: 'go-needs-2.1.5' }
  | { code: 'needs-2.1.5'; name: string }
  | { code: 'abi-marker' }
  | { code: 'unsure-wasi'; names: string[] }
  | { code: 'tinygo' };

/** What to do about it (`verdict.fix.*`). */
export type VerdictFix = 'use-higress-sdk' | 'rebuild' | 'upgrade-gateway' | 'use-upstream-sdk' | 'build-with-go-1.24' | 'rebuild-tinygo';

export interface GatewayVerdict {
  gateway: GatewayId;
  /** `unknown` where the facts we have do not settle it. */
  canLoad: 'yes' | 'no' | 'unknown';
  /** Why not (or why unsure). */
  reasons: VerdictReason[];
  fix?: VerdictFix;
}

export function gatewayVerdicts(info: Pick<ModuleInfo, 'abiVersions' | 'entryPoint' | 'imports' | 'problems'>): GatewayVerdict[] {
  const functions = info.imports.filter((i) => i.kind === 'function');
  const isProvided = (i: { module: string; name: string }) =>
    hostSignature(i.module, i.name) !== undefined || (i.module === 'wasi_snapshot_preview1' && GATEWAY_WASI_EXTRA.has(i.name));
  const notProvided = functions.filter((i) => !isProvided(i));
  // An unknown `env` function is not proxy-wasm's or Higress's: no gateway links it. An unknown WASI
  // function may or may not be there; our references do not say.
  const unknown = notProvided.filter((i) => i.module !== 'wasi_snapshot_preview1').map((i) => `${i.module}.${i.name}`);
  const unsureWasi = [...new Set(notProvided.filter((i) => i.module === 'wasi_snapshot_preview1').map((i) => `${i.module}.${i.name}`))];
  const higressOnly = functions.filter((i) => i.module === 'env' && HIGRESS_ONLY.has(i.name)).map((i) => `env.${i.name}`);
  const isTinyGo = info.entryPoint === '_start';
  const isGo124 = info.entryPoint === '_initialize';
  const missing = (names: string[]): VerdictReason[] => names.map((name) => ({ code: 'missing-import', name }));
  // A module this lab cannot load (no marker, imported memory, a bad signature) no gateway loads either.
  const broken: VerdictReason[] = info.problems.map((text) => ({ code: 'problem', text }));

  const higress = verdict('higress', [...broken, ...missing(unknown)], unknown.length ? 'use-higress-sdk' : broken.length ? 'rebuild' : undefined);
  if (higress.canLoad === 'yes' && unsureWasi.length > 0) {
    Object.assign(higress, { canLoad: 'unknown', fix: 'build-with-go-1.24' });
    higress.reasons.push({ code: 'unsure-wasi', names: unsureWasi });
  }
  if (higress.canLoad === 'yes' && isTinyGo) {
    Object.assign(higress, { canLoad: 'unknown', fix: 'rebuild-tinygo' });
    higress.reasons.push({ code: 'tinygo' });
  }

  const newerOnly: VerdictReason[] = [];
  if (isGo124 && functions.some((i) => i.module === 'wasi_snapshot_preview1' && i.name === 'sched_yield')) {
    newerOnly.push({ code: 'go-needs-2.1.5' });
  }
  if (higressOnly.includes(`env.${SINCE_2_1_5}`)) newerOnly.push({ code: 'needs-2.1.5', name: `env.${SINCE_2_1_5}` });
  // Upgrading helps only when what is missing is what 2.1.5 added; otherwise the current gateway's fix applies.
  const oldFix = newerOnly.length > 0 && higress.canLoad !== 'no' ? 'upgrade-gateway' : higress.fix;
  const old = verdict('higress-before-2.1.5', [...broken, ...missing(unknown), ...newerOnly], oldFix);

  const envoyReasons = [...broken, ...missing(unknown), ...missing(higressOnly)];
  if (info.abiVersions.includes('0_2_100')) envoyReasons.push({ code: 'abi-marker' });
  const envoy = verdict('envoy', envoyReasons, 'use-upstream-sdk');
  return [higress, old, envoy];
}

function verdict(gateway: GatewayId, reasons: VerdictReason[], fix: VerdictFix | undefined): GatewayVerdict {
  return reasons.length === 0 ? { gateway, canLoad: 'yes', reasons: [] } : { gateway, canLoad: 'no', reasons, ...(fix ? { fix } : {}) };
}
