/**
 * The WASI preview1 subset a Go ≥ 1.24 reactor calls (reference/host-abi.md §3.5–3.6, §12).
 * Three answers the Go runtime cannot survive getting wrong: fd_prestat_get → EBADF (ends the
 * preopen scan), sched_yield → 0, poll_oneoff → 0. stdout/stderr become log lines; time comes from
 * the run's virtual clock; random bytes from a seeded generator so runs repeat exactly.
 */
import { Errno } from './abi/enums.ts';
import { GuestMemory, utf8 } from './abi/memory.ts';
import type { VirtualClock } from './clock.ts';

/** Thrown by proc_exit to unwind the guest call; the VM is dead afterwards. */
export class ProcExit extends Error {
  readonly kind = 'proc-exit';
  readonly code: number;
  constructor(code: number) {
    super(`the plugin called proc_exit(${code})`);
    this.code = code;
  }
}

export interface WasiOptions {
  clock: VirtualClock;
  /** Receives each complete line written to fd 1 or 2. */
  onOutput(fd: 1 | 2, line: string): void;
  /** The plugin's environment, e.g. WASM_DISABLE_PANIC_RECOVERY=true; never the host's. */
  env?: Record<string, string>;
  /** Seed of the random_get generator. */
  randomSeed?: number;
}

export type WasiFunction = (...args: never[]) => number;

/** Splits bytes written to a stream into lines, keeping a partial last line until it completes. */
class LineBuffer {
  #pending = '';
  readonly #emit: (line: string) => void;
  constructor(emit: (line: string) => void) {
    this.#emit = emit;
  }
  write(text: string): void {
    const parts = (this.#pending + text).split('\n');
    this.#pending = parts.pop() ?? '';
    for (const line of parts) this.#emit(line);
  }
  flush(): void {
    if (this.#pending) this.#emit(this.#pending);
    this.#pending = '';
  }
}

/** xorshift32: tiny, fast, and deterministic for a given seed. */
function makeRandom(seed: number): (out: Uint8Array, at: number, len: number) => void {
  let state = seed >>> 0 || 0x9e3779b9;
  return (out, at, len) => {
    for (let i = at; i < at + len; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      out[i] = state & 0xff;
    }
  };
}

export interface Wasi {
  /** The implemented functions, keyed by their WASI names. */
  functions: Record<string, WasiFunction>;
  /** Emits partial lines still buffered on stdout/stderr (call after a trap). */
  flush(): void;
}

/** Builds the WASI functions over a guest memory that is bound later (after instantiation). */
export function createWasi(getMemory: () => GuestMemory, options: WasiOptions): Wasi {
  const { clock } = options;
  const streams = {
    1: new LineBuffer((line) => options.onOutput(1, line)),
    2: new LineBuffer((line) => options.onOutput(2, line)),
  };
  const environ = Object.entries(options.env ?? {}).map(([k, v]) => utf8(`${k}=${v}\0`));
  const fillRandom = makeRandom(options.randomSeed ?? 1);
  const decoder = new TextDecoder();

  const functions: Record<string, WasiFunction> = {
    args_sizes_get(argcOut: number, bufSizeOut: number): number {
      const m = getMemory();
      return m.writeU32(argcOut, 0) && m.writeU32(bufSizeOut, 0) ? Errno.Success : Errno.Fault;
    },
    args_get(): number {
      return Errno.Success;
    },
    environ_sizes_get(countOut: number, bufSizeOut: number): number {
      const m = getMemory();
      const size = environ.reduce((n, e) => n + e.length, 0);
      return m.writeU32(countOut, environ.length) && m.writeU32(bufSizeOut, size) ? Errno.Success : Errno.Fault;
    },
    environ_get(pointers: number, buffer: number): number {
      const m = getMemory();
      let at = buffer >>> 0;
      for (const [i, entry] of environ.entries()) {
        if (!m.writeU32((pointers >>> 0) + i * 4, at) || !m.write(at, entry)) return Errno.Fault;
        at += entry.length;
      }
      return Errno.Success;
    },
    clock_time_get(id: number, _precision: bigint, timeOut: number): number {
      if (id !== 0 && id !== 1) return Errno.Notsup;
      const ns = id === 0 ? clock.readRealtimeNs() : clock.readMonotonicNs();
      return getMemory().writeU64(timeOut, ns) ? Errno.Success : Errno.Fault;
    },
    clock_res_get(id: number, resOut: number): number {
      if (id !== 0 && id !== 1) return Errno.Notsup;
      return getMemory().writeU64(resOut, 1n) ? Errno.Success : Errno.Fault;
    },
    fd_write(fd: number, iovs: number, iovsLen: number, nwrittenOut: number): number {
      if (fd !== 1 && fd !== 2) return Errno.Badf;
      const m = getMemory();
      let written = 0;
      let text = '';
      for (let i = 0; i < iovsLen; i++) {
        const base = m.readU32((iovs >>> 0) + i * 8);
        const len = m.readU32((iovs >>> 0) + i * 8 + 4);
        if (base === null || len === null) return Errno.Fault;
        const bytes = m.read(base, len);
        if (bytes === null) return Errno.Fault;
        text += decoder.decode(bytes, { stream: true });
        written += len;
      }
      streams[fd].write(text);
      return m.writeU32(nwrittenOut, written) ? Errno.Success : Errno.Fault;
    },
    random_get(buf: number, len: number): number {
      // Written where it goes; a range out of bounds faults at once, before any byte is generated.
      return getMemory().writeInPlace(buf, len, fillRandom) ? Errno.Success : Errno.Fault;
    },
    poll_oneoff(inPtr: number, outPtr: number, count: number, neventsOut: number): number {
      // Go's usleep: one relative monotonic clock subscription. Sleeping moves virtual time
      // instead of blocking, then reports each clock subscription as fired.
      const m = getMemory();
      let events = 0;
      let sleptNs = 0;
      for (let i = 0; i < count; i++) {
        const sub = (inPtr >>> 0) + i * 48;
        const userdata = m.readU64(sub);
        const tag = m.read(sub + 8, 1);
        if (userdata === null || tag === null) return Errno.Fault;
        if (tag[0] !== 0) continue;
        const timeout = m.readU64(sub + 24);
        const flags = m.read(sub + 40, 2);
        if (timeout === null || flags === null) return Errno.Fault;
        const isAbsolute = ((flags[0] ?? 0) & 1) === 1;
        const waitNs = isAbsolute ? Number(timeout) - clock.elapsedMs * 1e6 : Number(timeout);
        sleptNs = Math.max(sleptNs, waitNs);
        const event = (outPtr >>> 0) + events * 32;
        if (!m.write(event, new Uint8Array(32)) || !m.writeU64(event, userdata)) return Errno.Fault;
        events++;
      }
      clock.advanceByNs(sleptNs);
      return m.writeU32(neventsOut, events) ? Errno.Success : Errno.Fault;
    },
    sched_yield(): number {
      return Errno.Success;
    },
    proc_exit(code: number): number {
      throw new ProcExit(code);
    },
    fd_close(): number {
      return Errno.Success;
    },
    fd_fdstat_get(fd: number, out: number): number {
      if (fd >>> 0 > 2) return Errno.Badf;
      const stat = new Uint8Array(24);
      stat[0] = 2; // character device
      if (fd > 0) stat[8] = 64; // rights_base FD_WRITE, as cpp-host answers for stdout/stderr
      return getMemory().write(out, stat) ? Errno.Success : Errno.Fault;
    },
    fd_fdstat_set_flags(): number {
      return Errno.Success;
    },
    fd_prestat_get(): number {
      return Errno.Badf;
    },
    fd_prestat_dir_name(): number {
      return Errno.Badf;
    },
  };

  return {
    functions,
    flush() {
      streams[1].flush();
      streams[2].flush();
    },
  };
}
