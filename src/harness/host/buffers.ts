/**
 * Buffer host functions (host-abi.md §8.4): bodies in their callbacks, configuration during
 * configure, callout and Redis replies inside their callbacks. Reads clamp; never fail on over-reads.
 */
import { BufferType, MAX_BUFFER_TYPE, WasmResult } from '../abi/enums.ts';
import type { BodyBuffer } from './body-buffer.ts';
import type { HostEnv } from './host-env.ts';
import { returnBytes, type HostFunctions } from './results.ts';

function resolveBuffer(env: HostEnv, type: number): BodyBuffer | null {
  if (type === BufferType.HttpRequestBody || type === BufferType.HttpResponseBody) {
    return env.stream()?.body(type === BufferType.HttpRequestBody ? 'request' : 'response') ?? null;
  }
  const scope = env.scope();
  return scope.bufferType === type ? (scope.buffer ?? null) : null;
}

export function bufferFunctions(env: HostEnv): HostFunctions {
  const { memory } = env;
  return {
    proxy_get_buffer_bytes(type: number, start: number, maxSize: number, ptrOut: number, lenOut: number): number {
      if (type < 0 || type > MAX_BUFFER_TYPE) return WasmResult.BadArgument;
      const buffer = resolveBuffer(env, type);
      if (!buffer) return WasmResult.NotFound;
      const bytes = buffer.slice(start, maxSize);
      return bytes === null ? WasmResult.BadArgument : returnBytes(memory, bytes, ptrOut, lenOut);
    },
    proxy_set_buffer_bytes(type: number, start: number, size: number, dataPtr: number, dataLen: number): number {
      if (type < 0 || type > MAX_BUFFER_TYPE) return WasmResult.BadArgument;
      const data = memory.read(dataPtr, dataLen);
      if (data === null) return WasmResult.InvalidMemoryAccess;
      const buffer = resolveBuffer(env, type);
      if (!buffer) return WasmResult.NotFound;
      return buffer.write(start, size, data);
    },
    proxy_get_buffer_status(type: number, lengthOut: number, flagsOut: number): number {
      if (type < 0 || type > MAX_BUFFER_TYPE) return WasmResult.BadArgument;
      const buffer = resolveBuffer(env, type);
      if (!buffer) return WasmResult.NotFound;
      return memory.writeU32(lengthOut, buffer.length) && memory.writeU32(flagsOut, 0) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
    },
  };
}
