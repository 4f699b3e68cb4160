/**
 * `npm run bench`, the peer in the same run: hello-world and the limiter through our harness and
 * through wazero (the engine of wasm-go's own unit tests), the same .wasm files, the same request
 * steps, each run in its own process (CPU time and peak RSS are per process), the sides
 * alternating round by round. Prints medians over the rounds and the ratios ours / peer; asserts
 * nothing.
 *   node --experimental-strip-types --no-warnings bench/peer.ts [--rounds 3] [--requests 10000]
 *
 * Two peers (bench/peer/main.go says why): a lean Go host on wazero, what the engine costs, and
 * wasm-go's pkg/test host itself, what a wasm-go user's `go test` costs.
 *
 * CPU is shown three ways because the engines spend it at different times: wazero compiles the
 * whole module before the first request (its cold start), V8 compiles lazily and tiers hot code
 * up while the first ten to twenty thousand requests run. "CPU µs/request" is over all requests,
 * "2nd half" over the second half of them (closer to the steady state in a long run), and
 * "total CPU ms" is cold start and every request together.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildExamples } from '../tools/build-examples.ts';
import { findGo } from '../tools/lib/go-toolchain.ts';
import { hashSources } from '../tools/lib/source-hash.ts';
import { findCase, median } from './cases.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PEER_DIR = join(ROOT, 'bench', 'peer');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, requests: { type: 'string', default: '10000' } } });
const ROUNDS = Number(values.rounds);
const REQUESTS = Number(values.requests);
// The peer's Go host sends these cases' request (GET /get) and upstream reply; other cases differ.
const CASE_NAMES = ['hello-world', 'redis-limiter'];

/** What one run prints, ours (bench/harness-one.ts) or a peer's (bench/peer/main.go). */
interface RunFigures {
  coldStartMs: number;
  pluginUsP50: number;
  pluginUsP90: number;
  cpuUsPerRequest: number;
  /** CPU per request over the second half of the requests (ours compiles and tiers up lazily during the first). */
  steadyCpuUsPerRequest: number;
  /** CPU of cold start and every request. */
  totalCpuMs: number;
  peakRssMb: number;
  wazero?: string;
  note?: string;
}

interface Side {
  label: string;
  run: (caseName: string) => RunFigures;
}

/** Builds bench/peer/ once per content (sources, go.mod, go.sum, Go version) into .cache/bench-peer/. */
function buildPeer(goVersion: string): string {
  const dir = join(ROOT, '.cache', 'bench-peer');
  const binary = join(dir, `peer-${hashSources(PEER_DIR, goVersion)}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.tmp-${process.pid}`;
  // A native build: drop a GOOS/GOARCH meant for the plugins; no VCS stamp (the tree may be dirty).
  const { GOOS: _os, GOARCH: _arch, ...env } = process.env;
  try {
    execFileSync('go', ['build', '-trimpath', '-buildvcs=false', '-o', tmp, '.'], { cwd: PEER_DIR, env, stdio: ['ignore', 'inherit', 'inherit'] });
    renameSync(tmp, binary);
  } finally {
    rmSync(tmp, { force: true });
  }
  for (const old of readdirSync(dir).filter((name) => name.startsWith('peer-') && join(dir, name) !== binary)) rmSync(join(dir, old), { force: true });
  return binary;
}

function runJson(command: string, args: string[]): RunFigures {
  return JSON.parse(execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 })) as RunFigures;
}

const go = findGo();
await buildExamples(go, () => {});
let peer: string;
try {
  peer = buildPeer(go.version);
} catch (error) {
  // wazero v1.12 needs Go ≥ 1.25 (the plugins need 1.24): say so, and let the rest of the bench run.
  console.log(`\npeer bench skipped: bench/peer/ did not build with ${go.version} (${error instanceof Error ? error.message.split('\n')[0] : error})`);
  process.exit(0);
}

const peerRun = (host: string) => (caseName: string) =>
  runJson(peer, ['-host', host, '-wasm', join(ROOT, 'public/wasm', `${caseName}.wasm`), '-config', JSON.stringify(findCase(caseName).config), '-requests', String(REQUESTS)]);
const SIDES: Side[] = [
  { label: `ours (Node ${process.version})`, run: (caseName) => runJson(process.execPath, ['--experimental-strip-types', '--no-warnings', join(ROOT, 'bench', 'harness-one.ts'), '--case', caseName, '--requests', String(REQUESTS)]) },
  { label: 'wazero, lean Go host', run: peerRun('wazero') },
  { label: 'wazero, wasm-go pkg/test', run: peerRun('pkgtest') },
];

// Rounds alternate the sides, each starting with a different one, so drift in the machine's
// speed (other load, thermal) spreads over all of them.
const figures = new Map<string, RunFigures[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const caseName of CASE_NAMES) {
    for (let i = 0; i < SIDES.length; i++) {
      const side = SIDES[(round + i) % SIDES.length]!;
      const key = `${caseName}\0${side.label}`;
      figures.set(key, [...(figures.get(key) ?? []), side.run(caseName)]);
    }
  }
}

const anyPeer = figures.get(`${CASE_NAMES[0]}\0${SIDES[1]!.label}`)![0]!;
console.log(`\nours vs wazero ${anyPeer.wazero}: the same .wasm files, ${REQUESTS} requests per run (plugin time leaves out the first 200), each run in its own process, ${ROUNDS} rounds alternating, medians over rounds`);
console.log(`(${anyPeer.note})`);
const columns = ['plugin µs p50', 'p90', 'CPU µs/request', '2nd half', 'cold start ms', 'total CPU ms', 'peak RSS MB'];
console.log(`${'case'.padEnd(15)}${'side'.padEnd(28)}${columns.map((c) => c.padStart(15)).join('')}`);
const pick = (runs: RunFigures[]) => [
  median(runs.map((r) => r.pluginUsP50)),
  median(runs.map((r) => r.pluginUsP90)),
  median(runs.map((r) => r.cpuUsPerRequest)),
  median(runs.map((r) => r.steadyCpuUsPerRequest)),
  median(runs.map((r) => r.coldStartMs)),
  median(runs.map((r) => r.totalCpuMs)),
  median(runs.map((r) => r.peakRssMb)),
];
for (const caseName of CASE_NAMES) {
  const medians = SIDES.map((side) => pick(figures.get(`${caseName}\0${side.label}`)!));
  SIDES.forEach((side, i) => {
    const row = medians[i]!.map((v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1)).padStart(15)).join('');
    console.log(`${(i === 0 ? caseName : '').padEnd(15)}${side.label.padEnd(28)}${row}`);
  });
  for (let i = 1; i < SIDES.length; i++) {
    const ratios = medians[0]!.map((ours, k) => `${(ours / medians[i]![k]!).toFixed(2)}×`.padStart(15)).join('');
    console.log(`${''.padEnd(15)}${`ours / ${SIDES[i]!.label.replace('wazero, ', '')}`.padEnd(28)}${ratios}`);
  }
}
