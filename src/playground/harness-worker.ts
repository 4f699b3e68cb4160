/**
 * The Web Worker that runs plugins for the playground: the same harness and the same worker side
 * as the CLI (src/harness/worker/serve-runs.ts), on the browser's own WebAssembly engine. The
 * page terminates this worker to stop a runaway plugin.
 */
import { serveRun } from '../harness/worker/serve-runs.ts';
import type { FromWorker, ToWorker } from '../harness/worker/protocol.ts';

const post = (message: FromWorker) => self.postMessage(message);
self.addEventListener('message', (event: MessageEvent<ToWorker>) => void serveRun(event.data, { post }));
