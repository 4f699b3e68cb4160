/**
 * Header-map host functions (host-abi.md §8.3): get/add/replace/remove one value, get/set all
 * pairs. Request maps are writable until the stream continues; callout maps only exist inside
 * proxy_on_http_call_response.
 */
import { MapType, WasmResult } from '../abi/enums.ts';
import { decodePairs } from '../abi/pair-map.ts';
import type { HeaderMap } from './header-map.ts';
import type { HostEnv } from './host-env.ts';
import { returnBytes, type HostFunctions } from './results.ts';

/** The map a call names, or why there is none (no object is made per call: the host answers a dozen per request). */
type Resolved = HeaderMap | 'unavailable' | 'bad-type';

const STREAM_MAPS = {
  [MapType.HttpRequestHeaders]: 'request',
  [MapType.HttpRequestTrailers]: 'request-trailers',
  [MapType.HttpResponseHeaders]: 'response',
  [MapType.HttpResponseTrailers]: 'response-trailers',
} as const;

function isCalloutMap(mapType: number): boolean {
  return mapType === MapType.HttpCallResponseHeaders || mapType === MapType.HttpCallResponseTrailers;
}

function resolveMap(env: HostEnv, mapType: number): Resolved {
  if (isCalloutMap(mapType)) {
    const scope = env.scope();
    const map = mapType === MapType.HttpCallResponseHeaders ? scope.calloutHeaders : scope.calloutTrailers;
    return map ?? 'unavailable';
  }
  const kind = STREAM_MAPS[mapType as keyof typeof STREAM_MAPS];
  if (kind === undefined) return mapType > MapType.HttpCallResponseTrailers ? 'bad-type' : 'unavailable';
  const stream = env.stream();
  if (!stream) return 'unavailable';
  return stream.headerMap(kind);
}

/** Whether the map resolveMap just returned may change: callout maps never, stream maps until the stream continues. */
function isMutable(env: HostEnv, mapType: number): boolean {
  if (isCalloutMap(mapType)) return false;
  return env.stream()!.isMapMutable(STREAM_MAPS[mapType as keyof typeof STREAM_MAPS]);
}

const EMPTY = new Uint8Array(0);

export function headerFunctions(env: HostEnv): HostFunctions {
  const { memory } = env;
  /** Shared prologue of the three single-value mutators: the map, or the status to answer. */
  const mutable = (mapType: number): HeaderMap | WasmResult => {
    const resolved = resolveMap(env, mapType);
    if (typeof resolved === 'string' || !isMutable(env, mapType)) return WasmResult.BadArgument;
    return resolved;
  };
  return {
    proxy_get_header_map_value(mapType: number, keyPtr: number, keyLen: number, ptrOut: number, lenOut: number): number {
      const key = memory.readString(keyPtr, keyLen);
      if (key === null) return WasmResult.InvalidMemoryAccess;
      const resolved = resolveMap(env, mapType);
      if (typeof resolved === 'string') return WasmResult.BadArgument;
      const value = resolved.get(key);
      return value === undefined ? WasmResult.NotFound : returnBytes(memory, value, ptrOut, lenOut);
    },
    proxy_get_header_map_pairs(mapType: number, ptrOut: number, lenOut: number): number {
      const resolved = resolveMap(env, mapType);
      if (resolved === 'bad-type') return WasmResult.BadArgument;
      if (resolved === 'unavailable') return returnBytes(memory, EMPTY, ptrOut, lenOut);
      return returnBytes(memory, resolved.encoded(), ptrOut, lenOut);
    },
    proxy_get_header_map_size(mapType: number, sizeOut: number): number {
      const resolved = resolveMap(env, mapType);
      if (typeof resolved === 'string') return WasmResult.BadArgument;
      return memory.writeU32(sizeOut, resolved.encoded().length) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
    },
    proxy_set_header_map_pairs(mapType: number, ptr: number, len: number): number {
      const bytes = memory.read(ptr, len);
      if (bytes === null) return WasmResult.InvalidMemoryAccess;
      const resolved = resolveMap(env, mapType);
      if (typeof resolved === 'string' || !isMutable(env, mapType)) return WasmResult.BadArgument;
      resolved.setAll(decodePairs(bytes));
      return WasmResult.Ok;
    },
    proxy_add_header_map_value(mapType: number, keyPtr: number, keyLen: number, valuePtr: number, valueLen: number): number {
      const value = memory.readString(valuePtr, valueLen);
      if (value === null) return WasmResult.InvalidMemoryAccess;
      const key = memory.readString(keyPtr, keyLen);
      if (key === null) return WasmResult.InvalidMemoryAccess;
      const map = mutable(mapType);
      if (typeof map === 'number') return map;
      map.add(key, value);
      return WasmResult.Ok;
    },
    proxy_replace_header_map_value(mapType: number, keyPtr: number, keyLen: number, valuePtr: number, valueLen: number): number {
      const value = memory.readString(valuePtr, valueLen);
      if (value === null) return WasmResult.InvalidMemoryAccess;
      const key = memory.readString(keyPtr, keyLen);
      if (key === null) return WasmResult.InvalidMemoryAccess;
      const map = mutable(mapType);
      if (typeof map === 'number') return map;
      map.replace(key, value);
      return WasmResult.Ok;
    },
    proxy_remove_header_map_value(mapType: number, keyPtr: number, keyLen: number): number {
      const key = memory.readString(keyPtr, keyLen);
      if (key === null) return WasmResult.InvalidMemoryAccess;
      const map = mutable(mapType);
      if (typeof map === 'number') return map;
      map.remove(key);
      return WasmResult.Ok;
    },
  };
}
