/**
 * `npm run bench` (Node part): cold start and per-request cost of the harness on the real compiled
 * examples, how soon an endless Lua script is stopped, plus a CPU profile of where a request's time
 * goes. Prints figures; asserts nothing.
 *   node --experimental-strip-types bench/harness.ts [--requests 10000] [--profile]
 * bench/peer.ts runs hello-world and the limiter side by side with wazero (a Go host, bench/peer/).
 */
import { Session } from 'node:inspector/promises';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LuaScripting } from '../src/harness/redis/scripting/lua-scripting.ts';
import { runScenario } from '../src/harness/run.ts';
import { loadScenarioText } from '../src/harness/scenario.ts';
import { buildExamples } from '../tools/build-examples.ts';
import { findGo } from '../tools/lib/go-toolchain.ts';
import { CASES, WARMUP, median, percentile, type Case } from './cases.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { requests: { type: 'string', default: '10000' }, profile: { type: 'boolean', default: false } } });
const REQUESTS = Math.min(10_000, Number(values.requests));
const COLD_RUNS = 10;

async function coldStart(bytes: Uint8Array, c: Case): Promise<{ compileMs: number; startMs: number }> {
  const compile: number[] = [];
  const start: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const t0 = performance.now();
    const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    compile.push(performance.now() - t0);
    const result = await runScenario({ module, scenario: loadScenarioText(c.scenario(1)), config: c.config });
    start.push(result.startupMs);
  }
  return { compileMs: median(compile), startMs: median(start) };
}

async function perRequest(bytes: Uint8Array, c: Case) {
  const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  const scenario = loadScenarioText(c.scenario(REQUESTS));
  const t0 = performance.now();
  const result = await runScenario({ module, scenario, config: c.config });
  const wallMs = performance.now() - t0 - result.startupMs;
  const times = result.outcomes.slice(WARMUP).map((o) => o.pluginTimeUs);
  if (result.outcomes.some((o) => o.status !== 200)) throw new Error(`${c.name}: a request did not pass; the bench measures the happy path`);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rps: Math.round(REQUESTS / (wallMs / 1000)), wallUsPerRequest: (wallMs * 1000) / REQUESTS };
}

async function profile(bytes: Uint8Array, c: Case): Promise<string[]> {
  const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  const scenario = loadScenarioText(c.scenario(REQUESTS));
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  await runScenario({ module, scenario, config: c.config });
  const { profile: p } = await session.post('Profiler.stop');
  session.disconnect();
  const selfByName = new Map<string, number>();
  const total = p.samples?.length ?? 1;
  const hits = new Map<number, number>();
  for (const id of p.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  for (const node of p.nodes) {
    const { functionName, url } = node.callFrame;
    const where = url.startsWith('wasm://') ? 'wasm (plugin)' : (url.split('/').slice(-2).join('/') || 'native');
    const key = `${functionName || '(anonymous)'}  ${where}`;
    selfByName.set(key, (selfByName.get(key) ?? 0) + (hits.get(node.id) ?? 0));
  }
  let wasmTotal = 0;
  for (const [k, v] of selfByName) if (k.endsWith('wasm (plugin)')) wasmTotal += v;
  const top = [...selfByName].sort((a, b) => b[1] - a[1]).slice(0, 12);
  return [`  all Go/wasm functions together: ${((wasmTotal / total) * 100).toFixed(1)}% of samples`, ...top.map(([k, v]) => `  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`)];
}

await buildExamples(findGo(), () => {});
console.log(`harness bench — Node ${process.version}, ${REQUESTS} requests per case (first ${WARMUP} not counted), cold start median of ${COLD_RUNS}\n`);
console.log('case            compile   instantiate+init+configure   plugin µs/request p50 / p99   wall µs/request   requests/s');
for (const c of CASES) {
  const bytes = readFileSync(join(ROOT, 'public/wasm', `${c.name}.wasm`));
  const cold = await coldStart(bytes, c);
  const warm = await perRequest(bytes, c);
  console.log(
    `${c.name.padEnd(15)} ${cold.compileMs.toFixed(1).padStart(6)} ms ${cold.startMs.toFixed(1).padStart(14)} ms ${`${warm.p50} / ${warm.p99}`.padStart(24)} ${warm.wallUsPerRequest.toFixed(1).padStart(18)} ${String(warm.rps).padStart(12)}`,
  );
}

/**
 * A streamed completion through a streaming plugin: ai-token-usage reads every SSE event as it
 * passes. The peer is the same plugin on the same bytes sent as one chunk, so the ratio is the
 * cost of 100 body callbacks (and 100 timeline events) over one.
 */
const SSE_REQUESTS = Math.min(2000, REQUESTS);
const SSE_EVENTS = 100;
function sseScenario(n: number, isChunked: boolean): string {
  const events = Array.from({ length: SSE_EVENTS - 2 }, (_, i) => `data: {"id":"c1","choices":[{"delta":{"content":"t${i}"}}]}\n\n`);
  events.push('data: {"id":"c1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":98,"total_tokens":110}}\n\n', 'data: [DONE]\n\n');
  const body = isChunked
    ? `\n${events.map((e, i) => `    - { text: ${JSON.stringify(e)}, after: ${i === 0 ? 0 : 1}ms }`).join('\n')}`
    : ` ${JSON.stringify(events.join(''))}`;
  // Requests 1 s apart: each stream (100 ms of chunks) ends before the next request arrives.
  return `logLevel: info
clusters: [{ type: redis, name: redis.static, port: 6379 }]
upstream:
  headers: { content-type: text/event-stream }
  body:${body}
requests:
  - { method: POST, path: /v1/chat/completions, headers: { x-mse-consumer: alice }, repeat: ${n}, every: 1s }`;
}

async function sseCost(bytes: Uint8Array, isChunked: boolean) {
  const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  const config = { redisServiceName: 'redis.static', redisPort: 6379, tokensPerMinute: 1_000_000_000 };
  const scenario = loadScenarioText(sseScenario(SSE_REQUESTS, isChunked));
  const t0 = performance.now();
  const result = await runScenario({ module, scenario, config });
  const wallMs = performance.now() - t0 - result.startupMs;
  const first = result.outcomes[0]!;
  if (result.outcomes.some((o) => o.status !== 200) || !first.trailers?.some(([k, v]) => k === 'x-token-usage' && v === '110')) {
    throw new Error('ai-token-usage: a streamed request did not pass with its usage counted; the bench measures the happy path');
  }
  const chunks = first.chunks?.length ?? 1;
  const times = result.outcomes.slice(Math.min(WARMUP, SSE_REQUESTS / 10)).map((o) => o.pluginTimeUs);
  return { chunks, p50: percentile(times, 50), p99: percentile(times, 99), wallUsPerRequest: (wallMs * 1000) / SSE_REQUESTS };
}

{
  const bytes = readFileSync(join(ROOT, 'public/wasm', 'ai-token-usage.wasm'));
  const streamed = await sseCost(bytes, true);
  const whole = await sseCost(bytes, false);
  console.log(`\nstreamed SSE response, ai-token-usage, ${SSE_REQUESTS} requests (${SSE_EVENTS} events each)`);
  console.log('body                   chunks   plugin µs/request p50 / p99   wall µs/request');
  for (const [name, r] of [['100 chunks, 1 ms apart', streamed], ['the same bytes, whole', whole]] as const) {
    console.log(`${name.padEnd(22)} ${String(r.chunks).padStart(6)} ${`${r.p50} / ${r.p99}`.padStart(28)} ${r.wallUsPerRequest.toFixed(1).padStart(17)}`);
  }
  console.log(`streamed / whole: plugin time ×${(streamed.p50 / whole.p50).toFixed(1)}, wall time ×${(streamed.wallUsPerRequest / whole.wallUsPerRequest).toFixed(1)}; per chunk ${((streamed.wallUsPerRequest - whole.wallUsPerRequest) / (SSE_EVENTS - 1)).toFixed(1)} µs of wall time`);
}

// tests/unit/harness/redis/scripting.test.ts checks that an endless script is stopped; this is how soon.
const LUA_LIMIT_MS = 50;
const lua = new LuaScripting({ timeLimitMs: LUA_LIMIT_MS });
const overrunsMs: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  lua.eval('while true do end', `endless-${i}`, [], [], () => ({ type: 'bulk', value: null }));
  overrunsMs.push(performance.now() - t0 - LUA_LIMIT_MS);
}
console.log(`\nLua time limit: an endless script stops ${median(overrunsMs).toFixed(1)} ms after its ${LUA_LIMIT_MS} ms limit (median of 5)`);

if (values.profile) {
  for (const c of CASES) {
    const bytes = readFileSync(join(ROOT, 'public/wasm', `${c.name}.wasm`));
    console.log(`\nwhere the time goes: ${c.name} (self time, top functions)`);
    console.log((await profile(bytes, c)).join('\n'));
  }
}
