/**
 * Which plugin callback is running right now, told by the thread that runs the VM to the thread
 * that watches it. The watchdog times only these guest calls: not worker start-up, downloads,
 * compilation, or the host waiting for Redis. Two carriers, one meaning:
 *  - a shared board (SharedArrayBuffer) where memory can be shared (Node, cross-origin-isolated
 *    pages): writing it costs a few atomic stores per call;
 *  - messages elsewhere (a plain static page has no SharedArrayBuffer): one per call start and end.
 */

/** The guest exports the host calls, so a board can name one with a small number. */
export const GUEST_CALLBACKS = [
  '_initialize',
  '_start',
  'proxy_on_context_create',
  'proxy_on_vm_start',
  'proxy_on_configure',
  'proxy_on_request_headers',
  'proxy_on_request_body',
  'proxy_on_request_trailers',
  'proxy_on_response_headers',
  'proxy_on_response_body',
  'proxy_on_response_trailers',
  'proxy_on_log',
  'proxy_on_done',
  'proxy_on_delete',
  'proxy_on_http_call_response',
  'proxy_on_redis_call_response',
  'proxy_on_grpc_receive',
  'proxy_on_grpc_close',
  'proxy_on_queue_ready',
  'proxy_on_tick',
  'proxy_on_foreign_function',
] as const;

/** One guest call as the watchdog sees it. */
export interface GuestCall {
  /** Counts calls, so the watchdog can tell a new call from a long one. */
  seq: number;
  /** The export being run, e.g. `proxy_on_request_headers`. */
  callback: string;
  /** The request it runs for (its index in arrival order), or -1 for start-up and timers. */
  request: number;
  /** When the call started: `performance.timeOrigin + performance.now()` of the VM's thread. */
  startedAt: number;
}

/** What the VM reports around every guest call. */
export interface GuestCallProbe {
  enter(callback: string, request: number): void;
  exit(): void;
}

/** The message a probe without shared memory posts (inside the run's own message stream). */
export type GuestCallMessage = { type: 'call'; call: GuestCall } | { type: 'call-end'; seq: number };

/** A clock both threads read alike: milliseconds since the epoch, sub-millisecond precise. */
export const sharedNow = (): number => performance.timeOrigin + performance.now();

// ── the shared board ─────────────────────────────────────────────────────────────────────────
// Int32 slots: 0 state (1 while in a call), 1 seq, 2 callback index, 3 request; Float64 slot 2
// (bytes 16–23): startedAt. The writer stores the fields, then seq and state with Atomics; the
// reader loads seq before and after the fields and retries when they differ.
const STATE = 0;
const SEQ = 1;
const CALLBACK = 2;
const REQUEST = 3;
const STARTED_AT = 2;
const CALL_BYTES = 24;
// After the call, a ring of the last RING_SLOTS requests, so a stuck call's request can be named
// without a message per request: each slot holds Int32 index (written last; -1 while being
// written), Int32 byte length, Float64 atMs, then "METHOD path" in UTF-8, cut to fit.
const RING_SLOTS = 64;
const SLOT_BYTES = 256;
const SLOT_TEXT = 16;
const BOARD_BYTES = CALL_BYTES + 8 + RING_SLOTS * SLOT_BYTES;

/** A board for one worker; pass it in the job, and read it with readBoard. */
export function createBoard(): SharedArrayBuffer {
  return new SharedArrayBuffer(BOARD_BYTES);
}

/** Where slot `i` of the request ring starts (8-byte aligned). */
const slotOffset = (i: number) => CALL_BYTES + 8 + (i % RING_SLOTS) * SLOT_BYTES;

/** The VM side of the request ring: tells the board which request arrived, a few stores per request. */
export function boardRequests(board: SharedArrayBuffer): (index: number, request: { method: string; path: string; atMs: number }) => void {
  const ints = new Int32Array(board);
  const floats = new Float64Array(board);
  const bytes = new Uint8Array(board);
  const encoder = new TextEncoder();
  // Browsers do not encode into shared memory: encode here, then copy.
  const scratch = new Uint8Array(SLOT_BYTES - SLOT_TEXT);
  return (index, { method, path, atMs }) => {
    const at = slotOffset(index);
    Atomics.store(ints, at / 4, -1);
    floats[at / 8 + 1] = atMs;
    const { written } = encoder.encodeInto(`${method} ${path}`, scratch);
    bytes.set(scratch.subarray(0, written), at + SLOT_TEXT);
    ints[at / 4 + 1] = written;
    Atomics.store(ints, at / 4, index);
  };
}

/** The request `index` as the ring last had it: undefined when it has been overwritten since (or never written). */
export function readBoardRequest(board: SharedArrayBuffer, index: number): { method: string; path: string; atMs: number } | undefined {
  if (index < 0) return undefined;
  const ints = new Int32Array(board);
  const at = slotOffset(index);
  if (Atomics.load(ints, at / 4) !== index) return undefined;
  const atMs = new Float64Array(board)[at / 8 + 1]!;
  // A copy: TextDecoder does not read shared memory.
  const text = new TextDecoder().decode(new Uint8Array(board, at + SLOT_TEXT, ints[at / 4 + 1]!).slice());
  if (Atomics.load(ints, at / 4) !== index) return undefined;
  const space = text.indexOf(' ');
  return { method: text.slice(0, space), path: text.slice(space + 1), atMs };
}

/** The VM side of a board: a few stores per call. */
export function boardProbe(board: SharedArrayBuffer): GuestCallProbe {
  const ints = new Int32Array(board, 0, 4);
  const floats = new Float64Array(board, 0, 3);
  let seq = 0;
  return {
    enter(callback, request) {
      seq++;
      Atomics.store(ints, STATE, 0);
      Atomics.store(ints, CALLBACK, callbackIndex(callback));
      Atomics.store(ints, REQUEST, request);
      floats[STARTED_AT] = sharedNow();
      Atomics.store(ints, SEQ, seq);
      Atomics.store(ints, STATE, 1);
    },
    exit() {
      Atomics.store(ints, STATE, 0);
    },
  };
}

/** The watching side of a board: the call in progress, or null between calls. */
export function readBoard(board: SharedArrayBuffer): GuestCall | null {
  const ints = new Int32Array(board, 0, 4);
  const floats = new Float64Array(board, 0, 3);
  for (;;) {
    const seq = Atomics.load(ints, SEQ);
    if (Atomics.load(ints, STATE) !== 1) return null;
    const call = { seq, callback: GUEST_CALLBACKS[Atomics.load(ints, CALLBACK)] ?? 'a plugin callback', request: Atomics.load(ints, REQUEST), startedAt: floats[STARTED_AT]! };
    if (Atomics.load(ints, SEQ) === seq && Atomics.load(ints, STATE) === 1) return call;
  }
}

/** The VM side without shared memory: posts each call's start and end. */
export function messageProbe(post: (message: GuestCallMessage) => void): GuestCallProbe {
  let seq = 0;
  return {
    enter(callback, request) {
      seq++;
      post({ type: 'call', call: { seq, callback, request, startedAt: sharedNow() } });
    },
    exit() {
      post({ type: 'call-end', seq });
    },
  };
}

/** Keeps the call in progress from a probe's messages, for the watchdog. */
export class MessageBoard {
  #call: GuestCall | null = null;

  receive(message: GuestCallMessage): void {
    if (message.type === 'call') this.#call = message.call;
    else if (this.#call?.seq === message.seq) this.#call = null;
  }

  read(): GuestCall | null {
    return this.#call;
  }
}

function callbackIndex(callback: string): number {
  const index = (GUEST_CALLBACKS as readonly string[]).indexOf(callback);
  return index < 0 ? GUEST_CALLBACKS.length : index;
}
