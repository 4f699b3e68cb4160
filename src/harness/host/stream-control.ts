/**
 * Stream control (host-abi.md §8.2, §8.5, §9.3): continue, close and local reply are queued and
 * applied after the callback returns, as Envoy's after-VM-call actions; injected response data
 * goes to the client at once.
 */
import { StreamType, WasmResult } from '../abi/enums.ts';
import { decodePairs } from '../abi/pair-map.ts';
import type { HostEnv } from './host-env.ts';
import type { HostFunctions } from './results.ts';

function direction(streamType: number): 'request' | 'response' | null {
  if (streamType === StreamType.Request) return 'request';
  if (streamType === StreamType.Response) return 'response';
  return null;
}

export function streamControlFunctions(env: HostEnv): HostFunctions {
  const { memory } = env;
  return {
    proxy_continue_stream(streamType: number): number {
      const stream = env.stream();
      if (!stream) return WasmResult.NotFound;
      const dir = direction(streamType);
      return dir ? stream.continueStream(dir) : WasmResult.Unimplemented;
    },
    proxy_close_stream(streamType: number): number {
      const stream = env.stream();
      if (!stream) return WasmResult.NotFound;
      const dir = direction(streamType);
      return dir ? stream.closeStream(dir) : WasmResult.Unimplemented;
    },
    proxy_send_local_response(
      status: number,
      detailsPtr: number,
      detailsLen: number,
      bodyPtr: number,
      bodyLen: number,
      headersPtr: number,
      headersLen: number,
      grpcStatus: number,
    ): number {
      const details = memory.readString(detailsPtr, detailsLen);
      const body = memory.read(bodyPtr, bodyLen);
      const headerBytes = memory.read(headersPtr, headersLen);
      if (details === null || body === null || headerBytes === null) return WasmResult.InvalidMemoryAccess;
      // Called from a root context without an effective stream, Envoy returns OK and sends
      // nothing (envoyproxy/envoy#39797); we do the same.
      const stream = env.stream();
      if (!stream) return WasmResult.Ok;
      return stream.sendLocalReply({ status, details, body, headers: decodePairs(headerBytes), grpcStatus });
    },
    /** Higress: response bytes sent on to the client past this filter, e.g. after a paused streaming response (§3.3). */
    proxy_inject_encoded_data_to_filter_chain(bodyPtr: number, bodyLen: number, endStream: number): number {
      const body = memory.read(bodyPtr, bodyLen);
      if (body === null) return WasmResult.InvalidMemoryAccess;
      const stream = env.stream();
      return stream ? stream.injectEncodedData(body, endStream !== 0) : WasmResult.NotFound;
    },
    proxy_set_effective_context(contextId: number): number {
      return env.setEffectiveContext(contextId);
    },
    proxy_done(): number {
      return WasmResult.NotFound;
    },
  };
}
