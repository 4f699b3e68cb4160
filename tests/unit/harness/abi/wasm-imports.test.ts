import { describe, expect, test } from 'vitest';
import { formatSignature, readImports } from '../../../../src/harness/abi/wasm-imports.ts';
import { assembleWatFile } from '../wat-guest.ts';

const guest = (name: string) => assembleWatFile(new URL(`../guests/${name}.wat`, import.meta.url));

describe('readImports', () => {
  test('reads each import with its function type, from the bytes of the type and import sections', () => {
    const bytes = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, //                  magic \0asm
      0x01, 0x00, 0x00, 0x00, //                  version 1
      0x00, 0x04, 0x01, 0x78, 0x01, 0x02, //      custom section "x" (skipped)
      0x01, 0x0c, //                              type section, 12 bytes
      0x02, //                                    2 types
      0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, // 0: (i32, i32, i32) -> i32
      0x60, 0x01, 0x7e, 0x00, //                  1: (i64) -> ()
      0x02, 0x1f, //                              import section, 31 bytes
      0x03, //                                    3 imports
      0x03, 0x65, 0x6e, 0x76, //                  "env"
      0x09, ...new TextEncoder().encode('proxy_log'),
      0x00, 0x00, //                              function, type 0
      0x01, 0x6d, 0x01, 0x66, 0x00, 0x01, //      "m" "f" function, type 1
      0x01, 0x6d, 0x01, 0x6d, 0x02, 0x01, 0x01, 0x02, // "m" "m" memory, min 1 max 2
    ]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(readImports(bytes)).toEqual([
      { module: 'env', name: 'proxy_log', kind: 'function', signature: '(i32, i32, i32) -> i32' },
      { module: 'm', name: 'f', kind: 'function', signature: '(i64) -> ()' },
      { module: 'm', name: 'm', kind: 'memory' },
    ]);
  });

  test('lists the imports of a hand-written guest in declaration order, globals and memories included', async () => {
    expect(readImports(await guest('wrong-signatures'))).toEqual([
      { module: 'env', name: 'proxy_log', kind: 'function', signature: '(i32, i32) -> i32' },
      { module: 'env', name: 'proxy_done', kind: 'function', signature: '() -> i32' },
      { module: 'wasi_snapshot_preview1', name: 'clock_time_get', kind: 'function', signature: '(i32, i32, i32) -> i32' },
      { module: 'env', name: 'proxy_not_implemented_here', kind: 'function', signature: '(f64) -> ()' },
    ]);
    expect(readImports(await guest('imports-global'))).toEqual([{ module: 'env', name: '__stack_pointer', kind: 'global' }]);
    expect(readImports(await guest('imports-memory'))).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
  });

  test('returns an empty list for a module without imports', () => {
    expect(readImports(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]))).toEqual([]);
  });

  test('returns null for bytes cut short or a type encoding it does not know', () => {
    expect(readImports(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x02]))).toBeNull();
    // A GC struct type (0x5f) in the type section.
    expect(readImports(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x03, 0x01, 0x5f, 0x00]))).toBeNull();
  });
});

describe('formatSignature', () => {
  test('writes no result as (), one bare and several in parentheses', () => {
    expect(formatSignature([], [])).toBe('() -> ()');
    expect(formatSignature(['i32', 'i64'], ['i32'])).toBe('(i32, i64) -> i32');
    expect(formatSignature(['f32'], ['i32', 'i32'])).toBe('(f32) -> (i32, i32)');
  });
});
