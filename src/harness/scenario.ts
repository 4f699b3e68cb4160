/**
 * Scenario: the schema of a run (shared/design.md, "Scenario") and the friendly parser that
 * names every problem by its path, plus the helpers the runner needs: expanded requests in time
 * order and the Envoy names of the declared clusters.
 */
import { z } from 'zod';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { parseDurationMs, readDuration } from './duration.ts';
import { closest, describeIssue, formatPath, ScenarioError, show, type ScenarioIssue } from './errors.ts';
import type { HeaderList, LogLevelName } from './outcome.ts';
import { MinHeap } from './min-heap.ts';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'critical'] as const satisfies readonly LogLevelName[];
const HEADER_NAME = /^:?[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
/** For editors only (JSON Schema); the parser's readDuration gives the precise message. */
const DURATION_PATTERN = '^\\s*(?:(?:\\d+(?:\\.\\d+)?|\\.\\d+)(?:ms|s|m|h))+\\s*$';

/**
 * A strict object: an unknown key is an issue, with a did-you-mean when a known key is close.
 * `hints` maps a key that belongs elsewhere to where it goes (`status` → `expect.status`).
 */
function fields<T extends z.ZodRawShape>(shape: T, hints: Record<string, string> = {}) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    // One line per key, in the issue's key order; toIssues splits them onto the keys' paths.
    error: (iss) => (iss.code === 'unrecognized_keys' ? iss.keys.map((key) => unknownField(key, known, hints)).join('\n') : undefined),
  });
}

function unknownField(key: string, known: string[], hints: Record<string, string>): string {
  const hint = hints[key];
  if (hint !== undefined) return `unknown field here; did you mean ${hint}?`;
  const close = closest(key, known);
  return close === undefined ? `unknown field; use one of ${known.join(', ')}.` : `unknown field; did you mean "${close}"?`;
}

function duration(fallback: string, description: string) {
  const noUnit = (iss: { input?: unknown }) => (typeof iss.input === 'number' ? String(readDuration(iss.input)) : undefined);
  return z
    .string({ error: noUnit })
    .check((ctx) => {
      const result = readDuration(ctx.value);
      if (typeof result === 'string') ctx.issues.push({ code: 'custom', input: ctx.value, message: result });
    })
    .meta({ pattern: DURATION_PATTERN, examples: ['0s', '1500ms', '61s', '1m30s'] })
    .default(fallback)
    .describe(description);
}

const notStatus = (iss: { input?: unknown }) => `${String(iss.input)} is not an HTTP status; use a number from 100 to 599.`;
const httpStatus = z.int().min(100, { error: notStatus }).max(599, { error: notStatus });
const port = z.int().min(1).max(65535);
const headerName = z
  .string()
  .regex(HEADER_NAME, { error: (iss) => `${JSON.stringify(iss.input)} is not a valid header name; use letters, digits and dashes.` })
  .transform((name) => name.toLowerCase());
const headerMap = z.record(headerName, z.union([z.string(), z.number(), z.boolean()]).transform(String));
const headerExpectations = z
  .record(headerName, z.union([z.string(), z.number(), z.null()]).transform((v) => (v === null ? null : String(v))))
  .describe('Headers by name (any case): a string must equal the first value, "*" means present with any value, null means absent.');
const propertyMap = z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]));

const clientAddress = z.string().check((ctx) => {
  if (!isClientAddress(ctx.value)) {
    const message = `${JSON.stringify(ctx.value)} is not a client address; write it as ip:port, like "10.0.0.7:51234".`;
    ctx.issues.push({ code: 'custom', input: ctx.value, message });
  }
});
const serviceName = z.string().check((ctx) => {
  const [host = '', portText] = ctx.value.split(/:(?=\d+$)/);
  if (!HOST.test(host) || (portText !== undefined && !(Number(portText) >= 1 && Number(portText) <= 65535))) {
    const message = `${JSON.stringify(ctx.value)} is not a service; write it like "httpbin.default.svc.cluster.local" or "httpbin:8080".`;
    ctx.issues.push({ code: 'custom', input: ctx.value, message });
  }
});
const clusterNameField = z
  .string()
  .check((ctx) => {
    const name = ctx.value;
    let message: string | undefined;
    if (name.includes('|')) {
      if (name.split('|').length !== 4) message = `${JSON.stringify(name)} is not an Envoy cluster name; write it like "outbound|6379||redis.static".`;
    } else if (/:\d+$/.test(name)) {
      const [host, p] = name.split(':');
      message = `${JSON.stringify(name)} has a port in the name; write name: ${host} and port: ${p}.`;
    } else if (!HOST.test(name)) {
      message = `${JSON.stringify(name)} is not a service name; write it like "redis.static" or "outbound|6379||redis.static".`;
    }
    if (message !== undefined) ctx.issues.push({ code: 'custom', input: name, message });
  })
  .describe('A service name like redis.static (the cluster becomes outbound|<port>||<name>) or a full Envoy cluster name containing "|", used as is.');

/** A day of traffic at 1,000 requests a second fits; requests are planned as they arrive, so memory does not grow with it. */
const MAX_REPEAT = 100_000_000;

/** Envoy's default `per_connection_buffer_limit_bytes` on a Higress gateway (downstream.connectionBufferLimits). */
const HIGRESS_BUFFER_LIMIT = 32_768;

const chunkSchema = z.union([
  z.string().describe('A chunk of text, sent as is.'),
  fields({
    text: z.string().optional().describe('The chunk, sent as is: e.g. half of an SSE event, to show one split across two chunks.'),
    data: z.unknown().optional().describe('An SSE event\'s data: a string is sent as is, anything else as JSON; the chunk is written "data: <data>\\n\\n" (a data line per line).'),
    event: z.string().optional().describe('The SSE event\'s type, written "event: <event>" before its data.'),
    id: z.string().optional().describe('The SSE event\'s id, written "id: <id>" before its data.'),
    after: duration('0s', 'How long after the previous chunk this one is sent (the first chunk: after the headers), e.g. 20ms.'),
  }).check((ctx) => {
    const { text, data } = ctx.value;
    if ((text === undefined) === (data === undefined)) {
      const message = text === undefined ? 'a chunk needs text (sent as is) or data (an SSE event); add one.' : 'a chunk has either text or data, not both; keep one.';
      ctx.issues.push({ code: 'custom', input: ctx.value, message });
    }
  }),
]);

/** A body: one string, or a list of chunks sent one after another. */
function bodySchema(fallback: string, description: string) {
  return z.union([z.string(), z.array(chunkSchema).min(1)]).default(fallback).describe(`${description} A string, or a list of chunks (text or SSE events, each with an optional after: delay).`);
}

const chunkExpectations = fields({
  count: z.int().min(0).optional().describe('How many body chunks must arrive.'),
  body: z
    .record(z.string().regex(/^-?\d+$/, { error: (iss) => `${show(iss.input)} is not a chunk number; use 0 for the first, -1 for the last.` }), z.string())
    .optional()
    .describe('Text a chunk must contain, by its number: 0 is the first, -1 the last.'),
}).describe('What must be true of the body chunk by chunk.');

const expectSchema = fields({
  status: httpStatus.optional().describe('The status the client must get.'),
  headers: headerExpectations.optional(),
  body: z.string().optional().describe('Text the response body (all its chunks joined) must contain.'),
  chunks: chunkExpectations.optional().describe('The response body as the client received it, chunk by chunk.'),
  trailers: headerExpectations.optional().describe('Response trailers the client must have received, with the same rules as headers.'),
  source: z.enum(['plugin', 'upstream', 'gateway']).optional().describe('Who must answer: the plugin (local reply), the upstream, or the gateway (a fault).'),
  upstream: fields({
    reached: z.boolean().optional().describe('Whether the request must reach the upstream (true) or be answered before it (false).'),
    headers: headerExpectations.optional().describe('Headers the upstream must have received, with the same rules as expect.headers; :path, :authority and :method check the request line as the plugin left it.'),
    body: z.string().optional().describe('Text the request body the upstream received must contain.'),
    chunks: chunkExpectations.optional().describe('The request body as the upstream received it, chunk by chunk.'),
    trailers: headerExpectations.optional().describe('Request trailers the upstream must have received.'),
  })
    .optional()
    .describe('What the upstream must have received: the request after the plugin changed it.'),
  logs: z.array(z.string()).optional().describe('Texts that must each appear in some plugin log line of this request.'),
  error: z.string().nullable().optional().describe('The kind of error the request must end with (e.g. stalled), or null for none.'),
}).describe('What must be true of this request\'s outcome; "wasm-lab test" fails when it is not.');

const requestSchema = fields(
  {
    at: duration('0s', 'When the request arrives, counted from the scenario start, e.g. 0s, 1500ms, 61s, 1m30s.'),
    method: z.string().regex(/^[A-Za-z]+$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an HTTP method; write one like GET or POST.` })
      .transform((m) => m.toUpperCase()).default('GET').describe('The HTTP method; upper-cased.'),
    path: z.string().startsWith('/', { error: (iss) => `${JSON.stringify(iss.input)} does not start with "/"; write "/${String(iss.input)}".` })
      .default('/').describe('The request path with its query string, starting with "/".'),
    headers: headerMap.default({}).describe('Request headers; names are lower-cased as Envoy delivers them.'),
    body: bodySchema('', 'The request body.'),
    trailers: headerMap.default({}).describe('Request trailers, sent after the body.'),
    source: clientAddress.default('127.0.0.1:54321').describe('The client address as ip:port, seen by the plugin as the property source.address.'),
    properties: propertyMap.default({}).describe('Properties for this request only, over the scenario\'s properties.'),
    route: z.string().min(1).optional().describe('The route name for this request, instead of the scenario\'s route.'),
    domain: z.string().min(1).optional().describe('The :authority for this request, instead of the scenario\'s domain.'),
    repeat: z.int().min(1).max(MAX_REPEAT).default(1).describe('How many times to send this request.'),
    every: duration('0s', 'The time between repeats of this request.'),
    expect: expectSchema.optional(),
  },
  { status: 'expect.status' },
).describe('One request on the virtual timeline.');

/** Keys to preload into one Redis database, in the forms MemoryRedis takes (RedisSeed). */
function redisSeed() {
  return z.record(z.string().min(1), z.union([
    z.union([z.string(), z.number()]).transform(String),
    z.strictObject({ list: z.array(z.union([z.string(), z.number()]).transform(String)).describe('A list, its elements from head to tail.') }),
    z.strictObject({ set: z.array(z.union([z.string(), z.number()]).transform(String)).describe('A set of these members.') }),
    z.strictObject({ zset: z.record(z.string(), z.number()).describe('A sorted set: each member with its score.') }),
    z.record(z.string(), z.union([z.string(), z.number()]).transform(String)),
  ]));
}

/** A database number other than 0 (which seed fills), as a map key. */
const databaseNumber = z.string().check((ctx) => {
  if (/^(?:[1-9]|1[0-5])$/.test(ctx.value)) return;
  const message = ctx.value === '0'
    ? 'database 0 is filled by seed; move these keys under seed.'
    : `${JSON.stringify(ctx.value)} is not a database; use a number from 1 to 15.`;
  ctx.issues.push({ code: 'custom', input: ctx.value, message });
});

const redisClusterSchema = fields({
  type: z.literal('redis').describe('A Redis service the plugin reaches with proxy_redis_call.'),
  name: clusterNameField,
  port: port.default(6379).describe('The service port in the cluster name; ignored when name is a full Envoy cluster name.'),
  username: z.string().optional().describe('The user the plugin must authenticate as (AUTH), if any.'),
  password: z.string().optional().describe('The password the plugin must authenticate with (AUTH), if any.'),
  down: z.boolean().default(false).describe('Whether the service is unreachable, so every call fails.'),
  latency: duration('0s', 'How long each reply takes, in virtual time.'),
  seed: redisSeed()
    .default({})
    .describe('Keys to preload into database 0: a string or number is a string value, an object is a hash; {list: [...]}, {set: [...]} and {zset: {member: score}} are a list, a set and a sorted set.'),
  databases: z
    .record(databaseNumber, redisSeed())
    .optional()
    .describe('Keys to preload into other databases, by number from 1 to 15, each written like seed; e.g. {2: {quota: 5}} puts quota in database 2.'),
});

const httpClusterSchema = fields({
  type: z.literal('http').describe('An HTTP service the plugin calls with proxy_http_call.'),
  name: clusterNameField,
  port: port.default(80).describe('The service port in the cluster name; ignored when name is a full Envoy cluster name.'),
  down: z.boolean().default(false).describe('Whether the service is unreachable: every call fails (reset), so the plugin gets no :status.'),
  reply: fields({
    status: httpStatus.default(200).describe('The status of every reply.'),
    headers: headerMap.default({}).describe('The headers of every reply.'),
    body: bodySchema('', 'The body of every reply; the plugin gets it whole, once the last chunk has arrived.'),
    latency: duration('0s', 'How long each reply takes, in virtual time.'),
  })
    .prefault({})
    .describe('The mock reply the service gives to every call.'),
});

/** The scenario schema (shared/design.md, "Scenario"); defaults are applied on parse. */
export const scenarioSchema = fields({
  plugin: z.string().min(1).optional().describe('The plugin to run: an example name like redis-limiter, or a path to a .wasm file.'),
  config: z.record(z.string(), z.unknown()).optional().describe('The plugin\'s JSON configuration (_rules_ allowed); replaces the example\'s config.json.'),
  route: z.string().min(1).default('default-route').describe('The route name every request matches, seen as the property route_name.'),
  domain: z.string().min(1).default('example.com').describe('The host every request is sent to, seen as the :authority header.'),
  service: serviceName.default('httpbin.default.svc.cluster.local')
    .describe('The upstream service as name or name:port (port 80 by default), seen as the property cluster_name outbound|<port>||<name>.'),
  properties: propertyMap.default({}).describe('Other properties by path (e.g. x_request_id) and their values, for every request.'),
  startTime: z.iso.datetime({ offset: true, error: (iss) => `expected a date-time like "2025-01-01T00:00:00Z", got ${show(iss.input)}.` })
    .default('2025-01-01T00:00:00Z').describe('The wall-clock time at which the virtual clock starts.'),
  failStrategy: z.enum(['FAIL_CLOSE', 'FAIL_OPEN']).default('FAIL_CLOSE')
    .describe('What the gateway does with a request when the plugin crashes: fail it with 503 (FAIL_CLOSE) or let it through (FAIL_OPEN).'),
  logLevel: z.enum(LOG_LEVELS).default('trace')
    .describe('The gateway\'s wasm log level: plugin log lines below it are dropped (a real gateway hides info and debug by default).'),
  bufferLimit: z.int().min(1).default(HIGRESS_BUFFER_LIMIT)
    .describe('The gateway\'s per-stream buffer limit in bytes: a body the plugin buffers past it ends in 413 (request) or 500 or a reset (response). Higress\'s default downstream.connectionBufferLimits is 32768; a plugin raises it with SetRequestBodyBufferLimit/SetResponseBodyBufferLimit.'),
  callbackTimeout: duration('2s', 'How long one plugin callback may run before the host stops it as stuck. Only the plugin\'s own code counts: CPU time in the CLI on Linux, real time elsewhere.'),
  requests: z.array(requestSchema, { error: (iss) => (iss.input === undefined ? 'required field is missing; add at least one request, like "- path: /".' : undefined) })
    .min(1, 'the list is empty; add at least one request, like "- path: /".').describe('The requests to send, in time order.'),
  upstream: fields({
    status: httpStatus.default(200).describe('The status of every upstream reply.'),
    headers: headerMap.optional().describe('The headers of every upstream reply; content-type: application/json when absent (text/event-stream for a body of SSE events).'),
    body: bodySchema('{"ok":true}', 'The body of every upstream reply.'),
    trailers: headerMap.default({}).describe('Response trailers, sent after the body.'),
    echo: z.boolean().default(false).describe('Whether to reply with a JSON echo of the method, path, headers and body the upstream received (after the plugin rewrote :method or :path), instead of body.'),
  })
    .prefault({})
    .describe('The mock upstream behind the route, answering every request the plugin lets through.'),
  clusters: z.array(z.discriminatedUnion('type', [redisClusterSchema, httpClusterSchema]))
    .default([]).describe('The services the gateway knows, besides the route\'s upstream; a call to any other cluster fails.'),
}).describe('A Higress WASM Lab scenario: a plugin, its config, and requests on a virtual timeline.');

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type RequestSpec = Scenario['requests'][number];
export type Expectation = NonNullable<RequestSpec['expect']>;
export type HeaderExpectations = NonNullable<Expectation['headers']>;
export type ChunkExpectations = NonNullable<Expectation['chunks']>;
export type ClusterSpec = Scenario['clusters'][number];
export type RedisClusterSpec = Extract<ClusterSpec, { type: 'redis' }>;
export type HttpClusterSpec = Extract<ClusterSpec, { type: 'http' }>;
export type UpstreamSpec = Scenario['upstream'];

/**
 * Validates a scenario object and applies its defaults. Throws ScenarioError listing every
 * problem, one per line, as `scenario.requests[2].at: "61" has no unit; write "61s" or "1500ms".`
 * `source` (a file name) prefixes each line.
 */
export function parseScenario(input: unknown, source?: string): Scenario {
  const result = validate(input);
  if (Array.isArray(result)) throw new ScenarioError(result, source);
  return result;
}

/**
 * Reads a scenario from YAML or JSON text and validates it. Throws ScenarioError: for a syntax
 * error one line `<file>:<line>:<col>: <message>`, else one line per problem with its position.
 */
export function loadScenarioText(text: string, fileName = 'scenario'): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter, merge: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const { line, col } = lineCounter.linePos(syntax.pos[0]);
    throw new ScenarioError([{ path: '', keys: [], message: sentence(syntax.message), line, col }], fileName);
  }
  const result = validate(toPlainData(doc, fileName));
  if (!Array.isArray(result)) return result;
  for (const issue of result) Object.assign(issue, lineCounter.linePos(offsetOf(doc.contents, issue)));
  result.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  throw new ScenarioError(result, fileName);
}

/** Aliases (`*name`) a scenario may expand, counted as the yaml package counts them; its default too. */
const MAX_ALIAS_COUNT = 100;

/**
 * The document as plain data. Throws ScenarioError when its aliases would expand past
 * MAX_ALIAS_COUNT (a "billion laughs" file) or an alias comes before its anchor.
 */
function toPlainData(doc: ReturnType<typeof parseDocument>, fileName: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const unresolved = /^Unresolved alias.*: (.*)$/.exec(text)?.[1];
    const message = text.startsWith('Excessive alias count')
      ? `its aliases (*name) would expand more than ${MAX_ALIAS_COUNT} times, as a "billion laughs" file does; write the values out, or reuse fewer anchors.`
      : unresolved !== undefined
        ? `the alias *${unresolved} comes before its anchor &${unresolved}; set the anchor first.`
        : `it cannot be read as data (${text}).`;
    throw new ScenarioError([{ path: '', keys: [], message }], fileName);
  }
}

/** The JSON Schema of the scenario as a user writes it (defaults shown, not required). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
}

/** One request ready to send: repeats expanded, time in milliseconds, defaults resolved. */
export interface ExpandedRequest {
  /** Position in arrival order; the outcome of this request has the same index. */
  index: number;
  /** Where it came from, for messages: `requests[1]`. */
  specPath: string;
  specIndex: number;
  /** Which repeat of its spec this is, from 0. */
  repeatIndex: number;
  atMs: number;
  method: string;
  path: string;
  /** User headers, lower-case, in the order written; pseudo-headers are the runner's job. */
  headers: HeaderList;
  /** The body as written: a string or a list of chunks (body-chunks.ts turns it into bytes). */
  body: RequestSpec['body'];
  trailers: HeaderList;
  source: string;
  route: string;
  domain: string;
  /** route_name, cluster_name and source.address, then the scenario's, then the request's properties. */
  properties: Record<string, string | number | boolean>;
  expect: Expectation | undefined;
}

/**
 * Expands each request spec into `repeat` requests spaced by `every`, and orders them by arrival
 * time; requests arriving at the same time keep the order they were written in. The whole list:
 * for a long run, read them one at a time with requestStream.
 */
export function expandRequests(scenario: Scenario): ExpandedRequest[] {
  return [...requestStream(scenario)];
}

/** How many requests a scenario sends: every spec's repeats. */
export function countRequests(scenario: Scenario): number {
  return scenario.requests.reduce((sum, spec) => sum + spec.repeat, 0);
}

/** What one spec's repeats share, worked out once. */
interface SpecStream {
  specIndex: number;
  startMs: number;
  everyMs: number;
  repeat: number;
  /** The next repeat to send, and when it arrives. */
  repeatIndex: number;
  atMs: number;
  shared: Omit<ExpandedRequest, 'index' | 'specIndex' | 'repeatIndex' | 'atMs'>;
}

/**
 * The requests of expandRequests, in the same order with the same indexes, made one at a time as
 * they are read: each spec yields its repeats in time order, and a small heap (one entry per spec)
 * merges the specs by arrival time, the earlier-written spec first on a tie. Memory is one entry
 * per spec, however many requests the scenario sends.
 */
export function* requestStream(scenario: Scenario): Generator<ExpandedRequest, void, undefined> {
  const serviceCluster = serviceClusterName(scenario.service);
  const heap = new MinHeap<SpecStream>(specBefore);
  scenario.requests.forEach((spec, specIndex) => {
    const route = spec.route ?? scenario.route;
    const derived = { route_name: route, cluster_name: serviceCluster, 'source.address': spec.source };
    const startMs = parseDurationMs(spec.at);
    heap.push({
      specIndex, startMs, everyMs: parseDurationMs(spec.every), repeat: spec.repeat, repeatIndex: 0, atMs: startMs,
      shared: {
        specPath: `requests[${specIndex}]`, method: spec.method, path: spec.path, headers: Object.entries(spec.headers), body: spec.body,
        trailers: Object.entries(spec.trailers), source: spec.source, route, domain: spec.domain ?? scenario.domain,
        properties: { ...derived, ...scenario.properties, ...spec.properties }, expect: spec.expect,
      },
    });
  });
  for (let index = 0; heap.size > 0; index++) {
    const top = heap.peek()!;
    const { specPath, method, path, headers, body, trailers, source, route, domain, properties, expect } = top.shared;
    yield {
      index, specPath, specIndex: top.specIndex, repeatIndex: top.repeatIndex, atMs: top.atMs,
      method, path, headers, body, trailers, source, route, domain, properties, expect,
    };
    if (++top.repeatIndex < top.repeat) {
      // The same product as the eager expansion made, so equal times stay equal.
      top.atMs = top.startMs + top.repeatIndex * top.everyMs;
      heap.updateFirst();
    } else {
      heap.pop();
    }
  }
}

function specBefore(a: SpecStream, b: SpecStream): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.specIndex < b.specIndex);
}

/** A declared cluster with its Envoy name and its reply latency in milliseconds. */
export type ResolvedCluster = ClusterSpec & { envoyName: string; latencyMs: number };

/** The Envoy cluster name of a spec: a name containing "|" as is, else `outbound|<port>||<name>`. */
export function clusterName(spec: { name: string; port: number }): string {
  return spec.name.includes('|') ? spec.name : `outbound|${spec.port}||${spec.name}`;
}

/** The cluster_name of the route's upstream: `service` as name or name:port, port 80 by default. */
export function serviceClusterName(service: string): string {
  const [, name = service, port = '80'] = /^(.*):(\d+)$/.exec(service) ?? [];
  return `outbound|${port}||${name}`;
}

/** The scenario's clusters with their Envoy names, in declaration order. */
export function resolveClusters(scenario: Scenario): ResolvedCluster[] {
  return scenario.clusters.map((spec) => ({
    ...spec,
    envoyName: clusterName(spec),
    latencyMs: parseDurationMs(spec.type === 'redis' ? spec.latency : spec.reply.latency),
  }));
}

/** When the virtual clock starts (Unix ms) and how long one callback may run (ms). */
export function resolveTiming(scenario: Scenario): { startEpochMs: number; callbackTimeoutMs: number } {
  return { startEpochMs: Date.parse(scenario.startTime), callbackTimeoutMs: parseDurationMs(scenario.callbackTimeout) };
}

// ---- validation and wording ----------------------------------------------------------------

function validate(input: unknown): Scenario | ScenarioIssue[] {
  const result = scenarioSchema.safeParse(input, { error: describeIssue });
  const issues = result.success ? crossCheck(result.data) : toIssues(result.error.issues);
  return issues.length === 0 && result.success ? result.data : issues;
}

/** Rules that span fields: time order of requests, and clusters declared once. */
function crossCheck(scenario: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  scenario.requests.forEach((spec, i) => {
    const previous = scenario.requests[i - 1];
    if (previous !== undefined && parseDurationMs(spec.at) < parseDurationMs(previous.at)) {
      issues.push(issue(['requests', i, 'at'], `"${spec.at}" is earlier than requests[${i - 1}] at "${previous.at}"; list requests in time order.`));
    }
  });
  const seen = new Map<string, number>();
  scenario.clusters.forEach((spec, i) => {
    const name = clusterName(spec);
    const first = seen.get(name);
    if (first === undefined) seen.set(name, i);
    else issues.push(issue(['clusters', i, 'name'], `cluster "${name}" is already declared by clusters[${first}]; remove one of them.`));
  });
  return issues;
}

/**
 * A union (a body: a string or a list; a chunk: a string or an object) fails as a whole; when the
 * value had one branch's type, that branch's own issues say what is wrong, at their own paths.
 */
function unwrapUnion(iss: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (iss.code !== 'invalid_union' || iss.discriminator !== undefined) return [iss];
  const branch = iss.errors.find((errors) => errors.length > 0 && !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0));
  if (branch === undefined) return [iss];
  return branch.flatMap((e) => unwrapUnion({ ...e, path: [...iss.path, ...e.path] } as z.core.$ZodIssue));
}

function toIssues(zodIssues: z.core.$ZodIssue[]): ScenarioIssue[] {
  return zodIssues.flatMap(unwrapUnion).flatMap((iss) => {
    const keys = iss.path.map((k) => (typeof k === 'number' ? k : String(k)));
    const lines = iss.message.split('\n');
    const issues = iss.code === 'unrecognized_keys' ? iss.keys.map((key, i) => issue([...keys, key], lines[i] ?? 'unknown field.')) : [issue(keys, iss.message)];
    if (iss.code === 'unrecognized_keys' || iss.code === 'invalid_key') for (const found of issues) keyIssues.add(found);
    return issues;
  });
}

/** Issues about a key itself (unknown field, bad header name); their position is the key's. */
const keyIssues = new WeakSet<ScenarioIssue>();

function issue(keys: Array<string | number>, message: string): ScenarioIssue {
  return { path: formatPath('scenario', keys), keys, message };
}

/** A YAML parser message as a sentence that continues a `file:line:col:` prefix. */
function sentence(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return `${flat.charAt(0).toLowerCase()}${flat.slice(1)}${/[.?!]$/.test(flat) ? '' : '.'}`;
}

function isClientAddress(text: string): boolean {
  const match = /^(?:(\d{1,3}(?:\.\d{1,3}){3})|\[([0-9A-Fa-f:.]+)\]):(\d{1,5})$/.exec(text);
  if (match === null) return false;
  const [, v4, v6, portText] = match;
  const isHostValid = v4 !== undefined ? v4.split('.').every((octet) => Number(octet) <= 255) : (v6 ?? '').includes(':');
  return isHostValid && Number(portText) >= 1 && Number(portText) <= 65535;
}

/** The source offset of an issue: the key for unknown fields and bad names, else the value, else the nearest parent. */
function offsetOf(root: unknown, issue: ScenarioIssue): number {
  const isKeyIssue = keyIssues.has(issue);
  let node = root;
  let offset = rangeStart(root);
  for (const [i, key] of issue.keys.entries()) {
    const isLast = i === issue.keys.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (pair === undefined) break;
      if (isLast && isKeyIssue) return rangeStart(pair.key) ?? offset ?? 0;
      node = pair.value;
      offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return offset ?? 0;
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
}
