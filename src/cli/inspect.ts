/** `wasm-lab inspect`: what a module says about itself — ABI, entry point, exports, imports. */
import { describeModule } from '../harness/module-info.ts';
import { resolvePlugin } from '../harness/node/plugin-files.ts';
import { compilePlugin } from '../harness/run.ts';
import { HarnessError } from '../harness/errors.ts';
import { toJson } from './format.ts';

export async function inspectCommand(plugin: string | undefined, json: boolean): Promise<number> {
  if (!plugin) throw new HarnessError('bad-input', 'wasm-lab inspect needs a plugin: an example name or a .wasm path.');
  const resolved = resolvePlugin(plugin);
  const info = describeModule(await compilePlugin(resolved.bytes, resolved.wasmPath));
  if (json) {
    console.log(toJson({ file: resolved.wasmPath, sizeBytes: resolved.bytes.length, ...info }));
    return 0;
  }
  const imports = [...new Set(info.imports.map((i) => `${i.module}.${i.name}`))];
  console.log(`${resolved.name}: ${(resolved.bytes.length / 1024 / 1024).toFixed(2)} MiB`);
  console.log(`ABI:         ${info.abiVersions.join(', ')}`);
  console.log(`entry point: ${info.entryPoint}${info.entryPoint === '_initialize' ? ' (Go ≥ 1.24 reactor, built with -buildmode=c-shared)' : ' (TinyGo / WASI command)'}`);
  console.log(`callbacks:   ${info.exports.filter((e) => e.startsWith('proxy_on_')).join(' ')}`);
  console.log(`imports (${imports.length}):\n  ${imports.join('\n  ')}`);
  return 0;
}
