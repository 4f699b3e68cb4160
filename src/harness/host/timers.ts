/** proxy_set_tick_period_milliseconds (host-abi.md §9.4): per root context; 0 turns ticks off. */
import { WasmResult } from '../abi/enums.ts';
import type { HostEnv } from './host-env.ts';
import type { HostFunctions } from './results.ts';

export function timerFunctions(env: HostEnv): HostFunctions {
  return {
    proxy_set_tick_period_milliseconds(periodMs: number): number {
      env.gateway.setTickPeriod(periodMs >>> 0);
      return WasmResult.Ok;
    },
  };
}
