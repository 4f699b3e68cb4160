/**
 * Header-map host functions (host-abi.md §8.3): get/add/replace/remove one value, get/set all
 * pairs. Request maps are writable until the stream continues; callout maps only exist inside
 * proxy_on_http_call_response.
 */
import { MapType, WasmResult } from '../abi/enums.ts';
import { decodePairs, encodePairs } from '../abi/pair-map.ts';
import type { HeaderMap } from './header-map.ts';
import type { HostEnv } from './host-env.ts';
import { returnBytes, type HostFunctions } from './results.ts';

type Resolved = { map: HeaderMap; isMutable: boolean } | 'unavailable' | 'bad-type';

const STREAM_MAPS = {
  [MapType.HttpRequestHeaders]: 'request',
  [MapType.HttpRequestTrailers]: 'request-trailers',
  [MapType.HttpResponseHeaders]: 'response',
  [MapType.HttpResponseTrailers]: 'response-trailers',
} as const;

function resolveMap(env: HostEnv, mapType: number): Resolved {
  if (mapType === MapType.HttpCallResponseHeaders || mapType === MapType.HttpCallResponseTrailers) {
    const scope = env.scope();
    const map = mapType === MapType.HttpCallResponseHeaders ? scope.calloutHeaders : scope.calloutTrailers;
    return map ? { map, isMutable: false } : 'unavailable';
  }
  const kind = STREAM_MAPS[mapType as keyof typeof STREAM_MAPS];
  if (kind === undefined) return mapType > MapType.HttpCallResponseTrailers ? 'bad-type' : 'unavailable';
  const stream = env.stream();
  if (!stream) return 'unavailable';
  const map = stream.headerMap(kind);
  return map === 'unavailable' ? map : { map, isMutable: stream.isMapMutable(kind) };
}

export function headerFunctions(env: HostEnv): HostFunctions {
  const { memory } = env;
  /** Shared prologue of the three single-value mutators. */
  const mutate = (mapType: number, keyPtr: number, keyLen: number, apply: (map: HeaderMap, key: string) => number): number => {
    const key = memory.readString(keyPtr, keyLen);
    if (key === null) return WasmResult.InvalidMemoryAccess;
    const resolved = resolveMap(env, mapType);
    if (typeof resolved === 'string' || !resolved.isMutable) return WasmResult.BadArgument;
    return apply(resolved.map, key);
  };
  return {
    proxy_get_header_map_value(mapType: number, keyPtr: number, keyLen: number, ptrOut: number, lenOut: number): number {
      const key = memory.readString(keyPtr, keyLen);
      if (key === null) return WasmResult.InvalidMemoryAccess;
      const resolved = resolveMap(env, mapType);
      if (typeof resolved === 'string') return WasmResult.BadArgument;
      const value = resolved.map.get(key);
      return value === undefined ? WasmResult.NotFound : returnBytes(memory, value, ptrOut, lenOut);
    },
    proxy_get_header_map_pairs(mapType: number, ptrOut: number, lenOut: number): number {
      const resolved = resolveMap(env, mapType);
      if (resolved === 'bad-type') return WasmResult.BadArgument;
      if (resolved === 'unavailable') return returnBytes(memory, new Uint8Array(0), ptrOut, lenOut);
      return returnBytes(memory, encodePairs(resolved.map.pairs()), ptrOut, lenOut);
    },
    proxy_get_header_map_size(mapType: number, sizeOut: number): number {
      const resolved = resolveMap(env, mapType);
      if (typeof resolved === 'string') return WasmResult.BadArgument;
      return memory.writeU32(sizeOut, encodePairs(resolved.map.pairs()).length) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
    },
    proxy_set_header_map_pairs(mapType: number, ptr: number, len: number): number {
      const bytes = memory.read(ptr, len);
      if (bytes === null) return WasmResult.InvalidMemoryAccess;
      const resolved = resolveMap(env, mapType);
      if (typeof resolved === 'string' || !resolved.isMutable) return WasmResult.BadArgument;
      resolved.map.setAll(decodePairs(bytes));
      return WasmResult.Ok;
    },
    proxy_add_header_map_value(mapType: number, keyPtr: number, keyLen: number, valuePtr: number, valueLen: number): number {
      const value = memory.readString(valuePtr, valueLen);
      if (value === null) return WasmResult.InvalidMemoryAccess;
      return mutate(mapType, keyPtr, keyLen, (map, key) => (map.add(key, value), WasmResult.Ok));
    },
    proxy_replace_header_map_value(mapType: number, keyPtr: number, keyLen: number, valuePtr: number, valueLen: number): number {
      const value = memory.readString(valuePtr, valueLen);
      if (value === null) return WasmResult.InvalidMemoryAccess;
      return mutate(mapType, keyPtr, keyLen, (map, key) => (map.replace(key, value), WasmResult.Ok));
    },
    proxy_remove_header_map_value(mapType: number, keyPtr: number, keyLen: number): number {
      return mutate(mapType, keyPtr, keyLen, (map, key) => (map.remove(key), WasmResult.Ok));
    },
  };
}
