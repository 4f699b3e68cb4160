/**
 * One HTTP stream through the plugin, in Envoy's order (reference/host-abi.md §7.2, §8):
 * request headers → request body → upstream or local reply → response headers → response body →
 * log → done → delete. Read top to bottom, the methods follow that order. Pause holds the stream
 * until proxy_continue_stream; continue and local reply are applied after the callback returns.
 */
import { DataStatus, HeaderStatus, WasmResult } from './abi/enums.ts';
import type { Pairs } from './abi/pair-map.ts';
import { BodyBuffer } from './host/body-buffer.ts';
import { HeaderMap } from './host/header-map.ts';
import type { LocalReply, StreamAccess } from './host/host-env.ts';
import { ROOT_CONTEXT_ID, type PluginVm } from './vm.ts';

/** What the stream needs from the gateway. */
export interface StreamHost {
  vm: PluginVm;
  /** True for ABI 0_2_100, where a request-header StopIteration (1) still lets the body through. */
  isRealStopIteration: boolean;
  /** The mock upstream's reply to the request as the plugin left it. */
  upstream(headers: Pairs, body: Uint8Array): UpstreamReply;
  builtinProperty(path: string[]): Uint8Array | undefined;
  /** Tells the gateway the stream has a deferred action to apply after the current callback. */
  onDeferredAction(stream: HttpStream): void;
  /** Called once, after on_delete. */
  onFinished(stream: HttpStream): void;
}

export interface UpstreamReply {
  status: number;
  headers: Pairs;
  body: Uint8Array;
}

/** Where a paused stream waits, for resume and for the stall hint. */
export type PausePoint = 'request-headers' | 'request-body' | 'response-headers' | 'response-body';

export interface StreamResult {
  status: number;
  headers: Pairs;
  body: Uint8Array;
  source: 'plugin' | 'upstream' | 'gateway';
  /** Headers as they left the upstream or the local reply, before response callbacks changed them. */
  originalHeaders: Pairs;
  upstreamRequest: { headers: Pairs; body: Uint8Array } | null;
  reset?: boolean;
}

type Phase = 'new' | 'request' | 'upstream' | 'response' | 'finished';

export class HttpStream implements StreamAccess {
  readonly id: number;
  readonly setProperties = new Map<string, Uint8Array>();
  readonly #host: StreamHost;
  readonly #requestHeaders: HeaderMap;
  readonly #requestBody: BodyBuffer;
  #responseHeaders: HeaderMap | null = null;
  #responseBody: BodyBuffer | null = null;
  #phase: Phase = 'new';
  #isRequestMutable = true;
  #isResponseMutable = false;
  #pausedAt: PausePoint | null = null;
  /** The status the paused callback returned, for the stall hint. */
  #pausedWith = 0;
  #pending: { continueRequest?: boolean; continueResponse?: boolean; localReply?: LocalReply; close?: boolean } = {};
  #hasSentLocalReply = false;
  #isLocalReply = false;
  #result: StreamResult | null = null;
  #upstreamRequest: StreamResult['upstreamRequest'] = null;
  #originalResponseHeaders: Pairs = [];

  constructor(id: number, headers: Pairs, body: Uint8Array, host: StreamHost) {
    this.id = id;
    this.#host = host;
    this.#requestHeaders = new HeaderMap(headers);
    this.#requestBody = new BodyBuffer(body);
  }

  get result(): StreamResult | null {
    return this.#result;
  }

  get pausedAt(): PausePoint | null {
    return this.#pausedAt;
  }

  get pausedWith(): number {
    return this.#pausedWith;
  }

  get isFinished(): boolean {
    return this.#phase === 'finished';
  }

  // ── request ────────────────────────────────────────────────────────────────────────────────

  /** Creates the context and runs proxy_on_request_headers. */
  start(): void {
    this.#phase = 'request';
    this.#host.vm.attachStream(this);
    this.#call('proxy_on_context_create', [this.id, ROOT_CONTEXT_ID]);
    const hasBody = this.#requestBody.length > 0;
    let status = this.#call('proxy_on_request_headers', [this.id, this.#requestHeaders.size, hasBody ? 0 : 1]);
    if (this.#takeLocalReply()) return;
    // §8.1: outside ABI 0_2_100 a header StopIteration stops everything, like StopAll.
    if (status === HeaderStatus.StopIteration && !this.#host.isRealStopIteration) status = HeaderStatus.StopAllIterationAndWatermark;
    if (status > HeaderStatus.StopAllIterationAndWatermark) status = HeaderStatus.StopAllIterationAndWatermark;
    if (this.#pending.continueRequest) status = HeaderStatus.Continue;
    this.#pending.continueRequest = false;
    if (status === HeaderStatus.Continue || status === HeaderStatus.ContinueAndEndStream) return this.#requestBodyPhase();
    if (status === HeaderStatus.StopIteration && hasBody) return this.#requestBodyPhase();
    this.#pause('request-headers', status);
  }

  #requestBodyPhase(): void {
    if (this.#requestBody.length === 0) return this.#forwardUpstream();
    const status = this.#call('proxy_on_request_body', [this.id, this.#requestBody.length, 1]);
    if (this.#takeLocalReply()) return;
    if (status === DataStatus.Continue || this.#pending.continueRequest) {
      this.#pending.continueRequest = false;
      return this.#forwardUpstream();
    }
    this.#pause('request-body', status);
  }

  // ── upstream ───────────────────────────────────────────────────────────────────────────────

  #forwardUpstream(): void {
    this.#phase = 'upstream';
    this.#isRequestMutable = false;
    this.#upstreamRequest = { headers: this.#requestHeaders.pairs(), body: this.#requestBody.bytes };
    const reply = this.#host.upstream(this.#upstreamRequest.headers, this.#upstreamRequest.body);
    this.#responsePhase([[':status', String(reply.status)], ...reply.headers], reply.body);
  }

  // ── response (from the upstream or a local reply) ─────────────────────────────────────────

  /** `original` is what the response had before the plugin touched it, for highlighting its changes. */
  #responsePhase(headers: Pairs, body: Uint8Array, original: Pairs = headers): void {
    this.#phase = 'response';
    this.#responseHeaders = new HeaderMap(headers);
    this.#originalResponseHeaders = original;
    this.#responseBody = new BodyBuffer(body);
    this.#isResponseMutable = true;
    let status = this.#call('proxy_on_response_headers', [this.id, this.#responseHeaders.size, body.length > 0 ? 0 : 1]);
    if (this.#takeLocalReplyWhileEncoding()) return;
    if (status === HeaderStatus.StopIteration || status > HeaderStatus.StopAllIterationAndWatermark) status = HeaderStatus.StopAllIterationAndWatermark;
    if (status === HeaderStatus.Continue || status === HeaderStatus.ContinueAndEndStream || this.#pending.continueResponse) {
      this.#pending.continueResponse = false;
      return this.#responseBodyPhase();
    }
    this.#pause('response-headers', status);
  }

  #responseBodyPhase(): void {
    this.#isResponseMutable = false;
    const body = this.#responseBody;
    if (!body || body.length === 0) return this.#finish();
    const status = this.#call('proxy_on_response_body', [this.id, body.length, 1]);
    if (this.#takeLocalReplyWhileEncoding()) return;
    if (status === DataStatus.Continue || this.#pending.continueResponse) {
      this.#pending.continueResponse = false;
      return this.#finish();
    }
    this.#pause('response-body', status);
  }

  // ── end: log → done → delete (Envoy runs on_log first, §7.2) ─────────────────────────────

  #finish(reset = false): void {
    const headers = this.#responseHeaders?.pairs() ?? [];
    this.#result = {
      status: Number(headers.find(([k]) => k === ':status')?.[1] ?? 0),
      headers: headers.filter(([k]) => k !== ':status'),
      body: this.#responseBody?.bytes ?? new Uint8Array(0),
      source: this.#isLocalReply ? 'plugin' : 'upstream',
      originalHeaders: this.#originalResponseHeaders.filter(([k]) => k !== ':status'),
      upstreamRequest: this.#upstreamRequest,
      ...(reset ? { reset } : {}),
    };
    this.#end();
  }

  /** Ends the stream without another plugin callback for the response (reset, stall, fault). */
  abort(result: Omit<StreamResult, 'upstreamRequest' | 'originalHeaders'>, runTeardown: boolean): void {
    if (this.#phase === 'finished') return;
    this.#result = { ...result, originalHeaders: result.headers, upstreamRequest: this.#upstreamRequest };
    if (runTeardown) this.#end();
    else this.#markFinished();
  }

  #end(): void {
    this.#pausedAt = null;
    this.#call('proxy_on_log', [this.id]);
    this.#call('proxy_on_done', [this.id]);
    this.#call('proxy_on_delete', [this.id]);
    this.#markFinished();
  }

  #markFinished(): void {
    this.#phase = 'finished';
    this.#host.vm.detachStream(this.id);
    this.#host.onFinished(this);
  }

  // ── pause, resume and local replies ──────────────────────────────────────────────────────

  #pause(at: PausePoint, status: number): void {
    this.#pausedAt = at;
    this.#pausedWith = status;
  }

  /** Applies what the plugin queued from another callback (a callout reply, a tick). */
  applyDeferred(): void {
    if (this.#phase === 'finished') return;
    if (this.#phase === 'response' ? this.#takeLocalReplyWhileEncoding() : this.#takeLocalReply()) return;
    if (this.#pending.close) return this.#finishReset();
    const at = this.#pausedAt;
    if (this.#pending.continueRequest && (at === 'request-headers' || at === 'request-body')) {
      this.#pending.continueRequest = false;
      this.#pausedAt = null;
      // After StopAll the host buffered the body; Envoy now delivers it to this filter (§8.1).
      return at === 'request-headers' ? this.#requestBodyPhase() : this.#forwardUpstream();
    }
    if (this.#pending.continueResponse && (at === 'response-headers' || at === 'response-body')) {
      this.#pending.continueResponse = false;
      this.#pausedAt = null;
      return at === 'response-headers' ? this.#responseBodyPhase() : this.#finish();
    }
  }

  /** A local reply queued in a request-phase callback answers the request; the response callbacks still run on it (§8.5). */
  #takeLocalReply(): boolean {
    const reply = this.#pending.localReply;
    if (!reply) return false;
    this.#pending = {};
    this.#pausedAt = null;
    this.#isLocalReply = true;
    this.#isRequestMutable = false;
    const headers = localReplyHeaders(reply);
    // Only what Envoy adds counts as original: the plugin's own headers show as its changes.
    this.#responsePhase(headers, reply.body, headers.filter(([k]) => k === ':status' || k === 'content-length' || k === 'content-type'));
    return true;
  }

  /** A local reply raised while encoding goes straight downstream, skipping the plugin (§8.5). */
  #takeLocalReplyWhileEncoding(): boolean {
    const reply = this.#pending.localReply;
    if (!reply) return false;
    this.#pending = {};
    this.#isLocalReply = true;
    this.#responseHeaders = new HeaderMap(localReplyHeaders(reply));
    this.#responseBody = new BodyBuffer(reply.body);
    this.#finish();
    return true;
  }

  #finishReset(): void {
    this.#pending = {};
    this.#responseHeaders = null;
    this.#responseBody = null;
    this.#finish(true);
  }

  #call(name: string, args: number[]): number {
    return this.#host.vm.invoke(name, args, this.id);
  }

  // ── StreamAccess: what host functions see ────────────────────────────────────────────────

  headerMap(kind: 'request' | 'response' | 'request-trailers' | 'response-trailers'): HeaderMap | 'unavailable' {
    if (kind === 'request') return this.#requestHeaders;
    if (kind === 'response') return this.#responseHeaders ?? 'unavailable';
    return 'unavailable';
  }

  isMapMutable(kind: 'request' | 'response' | 'request-trailers' | 'response-trailers'): boolean {
    if (kind === 'request') return this.#isRequestMutable;
    if (kind === 'response') return this.#isResponseMutable;
    return false;
  }

  body(kind: 'request' | 'response'): BodyBuffer | null {
    if (kind === 'request') return this.#phase === 'request' && this.#requestBody.length > 0 ? this.#requestBody : null;
    return this.#phase === 'response' ? this.#responseBody : null;
  }

  continueStream(direction: 'request' | 'response'): WasmResult {
    if (direction === 'request') this.#pending.continueRequest = true;
    else this.#pending.continueResponse = true;
    this.#host.onDeferredAction(this);
    return WasmResult.Ok;
  }

  closeStream(): WasmResult {
    this.#pending.close = true;
    this.#host.onDeferredAction(this);
    return WasmResult.Ok;
  }

  sendLocalReply(reply: LocalReply): WasmResult {
    if (this.#hasSentLocalReply) return WasmResult.BadArgument;
    this.#hasSentLocalReply = true;
    this.#pending.localReply = reply;
    this.#host.onDeferredAction(this);
    return WasmResult.Ok;
  }

  builtinProperty(path: string[]): Uint8Array | undefined {
    if (path[0] === 'response' && path[1] === 'code' && this.#responseHeaders) {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigInt64(0, BigInt(this.#responseHeaders.get(':status') ?? 0), true);
      return out;
    }
    return this.#host.builtinProperty(path);
  }
}

/** The headers Envoy puts on a local reply: :status, the plugin's (lower-case), content-length, content-type for text. */
export function localReplyHeaders(reply: LocalReply): Pairs {
  const headers = new HeaderMap([[':status', String(reply.status)], ...reply.headers]);
  headers.replace('content-length', String(reply.body.length));
  if (reply.body.length > 0 && !headers.has('content-type')) headers.add('content-type', 'text/plain');
  return headers.pairs();
}
