/**
 * One bench case through our harness, alone in this process, so that its CPU time and peak RSS
 * compare with the Go peer's (bench/peer/, one process per run too). Prints one JSON object with
 * the peer's fields. bench/peer.ts starts it; by hand:
 *   node --experimental-strip-types --no-warnings bench/harness-one.ts --case hello-world [--requests 10000]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runScenario } from '../src/harness/run.ts';
import { loadScenarioText } from '../src/harness/scenario.ts';
import { WARMUP, findCase, percentile } from './cases.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { case: { type: 'string', default: 'hello-world' }, requests: { type: 'string', default: '10000' } } });
const c = findCase(values.case!);
const requests = Number(values.requests);
const bytes = readFileSync(join(ROOT, 'public/wasm', `${c.name}.wasm`));
const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

// Cold start, as the peer counts it: compile, instantiate, configure, in a process that has run
// nothing yet (ours also loads the harness's own code cold here).
const t0 = performance.now();
const coldCpuBefore = cpuUs();
const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
const compileMs = performance.now() - t0;
const cold = await runScenario({ module, scenario: loadScenarioText(c.scenario(1)), config: c.config });
const coldStartCpuUs = cpuUs() - coldCpuBefore;

// As `wasm-lab test` and --jsonl run: outcomes go to a sink and are not kept (the peer keeps only
// its timings too); the sink keeps each request's plugin time, checks it passed, and notes the
// CPU clock when the first half of the requests is over (for the steady-state figure).
let halfwayCpuUs = 0;
async function run(n: number): Promise<number[]> {
  const times: number[] = [];
  await runScenario({
    module, scenario: loadScenarioText(c.scenario(n)), config: c.config, keepOutcomes: false,
    onOutcome: (outcome) => {
      if (outcome.status !== 200) throw new Error(`${c.name}: request ${outcome.index} did not pass; the bench measures the happy path`);
      times.push(outcome.pluginTimeUs);
      if (outcome.index === Math.floor(n / 2) - 1) halfwayCpuUs = cpuUs();
    },
  });
  return times;
}

// The peer's CPU clock runs over its requests only; ours cannot stop runScenario between start-up
// and the first request, so a warm one-request run's CPU (start-up and one request) is taken off
// the N-request run's.
let before = cpuUs();
await run(1);
const oneRequestCpuUs = cpuUs() - before;
before = cpuUs();
const pluginTimes = await run(requests);
const after = cpuUs();
const cpuUsPerRequest = (after - before - oneRequestCpuUs) / (requests - 1);
// The second half alone: V8 compiles lazily and tiers code up while the first thousands of
// requests run (wazero compiled everything before the first, in its cold start).
const steadyCpuUsPerRequest = (after - halfwayCpuUs) / (requests - Math.floor(requests / 2));

const times = pluginTimes.slice(Math.min(WARMUP, requests - 1));
console.log(
  JSON.stringify({
    host: `ours (Node ${process.version})`,
    requests,
    warmup: WARMUP,
    coldStartMs: compileMs + cold.startupMs,
    pluginUsP50: percentile(times, 50),
    pluginUsP90: percentile(times, 90),
    cpuUsPerRequest,
    steadyCpuUsPerRequest,
    totalCpuMs: (coldStartCpuUs + cpuUsPerRequest * requests) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024, // KiB
  }),
);
