/**
 * `wasm-lab inspect`: what a module says about itself — ABI, entry point, exports, imports — what
 * keeps it from loading (a missing export, an import with the wrong signature), and which gateways
 * can load it (gateway-compat.ts). Exit 1 when a current Higress gateway cannot, so a CI step can
 * check a build.
 */
import { FIX_TEXT, GATEWAY_LABELS, gatewayVerdicts, reasonText, type GatewayVerdict } from '../harness/gateway-compat.ts';
import { describeModule } from '../harness/module-info.ts';
import { resolvePlugin } from '../harness/node/plugin-files.ts';
import { compileModule } from '../harness/run.ts';
import { toJson } from './format.ts';

export async function inspectCommand(plugin: string, json: boolean): Promise<number> {
  const resolved = resolvePlugin(plugin);
  const info = describeModule(await compileModule(resolved.bytes, resolved.wasmPath), resolved.bytes);
  const gateways = gatewayVerdicts(info);
  const exitCode = info.problems.length || gateways[0]!.canLoad === 'no' ? 1 : 0;
  if (json) {
    // Each verdict in words too, as the table prints it, beside its codes.
    const worded = gateways.map((v) => ({ ...v, label: GATEWAY_LABELS[v.gateway], reasons: v.reasons.map((r) => ({ ...r, text: reasonText(r) })), ...(v.fix ? { fixText: FIX_TEXT[v.fix] } : {}) }));
    console.log(toJson({ file: resolved.wasmPath, sizeBytes: resolved.bytes.length, ...info, gateways: worded }));
    return exitCode;
  }
  const imports = [...new Set(info.imports.map((i) => `${i.module}.${i.name}`))];
  console.log(`${resolved.name}: ${(resolved.bytes.length / 1024 / 1024).toFixed(2)} MiB`);
  console.log(`ABI:         ${info.abiVersions.join(', ') || 'none'}`);
  console.log(`entry point: ${describeEntryPoint(info.entryPoint)}`);
  console.log(`callbacks:   ${info.exports.filter((e) => e.startsWith('proxy_on_')).join(' ')}`);
  console.log(`imports (${imports.length}):\n  ${imports.join('\n  ')}`);
  if (info.problems.length) console.log(`cannot be loaded (${info.problems.length}):\n  ${info.problems.join('\n  ')}`);
  console.log(`gateways:\n${gateways.map(formatVerdict).join('\n')}`);
  return exitCode;
}

const MARKS = { yes: '✓', no: '✗', unknown: '?' } as const;

/** `  ✓ Higress ≥ 2.1.5 …`, or the mark, the reasons and the fix indented under it. */
function formatVerdict(v: GatewayVerdict): string {
  const head = `  ${MARKS[v.canLoad]} ${GATEWAY_LABELS[v.gateway]}${v.canLoad === 'yes' ? ': loads it' : v.canLoad === 'no' ? ': cannot load it' : ': may load it'}`;
  return [head, ...v.reasons.map((r) => `      ${reasonText(r)}`), ...(v.fix ? [`      fix: ${FIX_TEXT[v.fix]}`] : [])].join('\n');
}

function describeEntryPoint(entryPoint: '_initialize' | '_start' | null): string {
  if (entryPoint === '_initialize') return '_initialize (Go ≥ 1.24 reactor, built with -buildmode=c-shared)';
  if (entryPoint === '_start') return '_start (TinyGo / WASI command)';
  return 'none (no _initialize or _start export)';
}
