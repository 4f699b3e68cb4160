import { describe, expect, test } from 'vitest';
import { describeModule, isWasmBinary } from '../../../src/harness/module-info.ts';
import { moduleExporting } from '../../helpers/tiny-wasm.ts';

const compile = (names: string[]) => new WebAssembly.Module(moduleExporting(names));

describe('describeModule', () => {
  test('finds no problem in a Go 1.24 reactor plugin', () => {
    const info = describeModule(compile(['_initialize', 'proxy_on_memory_allocate', 'proxy_abi_version_0_2_100']));
    expect(info.entryPoint).toBe('_initialize');
    expect(info.abiVersions).toEqual(['0_2_100']);
    expect(info.problems).toEqual([]);
  });

  test('accepts a TinyGo command module by its _start entry point', () => {
    const info = describeModule(compile(['_start', 'proxy_on_memory_allocate', 'proxy_abi_version_0_2_0']));
    expect(info.entryPoint).toBe('_start');
    expect(info.problems).toEqual([]);
  });

  test('names every missing export of a module that is not a plugin', () => {
    expect(describeModule(compile(['add'])).problems).toMatchInlineSnapshot(`
      [
        "no \`_initialize\` export (build with -buildmode=c-shared)",
        "no \`proxy_on_memory_allocate\` export (is this a proxy-wasm plugin?)",
        "no \`proxy_abi_version_*\` export",
      ]
    `);
  });

  test('reports an ABI marker the gateway does not support', () => {
    const info = describeModule(compile(['_initialize', 'proxy_on_memory_allocate', 'proxy_abi_version_0_1_0']));
    expect(info.problems).toEqual(['unsupported ABI 0_1_0 (want one of 0_2_0, 0_2_1, 0_2_100)']);
  });
});

describe('isWasmBinary', () => {
  test('recognises the wasm magic number', () => {
    expect(isWasmBinary(moduleExporting([]))).toBe(true);
  });

  test('rejects text and short input', () => {
    expect(isWasmBinary(new TextEncoder().encode('<html>not wasm</html>'))).toBe(false);
    expect(isWasmBinary(new Uint8Array([0, 0x61]))).toBe(false);
  });
});
