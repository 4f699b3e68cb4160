/**
 * What a compiled proxy-wasm module says about itself: its ABI marker, lifecycle entry point and
 * imports, read with the platform's own `WebAssembly.Module` reflection (no DOM, no Node), plus
 * the signatures of its imports when the bytes are at hand (the JS API does not expose them).
 */
import { readImports, type Signature } from './abi/wasm-imports.ts';
import { hostSignature } from './host/signatures.ts';

/** ABI markers a Higress gateway accepts (reference/host-abi.md §2). */
export const SUPPORTED_ABI_VERSIONS = ['0_2_0', '0_2_1', '0_2_100'] as const;
export type AbiVersion = (typeof SUPPORTED_ABI_VERSIONS)[number];

export interface ImportEntry {
  module: string;
  name: string;
  kind: WebAssembly.ImportExportKind;
  /** A function import's type, e.g. `(i32, i32, i32) -> i32`; only when described from bytes. */
  signature?: Signature;
}

/** A function import whose type differs from the host function of that name. */
export interface SignatureMismatch {
  module: string;
  name: string;
  /** The signature the gateway's host function has. */
  expected: Signature;
  /** The signature the module declares. */
  found: Signature;
}

export interface ModuleInfo {
  /** ABI versions named by `proxy_abi_version_*` exports, supported or not. */
  abiVersions: string[];
  /** `_initialize` for Go ≥ 1.24 c-shared reactors, `_start` for TinyGo commands, else null. */
  entryPoint: '_initialize' | '_start' | null;
  exports: string[];
  imports: ImportEntry[];
  /** Imports we implement that the module declares with another signature (empty without bytes). */
  mismatches: SignatureMismatch[];
  /** Each requirement the module fails, as a short phrase naming the missing export or bad import. */
  problems: string[];
}

const ABI_MARKER_PREFIX = 'proxy_abi_version_';

/**
 * Describes a compiled module and lists what keeps a gateway from loading it.
 *
 * A Go ≥ 1.24 plugin built with `-buildmode=c-shared` must export `_initialize`, its `memory`,
 * `proxy_on_memory_allocate` and one supported `proxy_abi_version_*` marker, and import only
 * functions. Given the module's `bytes`, it also checks each function import we implement against
 * the host function's signature (host/signatures.ts), as a real host does when it links.
 */
export function describeModule(module: WebAssembly.Module, bytes?: Uint8Array): ModuleInfo {
  const exportList = WebAssembly.Module.exports(module);
  const exports = exportList.map((e) => e.name);
  const declared = bytes === undefined ? null : readImports(bytes);
  const imports: ImportEntry[] = WebAssembly.Module.imports(module).map(({ module: m, name, kind }, i) => {
    const signature = declared?.[i]?.signature;
    return signature === undefined ? { module: m, name, kind } : { module: m, name, kind, signature };
  });
  const mismatches = imports.flatMap(({ module: m, name, signature: found }) => {
    const expected = found === undefined ? undefined : hostSignature(m, name);
    return expected === undefined || found === undefined || expected === found ? [] : [{ module: m, name, expected, found }];
  });
  const abiVersions = exports
    .filter((name) => name.startsWith(ABI_MARKER_PREFIX))
    .map((name) => name.slice(ABI_MARKER_PREFIX.length));
  const entryPoint = exports.includes('_initialize')
    ? '_initialize'
    : exports.includes('_start')
      ? '_start'
      : null;

  const hasMemoryExport = exportList.some((e) => e.kind === 'memory');
  const problems = [...exportProblems(exports, entryPoint, abiVersions), ...importProblems(imports, mismatches, hasMemoryExport)];
  return { abiVersions, entryPoint, exports, imports, mismatches, problems };
}

function exportProblems(exports: string[], entryPoint: ModuleInfo['entryPoint'], abiVersions: string[]): string[] {
  const problems: string[] = [];
  if (entryPoint === null) problems.push('no `_initialize` export (build with -buildmode=c-shared)');
  if (!exports.includes('proxy_on_memory_allocate')) problems.push('no `proxy_on_memory_allocate` export (is this a proxy-wasm plugin?)');
  if (!abiVersions.some((v) => (SUPPORTED_ABI_VERSIONS as readonly string[]).includes(v))) {
    problems.push(
      abiVersions.length === 0
        ? 'no `proxy_abi_version_*` export'
        : `unsupported ABI ${abiVersions.join(', ')} (want one of ${SUPPORTED_ABI_VERSIONS.join(', ')})`,
    );
  }
  return problems;
}

/**
 * What the module imports that cannot be linked. A plugin owns its memory and exports it: every
 * proxy-wasm SDK does. A gateway would create a memory (and a table) for such an import and
 * refuses a global (RATIONALE.md); wasm-lab provides none, so each is named with its fix instead
 * of failing at link time with a LinkError.
 */
function importProblems(imports: ImportEntry[], mismatches: SignatureMismatch[], hasMemoryExport: boolean): string[] {
  const problems: string[] = [];
  const memoryImport = imports.find((i) => i.kind === 'memory');
  if (memoryImport !== undefined) {
    problems.push(
      `imports its memory (${memoryImport.module}.${memoryImport.name}) instead of exporting it, and wasm-lab provides no memory (export it, as Go, TinyGo and Rust builds do; with clang or wasm-ld, link without --import-memory)`,
    );
  } else if (!hasMemoryExport) {
    problems.push('no `memory` export (a gateway reads and writes plugin data through it)');
  }
  for (const other of imports.filter((i) => i.kind !== 'function' && i.kind !== 'memory')) {
    problems.push(`imports a ${other.kind} (${other.module}.${other.name}), which wasm-lab does not provide`);
  }
  for (const m of mismatches) problems.push(`imports ${m.module}.${m.name} as ${m.found}, but the gateway's ${m.name} is ${m.expected}`);
  return problems;
}

/** Tells whether bytes start with the wasm magic number `\0asm`. */
export function isWasmBinary(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}
