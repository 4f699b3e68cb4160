/** The worker_threads side of runInWorker: tells its thread id (for CPU-time watching), then serves runs. */
import { readlinkSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { serveRun } from '../worker/serve-runs.ts';
import type { FromWorker, ToWorker } from '../worker/protocol.ts';
import { tcpRedisBackend } from './tcp-redis-backend.ts';

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
const tid = threadId();
if (tid !== null) post({ type: 'thread', tid });
port.on('message', (message: ToWorker) => void serveRun(message, { post, redisBackend: tcpRedisBackend }));

/** This thread's id in the kernel (Linux: /proc/thread-self → <pid>/task/<tid>); null elsewhere. */
function threadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(tid) ? tid : null;
  } catch {
    return null;
  }
}
