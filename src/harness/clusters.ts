/**
 * The services a plugin can call besides the route's upstream: mock HTTP clusters and Redis
 * clusters, known by their exact Envoy names (reference/host-abi.md §9.1–9.2). An unknown name
 * answers BadArgument as the gateway does, and the outcome names the missing cluster. Replies are
 * scheduled on the timeline and delivered through the root context, never inside the import.
 */
import { BufferType, RedisStatus, WasmResult } from './abi/enums.ts';
import { fromUtf8, utf8 } from './abi/memory.ts';
import type { Pairs } from './abi/pair-map.ts';
import type { VirtualClock } from './clock.ts';
import type { GatewayPlan } from './gateway.ts';
import { BodyBuffer } from './host/body-buffer.ts';
import { HeaderMap } from './host/header-map.ts';
import type { CallScope, CalloutStart, HttpCallRequest } from './host/host-env.ts';
import type { LogLine, RedisExchange } from './outcome.ts';
import type { OutcomeRecorder } from './outcome-recorder.ts';
import type { RedisConnection, RedisReply } from './redis-backend.ts';
import { decodeCommand, decodeResp, formatCommand, formatReply } from './redis/index.ts';
import { unknownClusterHint, unknownClusterMessage } from './run-errors.ts';
import { joinChunks } from './stream.ts';
import { ROOT_CONTEXT_ID, type PluginVm } from './vm.ts';

/** What the clusters need from the gateway. */
export interface CalloutHost {
  clock: VirtualClock;
  schedule(atMs: number, run: () => Promise<void> | void): void;
  recorderFor(streamId: number | null): OutcomeRecorder | undefined;
  trackCallout(streamId: number | null, delta: number): void;
  /** Calls a root-context callback of `vm` for a stream, unless that VM has since died or been replaced. */
  deliver(vm: PluginVm, streamId: number | null, exportName: string, args: number[], scope: CallScope): void;
  currentVm(): PluginVm | null;
  startupLogs: LogLine[];
}

/** The wasm-go Redis client's default when redis_init passes no timeout. */
const DEFAULT_REDIS_TIMEOUT_MS = 1000;

/** The connection one proxy_redis_init opened. */
interface RedisClient {
  connection: Promise<RedisConnection>;
  timeoutMs: number;
  /** Whether this connection's SELECT has been looked at (and, when it failed, the outcome says so). */
  isSelectChecked: boolean;
}

export class Clusters {
  readonly #plan: Pick<GatewayPlan, 'httpClusters' | 'redisClusters' | 'redis'>;
  readonly #host: CalloutHost;
  readonly #redisClients = new Map<string, RedisClient>();
  // Callout ids as cpp-host allocates them: the type in the low 2 bits (host-abi.md §4.7).
  #nextHttpId = 0;
  #nextRedisId = 3;

  constructor(plan: Pick<GatewayPlan, 'httpClusters' | 'redisClusters' | 'redis'>, host: CalloutHost) {
    this.#plan = plan;
    this.#host = host;
  }

  #declared(): string[] {
    return [...this.#plan.httpClusters.keys(), ...this.#plan.redisClusters.keys()];
  }

  /** Drops the Redis connections of a VM that died; its successor calls redis_init again. */
  forgetRedisClients(): void {
    this.#redisClients.clear();
  }

  /** proxy_http_call: BadArgument for an unknown cluster or missing pseudo-headers; a timeout answers 504. */
  dispatchHttpCall(request: HttpCallRequest, streamId: number | null): CalloutStart {
    const cluster = this.#plan.httpClusters.get(request.cluster);
    const recorder = this.#host.recorderFor(streamId);
    if (!cluster) {
      recorder?.noteUnknownCluster(request.cluster, 'http', this.#declared());
      return { status: WasmResult.BadArgument };
    }
    const headers = new HeaderMap(request.headers);
    if (!headers.has(':path') || !headers.has(':method') || !headers.has(':authority')) return { status: WasmResult.BadArgument };
    const id = (this.#nextHttpId += 4);
    const reply = cluster.reply({ headers: request.headers, body: request.body });
    // Envoy's async client buffers the reply: the plugin gets it once the last chunk is in.
    const latencyMs = cluster.latencyMs + reply.chunks.reduce((sum, chunk) => sum + chunk.afterMs, 0);
    const isTimeout = request.timeoutMs > 0 && latencyMs > request.timeoutMs;
    // Envoy's router answers a timed-out callout with an ordinary 504 (host-abi.md §9.1).
    const response = isTimeout
      ? { status: 504, headers: [['content-type', 'text/plain']] as Pairs, body: utf8('upstream request timeout') }
      : { status: reply.status, headers: reply.headers, body: joinChunks(reply.chunks) };
    // status 0 in the outcome: a reset has no status; the wasm-go client reports it as 502.
    recorder?.httpCalls.push({ cluster: request.cluster, method: headers.get(':method')!, path: headers.get(':path')!, status: cluster.isDown ? 0 : response.status });
    const party = `http:${request.cluster}` as const;
    recorder?.sequence?.add({ from: 'plugin', to: party, kind: 'callout', label: `${headers.get(':method')} ${headers.get(':path')}` });
    this.#host.trackCallout(streamId, +1);
    const vm = this.#host.currentVm()!;
    this.#host.schedule(this.#host.clock.elapsedMs + (cluster.isDown ? 0 : isTimeout ? request.timeoutMs : latencyMs), () => {
      this.#host.trackCallout(streamId, -1);
      // Envoy's onFailure (a reset): the callback arrives with no headers, body or trailers.
      const responseHeaders = cluster.isDown ? new HeaderMap() : new HeaderMap([[':status', String(response.status)], ...response.headers]);
      const body = cluster.isDown ? new Uint8Array(0) : response.body;
      if (!cluster.isDown) responseHeaders.replace('content-length', String(body.length));
      const label = cluster.isDown ? 'reset' : isTimeout ? 'timeout (504)' : String(response.status);
      this.#host.recorderFor(streamId)?.sequence?.add({ from: party, to: 'gateway', kind: 'callout-reply', label });
      const scope: CallScope = { bufferType: BufferType.HttpCallResponseBody, buffer: new BodyBuffer(body, false), calloutHeaders: responseHeaders, calloutTrailers: new HeaderMap() };
      this.#host.deliver(vm, streamId, 'proxy_on_http_call_response', [ROOT_CONTEXT_ID, id, responseHeaders.size, body.length, 0], scope);
    });
    return { id };
  }

  /**
   * proxy_redis_init: reads `db` from the `?params` (the buffer ones change nothing here),
   * BadArgument for an unknown cluster, opens the connection in that database.
   */
  redisInit(clusterWithParams: string, username: string, password: string, timeoutMs: number, streamId: number | null): WasmResult {
    const { cluster, db } = parseRedisInitCluster(clusterWithParams);
    const plan = this.#plan.redisClusters.get(cluster);
    if (!plan) {
      const recorder = this.#host.recorderFor(streamId);
      if (recorder) recorder.noteUnknownCluster(cluster, 'redis', this.#declared());
      // Said by the gateway, not the plugin: prefixed so it is not mistaken for a plugin line.
      else this.#host.startupLogs.push({ level: 'warn', message: `gateway: ${unknownClusterMessage(cluster, 'redis')} Hint: ${unknownClusterHint(cluster, this.#declared())}.` });
      return WasmResult.BadArgument;
    }
    const clientTimeoutMs = timeoutMs || DEFAULT_REDIS_TIMEOUT_MS;
    const connection = this.#plan.redis.connect(plan.spec, { username, password, db, timeoutMs: clientTimeoutMs }, this.#host.clock.unixMs);
    connection.catch(() => {});
    this.#redisClients.set(cluster, { connection, timeoutMs: clientTimeoutMs, isSelectChecked: false });
    return WasmResult.Ok;
  }

  /**
   * proxy_redis_call: the command runs when it is sent; the reply reaches the plugin after the
   * cluster's latency, or as a network error at the client's timeout, or at once when the cluster is down.
   * A real server that does not answer within the client's timeout (real time) is a network error too.
   */
  dispatchRedisCall(cluster: string, query: Uint8Array, streamId: number | null): CalloutStart {
    const plan = this.#plan.redisClusters.get(cluster);
    const recorder = this.#host.recorderFor(streamId);
    if (!plan) {
      recorder?.noteUnknownCluster(cluster, 'redis', this.#declared());
      return { status: WasmResult.BadArgument };
    }
    const client = this.#redisClients.get(cluster);
    const timeoutMs = client?.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
    const id = (this.#nextRedisId += 4);
    const exchange = lazyRedisExchange(query, cluster);
    recorder?.redis.push(exchange);
    recorder?.sequence?.add({ from: 'plugin', to: `redis:${cluster}`, kind: 'callout', label: exchange.command });
    const isTimeout = plan.latencyMs > timeoutMs;
    const failure = plan.isDown
      ? 'connection refused (cluster marked down)'
      : isTimeout
        ? `no reply within ${timeoutMs} ms`
        : !client
          ? 'redis_init was never called for this cluster'
          : null;
    const reply = failure || !client ? Promise.resolve(null) : client.connection.then((c) => c.send(query, this.#host.clock.unixMs));
    reply.catch(() => {});
    this.#host.trackCallout(streamId, +1);
    const vm = this.#host.currentVm()!;
    this.#host.schedule(this.#host.clock.elapsedMs + (isTimeout ? timeoutMs : plan.latencyMs), async () => {
      this.#host.trackCallout(streamId, -1);
      let answer: RedisReply | null = null;
      let error = failure;
      try {
        answer = await reply;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      setExchangeReply(exchange, error ? `(failed) ${error}` : answer!.bytes);
      if (answer !== null && answer.db !== 0) exchange.db = answer.db;
      if (answer !== null && client && !client.isSelectChecked) await this.#reportFailedSelect(client, cluster, recorder);
      const body = answer?.bytes ?? new Uint8Array(0);
      const status = error ? RedisStatus.NetworkError : RedisStatus.Ok;
      // Drawn only while the stream lives, like the callback that follows it.
      this.#host.recorderFor(streamId)?.sequence?.add({ from: `redis:${cluster}`, to: 'gateway', kind: 'callout-reply', label: exchange.reply });
      this.#host.deliver(vm, streamId, 'proxy_on_redis_call_response', [ROOT_CONTEXT_ID, id, status, body.length], { bufferType: BufferType.RedisCallResponse, buffer: new BodyBuffer(body, false) });
    });
    return { id };
  }

  /**
   * Says once per redis_init that its SELECT failed: the gateway ignores that reply, so the
   * commands run in database 0 (a gateway line in the request's logs, or in start-up's).
   */
  async #reportFailedSelect(client: RedisClient, cluster: string, recorder: OutcomeRecorder | undefined): Promise<void> {
    if (client.isSelectChecked) return;
    const { failedSelect } = await client.connection;
    if (client.isSelectChecked) return;
    client.isSelectChecked = true;
    if (failedSelect === null) return;
    const line: LogLine = { level: 'warn', message: `gateway: ${failedSelectMessage(cluster, failedSelect.db, failedSelect.error)}` };
    (recorder?.logs ?? this.#host.startupLogs).push(line);
  }
}

/**
 * Splits proxy_redis_init's cluster string, `<cluster>?db=N&buffer_flush_timeout=3&…`
 * (reference/host-abi.md §9.2), into the cluster name and the `db` parameter as written (null when
 * absent). The gateway passes that text to SELECT unchecked, so a bad value is the server's to refuse.
 */
export function parseRedisInitCluster(clusterWithParams: string): { cluster: string; db: string | null } {
  const at = clusterWithParams.indexOf('?');
  if (at < 0) return { cluster: clusterWithParams, db: null };
  let db: string | null = null;
  for (const param of clusterWithParams.slice(at + 1).split('&')) {
    const [name, value = ''] = param.split(/=(.*)/s);
    if (name === 'db') db = value;
  }
  return { cluster: clusterWithParams.slice(0, at), db };
}

/** What the outcome says when the SELECT for redis_init's database failed. */
export function failedSelectMessage(cluster: string, db: string, serverError: string): string {
  return `SELECT ${db} on "${cluster}" failed (${serverError}), so the plugin's commands run in database 0, as on a gateway, which ignores that reply; choose a database the server has (0 to 15 by default).`;
}

/** What a lazy exchange keeps until its text is read: the query as sent, the reply as received. */
interface RawExchange {
  query: Uint8Array;
  command: string | null;
  /** The reply's text once made (or a failure's), else its RESP bytes. */
  reply: string | Uint8Array;
}

const RAW = Symbol('raw Redis exchange');
type LazyExchange = RedisExchange & { [RAW]: RawExchange };

/**
 * The accessors of every lazy exchange (one pair of functions shared by all, so the objects share
 * one shape). Reading `command` or `reply` formats the text once and keeps it; assigning sets it.
 */
const COMMAND: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: LazyExchange): string {
    const raw = this[RAW];
    return (raw.command ??= safeFormatCommand(raw.query));
  },
  set(this: LazyExchange, text: string) {
    this[RAW].command = text;
  },
};
const REPLY: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: LazyExchange): string {
    const raw = this[RAW];
    if (typeof raw.reply !== 'string') raw.reply = safeFormatReply(raw.reply);
    return raw.reply;
  },
  set(this: LazyExchange, text: string) {
    this[RAW].reply = text;
  },
};

/**
 * An Outcome.redis entry whose `command` and `reply` are formatted only when something reads them
 * (the CLI, a check, the playground, JSON.stringify, structuredClone): most runs never look at
 * most exchanges, and formatting one eagerly cost ~3 µs and ~4 KB of garbage per call. They are own,
 * enumerable accessor properties, in the order `command`, `reply`, `cluster` (then `db`), so the
 * object reads, compares, serialises and clones like the plain object it replaces; the raw bytes
 * sit under a non-enumerable symbol. The reply is '' until setExchangeReply.
 */
export function lazyRedisExchange(query: Uint8Array, cluster: string): RedisExchange {
  const exchange = {} as LazyExchange;
  Object.defineProperty(exchange, 'command', COMMAND);
  Object.defineProperty(exchange, 'reply', REPLY);
  exchange.cluster = cluster;
  Object.defineProperty(exchange, RAW, { value: { query, command: null, reply: '' } satisfies RawExchange });
  return exchange;
}

/** Records a lazy exchange's reply: its text (a failure), or the RESP bytes to format when read. */
export function setExchangeReply(exchange: RedisExchange, reply: string | Uint8Array): void {
  (exchange as LazyExchange)[RAW].reply = reply;
}

function safeFormatCommand(query: Uint8Array): string {
  try {
    return formatCommand(decodeCommand(query).map((a) => fromUtf8(a)));
  } catch {
    return `<${query.length} bytes that are not a RESP command>`;
  }
}

function safeFormatReply(bytes: Uint8Array): string {
  try {
    return formatReply(decodeResp(bytes).value);
  } catch {
    return `<${bytes.length} bytes that are not a RESP reply>`;
  }
}
