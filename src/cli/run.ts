/** `wasm-lab run`: one scenario, printed as a table or JSON. */
import { resolve } from 'node:path';
import { HarnessError, isHarnessError } from '../harness/errors.ts';
import { readConfigArgument, readText, resolvePlugin } from '../harness/node/plugin-files.ts';
import { TcpRedis } from '../harness/node/redis-tcp.ts';
import { runInWorker, RunError } from '../harness/node/run-in-worker.ts';
import type { RunResult } from '../harness/run.ts';
import { loadScenarioText, type Scenario } from '../harness/scenario.ts';
import { formatRun, toJson } from './format.ts';
import { watchAndRun, watchedWasm } from './watch.ts';

export interface RunArgs {
  plugin?: string;
  scenario: string;
  config?: string;
  redisUrl?: string;
  json: boolean;
  trace: boolean;
  /** Rebuild on a saved .go file and run again (watch.ts). */
  watch?: boolean;
}

/** Loads a scenario file and runs it in a watched worker; rethrows a worker's error as a HarnessError. */
export async function runScenarioFile(
  scenarioPath: string,
  options: { plugin?: string; config?: string; redisUrl?: string; trace?: boolean },
): Promise<{ scenario: Scenario; result: RunResult }> {
  const config = options.config === undefined ? undefined : readConfigArgument(options.config);
  const scenario = loadScenarioText(readText(scenarioPath), scenarioPath);
  const pluginName = options.plugin ?? scenario.plugin;
  if (!pluginName) throw new HarnessError('bad-input', `${scenarioPath} names no plugin; add "plugin: <example or .wasm>" or pass one on the command line.`);
  // A relative .wasm path in a scenario is relative to the scenario file.
  const base = options.plugin ? process.cwd() : resolve(scenarioPath, '..');
  const plugin = resolvePlugin(pluginName, base);
  try {
    const result = await runInWorker({
      plugin: { bytes: plugin.bytes },
      scenario,
      config,
      defaultConfig: plugin.defaultConfig,
      pluginName: plugin.name,
      isTraced: options.trace ?? false,
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    });
    return { scenario, result };
  } catch (error) {
    if (error instanceof RunError) throw new HarnessError(error.failure.kind, error.failure.message, error.failure.hint);
    throw error;
  }
}

/**
 * Connects to the server a checked `--redis` URL names and hangs up, so an unreachable server
 * ends the command with one sentence before any request runs. Throws a HarnessError of the
 * connection's kind (`redis-unreachable`) whose message ends with the fix.
 */
export async function checkRedisReachable(url: string): Promise<void> {
  let redis: TcpRedis;
  try {
    redis = await TcpRedis.connect(url, { connectTimeoutMs: 3000 });
  } catch (error) {
    if (!isHarnessError(error)) throw error;
    throw new HarnessError(error.kind, `${error.message}; start redis-server there, or drop --redis to use the in-memory Redis.`);
  }
  await redis.close();
}

export async function runCommand(args: RunArgs): Promise<number> {
  const runOnce = async () => {
    const { result } = await runScenarioFile(args.scenario, {
      ...(args.plugin ? { plugin: args.plugin } : {}),
      ...(args.config !== undefined ? { config: args.config } : {}),
      ...(args.redisUrl ? { redisUrl: args.redisUrl } : {}),
      trace: args.trace,
    });
    console.log(args.json ? toJson(result.outcomes) : formatRun(result, { showTrace: args.trace }));
  };
  if (!args.watch) {
    await runOnce();
    return 0;
  }
  const scenario = loadScenarioText(readText(args.scenario), args.scenario);
  const configFile = args.config !== undefined && !/^\s*[[{"]/.test(args.config) ? [resolve(args.config)] : [];
  return watchAndRun({ wasmPath: watchedWasm(args.plugin, scenario.plugin, args.scenario), inputs: [resolve(args.scenario), ...configFile], run: runOnce });
}
