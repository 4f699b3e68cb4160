/** proxy_log, proxy_get_log_level and the deprecated time import (host-abi.md §3.2). */
import { LogLevel, WasmResult } from '../abi/enums.ts';
import type { HostEnv } from './host-env.ts';
import type { HostFunctions } from './results.ts';

export function logFunctions(env: HostEnv): HostFunctions {
  return {
    proxy_log(level: number, msgPtr: number, msgLen: number): number {
      if (!env.memory.contains(msgPtr, msgLen)) return WasmResult.InvalidMemoryAccess;
      if (level < LogLevel.Trace || level > LogLevel.Critical) return WasmResult.BadArgument;
      // Below the gateway's level the line goes nowhere (as in Envoy), so it is not even decoded.
      if (level < env.gateway.logLevel) return WasmResult.Ok;
      env.log(level, env.memory.readString(msgPtr, msgLen)!);
      return WasmResult.Ok;
    },
    proxy_get_log_level(levelOut: number): number {
      return env.memory.writeU32(levelOut, env.gateway.logLevel) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
    },
    proxy_get_current_time_nanoseconds(timeOut: number): number {
      return env.memory.writeU64(timeOut, env.clock.readRealtimeNs()) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
    },
  };
}
