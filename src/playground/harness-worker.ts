/**
 * The Web Worker that runs plugins for the playground: the same harness as the CLI, on the
 * browser's own WebAssembly engine. Compiled modules are kept per URL, so a second Run only
 * instantiates. The page terminates this worker to stop a runaway plugin.
 */
import { HarnessError } from '../harness/errors.ts';
import { checkPluginModule, runScenario } from '../harness/run.ts';
import { ModuleError } from '../harness/run-errors.ts';
import { loadScenarioText } from '../harness/scenario.ts';
import type { FromWorker, RunFailure, ToWorker } from './protocol.ts';

const modules = new Map<string, Promise<WebAssembly.Module>>();

function compile(url: string): Promise<WebAssembly.Module> {
  let module = modules.get(url);
  if (!module) {
    module = (async () => {
      const response = await fetch(url);
      if (!response.ok) throw new ModuleError(`${url} could not be downloaded (HTTP ${response.status}); rebuild the site with npm run build.`);
      // Streaming compilation: the browser compiles while the bytes arrive and may cache the code.
      return checkPluginModule(await WebAssembly.compileStreaming(response), url);
    })();
    module.catch(() => modules.delete(url));
    modules.set(url, module);
  }
  return module;
}

const post = (message: FromWorker) => self.postMessage(message);

function toFailure(error: unknown): RunFailure {
  if (error instanceof HarnessError) return error.toJSON() as RunFailure;
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}

self.addEventListener('message', async (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'prepare') {
    compile(message.wasmUrl).catch(() => {});
    return;
  }
  const { id, job } = message;
  try {
    const scenario = loadScenarioText(job.scenarioText, 'scenario.yaml');
    const module = job.wasmBytes ? checkPluginModule(await WebAssembly.compile(job.wasmBytes as Uint8Array<ArrayBuffer>), 'your build') : await compile(job.wasmUrl);
    // Downloading and compiling are not plugin code: the page's watchdog starts timing from here.
    post({ type: 'progress', id, index: -1 });
    const result = await runScenario({
      module,
      scenario,
      // The config.json tab plays the example's config.json: a scenario's own `config:` wins, as in the CLI.
      defaultConfig: job.config,
      pluginName: job.pluginName,
      isTraced: job.isTraced,
      onRequest: (index) => post({ type: 'progress', id, index }),
    });
    post({ type: 'done', id, result });
  } catch (error) {
    post({ type: 'error', id, error: toFailure(error) });
  }
});
