/**
 * Shared data (with compare-and-swap) and shared queues (host-abi.md §9.5). One store per run:
 * on a gateway it is process-wide across worker VMs, keyed by vm_id.
 */
import { WasmResult } from '../abi/enums.ts';
import type { HostEnv, SharedData, SharedQueues } from './host-env.ts';
import { returnBytes, type HostFunctions } from './results.ts';

/** The CAS counter starts at 1 and is never 0; set with cas 0 always succeeds. */
export function createSharedData(): SharedData {
  const store = new Map<string, { value: Uint8Array; cas: number }>();
  let nextCas = 1;
  return {
    get: (key) => store.get(key),
    set(key, value, cas) {
      const entry = store.get(key);
      if (entry && cas !== 0 && cas !== entry.cas) return WasmResult.CasMismatch;
      store.set(key, { value: value.slice(), cas: ++nextCas });
      return WasmResult.Ok;
    },
  };
}

/** Queues keyed by (vm_id, name); `onReady` posts proxy_on_queue_ready after an enqueue. */
export function createSharedQueues(vmId: string, onReady: (queueId: number) => void): SharedQueues {
  const byName = new Map<string, number>();
  const queues = new Map<number, Uint8Array[]>();
  return {
    register(name) {
      const key = `${vmId}\0${name}`;
      let id = byName.get(key);
      if (id === undefined) {
        id = queues.size + 1;
        byName.set(key, id);
        queues.set(id, []);
      }
      return id;
    },
    resolve: (vm, name) => byName.get(`${vm || vmId}\0${name}`),
    enqueue(id, data) {
      const queue = queues.get(id);
      if (!queue) return WasmResult.NotFound;
      queue.push(data.slice());
      onReady(id);
      return WasmResult.Ok;
    },
    dequeue(id) {
      const queue = queues.get(id);
      if (!queue) return WasmResult.NotFound;
      return queue.shift() ?? WasmResult.Empty;
    },
  };
}

export function sharedStateFunctions(env: HostEnv): HostFunctions {
  const { memory } = env;
  const { sharedData, queues } = env.gateway;
  const writeId = (out: number, id: number) => (memory.writeU32(out, id) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess);
  return {
    proxy_get_shared_data(keyPtr: number, keyLen: number, ptrOut: number, lenOut: number, casOut: number): number {
      const key = memory.readString(keyPtr, keyLen);
      if (key === null) return WasmResult.InvalidMemoryAccess;
      const entry = sharedData.get(key);
      if (!entry) return WasmResult.NotFound;
      const result = returnBytes(memory, entry.value, ptrOut, lenOut);
      if (result !== WasmResult.Ok) return result;
      return memory.writeU32(casOut, entry.cas) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
    },
    proxy_set_shared_data(keyPtr: number, keyLen: number, valuePtr: number, valueLen: number, cas: number): number {
      const key = memory.readString(keyPtr, keyLen);
      const value = memory.read(valuePtr, valueLen);
      if (key === null || value === null) return WasmResult.InvalidMemoryAccess;
      return sharedData.set(key, value, cas >>> 0);
    },
    proxy_register_shared_queue(namePtr: number, nameLen: number, idOut: number): number {
      const name = memory.readString(namePtr, nameLen);
      if (name === null) return WasmResult.InvalidMemoryAccess;
      return writeId(idOut, queues.register(name));
    },
    proxy_resolve_shared_queue(vmPtr: number, vmLen: number, namePtr: number, nameLen: number, idOut: number): number {
      const vm = memory.readString(vmPtr, vmLen);
      const name = memory.readString(namePtr, nameLen);
      if (vm === null || name === null) return WasmResult.InvalidMemoryAccess;
      const id = queues.resolve(vm, name);
      return id === undefined ? WasmResult.NotFound : writeId(idOut, id);
    },
    proxy_enqueue_shared_queue(id: number, dataPtr: number, dataLen: number): number {
      const data = memory.read(dataPtr, dataLen);
      if (data === null) return WasmResult.InvalidMemoryAccess;
      return queues.enqueue(id >>> 0, data);
    },
    proxy_dequeue_shared_queue(id: number, ptrOut: number, lenOut: number): number {
      const result = queues.dequeue(id >>> 0);
      return typeof result === 'number' ? result : returnBytes(memory, result, ptrOut, lenOut);
    },
  };
}
