/**
 * The worker side of a supervised run, shared by Node's worker_threads and the browser's Web
 * Worker: read the scenario, compile the plugin, say so (the watchdog starts timing guest calls
 * from then on), run, and post the result or a plain error. Nothing that fails here reaches the
 * supervisor as a stack trace.
 */
import { HarnessError, isHarnessError } from '../errors.ts';
import type { RedisBackend } from '../redis-backend.ts';
import { checkPluginModule, compilePlugin, runScenario } from '../run.ts';
import { ModuleError } from '../run-errors.ts';
import { loadScenarioText, resolveTiming, type Scenario } from '../scenario.ts';
import { boardProbe, messageProbe } from './guest-calls.ts';
import type { FromWorker, RunFailure, RunJob, ToWorker } from './protocol.ts';

/** What the worker's platform provides. */
export interface WorkerPlatform {
  post(message: FromWorker, transfer?: Transferable[]): void;
  /** A real Redis for `--redis redis://…` (Node only); closed after the run. */
  redisBackend?(url: string): RedisBackend & { close(): Promise<void> };
}

/** Handles one message from the supervisor; resolves when the run it started has been reported. */
export async function serveRun(message: ToWorker, platform: WorkerPlatform): Promise<void> {
  if (message.type === 'prepare') {
    compileUrl(message.url).catch(() => {});
    return;
  }
  const { id, job, board } = message;
  const post = platform.post;
  let redis: ReturnType<NonNullable<WorkerPlatform['redisBackend']>> | undefined;
  try {
    // Inside the try: a backend that cannot be made is reported like any other failure.
    const backend = (redis = job.redisUrl ? platform.redisBackend?.(job.redisUrl) : undefined);
    const scenario: Scenario = 'requests' in job.scenario ? job.scenario : loadScenarioText(job.scenario.text, job.scenario.fileName);
    const module = 'bytes' in job.plugin ? await compilePlugin(job.plugin.bytes, job.pluginName ?? 'the plugin') : await compileUrl(job.plugin.url);
    post({ type: 'started', id, limitMs: resolveTiming(scenario).callbackTimeoutMs });
    const result = await runScenario({
      module,
      scenario,
      config: job.config,
      defaultConfig: job.defaultConfig,
      pluginName: job.pluginName,
      isTraced: job.isTraced,
      env: job.env,
      ...(backend ? { redis: () => backend } : {}),
      guestCalls: board ? boardProbe(board) : messageProbe((call) => post({ ...call, id })),
      onRequest: (r) => post({ type: 'progress', id, index: r.index, request: { method: r.method, path: r.path, atMs: r.atMs } }),
    });
    post({ type: 'done', id, result });
  } catch (error) {
    post({ type: 'error', id, error: toRunFailure(error) });
  } finally {
    await redis?.close().catch(() => {});
  }
}

/** Any error as the one-sentence plain failure a supervisor shows; an unexpected one says it is ours. */
export function toRunFailure(error: unknown): RunFailure {
  if (error instanceof HarnessError) return error.toJSON() as RunFailure;
  if (isHarnessError(error)) return error as RunFailure;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'internal', message: `the harness failed unexpectedly (${detail})`, hint: 'this is a bug in wasm-lab, not in your plugin; please report it with the scenario' };
}

const modules = new Map<string, Promise<WebAssembly.Module>>();

/** Downloads and compiles a served plugin once per URL; a second Run only instantiates. */
function compileUrl(url: string): Promise<WebAssembly.Module> {
  let module = modules.get(url);
  if (!module) {
    module = (async () => {
      const response = await fetch(url).catch(() => null);
      if (!response) throw new ModuleError(`${url} could not be downloaded (no connection); check the network and run again.`);
      if (!response.ok) throw new ModuleError(`${url} could not be downloaded (HTTP ${response.status}); rebuild the site with npm run build.`);
      // Streaming compilation: the browser compiles while the bytes arrive (and inflate, for the
      // site's .wasm.gz: tools/build-examples.ts says why gzip) and may cache the code.
      const compiled = await WebAssembly.compileStreaming(isGzipped(url) ? inflated(response) : response).catch((error: unknown) => {
        throw new ModuleError(`${url} is not a valid WebAssembly module: ${error instanceof Error ? error.message : String(error)}`);
      });
      return checkPluginModule(compiled, url);
    })();
    module.catch(() => modules.delete(url));
    modules.set(url, module);
  }
  return module;
}

function isGzipped(url: string): boolean {
  return new URL(url, 'file:///').pathname.endsWith('.gz');
}

/**
 * The response's body gunzipped, as the application/wasm response compileStreaming requires. A
 * server that sends the .gz with Content-Encoding: gzip has had fetch inflate it already.
 */
function inflated(response: Response): Response {
  if (!response.body || /gzip/i.test(response.headers.get('content-encoding') ?? '')) {
    return new Response(response.body, { headers: { 'content-type': 'application/wasm' } });
  }
  return new Response(response.body.pipeThrough(new DecompressionStream('gzip')), { headers: { 'content-type': 'application/wasm' } });
}
