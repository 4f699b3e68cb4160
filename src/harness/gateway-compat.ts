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

export interface GatewayVerdict {
  gateway: GatewayId;
  /** How the gateway is named to a reader. */
  label: string;
  /** `unknown` where the facts we have do not settle it. */
  canLoad: 'yes' | 'no' | 'unknown';
  /** Why not (or why unsure), each as the gateway would say it or close to it. */
  reasons: string[];
  /** What to do about it. */
  fix?: string;
}

const BUILD = 'GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared';

export function gatewayVerdicts(info: Pick<ModuleInfo, 'abiVersions' | 'entryPoint' | 'imports' | 'problems'>): GatewayVerdict[] {
  const functions = info.imports.filter((i) => i.kind === 'function');
  const isProvided = (i: { module: string; name: string }) =>
    hostSignature(i.module, i.name) !== undefined || (i.module === 'wasi_snapshot_preview1' && GATEWAY_WASI_EXTRA.has(i.name));
  const notProvided = functions.filter((i) => !isProvided(i));
  // An unknown `env` function is not proxy-wasm's or Higress's: no gateway links it. An unknown WASI
  // function may or may not be there; our references do not say.
  const unknown = notProvided.filter((i) => i.module !== 'wasi_snapshot_preview1').map((i) => `${i.module}.${i.name}`);
  const unsureWasi = [...new Set(notProvided.filter((i) => i.module === 'wasi_snapshot_preview1').map((i) => `${i.module}.${i.name}`))];
  const higressOnly = functions.filter((i) => i.module === 'env' && HIGRESS_ONLY.has(i.name)).map((i) => i.name);
  const isTinyGo = info.entryPoint === '_start';
  const isGo124 = info.entryPoint === '_initialize';
  const missing = (names: string[]) => names.map((n) => `missing import: ${n.includes('.') ? n : `env.${n}`}`);
  // A module this lab cannot load (no marker, imported memory, a bad signature) no gateway loads either.
  const broken = info.problems;

  const higress: GatewayVerdict = verdict('higress', 'Higress ≥ 2.1.5 (gateway or all-in-one)', [...broken, ...missing(unknown)], unknown.length
    ? 'the gateway provides no such host function: build with the Higress SDK (github.com/higress-group/wasm-go) and call only what it offers'
    : broken.length ? `rebuild with ${BUILD}` : undefined);
  if (higress.canLoad === 'yes' && unsureWasi.length > 0) {
    higress.canLoad = 'unknown';
    higress.reasons.push(`imports ${unsureWasi.join(', ')}, which Go 1.24 builds do not; whether the gateway provides ${unsureWasi.length === 1 ? 'it' : 'them'} is not known here (a gateway without it says "missing import")`);
    higress.fix = `build with Go 1.24, as Higress's own plugins are built, to be sure: ${BUILD}`;
  }
  if (higress.canLoad === 'yes' && isTinyGo) {
    higress.canLoad = 'unknown';
    higress.reasons.push('a TinyGo build (it starts with _start): the SDK and gateways moved to Go ≥ 1.24 in 2.1.5, and current gateways are not tested with TinyGo plugins');
    higress.fix = `rebuild with Go ≥ 1.24: ${BUILD}, registering in init() instead of main()`;
  }

  const oldReasons = [...broken, ...missing(unknown)];
  const importsSchedYield = functions.some((i) => i.module === 'wasi_snapshot_preview1' && i.name === 'sched_yield');
  const isNewerOnly = (isGo124 && importsSchedYield) || higressOnly.includes(SINCE_2_1_5);
  if (isGo124 && importsSchedYield) oldReasons.push('missing import: wasi_snapshot_preview1.sched_yield — a Go ≥ 1.24 plugin needs a gateway ≥ 2.1.5');
  if (higressOnly.includes(SINCE_2_1_5)) oldReasons.push(`missing import: env.${SINCE_2_1_5} (added in 2.1.5)`);
  // Upgrading helps only when what is missing is what 2.1.5 added; otherwise the current gateway's fix applies.
  const oldFix = isNewerOnly && higress.canLoad !== 'no'
    ? 'upgrade the gateway to 2.1.5 or newer (2.2.x preferred); read the running version from its image tag'
    : higress.fix;
  const old = verdict('higress-before-2.1.5', 'Higress 2.0.x and older', oldReasons, oldFix);

  const envoyReasons = [...broken, ...missing(unknown), ...missing(higressOnly)];
  if (info.abiVersions.includes('0_2_100')) envoyReasons.push('ABI marker proxy_abi_version_0_2_100 is Higress\'s; upstream Envoy knows 0_2_0 and 0_2_1');
  const envoy = verdict('envoy', 'upstream Envoy or Istio', envoyReasons, 'those gateways lack Higress\'s host functions and ABI; build with the upstream SDK (github.com/proxy-wasm/proxy-wasm-go-sdk), or run the plugin on Higress');
  return [higress, old, envoy];
}

function verdict(gateway: GatewayId, label: string, reasons: string[], fix: string | undefined): GatewayVerdict {
  return reasons.length === 0 ? { gateway, label, canLoad: 'yes', reasons: [] } : { gateway, label, canLoad: 'no', reasons, ...(fix ? { fix } : {}) };
}
