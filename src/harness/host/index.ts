/** Assembles the `env` host functions, area by area, in the order of the ABI spec. */
import { bufferFunctions } from './buffers.ts';
import { calloutFunctions } from './callouts.ts';
import { foreignFunctions } from './foreign.ts';
import { headerFunctions } from './headers.ts';
import type { HostEnv } from './host-env.ts';
import { logFunctions } from './log.ts';
import { metricFunctions } from './metrics.ts';
import { propertyFunctions } from './properties.ts';
import type { HostFunctions } from './results.ts';
import { sharedStateFunctions } from './shared-state.ts';
import { streamControlFunctions } from './stream-control.ts';
import { timerFunctions } from './timers.ts';

/** Every `env` import this gateway implements, keyed by its ABI name. */
export function envFunctions(env: HostEnv): HostFunctions {
  return {
    ...logFunctions(env),
    ...timerFunctions(env),
    ...bufferFunctions(env),
    ...headerFunctions(env),
    ...streamControlFunctions(env),
    ...calloutFunctions(env),
    ...sharedStateFunctions(env),
    ...metricFunctions(env),
    ...propertyFunctions(env),
    ...foreignFunctions(env),
  };
}
