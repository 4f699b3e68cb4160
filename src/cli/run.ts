/**
 * `wasm-lab run`: one scenario, printed as a table, a JSON array or JSON lines as the outcomes
 * come, with a progress line on stderr for a long run; Ctrl+C stops it cleanly (exit 130).
 */
import { resolve } from 'node:path';
import { HarnessError, isHarnessError } from '../harness/errors.ts';
import type { Outcome } from '../harness/outcome.ts';
import { readConfigArgument, readText, resolvePlugin } from '../harness/node/plugin-files.ts';
import { TcpRedis } from '../harness/node/redis-tcp.ts';
import { runInWorker, RunError, type WorkerRunOptions } from '../harness/node/run-in-worker.ts';
import type { RunResult } from '../harness/run.ts';
import { countRequests, loadScenarioText, type Scenario } from '../harness/scenario.ts';
import { JsonArrayWriter, jsonLine, RunTable } from './format.ts';
import { INTERRUPTED_EXIT_CODE, Interruption, ProgressLine } from './progress.ts';
import { watchAndRun, watchedWasm } from './watch.ts';

export interface RunArgs {
  plugin?: string;
  scenario: string;
  config?: string;
  redisUrl?: string;
  json: boolean;
  /** One outcome per line, as JSON. */
  jsonl?: boolean;
  trace: boolean;
  /** Rebuild on a saved .go file and run again (watch.ts). */
  watch?: boolean;
}

/** How a file's run streams: its outcomes, its progress, and the signals that stop it (run-in-worker.ts). */
export type StreamingOptions = Pick<WorkerRunOptions, 'onOutcomes' | 'signal' | 'killSignal'> & {
  /** Told the scenario once it is read, before the run starts. */
  onScenario?: (scenario: Scenario) => void;
};

/**
 * Loads a scenario file and runs it in a watched worker; rethrows a worker's error as a
 * HarnessError. With `onOutcomes` the outcomes are streamed to it and the result carries none.
 */
export async function runScenarioFile(
  scenarioPath: string,
  options: { plugin?: string; config?: string; redisUrl?: string; trace?: boolean } & StreamingOptions,
): Promise<{ scenario: Scenario; result: RunResult }> {
  const config = options.config === undefined ? undefined : readConfigArgument(options.config);
  const scenario = loadScenarioText(readText(scenarioPath), scenarioPath);
  const pluginName = options.plugin ?? scenario.plugin;
  if (!pluginName) throw new HarnessError('bad-input', `${scenarioPath} names no plugin; add "plugin: <example or .wasm>" or pass one on the command line.`);
  // A relative .wasm path in a scenario is relative to the scenario file.
  const base = options.plugin ? process.cwd() : resolve(scenarioPath, '..');
  const plugin = resolvePlugin(pluginName, base);
  options.onScenario?.(scenario);
  try {
    const job = {
      plugin: { bytes: plugin.bytes },
      scenario,
      config,
      defaultConfig: plugin.defaultConfig,
      pluginName: plugin.name,
      isTraced: options.trace ?? false,
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    };
    const { onOutcomes, signal, killSignal } = options;
    const result = await runInWorker(job, { ...(onOutcomes ? { onOutcomes } : {}), ...(signal ? { signal } : {}), ...(killSignal ? { killSignal } : {}) });
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
  const runOnce = async (interruption?: Interruption): Promise<number> => {
    let output: OutcomeOutput | undefined;
    const progress = new ProgressLine();
    // On a terminal the progress line shares the screen with the rows: take it off before printing.
    const isSharedScreen = process.stdout.isTTY === true && process.stderr.isTTY === true;
    let total = 0;
    let written = 0;
    let isInterrupted = false;
    try {
      const { result } = await runScenarioFile(args.scenario, {
        ...(args.plugin ? { plugin: args.plugin } : {}),
        ...(args.config !== undefined ? { config: args.config } : {}),
        ...(args.redisUrl ? { redisUrl: args.redisUrl } : {}),
        trace: args.trace,
        onScenario: (scenario) => {
          total = countRequests(scenario);
          progress.start(total);
          output = outcomeOutput(args, total);
        },
        onOutcomes: (outcomes) => {
          let text = '';
          for (const outcome of outcomes) text += output!.add(outcome);
          written += outcomes.length;
          progress.advance(outcomes.length);
          if (isSharedScreen && text) progress.clear();
          return writeOut(text);
        },
        ...(interruption ? { signal: interruption.stop.signal, killSignal: interruption.kill.signal } : {}),
      });
      isInterrupted = result.interrupted;
    } catch (error) {
      if (!(isHarnessError(error) && error.kind === 'interrupted')) {
        progress.stop();
        // What was printed stays readable: a JSON array is closed.
        if (written > 0 && output) await writeOut(output.end());
        throw error;
      }
      isInterrupted = true;
    }
    progress.stop();
    if (output) await writeOut(output.end());
    if (!isInterrupted) return 0;
    console.error(interruptedNote(written, total));
    return INTERRUPTED_EXIT_CODE;
  };
  if (!args.watch) {
    const interruption = new Interruption();
    try {
      return await runOnce(interruption);
    } finally {
      interruption.dispose();
    }
  }
  const scenario = loadScenarioText(readText(args.scenario), args.scenario);
  const configFile = args.config !== undefined && !/^\s*[[{"]/.test(args.config) ? [resolve(args.config)] : [];
  return watchAndRun({ wasmPath: watchedWasm(args.plugin, scenario.plugin, args.scenario), inputs: [resolve(args.scenario), ...configFile], run: async () => void (await runOnce()) });
}

/** How `run` prints outcomes as they come: add() gives the text for one, end() closes (both may be ''). */
interface OutcomeOutput {
  add(outcome: Outcome): string;
  end(): string;
}

function outcomeOutput(args: RunArgs, total: number): OutcomeOutput {
  if (args.jsonl) return { add: jsonLine, end: () => '' };
  if (args.json) {
    const array = new JsonArrayWriter();
    return { add: (outcome) => array.item(outcome), end: () => array.end() };
  }
  // On a terminal, rows that are slow to come are not held back long; in a pipe the first 100 size the columns, whatever the timing.
  const table = new RunTable({ showTrace: args.trace, total, ...(process.stdout.isTTY ? {} : { bufferMs: Infinity }) });
  return { add: (outcome) => table.add(outcome), end: () => table.end() };
}

/** Writes to stdout; when the reader is slower than the run, waits for it (so nothing piles up in memory). */
export function writeOut(text: string): Promise<void> | void {
  if (text === '' || process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

/** The line on stderr after Ctrl+C stopped a run. */
export function interruptedNote(done: number, total: number): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return `interrupted (Ctrl+C) after ${count(done)} of ${count(total)} requests; the outcomes printed are those of the requests that had ended.`;
}
