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
const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
const compileMs = performance.now() - t0;
const cold = await runScenario({ module, scenario: loadScenarioText(c.scenario(1)), config: c.config });

async function run(n: number) {
  const result = await runScenario({ module, scenario: loadScenarioText(c.scenario(n)), config: c.config });
  if (result.outcomes.some((o) => o.status !== 200)) throw new Error(`${c.name}: a request did not pass; the bench measures the happy path`);
  return result;
}

// The peer's CPU clock runs over its requests only; ours cannot stop runScenario between start-up
// and the first request, so a warm one-request run's CPU (start-up and one request) is taken off
// the N-request run's.
let before = cpuUs();
await run(1);
const oneRequestCpuUs = cpuUs() - before;
before = cpuUs();
const result = await run(requests);
const cpuUsPerRequest = (cpuUs() - before - oneRequestCpuUs) / (requests - 1);

const times = result.outcomes.slice(Math.min(WARMUP, requests - 1)).map((o) => o.pluginTimeUs);
console.log(
  JSON.stringify({
    host: `ours (Node ${process.version})`,
    requests,
    warmup: WARMUP,
    coldStartMs: compileMs + cold.startupMs,
    pluginUsP50: percentile(times, 50),
    pluginUsP90: percentile(times, 90),
    cpuUsPerRequest,
    peakRssMb: process.resourceUsage().maxRSS / 1024, // KiB
  }),
);
