/**
 * One HTTP stream through the plugin, in Envoy's order (reference/host-abi.md §7.2, §8): request
 * headers → request body chunks → request trailers → upstream or local reply → response headers →
 * response body chunks → response trailers → log → done → delete. Each direction is a Side; body
 * chunks arrive on the virtual timeline and meet Envoy's data semantics (§8.4): Continue passes the
 * chunk on, StopIterationAndBuffer keeps it and the next call sees everything buffered,
 * StopIterationNoBuffer drops it, and a stop on the last chunk holds the stream until
 * proxy_continue_stream. Continue, close and local reply are applied after the callback returns.
 */
import { DataStatus, HeaderStatus, WasmResult } from './abi/enums.ts';
import { fromUtf8, utf8 } from './abi/memory.ts';
import type { Pairs } from './abi/pair-map.ts';
import { BodyBuffer, EMPTY_BYTES } from './host/body-buffer.ts';
import { HeaderMap } from './host/header-map.ts';
import type { LocalReply, StreamAccess } from './host/host-env.ts';
import type { OutcomeError } from './outcome.ts';
import { actionName, isPausing, type CallbackKind, type SequenceLog } from './sequence.ts';
import { ROOT_CONTEXT_ID, type PluginVm } from './vm.ts';

/** One body chunk as its sender sends it: its bytes, `afterMs` after the previous chunk (the first: after the headers). */
export interface BodyChunk {
  bytes: Uint8Array;
  afterMs: number;
}

/** A request or response as its sender sends it. */
export interface Message {
  headers: Pairs;
  chunks: BodyChunk[];
  /** Empty when the message has no trailers. */
  trailers: Pairs;
  /** Whether the scenario wrote the body as a list of chunks (outcomes then list the chunks). */
  isChunked: boolean;
}

/** What the mock upstream (or a cluster) answers: a message and its status. */
export interface UpstreamReply extends Message {
  status: number;
}

/** A chunk as it was passed on, at a virtual time in milliseconds from the scenario start. */
export interface TimedChunk {
  at: number;
  bytes: Uint8Array;
}

/** What the stream needs from the gateway. */
export interface StreamHost {
  vm: PluginVm;
  /** True for ABI 0_2_100, where a request-header StopIteration (1) still lets the body through. */
  isRealStopIteration: boolean;
  /** The mock upstream's reply to the request as the plugin left it. */
  upstream(request: { headers: Pairs; body: Uint8Array; trailers: Pairs }): UpstreamReply;
  builtinProperty(key: string): Uint8Array | undefined;
  /** Tells the gateway the stream has a deferred action to apply after the current callback. */
  onDeferredAction(stream: HttpStream): void;
  /** Called once, after on_delete. */
  onFinished(stream: HttpStream): void;
  /** Runs `work` for this stream `delayMs` of virtual time from now (a body chunk arriving). */
  later(delayMs: number, work: () => void): void;
  /** Virtual milliseconds since the scenario started. */
  nowMs(): number;
  /** The gateway's per-stream buffer limit in bytes, until the plugin sets its own. */
  bufferLimit: number;
  /** Where the request's call sequence goes, when the run is traced. */
  sequence?: SequenceLog | null;
}

/** Where a paused stream waits, for resume and for the stall hint. */
export type PausePoint =
  | 'request-headers' | 'request-body' | 'request-trailers'
  | 'response-headers' | 'response-body' | 'response-trailers';

export interface UpstreamRequestRecord {
  headers: Pairs;
  body: Uint8Array;
  chunks: TimedChunk[];
  trailers: Pairs;
  isChunked: boolean;
}

export interface StreamResult {
  status: number;
  headers: Pairs;
  body: Uint8Array;
  /** The body as the client received it, chunk by chunk. */
  chunks: TimedChunk[];
  trailers: Pairs;
  /** Whether the response came in chunks (the outcome then lists them). */
  isChunked: boolean;
  source: 'plugin' | 'upstream' | 'gateway';
  /** Headers as they left the upstream or the local reply, before response callbacks changed them. */
  originalHeaders: Pairs;
  upstreamRequest: UpstreamRequestRecord | null;
  reset?: boolean;
  /** What went wrong on the gateway's side (a buffer limit, a late local reply). */
  error?: OutcomeError;
}

type SideName = 'request' | 'response';

/** One direction of the stream as this filter sees it. */
class Side {
  readonly name: SideName;
  readonly headers: HeaderMap;
  trailers: HeaderMap | null;
  readonly hasBody: boolean;
  readonly hasTrailers: boolean;
  readonly isChunked: boolean;
  /** How the headers callback held the stream: not at all, a real StopIteration, or StopAll (the host holds the body). */
  hold: 'none' | 'stop' | 'stop-all' | 'stop-all-buffer' = 'none';
  isHeadersPassed = false;
  /** Body the host holds while the headers are stopped (StopAll…), and whether its end or trailers came. */
  held = new BodyBuffer();
  isHeldEnd = false;
  isHeldTrailers = false;
  /** What the plugin's body callback sees: the chunk, or all it buffered (StopIterationAndBuffer). */
  buffer = new BodyBuffer();
  /**
   * Chunks a StopIterationAndWatermark kept back: Envoy holds them and passes them on with the next
   * Continue, but only StopIterationAndBuffer hands them to the plugin again; under Watermark the
   * next body callback sees its own chunk (Envoy's Context::decodeData buffers for Buffer only).
   */
  kept: Uint8Array[] = [];
  mode: 'stream' | 'buffer' | 'watermark' = 'stream';
  /** The plugin's body or trailers callback has seen the end of this direction. */
  hasSeenEnd = false;
  /** Body passed on: to the upstream (request) or to the client (response). */
  readonly out: TimedChunk[] = [];
  isEnded = false;
  /** Replaced (a local reply) or abandoned (the stream ended): late chunks of it are dropped. */
  isClosed = false;

  constructor(name: SideName, message: Message) {
    this.name = name;
    this.headers = new HeaderMap(message.headers);
    this.trailers = message.trailers.length > 0 ? new HeaderMap(message.trailers) : null;
    this.hasBody = message.chunks.length > 0;
    this.hasTrailers = message.trailers.length > 0;
    this.isChunked = message.isChunked;
  }
}

type Phase = 'new' | 'request' | 'response' | 'finished';

export class HttpStream implements StreamAccess {
  readonly id: number;
  /** Made on the first proxy_set_property: most streams never set one. */
  #setProperties: Map<string, Uint8Array> | null = null;
  readonly #host: StreamHost;
  readonly #requestMessage: Message;
  readonly #request: Side;
  #response: Side | null = null;
  #phase: Phase = 'new';
  #pausedAt: PausePoint | null = null;
  /** The status the paused callback returned, for the stall hint. */
  #pausedWith = 0;
  #pending: { continueRequest?: boolean; continueResponse?: boolean; localReply?: LocalReply; close?: boolean; endResponse?: boolean } = {};
  /** The body/headers/trailers callback running now (three fields rather than an object per callback). */
  #callbackSide: SideName | null = null;
  #callbackKind: CallbackKind | null = null;
  #callbackIsEnd = false;
  #hasSentLocalReply = false;
  #source: StreamResult['source'] = 'upstream';
  #result: StreamResult | null = null;
  #upstreamRequest: UpstreamRequestRecord | null = null;
  #originalResponseHeaders: Pairs = [];
  /** The gateway's own error to report when the stream ends (a request over the buffer limit). */
  #errorOnFinish: OutcomeError | undefined;

  constructor(id: number, request: Message, host: StreamHost) {
    this.id = id;
    this.#host = host;
    this.#requestMessage = request;
    this.#request = new Side('request', request);
  }

  /** Per-stream property store written by proxy_set_property. */
  get setProperties(): Map<string, Uint8Array> {
    return (this.#setProperties ??= new Map());
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

  /** Creates the context, runs proxy_on_request_headers and lets the request body flow in. */
  start(): void {
    this.#phase = 'request';
    this.#host.vm.attachStream(this);
    this.#call('proxy_on_context_create', [this.id, ROOT_CONTEXT_ID]);
    this.#open(this.#request, this.#requestMessage);
  }

  // ── one side: headers, then its chunks as they arrive ─────────────────────────────────────

  #open(side: Side, message: Message): void {
    this.#onHeaders(side);
    if (side.isClosed || side.isEnded || (!side.hasBody && !side.hasTrailers)) return;
    // Chunks due now arrive at once, in order; from the first one due later on, they (and the
    // trailers after them) are events on the timeline. No closure is made for a chunk due now.
    const chunks = message.chunks;
    const last = chunks.length - 1;
    let delayMs = 0;
    let isScheduling = false;
    for (let i = 0; i <= last; i++) {
      const chunk = chunks[i]!;
      delayMs += chunk.afterMs;
      if (delayMs > 0) isScheduling = true;
      const isEnd = i === last && !side.hasTrailers;
      if (isScheduling) {
        this.#host.later(delayMs, () => {
          if (this.#isReceiving(side)) this.#receiveData(side, chunk.bytes, isEnd);
        });
      } else if (this.#isReceiving(side)) {
        this.#receiveData(side, chunk.bytes, isEnd);
      }
    }
    if (!side.hasTrailers) return;
    if (isScheduling || delayMs > 0) {
      this.#host.later(delayMs, () => {
        if (this.#isReceiving(side)) this.#receiveTrailers(side);
      });
    } else if (this.#isReceiving(side)) {
      this.#receiveTrailers(side);
    }
  }

  /** Whether what arrives for this side now still goes anywhere. */
  #isReceiving(side: Side): boolean {
    return !side.isClosed && !side.isEnded && this.#phase !== 'finished';
  }

  #onHeaders(side: Side): void {
    const isEnd = !side.hasBody && !side.hasTrailers;
    const name = side.name === 'request' ? 'proxy_on_request_headers' : 'proxy_on_response_headers';
    let status = this.#callFor(side, 'headers', isEnd, name, [this.id, side.headers.size, isEnd ? 1 : 0]);
    if (this.#afterCallback()) return;
    // §8.1: outside ABI 0_2_100, and always for response headers, StopIteration stops everything.
    const isRealStop = side.name === 'request' && this.#host.isRealStopIteration;
    if (status === HeaderStatus.StopIteration && !isRealStop) status = HeaderStatus.StopAllIterationAndWatermark;
    if (status > HeaderStatus.StopAllIterationAndWatermark) status = HeaderStatus.StopAllIterationAndWatermark;
    if (this.#takeContinue(side)) status = HeaderStatus.Continue;
    // Envoy's Wasm filter maps every header status it does not name, ContinueAndEndStream
    // included, to Continue (convertFilterHeadersStatus in its context.cc): the body still follows.
    if (status === HeaderStatus.Continue || status === HeaderStatus.ContinueAndEndStream) {
      this.#passHeaders(side);
      if (isEnd) this.#endSide(side);
      return;
    }
    side.hold = status === HeaderStatus.StopIteration ? 'stop' : status === HeaderStatus.StopAllIterationAndBuffer ? 'stop-all-buffer' : 'stop-all';
    this.#pause(`${side.name}-headers`, status);
  }

  #receiveData(side: Side, bytes: Uint8Array, isEnd: boolean): void {
    const log = this.#host.sequence;
    if (log) log.passChunk(side.name, isEnd, () => this.#takeData(side, bytes, isEnd));
    else this.#takeData(side, bytes, isEnd);
  }

  #takeData(side: Side, bytes: Uint8Array, isEnd: boolean): void {
    // A local reply's body comes from the plugin, whose local-reply step already says so.
    if (side.name === 'request' || this.#source === 'upstream') {
      this.#host.sequence?.add({ from: side.name === 'request' ? 'client' : 'upstream', to: 'gateway', kind: 'chunk', ...chunkLabel(bytes), direction: side.name });
    }
    if (!side.isHeadersPassed && side.hold !== 'stop') {
      // StopAll: Envoy buffers the body without calling this filter (§8.1).
      side.held.append(bytes);
      side.isHeldEnd = isEnd;
      if (side.hold === 'stop-all-buffer' && side.held.length > this.#bufferLimit(side)) this.#overflow(side, 'HeaderStopAllIterationAndBuffer');
      return;
    }
    this.#deliverData(side, bytes, isEnd);
  }

  #deliverData(side: Side, bytes: Uint8Array, isEnd: boolean): void {
    if (side.mode === 'buffer') side.buffer.append(bytes);
    else {
      if (side.mode === 'watermark') side.kept.push(side.buffer.bytes);
      side.buffer = new BodyBuffer(bytes);
    }
    // Envoy adds a chunk to what the filter buffered before calling it, so the limit trips first.
    if (side.mode === 'buffer' && side.buffer.length > this.#bufferLimit(side)) return this.#overflow(side, 'DataStopIterationAndBuffer');
    const name = side.name === 'request' ? 'proxy_on_request_body' : 'proxy_on_response_body';
    let status = this.#callFor(side, 'body', isEnd, name, [this.id, side.buffer.length, isEnd ? 1 : 0]);
    if (this.#afterCallback()) return;
    if (status > DataStatus.StopIterationNoBuffer) status = DataStatus.StopIterationNoBuffer;
    if (this.#takeContinue(side)) status = DataStatus.Continue;
    if (isEnd) side.hasSeenEnd = true;
    if (status === DataStatus.Continue) {
      side.mode = 'stream';
      if (!side.isHeadersPassed) this.#passHeaders(side);
      this.#forward(side);
      if (isEnd) this.#endSide(side);
      return;
    }
    if (status === DataStatus.StopIterationNoBuffer) {
      // The plugin owns the chunk now; Envoy forgets it.
      side.buffer = new BodyBuffer();
      side.mode = 'stream';
    } else {
      side.mode = status === DataStatus.StopIterationAndBuffer ? 'buffer' : 'watermark';
      if (side.mode === 'buffer' && side.buffer.length > this.#bufferLimit(side)) return this.#overflow(side, 'DataStopIterationAndBuffer');
    }
    if (isEnd) this.#pause(`${side.name}-body`, status);
  }

  #receiveTrailers(side: Side): void {
    if (!side.isHeadersPassed && side.hold !== 'stop') {
      side.isHeldTrailers = true;
      return;
    }
    this.#deliverTrailers(side);
  }

  #deliverTrailers(side: Side): void {
    const name = side.name === 'request' ? 'proxy_on_request_trailers' : 'proxy_on_response_trailers';
    let status = this.#callFor(side, 'trailers', true, name, [this.id, side.trailers?.size ?? 0]);
    if (this.#afterCallback()) return;
    if (this.#takeContinue(side)) status = 0;
    side.hasSeenEnd = true;
    if (status === 0) {
      if (!side.isHeadersPassed) this.#passHeaders(side);
      this.#forward(side);
      return this.#endSide(side);
    }
    this.#pause(`${side.name}-trailers`, status);
  }

  /** proxy_continue_stream, applied: release held headers, hand over what the host held, pass on what the plugin buffered. */
  #continueSide(side: Side): void {
    if (side.isEnded || side.isClosed) return;
    if (this.#pausedAt?.startsWith(side.name)) this.#pausedAt = null;
    if (!side.isHeadersPassed) {
      const hold = side.hold;
      this.#passHeaders(side);
      if (hold !== 'stop') {
        if (!side.hasBody && !side.hasTrailers) return this.#endSide(side);
        // After StopAll Envoy now delivers the held body to this filter (§8.1).
        const held = side.held.bytes;
        side.held = new BodyBuffer();
        if (held.length > 0 || side.isHeldEnd) this.#deliverData(side, held, side.isHeldEnd);
        if (side.isHeldTrailers && !side.isEnded && !side.isClosed && this.#phase !== 'finished') this.#deliverTrailers(side);
        return;
      }
    }
    side.mode = 'stream';
    this.#forward(side);
    if (side.hasSeenEnd) this.#endSide(side);
  }

  #passHeaders(side: Side): void {
    side.hold = 'none';
    side.isHeadersPassed = true;
    if (this.#pausedAt === (side.name === 'request' ? 'request-headers' : 'response-headers')) this.#pausedAt = null;
    // Request headers that pass go upstream then, the body after them; response headers reach the client.
    const headers = side.headers;
    if (side.name === 'request') {
      this.#host.sequence?.add({ from: 'gateway', to: 'upstream', kind: 'upstream-request', label: `${headers.get(':method') ?? ''} ${headers.get(':path') ?? ''}` });
    } else {
      this.#host.sequence?.add({ from: 'gateway', to: 'client', kind: 'response', label: headers.get(':status') ?? '' });
    }
  }

  /** Passes on what the plugin's buffer holds: to the upstream, or to the client. */
  #forward(side: Side): void {
    const bytes = side.kept.length > 0 ? joinChunks([...side.kept, side.buffer.bytes].map((b) => ({ bytes: b }))) : side.buffer.bytes;
    side.buffer = new BodyBuffer();
    if (side.kept.length > 0) side.kept = [];
    if (bytes.length === 0) return;
    side.out.push({ at: this.#host.nowMs(), bytes });
    this.#host.sequence?.add({ from: 'gateway', to: side.name === 'request' ? 'upstream' : 'client', kind: 'chunk', ...chunkLabel(bytes), direction: side.name });
  }

  #endSide(side: Side): void {
    if (side.isEnded) return;
    side.isEnded = true;
    if (this.#pausedAt?.startsWith(side.name)) this.#pausedAt = null;
    if (side.name === 'request') this.#forwardUpstream();
    else this.#finish();
  }

  #bufferLimit(side: Side): number {
    const key = side.name === 'request' ? 'set_decoder_buffer_limit' : 'set_encoder_buffer_limit';
    const value = this.#setProperties?.get(key);
    const limit = value === undefined ? NaN : Number(fromUtf8(value));
    return Number.isInteger(limit) && limit > 0 ? limit : this.#host.bufferLimit;
  }

  /**
   * A buffered body grew past the limit. Envoy answers a request with 413 through the response
   * callbacks; a response with 500 while its headers are still held, else it resets the stream.
   */
  #overflow(side: Side, status: string): void {
    const limit = this.#bufferLimit(side);
    const setter = side.name === 'request' ? 'SetRequestBodyBufferLimit' : 'SetResponseBodyBufferLimit';
    const streaming = side.name === 'request' ? 'ProcessStreamingRequestBody' : 'ProcessStreamingResponseBody';
    const error: OutcomeError = {
      kind: 'buffer-limit',
      message: `the ${side.name} body grew past the ${limit}-byte buffer limit while the plugin held it (${status})`,
      hint: `raise the limit with ctx.${setter}(n) before the body arrives, or handle the body chunk by chunk (${streaming})`,
    };
    this.#host.sequence?.add({ from: 'gateway', to: 'client', kind: 'error', label: error.kind });
    side.isClosed = true;
    if (side.name === 'request') {
      this.#source = 'gateway';
      this.#errorOnFinish = error;
      return this.#startResponse(localReplyMessage({ status: 413, body: utf8('Payload Too Large'), headers: [] }), true);
    }
    if (side.isHeadersPassed) {
      error.message += '; its headers had already gone to the client, so Envoy reset the stream';
      return this.#finish({ isReset: true, error });
    }
    this.#replyDirect({ status: 500, body: utf8('Internal Server Error'), headers: [] }, 'gateway', error);
  }

  // ── upstream ───────────────────────────────────────────────────────────────────────────────

  #forwardUpstream(): void {
    const side = this.#request;
    const headers = side.headers.pairs();
    const body = joinChunks(side.out);
    const trailers = side.trailers?.pairs() ?? [];
    this.#upstreamRequest = { headers, body, chunks: side.out, trailers, isChunked: side.isChunked || side.out.length > 1 };
    const reply = this.#host.upstream({ headers, body, trailers });
    this.#host.sequence?.add({ from: 'upstream', to: 'gateway', kind: 'upstream-response', label: String(reply.status) });
    const responseHeaders: Pairs = [[':status', String(reply.status)]];
    for (let i = 0; i < reply.headers.length; i++) responseHeaders.push(reply.headers[i]!);
    this.#startResponse({ headers: responseHeaders, chunks: reply.chunks, trailers: reply.trailers, isChunked: reply.isChunked });
  }

  /**
   * Starts the response phase. What the response had before the plugin touched it is kept for
   * highlighting its changes: of a local reply, only what Envoy adds counts as original.
   */
  #startResponse(message: Message, isLocal = false): void {
    this.#request.isClosed = true;
    this.#phase = 'response';
    this.#originalResponseHeaders = isLocal
      ? message.headers.filter((pair) => pair[0] === ':status' || pair[0] === 'content-length' || pair[0] === 'content-type')
      : message.headers;
    this.#response = new Side('response', message);
    this.#open(this.#response, message);
  }

  // ── end: log → done → delete (Envoy runs on_log first, §7.2) ─────────────────────────────

  #finish(end: { isReset?: boolean; error?: OutcomeError } = {}): void {
    if (this.#phase === 'finished') return;
    const side = this.#response;
    const isSent = side?.isHeadersPassed ?? false;
    const chunks = side?.out ?? [];
    const error = end.error ?? this.#errorOnFinish;
    const result: StreamResult = {
      status: isSent ? Number(side!.headers.get(':status') ?? 0) : 0,
      headers: isSent ? side!.headers.pairsWithout(':status') : [],
      body: joinChunks(chunks),
      chunks,
      trailers: side?.isEnded ? side.trailers?.pairs() ?? [] : [],
      isChunked: (side?.isChunked ?? false) || chunks.length > 1,
      source: this.#source,
      originalHeaders: withoutStatus(this.#originalResponseHeaders),
      upstreamRequest: this.#upstreamRequest,
    };
    if (end.isReset) result.reset = true;
    if (error) result.error = error;
    this.#result = result;
    if (side) side.isClosed = true;
    if (end.isReset) this.#host.sequence?.add({ from: 'gateway', to: 'client', kind: 'response', label: 'reset' });
    this.#end();
  }

  /** Ends the stream without another plugin callback for the response (stall, fault). */
  abort(result: Pick<StreamResult, 'status' | 'headers' | 'body' | 'source'>, runTeardown: boolean): void {
    if (this.#phase === 'finished') return;
    const chunks = result.body.length > 0 ? [{ at: this.#host.nowMs(), bytes: result.body }] : [];
    this.#result = { ...result, chunks, trailers: [], isChunked: false, originalHeaders: result.headers, upstreamRequest: this.#upstreamRequest };
    // Status 0: the client got nothing (the gateway's error step says why).
    if (result.status > 0) this.#host.sequence?.add({ from: 'gateway', to: 'client', kind: 'response', label: String(result.status) });
    if (result.body.length > 0) this.#host.sequence?.add({ from: 'gateway', to: 'client', kind: 'chunk', ...chunkLabel(result.body), direction: 'response' });
    this.#request.isClosed = true;
    if (this.#response) this.#response.isClosed = true;
    if (runTeardown) this.#end();
    else this.#markFinished();
  }

  #end(): void {
    this.#pausedAt = null;
    this.#phase = 'finished';
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

  #takeContinue(side: Side): boolean {
    const key = side.name === 'request' ? 'continueRequest' : 'continueResponse';
    if (!this.#pending[key]) return false;
    this.#pending[key] = false;
    return true;
  }

  /** Applies what the plugin queued from another callback (a callout reply, a tick). */
  applyDeferred(): void {
    if (this.#phase === 'finished' || this.#afterCallback()) return;
    if (this.#pending.continueRequest) {
      this.#pending.continueRequest = false;
      if (this.#phase === 'request') this.#continueSide(this.#request);
    }
    if (this.#pending.continueResponse) {
      this.#pending.continueResponse = false;
      if (this.#phase === 'response' && this.#response) this.#continueSide(this.#response);
    }
  }

  /** After any callback: a local reply, a reset or an injected end changes the stream's course; true when it did. */
  #afterCallback(): boolean {
    if (this.#phase === 'finished') return true;
    const reply = this.#pending.localReply;
    if (reply) {
      this.#pending = {};
      this.#pausedAt = null;
      // A local reply queued while decoding answers the request through the response callbacks
      // (§8.5); raised while encoding it goes straight downstream.
      if (this.#phase === 'request') {
        this.#source = 'plugin';
        this.#startResponse(localReplyMessage(reply), true);
      } else {
        this.#replyDirect(reply, 'plugin');
      }
      return true;
    }
    if (this.#pending.close) {
      this.#pending = {};
      this.#finish({ isReset: true });
      return true;
    }
    if (this.#pending.endResponse && this.#response) {
      this.#pending.endResponse = false;
      this.#response.isEnded = true;
      this.#finish();
      return true;
    }
    return false;
  }

  /** A reply raised while encoding: sent as is while the response headers are still held, else Envoy can only reset. */
  #replyDirect(reply: Pick<LocalReply, 'status' | 'body' | 'headers'>, source: StreamResult['source'], error?: OutcomeError): void {
    const current = this.#response;
    if (current?.isHeadersPassed) {
      return this.#finish({
        isReset: true,
        error: error ?? {
          kind: 'stream-reset',
          message: `the plugin sent a ${reply.status} local reply after the response headers had gone to the client, so Envoy reset the stream`,
          hint: 'decide on a local reply in onHttpResponseHeaders, before returning Continue',
        },
      });
    }
    if (current) current.isClosed = true;
    this.#source = source;
    const side = new Side('response', localReplyMessage(reply));
    side.isHeadersPassed = true;
    this.#host.sequence?.add({ from: 'gateway', to: 'client', kind: 'response', label: String(reply.status) });
    if (reply.body.length > 0) {
      side.out.push({ at: this.#host.nowMs(), bytes: reply.body });
      this.#host.sequence?.add({ from: 'gateway', to: 'client', kind: 'chunk', ...chunkLabel(reply.body), direction: 'response' });
    }
    side.isEnded = true;
    this.#response = side;
    this.#finish(error ? { error } : {});
  }

  #callFor(side: Side, kind: CallbackKind, isEnd: boolean, name: string, args: number[]): number {
    this.#callbackSide = side.name;
    this.#callbackKind = kind;
    this.#callbackIsEnd = isEnd;
    let status: number;
    try {
      status = this.#call(name, args, side.name);
    } finally {
      this.#callbackSide = null;
      this.#callbackKind = null;
      this.#callbackIsEnd = false;
    }
    // What the plugin returned, before the host maps it (e.g. StopIteration read as StopAll outside ABI 0_2_100).
    this.#host.sequence?.add({ from: 'plugin', to: 'gateway', kind: 'return', label: actionName(kind, status), direction: side.name, paused: isPausing(kind, status) });
    return status;
  }

  #call(name: string, args: number[], direction?: SideName): number {
    // Context creation and deletion are bookkeeping, not steps worth drawing.
    if (name !== 'proxy_on_context_create' && name !== 'proxy_on_delete') {
      this.#host.sequence?.add({ from: 'gateway', to: 'plugin', kind: 'callback', label: name, ...(direction ? { direction } : {}) });
    }
    return this.#host.vm.invoke(name, args, this.id);
  }

  #side(name: SideName): Side | null {
    return name === 'request' ? this.#request : this.#response;
  }

  // ── StreamAccess: what host functions see ────────────────────────────────────────────────

  headerMap(kind: 'request' | 'response' | 'request-trailers' | 'response-trailers'): HeaderMap | 'unavailable' {
    if (kind === 'request') return this.#request.headers;
    if (kind === 'response') return this.#response?.headers ?? 'unavailable';
    const side = this.#side(kind === 'request-trailers' ? 'request' : 'response');
    if (!side) return 'unavailable';
    // In the body callback of the last chunk a message without trailers may get some (§8.3).
    if (!side.trailers && this.#isCallback(side.name, 'body') && this.#callbackIsEnd) side.trailers = new HeaderMap();
    return side.trailers ?? 'unavailable';
  }

  isMapMutable(kind: 'request' | 'response' | 'request-trailers' | 'response-trailers'): boolean {
    if (kind === 'request') return this.#phase === 'request' && !this.#request.isHeadersPassed;
    if (kind === 'response') return this.#phase === 'response' && !!this.#response && !this.#response.isHeadersPassed;
    const name = kind === 'request-trailers' ? 'request' : 'response';
    return this.#isCallback(name, 'trailers') || (this.#isCallback(name, 'body') && this.#callbackIsEnd);
  }

  #isCallback(side: SideName, kind: CallbackKind): boolean {
    return this.#callbackSide === side && this.#callbackKind === kind;
  }

  /** The body in its callbacks, or while the plugin buffers it (Envoy's buffered body); else none (§8.4). */
  body(kind: 'request' | 'response'): BodyBuffer | null {
    const side = this.#side(kind);
    if (!side || side.isClosed || this.#phase === 'finished' || (kind === 'request' && this.#phase !== 'request')) return null;
    if (this.#isCallback(kind, 'body')) return side.buffer;
    return side.mode !== 'stream' ? side.buffer : null;
  }

  continueStream(direction: 'request' | 'response'): WasmResult {
    // Drawn when called; the stream moves on once the current callback has returned.
    this.#host.sequence?.add({ from: 'plugin', to: 'gateway', kind: 'resume', label: `resume ${direction}`, direction });
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
    this.#host.sequence?.add({ from: 'plugin', to: 'gateway', kind: 'local-reply', label: String(reply.status) });
    this.#pending.localReply = reply;
    this.#host.onDeferredAction(this);
    return WasmResult.Ok;
  }

  /**
   * Higress's proxy_inject_encoded_data_to_filter_chain: response bytes go to the filters after
   * this one, i.e. to the client, at once; with `isEnd` the response ends after the callback.
   */
  injectEncodedData(bytes: Uint8Array, isEnd: boolean): WasmResult {
    const side = this.#response;
    if (this.#phase !== 'response' || !side || !side.isHeadersPassed || side.isEnded) return WasmResult.BadArgument;
    if (bytes.length > 0) {
      side.out.push({ at: this.#host.nowMs(), bytes: bytes.slice() });
      this.#host.sequence?.add({ from: 'gateway', to: 'client', kind: 'chunk', ...chunkLabel(bytes), direction: 'response' });
    }
    if (isEnd) {
      this.#pending.endResponse = true;
      this.#host.onDeferredAction(this);
    }
    return WasmResult.Ok;
  }

  builtinProperty(key: string): Uint8Array | undefined {
    const status = key === 'response.code' ? this.#response?.headers.get(':status') : undefined;
    if (status !== undefined) {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigInt64(0, BigInt(status), true);
      return out;
    }
    return this.#host.builtinProperty(key);
  }
}

/** The headers Envoy puts on a local reply: :status, the plugin's (lower-case), content-length, content-type for text. */
export function localReplyHeaders(reply: Pick<LocalReply, 'status' | 'body' | 'headers'>): Pairs {
  const headers = new HeaderMap([[':status', String(reply.status)], ...reply.headers]);
  headers.replace('content-length', String(reply.body.length));
  if (reply.body.length > 0 && !headers.has('content-type')) headers.add('content-type', 'text/plain');
  return headers.pairs();
}

function localReplyMessage(reply: Pick<LocalReply, 'status' | 'body' | 'headers'>): Message {
  return { headers: localReplyHeaders(reply), chunks: reply.body.length > 0 ? [{ bytes: reply.body, afterMs: 0 }] : [], trailers: [], isChunked: false };
}

/** The pairs other than `:status` (a new array; the pairs themselves are shared). */
function withoutStatus(pairs: Pairs): Pairs {
  const out: Pairs = [];
  for (let i = 0; i < pairs.length; i++) if (pairs[i]![0] !== ':status') out.push(pairs[i]!);
  return out;
}

/** A chunk step's label and size in the call sequence. */
function chunkLabel(bytes: Uint8Array): { label: string; bytes: number } {
  return { label: `${bytes.length} byte${bytes.length === 1 ? '' : 's'}`, bytes: bytes.length };
}

/** The chunks' bytes joined into one body. */
export function joinChunks(chunks: ReadonlyArray<{ bytes: Uint8Array }>): Uint8Array {
  if (chunks.length === 1) return chunks[0]!.bytes;
  if (chunks.length === 0) return EMPTY_BYTES;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.bytes.length, 0));
  let offset = 0;
  for (const { bytes } of chunks) {
    out.set(bytes, offset);
    offset += bytes.length;
  }
  return out;
}
