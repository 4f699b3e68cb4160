import { describe, expect, test } from 'vitest';
import { ModuleError } from '../../../src/harness/run-errors.ts';
import { checkPluginModule, compileModule, compilePlugin, runScenario } from '../../../src/harness/run.ts';
import { loadScenarioText } from '../../../src/harness/scenario.ts';
import { assembleWatFile } from './wat-guest.ts';

const guestBytes = (name: string) => assembleWatFile(new URL(`./guests/${name}.wat`, import.meta.url));

/** The ModuleError a promise rejects with, as the plain object a user's message is made of. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModuleError);
  return (error as ModuleError).toJSON();
}

describe('compilePlugin', () => {
  test('refuses an import whose signature differs from the host function, naming both', async () => {
    expect(await rejection(compilePlugin(await guestBytes('wrong-signatures'), 'bad.wasm'))).toMatchInlineSnapshot(`
      {
        "hint": "a real gateway refuses a mismatched import when it links the module; declare each import as proxy-wasm-go-sdk's proxywasm/internal/abi_hostcalls.go does, or rebuild with the Higress SDK",
        "kind": "bad-module",
        "message": "bad.wasm cannot be loaded: imports env.proxy_log as (i32, i32) -> i32, but the gateway's proxy_log is (i32, i32, i32) -> i32; imports wasi_snapshot_preview1.clock_time_get as (i32, i32, i32) -> i32, but the gateway's clock_time_get is (i32, i64, i32) -> i32",
      }
    `);
  });

  test('refuses a memory import before instantiating, with the fix', async () => {
    expect(await rejection(compilePlugin(await guestBytes('imports-memory'), 'mem.wasm'))).toMatchInlineSnapshot(`
      {
        "kind": "bad-module",
        "message": "mem.wasm cannot be loaded: imports its memory (env.memory) instead of exporting it, and wasm-lab provides no memory (export it, as Go, TinyGo and Rust builds do; with clang or wasm-ld, link without --import-memory)",
      }
    `);
  });

  test('says in one line why bytes that start like wasm do not compile', async () => {
    const cut = (await guestBytes('imports-memory')).slice(0, 20);
    expect(await rejection(compilePlugin(cut, 'cut.wasm'))).toMatchInlineSnapshot(`
      {
        "hint": "rebuild it; a file cut short or edited by hand fails this way",
        "kind": "bad-module",
        "message": "cut.wasm is not a valid WebAssembly module: section (code 1, "Type") extends past end of the module (length 20, remaining bytes 10) @+8",
      }
    `);
  });
});

describe('compileModule', () => {
  test('compiles a module a gateway would refuse, for inspect to describe', async () => {
    expect(await compileModule(await guestBytes('wrong-signatures'))).toBeInstanceOf(WebAssembly.Module);
  });
});

describe('checkPluginModule', () => {
  test('checks signatures only when given the bytes', async () => {
    const bytes = await guestBytes('wrong-signatures');
    const module = new WebAssembly.Module(bytes);
    expect(checkPluginModule(module, 'x')).toBe(module);
    expect(() => checkPluginModule(module, 'x', bytes)).toThrow(ModuleError);
  });
});

describe('runScenario', () => {
  test('turns an instantiation failure of an unchecked module into a one-line ModuleError', async () => {
    const module = new WebAssembly.Module(await guestBytes('imports-memory'));
    const error = await rejection(runScenario({ module, scenario: loadScenarioText('requests: [{ path: / }]') }));
    expect(error).toMatchInlineSnapshot(`
      {
        "hint": "the module declares something this host cannot link; rebuild it with the Higress SDK (GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared)",
        "kind": "bad-module",
        "message": "the plugin could not be instantiated: Import #0 "env": module is not an object or function",
      }
    `);
  });
});
