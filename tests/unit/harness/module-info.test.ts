import { describe, expect, test } from 'vitest';
import { describeModule, isWasmBinary } from '../../../src/harness/module-info.ts';
import { moduleExporting } from '../../helpers/tiny-wasm.ts';
import { assembleWatFile } from './wat-guest.ts';

const compile = (names: string[]) => new WebAssembly.Module(moduleExporting(names));
const guest = async (name: string) => {
  const bytes = await assembleWatFile(new URL(`./guests/${name}.wat`, import.meta.url));
  return { module: new WebAssembly.Module(bytes), bytes };
};

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

  test('names a memory import with its fix, and no missing memory export besides', async () => {
    const { module } = await guest('imports-memory');
    expect(describeModule(module).problems).toMatchInlineSnapshot(`
      [
        "imports its memory (env.memory) instead of exporting it, and wasm-lab provides no memory (export it, as Go, TinyGo and Rust builds do; with clang or wasm-ld, link without --import-memory)",
      ]
    `);
  });

  test('names a module that exports no memory', async () => {
    const { module } = await guest('exports-no-memory');
    expect(describeModule(module).problems).toEqual(['no `memory` export (a gateway reads and writes plugin data through it)']);
  });

  test('names a global import, which nothing provides', async () => {
    const { module } = await guest('imports-global');
    expect(describeModule(module).problems).toEqual(['imports a global (env.__stack_pointer), which wasm-lab does not provide']);
  });

  test('names each import declared with another signature than the host function, given the bytes', async () => {
    const { module, bytes } = await guest('wrong-signatures');
    const info = describeModule(module, bytes);
    expect(info.mismatches).toEqual([
      { module: 'env', name: 'proxy_log', expected: '(i32, i32, i32) -> i32', found: '(i32, i32) -> i32' },
      { module: 'wasi_snapshot_preview1', name: 'clock_time_get', expected: '(i32, i64, i32) -> i32', found: '(i32, i32, i32) -> i32' },
    ]);
    expect(info.problems).toMatchInlineSnapshot(`
      [
        "imports env.proxy_log as (i32, i32) -> i32, but the gateway's proxy_log is (i32, i32, i32) -> i32",
        "imports wasi_snapshot_preview1.clock_time_get as (i32, i32, i32) -> i32, but the gateway's clock_time_get is (i32, i64, i32) -> i32",
      ]
    `);
    expect(info.imports.find((i) => i.name === 'proxy_done')?.signature).toBe('() -> i32');
  });

  test('cannot see import signatures without the bytes', async () => {
    const { module } = await guest('wrong-signatures');
    expect(describeModule(module)).toMatchObject({ mismatches: [], problems: [] });
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
