/**
 * proxy_get_property / proxy_set_property (host-abi.md §10). Lookup order as Envoy's findValue:
 * built-in attributes of the stream, then VM-wide ones, then values the plugin set itself.
 */
import { WasmResult } from '../abi/enums.ts';
import { decodePropertyPath, propertyKey } from '../abi/property.ts';
import type { HostEnv } from './host-env.ts';
import { returnBytes, type HostFunctions } from './results.ts';

export function propertyFunctions(env: HostEnv): HostFunctions {
  const { memory } = env;
  return {
    proxy_get_property(pathPtr: number, pathLen: number, ptrOut: number, lenOut: number): number {
      // Decoded where it lies (no copy); a short path decodes to the same string as last time.
      const pathText = memory.readString(pathPtr, pathLen);
      if (pathText === null) return WasmResult.InvalidMemoryAccess;
      const key = propertyKey(pathText);
      const stream = env.stream();
      const value = stream?.builtinProperty(key) ?? env.gateway.vmProperty(key) ?? stream?.setProperties.get(key);
      return value === undefined ? WasmResult.NotFound : returnBytes(memory, value, ptrOut, lenOut);
    },
    proxy_set_property(pathPtr: number, pathLen: number, valuePtr: number, valueLen: number): number {
      const pathBytes = memory.read(pathPtr, pathLen);
      const value = memory.read(valuePtr, valueLen);
      if (pathBytes === null || value === null) return WasmResult.InvalidMemoryAccess;
      const stream = env.stream();
      if (!stream) return WasmResult.NotFound;
      stream.setProperties.set(decodePropertyPath(pathBytes).join('.'), value);
      return WasmResult.Ok;
    },
  };
}
