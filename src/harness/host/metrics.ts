/**
 * Metrics (host-abi.md §9.6): ids carry the type in their low 2 bits and step by 4, as cpp-host
 * allocates them; values are i64 BigInts.
 */
import { MetricType, WasmResult } from '../abi/enums.ts';
import type { HostEnv, Metrics } from './host-env.ts';
import type { HostFunctions } from './results.ts';

export interface MetricRecord {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  value: bigint;
}

const TYPE_NAMES = ['counter', 'gauge', 'histogram'] as const;

/** A metric store; `snapshot()` lists every metric for the outcome views. */
export function createMetrics(): Metrics & { snapshot(): MetricRecord[] } {
  const metrics = new Map<number, MetricRecord>();
  const byName = new Map<string, number>();
  let next = 0;
  return {
    define(type, name) {
      const existing = byName.get(`${type}:${name}`);
      if (existing !== undefined) return existing;
      next += 4;
      const id = next + type;
      metrics.set(id, { name, type: TYPE_NAMES[type] ?? 'counter', value: 0n });
      byName.set(`${type}:${name}`, id);
      return id;
    },
    increment(id, delta) {
      const m = metrics.get(id);
      if (!m || m.type === 'histogram') return WasmResult.NotFound;
      m.value += delta;
      return WasmResult.Ok;
    },
    record(id, value) {
      const m = metrics.get(id);
      if (!m) return WasmResult.NotFound;
      m.value = value;
      return WasmResult.Ok;
    },
    get: (id) => metrics.get(id)?.value,
    snapshot: () => [...metrics.values()].map((m) => ({ ...m })),
  };
}

export function metricFunctions(env: HostEnv): HostFunctions {
  const { memory } = env;
  const { metrics } = env.gateway;
  return {
    proxy_define_metric(type: number, namePtr: number, nameLen: number, idOut: number): number {
      if (type < MetricType.Counter || type > MetricType.Histogram) return WasmResult.BadArgument;
      const name = memory.readString(namePtr, nameLen);
      if (name === null) return WasmResult.InvalidMemoryAccess;
      return memory.writeU32(idOut, metrics.define(type, name)) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
    },
    proxy_increment_metric(id: number, delta: bigint): number {
      return metrics.increment(id >>> 0, delta);
    },
    proxy_record_metric(id: number, value: bigint): number {
      return metrics.record(id >>> 0, value);
    },
    proxy_get_metric(id: number, valueOut: number): number {
      const value = metrics.get(id >>> 0);
      if (value === undefined) return WasmResult.NotFound;
      return memory.writeU64(valueOut, value) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
    },
  };
}
