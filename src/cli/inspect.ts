/**
 * `wasm-lab inspect`: what a module says about itself — ABI, entry point, exports, imports — what
 * keeps it from loading (a missing export, an import with the wrong signature), and which gateways
 * can load it (gateway-compat.ts). Exit 1 when a current Higress gateway cannot, so a CI step can
 * check a build.
 */
import { gatewayVerdicts } from '../harness/gateway-compat.ts';
import { translator } from '../site/ui-strings.ts';
import { verdictWords, type VerdictWords } from '../site/verdict-words.ts';
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
    const worded = gateways.map((v) => ({ ...v, words: verdictWords(v, ENGLISH) }));
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
  console.log(`gateways:\n${gateways.map((v) => formatVerdict(v.canLoad, verdictWords(v, ENGLISH))).join('\n')}`);
  return exitCode;
}

const MARKS = { yes: '✓', no: '✗', unknown: '?' } as const;

/** The CLI speaks English: the site's en strings. */
const ENGLISH = translator('en');

/** `  ✓ Higress ≥ 2.1.5 …: loads it`, then the reasons and the fix indented under it. */
function formatVerdict(canLoad: keyof typeof MARKS, words: VerdictWords): string {
  const head = `  ${MARKS[canLoad]} ${words.gateway}: ${words.state}`;
  return [head, ...words.reasons.map((r) => `      ${r}`), ...(words.fix ? [`      fix: ${words.fix}`] : [])].join('\n');
}

function describeEntryPoint(entryPoint: '_initialize' | '_start' | null): string {
  if (entryPoint === '_initialize') return '_initialize (Go ≥ 1.24 reactor, built with -buildmode=c-shared)';
  if (entryPoint === '_start') return '_start (TinyGo / WASI command)';
  return 'none (no _initialize or _start export)';
}
