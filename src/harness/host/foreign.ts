/**
 * proxy_call_foreign_function (host-abi.md §3.4). `get_log_level` answers the gateway's wasm log
 * level as a u32 LE; the wasm-go logger drops lines below it.
 */
import { WasmResult } from '../abi/enums.ts';
import type { HostEnv } from './host-env.ts';
import { returnBytes, type HostFunctions } from './results.ts';

type ForeignFunction = (env: HostEnv, args: Uint8Array) => Uint8Array;

const FOREIGN: Record<string, ForeignFunction> = {
  get_log_level(env) {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, env.gateway.logLevel, true);
    return out;
  },
  // wrapper.WithMaxRequestsPerIoCycle: a scheduling hint with no effect in a simulation.
  set_global_max_requests_per_io_cycle: () => new Uint8Array(0),
};

export function foreignFunctions(env: HostEnv): HostFunctions {
  const { memory } = env;
  return {
    proxy_call_foreign_function(namePtr: number, nameLen: number, argsPtr: number, argsLen: number, ptrOut: number, lenOut: number): number {
      const name = memory.readString(namePtr, nameLen);
      const args = memory.read(argsPtr, argsLen);
      if (name === null || args === null) return WasmResult.InvalidMemoryAccess;
      const fn = FOREIGN[name];
      if (!fn) return WasmResult.NotFound;
      return returnBytes(memory, fn(env, args), ptrOut, lenOut);
    },
  };
}
