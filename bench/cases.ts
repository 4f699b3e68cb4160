/**
 * The plugins the harness bench runs, with their configs and scenarios: shared by bench/harness.ts,
 * bench/harness-one.ts (one case in its own process) and bench/peer.ts (the side-by-side with
 * wazero, whose Go host, bench/peer/, sends the same GET /get and upstream reply).
 */
export interface Case {
  name: string;
  config: unknown;
  scenario: (n: number) => string;
}

// Requests 1 ms apart in virtual time, so each completes before the next arrives: the figures are
// the cost of one request, not of thousands in flight at once.
export const CASES: Case[] = [
  {
    name: 'hello-world',
    config: { headerName: 'x-hello', headerValue: 'world' },
    scenario: (n) => `logLevel: info\nrequests:\n  - { path: /get, repeat: ${n}, every: 1ms }`,
  },
  {
    name: 'redis-limiter',
    // A quota no run reaches, so every request does INCR (and the first EXPIRE) and passes.
    config: { serviceName: 'redis.static', servicePort: 6379, qpm: 1_000_000_000 },
    scenario: (n) => `logLevel: info\nclusters: [{ type: redis, name: redis.static, port: 6379 }]\nrequests:\n  - { path: /get, repeat: ${n}, every: 1ms }`,
  },
  {
    name: 'token-bucket',
    // One EVAL of the Lua script per request (the VM loads on the first); a bucket no run empties.
    config: { serviceName: 'redis.static', servicePort: 6379, capacity: 1_000_000_000, refillPerSecond: 1000 },
    scenario: (n) => `logLevel: info\nclusters: [{ type: redis, name: redis.static, port: 6379 }]\nrequests:\n  - { path: /get, repeat: ${n}, every: 1ms }`,
  },
];

/** The first requests of a run, left out of the plugin-time percentiles (JIT and caches warming). */
export const WARMUP = 200;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

export function findCase(name: string): Case {
  const found = CASES.find((c) => c.name === name);
  if (!found) throw new Error(`no bench case "${name}"; cases: ${CASES.map((c) => c.name).join(', ')}`);
  return found;
}
