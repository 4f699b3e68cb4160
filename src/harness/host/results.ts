/** Small shared helpers for host functions: turning memory outcomes into WasmResults. */
import { WasmResult } from '../abi/enums.ts';
import type { GuestMemory } from '../abi/memory.ts';

/** Returns bytes to the guest through (ptr, len) out-pointers, as a WasmResult. */
export function returnBytes(memory: GuestMemory, bytes: Uint8Array | string, ptrOut: number, lenOut: number): WasmResult {
  const result = memory.returnBytes(bytes, ptrOut, lenOut);
  if (result === 'ok') return WasmResult.Ok;
  return result === 'bad-pointer' ? WasmResult.InvalidMemoryAccess : WasmResult.InternalFailure;
}

export type HostFunction = (...args: never[]) => number;
export type HostFunctions = Record<string, HostFunction>;
