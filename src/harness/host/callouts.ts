/**
 * HTTP and Redis callouts (host-abi.md §9.1–9.2). Both belong to the root context and are answered
 * later through proxy_on_http_call_response / proxy_on_redis_call_response, never synchronously:
 * the Go SDK registers its callback only after the import returns.
 */
import { WasmResult } from '../abi/enums.ts';
import { decodePairs } from '../abi/pair-map.ts';
import type { CalloutStart, HostEnv } from './host-env.ts';
import type { HostFunctions } from './results.ts';

export function calloutFunctions(env: HostEnv): HostFunctions {
  const { memory } = env;
  const writeId = (idOut: number, started: CalloutStart): number => {
    if ('status' in started) return started.status;
    return memory.writeU32(idOut, started.id) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
  };
  return {
    proxy_http_call(
      upstreamPtr: number,
      upstreamLen: number,
      headersPtr: number,
      headersLen: number,
      bodyPtr: number,
      bodyLen: number,
      trailersPtr: number,
      trailersLen: number,
      timeoutMs: number,
      idOut: number,
    ): number {
      const cluster = memory.readString(upstreamPtr, upstreamLen);
      const headers = memory.read(headersPtr, headersLen);
      const body = memory.read(bodyPtr, bodyLen);
      const trailers = memory.read(trailersPtr, trailersLen);
      if (cluster === null || headers === null || body === null || trailers === null) return WasmResult.InvalidMemoryAccess;
      if (timeoutMs < 0) return WasmResult.BadArgument;
      const request = { cluster, headers: decodePairs(headers), body, trailers: decodePairs(trailers), timeoutMs };
      return writeId(idOut, env.gateway.dispatchHttpCall(request, env.stream()?.id ?? null));
    },
    proxy_redis_init(
      clusterPtr: number,
      clusterLen: number,
      userPtr: number,
      userLen: number,
      passwordPtr: number,
      passwordLen: number,
      timeoutMs: number,
    ): number {
      const cluster = memory.readString(clusterPtr, clusterLen);
      const username = memory.readString(userPtr, userLen);
      const password = memory.readString(passwordPtr, passwordLen);
      if (cluster === null || username === null || password === null) return WasmResult.InvalidMemoryAccess;
      return env.gateway.redisInit(cluster, username, password, timeoutMs >>> 0, env.stream()?.id ?? null);
    },
    proxy_redis_call(clusterPtr: number, clusterLen: number, queryPtr: number, queryLen: number, idOut: number): number {
      const cluster = memory.readString(clusterPtr, clusterLen);
      const query = memory.read(queryPtr, queryLen);
      if (cluster === null || query === null) return WasmResult.InvalidMemoryAccess;
      return writeId(idOut, env.gateway.dispatchRedisCall(cluster, query, env.stream()?.id ?? null));
    },
  };
}

