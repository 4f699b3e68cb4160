/** `wasm-lab run`: one scenario, printed as a table or JSON. */
import { resolve } from 'node:path';
import { HarnessError } from '../harness/errors.ts';
import { readConfigArgument, readText, resolvePlugin } from '../harness/node/plugin-files.ts';
import { runInWorker, WorkerRunError } from '../harness/node/run-in-worker.ts';
import type { RunResult } from '../harness/run.ts';
import { loadScenarioText, resolveTiming, type Scenario } from '../harness/scenario.ts';
import { formatRun, toJson } from './format.ts';

export interface RunArgs {
  plugin: string | undefined;
  scenario: string | undefined;
  config?: string;
  redisUrl?: string;
  json: boolean;
  trace: boolean;
}

/** Loads a scenario file and runs it in a watched worker; rethrows a worker's error as a HarnessError. */
export async function runScenarioFile(
  scenarioPath: string,
  options: { plugin?: string; config?: string; redisUrl?: string; trace?: boolean },
): Promise<{ scenario: Scenario; result: RunResult }> {
  const scenario = loadScenarioText(readText(scenarioPath), scenarioPath);
  const pluginName = options.plugin ?? scenario.plugin;
  if (!pluginName) throw new HarnessError('bad-input', `${scenarioPath} names no plugin; add "plugin: <example or .wasm>" or pass one on the command line.`);
  // A relative .wasm path in a scenario is relative to the scenario file.
  const base = options.plugin ? process.cwd() : resolve(scenarioPath, '..');
  const plugin = resolvePlugin(pluginName, base);
  const config = options.config === undefined ? undefined : readConfigArgument(options.config);
  try {
    const result = await runInWorker(
      {
        bytes: plugin.bytes,
        scenario,
        config,
        defaultConfig: plugin.defaultConfig,
        pluginName: plugin.name,
        isTraced: options.trace ?? false,
        ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
      },
      resolveTiming(scenario).callbackTimeoutMs,
    );
    return { scenario, result };
  } catch (error) {
    if (error instanceof WorkerRunError) throw new HarnessError(error.error.kind, error.error.message, error.error.hint);
    throw error;
  }
}

export async function runCommand(args: RunArgs): Promise<number> {
  if (!args.scenario) throw new HarnessError('bad-input', 'wasm-lab run needs --scenario <file>; see examples/*/scenario.yaml.');
  const { result } = await runScenarioFile(args.scenario, {
    ...(args.plugin ? { plugin: args.plugin } : {}),
    ...(args.config ? { config: args.config } : {}),
    ...(args.redisUrl ? { redisUrl: args.redisUrl } : {}),
    trace: args.trace,
  });
  console.log(args.json ? toJson(result.outcomes) : formatRun(result, { showTrace: args.trace }));
  return 0;
}
