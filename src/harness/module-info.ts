/**
 * What a compiled proxy-wasm module says about itself: its ABI marker, lifecycle entry point and
 * imports, read with the platform's own `WebAssembly.Module` reflection (no DOM, no Node).
 */

/** ABI markers a Higress gateway accepts (reference/host-abi.md §2). */
export const SUPPORTED_ABI_VERSIONS = ['0_2_0', '0_2_1', '0_2_100'] as const;
export type AbiVersion = (typeof SUPPORTED_ABI_VERSIONS)[number];

export interface ImportEntry {
  module: string;
  name: string;
  kind: WebAssembly.ImportExportKind;
}

export interface ModuleInfo {
  /** ABI versions named by `proxy_abi_version_*` exports, supported or not. */
  abiVersions: string[];
  /** `_initialize` for Go ≥ 1.24 c-shared reactors, `_start` for TinyGo commands, else null. */
  entryPoint: '_initialize' | '_start' | null;
  exports: string[];
  imports: ImportEntry[];
  /** Each requirement the module fails, as a short phrase naming the missing export. */
  problems: string[];
}

const ABI_MARKER_PREFIX = 'proxy_abi_version_';

/**
 * Describes a compiled module and lists what keeps a gateway from loading it.
 *
 * A Go ≥ 1.24 plugin built with `-buildmode=c-shared` must export `_initialize`,
 * `proxy_on_memory_allocate` and one supported `proxy_abi_version_*` marker.
 */
export function describeModule(module: WebAssembly.Module): ModuleInfo {
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  const imports = WebAssembly.Module.imports(module).map(({ module: m, name, kind }) => ({
    module: m,
    name,
    kind,
  }));
  const abiVersions = exports
    .filter((name) => name.startsWith(ABI_MARKER_PREFIX))
    .map((name) => name.slice(ABI_MARKER_PREFIX.length));
  const entryPoint = exports.includes('_initialize')
    ? '_initialize'
    : exports.includes('_start')
      ? '_start'
      : null;

  const problems: string[] = [];
  if (entryPoint === null) {
    problems.push('no `_initialize` export (build with -buildmode=c-shared)');
  }
  if (!exports.includes('proxy_on_memory_allocate')) {
    problems.push('no `proxy_on_memory_allocate` export (is this a proxy-wasm plugin?)');
  }
  if (!abiVersions.some((v) => (SUPPORTED_ABI_VERSIONS as readonly string[]).includes(v))) {
    problems.push(
      abiVersions.length === 0
        ? 'no `proxy_abi_version_*` export'
        : `unsupported ABI ${abiVersions.join(', ')} (want one of ${SUPPORTED_ABI_VERSIONS.join(', ')})`,
    );
  }
  return { abiVersions, entryPoint, exports, imports, problems };
}

/** Tells whether bytes start with the wasm magic number `\0asm`. */
export function isWasmBinary(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}
