/** Running the harness in a worker under a watchdog: the one implementation Node and the browser share. */
export { GUEST_CALLBACKS, type GuestCall, type GuestCallProbe } from './guest-calls.ts';
export type { FromWorker, RunFailure, RunJob, ToWorker } from './protocol.ts';
export { serveRun, toRunFailure, type WorkerPlatform } from './serve-runs.ts';
export { CANCELLED, RunError, RunSupervisor, type SupervisorOptions, type WorkerEvents, type WorkerHandle } from './supervisor.ts';
export { pollInterval, Watchdog, type CallbackOverrun } from './watchdog.ts';
