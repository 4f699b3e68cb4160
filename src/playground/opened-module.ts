/**
 * A .wasm the reader opened (file picker or drag-and-drop): its bytes, and what its imports and
 * exports say about which gateways can load it (harness/gateway-compat.ts, the same verdict
 * `wasm-lab inspect` prints). Loaded on demand, so a page carries none of this until a file is opened.
 */
import { gatewayVerdicts, type GatewayVerdict } from '../harness/gateway-compat.ts';
import { describeModule, isWasmBinary } from '../harness/module-info.ts';

export interface OpenedModule {
  /** The file's name, e.g. `main.wasm`. */
  fileName: string;
  bytes: Uint8Array;
  verdicts: GatewayVerdict[];
}

/** A file that is not a module we can run: `key` and `values` word it in the page's language. */
export class OpenModuleError extends Error {
  readonly key: string;
  readonly values: Record<string, string>;
  constructor(key: string, values: Record<string, string>) {
    super(key);
    this.key = key;
    this.values = values;
  }
}

export async function openModuleFile(file: Pick<File, 'name' | 'arrayBuffer'>): Promise<OpenedModule> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!isWasmBinary(bytes)) throw new OpenModuleError('playground.error.notWasm', { name: file.name });
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (error) {
    throw new OpenModuleError('playground.error.invalidWasm', { name: file.name, reason: error instanceof Error ? error.message.replace(/^WebAssembly\.compile\(\): /, '') : String(error) });
  }
  return { fileName: file.name, bytes, verdicts: gatewayVerdicts(describeModule(module, bytes)) };
}
