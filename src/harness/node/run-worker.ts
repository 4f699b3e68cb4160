/** The worker_threads side of runInWorker: runs one scenario and reports progress and the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { HarnessError, isHarnessError } from '../errors.ts';
import { compilePlugin, runScenario } from '../run.ts';
import { tcpRedisBackend } from './tcp-redis-backend.ts';
import type { WorkerJob } from './run-in-worker.ts';

const job = workerData as WorkerJob;
const port = parentPort!;
const tcp = job.redisUrl ? tcpRedisBackend(job.redisUrl) : null;
try {
  // Compiling is the engine's work, not the plugin's: report progress after it, so the watchdog
  // times only plugin code (start-up and callbacks).
  const module = await compilePlugin(job.bytes, job.pluginName ?? 'the plugin');
  port.postMessage({ type: 'progress', index: -1 });
  const result = await runScenario({
    module,
    scenario: job.scenario,
    config: job.config,
    defaultConfig: job.defaultConfig,
    pluginName: job.pluginName,
    isTraced: job.isTraced,
    env: job.env,
    ...(tcp ? { redis: () => tcp } : {}),
    onRequest: (index) => port.postMessage({ type: 'progress', index }),
  });
  port.postMessage({ type: 'done', result });
} catch (error) {
  const plain =
    error instanceof HarnessError
      ? error.toJSON()
      : isHarnessError(error)
        ? error
        : { kind: 'internal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  port.postMessage({ type: 'error', error: plain });
} finally {
  await tcp?.close();
}
