/**
 * Runs the `env` host functions of one area inside a test guest (guests/<name>.wat) over a fake
 * HostEnv: a plain object with a real GuestMemory, real HeaderMaps and BodyBuffers, and nothing
 * else. Anything the functions under test should never touch throws when called.
 */
import { GuestMemory } from '../../../../src/harness/abi/memory.ts';
import { VirtualClock } from '../../../../src/harness/clock.ts';
import type { BodyBuffer } from '../../../../src/harness/host/body-buffer.ts';
import type { HeaderMap } from '../../../../src/harness/host/header-map.ts';
import type { CallScope, GatewayServices, HostEnv, StreamAccess } from '../../../../src/harness/host/host-env.ts';
import type { HostFunctions } from '../../../../src/harness/host/results.ts';
import { compileGuest, RawMemory, SENTINEL } from '../wat-guest.ts';

export type MapKind = 'request' | 'response' | 'request-trailers' | 'response-trailers';

/** What a fake stream exposes; tests change it between calls as phases pass. */
export interface StreamState {
  /** Maps available now; a missing kind is 'unavailable'. */
  maps: Partial<Record<MapKind, HeaderMap>>;
  /** Kinds whose mutation Envoy no longer allows (after Continue). */
  immutable: Set<MapKind>;
  bodies: Partial<Record<'request' | 'response', BodyBuffer>>;
}

/** What the fake HostEnv answers: the effective stream (null in a root context) and the call scope. */
export interface EnvState {
  stream: StreamAccess | null;
  scope: CallScope;
}

function unused(name: string): () => never {
  return () => {
    throw new Error(`${name} is not used by these host functions`);
  };
}

export function fakeStream(state: StreamState): StreamAccess {
  return {
    id: 2,
    headerMap: (kind) => state.maps[kind] ?? 'unavailable',
    isMapMutable: (kind) => !state.immutable.has(kind),
    body: (kind) => state.bodies[kind] ?? null,
    continueStream: unused('StreamAccess.continueStream'),
    closeStream: unused('StreamAccess.closeStream'),
    sendLocalReply: unused('StreamAccess.sendLocalReply'),
    injectEncodedData: unused('StreamAccess.injectEncodedData'),
    setProperties: new Map(),
    builtinProperty: unused('StreamAccess.builtinProperty'),
  };
}

const NO_GATEWAY = new Proxy({} as GatewayServices, {
  get(_target, name) {
    throw new Error(`gateway.${String(name)} is not used by these host functions`);
  },
});

export function fakeEnv(memory: GuestMemory, state: EnvState): HostEnv {
  return {
    memory,
    clock: new VirtualClock(0),
    gateway: NO_GATEWAY,
    stream: () => state.stream,
    scope: () => state.scope,
    setEffectiveContext: unused('HostEnv.setEffectiveContext'),
    log: unused('HostEnv.log'),
  };
}

/** Where tests ask the host to write (ptr, len) results: *ptr at 0x10, *len at 0x18. */
export const PTR_OUT = 0x10;
export const LEN_OUT = 0x18;

interface GuestBasics {
  memory: WebAssembly.Memory;
  proxy_on_memory_allocate(sizeBytes: number): number;
}

export interface EnvGuest<Exports> {
  exports: Exports;
  raw: RawMemory;
  /** The size of every allocation the host asked the guest for. */
  allocations: number[];
  /** Makes the next allocations fail (the allocator answers 0). */
  failAllocations(): void;
  /** Copies input into guest memory below the allocator's heap; returns (ptr, len). */
  put(data: string | Uint8Array): [number, number];
  /** Fills 0x0c..0x20 with sentinels: the out-pointers and a guard on each side of them. */
  guardOutPointers(): void;
  /** The bytes 0x0c..0x20: guard, *ptr, guard, *len, guard. */
  outPointers(): number[];
}

/** Instantiates `guests/<name>.wat` with the functions `build` makes over a fake HostEnv. */
export async function startEnvGuest<Exports>(
  name: string,
  build: (env: HostEnv) => HostFunctions,
  state: EnvState,
): Promise<EnvGuest<Exports>> {
  const memory = new GuestMemory();
  const instance = new WebAssembly.Instance(await compileGuest(name), { env: build(fakeEnv(memory, state)) });
  const exports = instance.exports as unknown as Exports & GuestBasics;
  const allocations: number[] = [];
  let isFailing = false;
  memory.bind(exports.memory, (sizeBytes) => {
    allocations.push(sizeBytes);
    return isFailing ? 0 : exports.proxy_on_memory_allocate(sizeBytes);
  });
  const raw = new RawMemory(exports.memory);
  let cursor = 0x100;
  return {
    exports,
    raw,
    allocations,
    failAllocations() {
      isFailing = true;
    },
    put(data) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      const at = cursor;
      raw.set(at, bytes);
      cursor += bytes.length + 1;
      return [at, bytes.length];
    },
    guardOutPointers() {
      raw.fill(0x0c, 20, SENTINEL);
    },
    outPointers() {
      return raw.bytes(0x0c, 20);
    },
  };
}
