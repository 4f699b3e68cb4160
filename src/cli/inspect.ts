/**
 * `wasm-lab inspect`: what a module says about itself — ABI, entry point, exports, imports — and
 * what keeps it from loading (a missing export, an import with the wrong signature). Exit 1 when
 * there is such a problem, so a CI step can check a build.
 */
import { describeModule } from '../harness/module-info.ts';
import { resolvePlugin } from '../harness/node/plugin-files.ts';
import { compileModule } from '../harness/run.ts';
import { toJson } from './format.ts';

export async function inspectCommand(plugin: string, json: boolean): Promise<number> {
  const resolved = resolvePlugin(plugin);
  const info = describeModule(await compileModule(resolved.bytes, resolved.wasmPath), resolved.bytes);
  const exitCode = info.problems.length ? 1 : 0;
  if (json) {
    console.log(toJson({ file: resolved.wasmPath, sizeBytes: resolved.bytes.length, ...info }));
    return exitCode;
  }
  const imports = [...new Set(info.imports.map((i) => `${i.module}.${i.name}`))];
  console.log(`${resolved.name}: ${(resolved.bytes.length / 1024 / 1024).toFixed(2)} MiB`);
  console.log(`ABI:         ${info.abiVersions.join(', ') || 'none'}`);
  console.log(`entry point: ${describeEntryPoint(info.entryPoint)}`);
  console.log(`callbacks:   ${info.exports.filter((e) => e.startsWith('proxy_on_')).join(' ')}`);
  console.log(`imports (${imports.length}):\n  ${imports.join('\n  ')}`);
  if (info.problems.length) console.log(`cannot be loaded (${info.problems.length}):\n  ${info.problems.join('\n  ')}`);
  return exitCode;
}

function describeEntryPoint(entryPoint: '_initialize' | '_start' | null): string {
  if (entryPoint === '_initialize') return '_initialize (Go ≥ 1.24 reactor, built with -buildmode=c-shared)';
  if (entryPoint === '_start') return '_start (TinyGo / WASI command)';
  return 'none (no _initialize or _start export)';
}
