import { describe, expect, test } from 'vitest';
import { GuestMemory } from '../../../src/harness/abi/memory.ts';
import { VirtualClock } from '../../../src/harness/clock.ts';
import { createWasi, ProcExit, type WasiOptions } from '../../../src/harness/wasi.ts';
import { compileGuest, GUARD, RawMemory } from './wat-guest.ts';

/** The exports of guests/wasi.wat: one wrapper per imported WASI function, plus `now`. */
interface WasiGuest {
  memory: WebAssembly.Memory;
  args_sizes_get(argcOut: number, bufSizeOut: number): number;
  environ_sizes_get(countOut: number, bufSizeOut: number): number;
  environ_get(pointers: number, buffer: number): number;
  clock_time_get(id: number, precision: bigint, timeOut: number): number;
  fd_write(fd: number, iovs: number, iovsLen: number, nwrittenOut: number): number;
  fd_fdstat_get(fd: number, out: number): number;
  fd_prestat_get(fd: number, out: number): number;
  poll_oneoff(subscriptions: number, events: number, count: number, neventsOut: number): number;
  random_get(buf: number, len: number): number;
  sched_yield(): number;
  proc_exit(code: number): void;
  now(clockId: number): bigint;
}

const Errno = { Success: 0, Badf: 8, Fault: 21, Notsup: 58 } as const;
const PAGE = 65_536;
const START_UNIX_MS = 1_700_000_000_123;
const START_UNIX_NS = 1_700_000_000_123_000_000n;

const wasiModule = await compileGuest('wasi');

/** Instantiates the guest over a fresh createWasi, recording every output line. */
function startGuest(options: Partial<Omit<WasiOptions, 'onOutput'>> = {}) {
  const memory = new GuestMemory();
  const clock = options.clock ?? new VirtualClock(START_UNIX_MS);
  const lines: Array<[1 | 2, string]> = [];
  const wasi = createWasi(() => memory, { ...options, clock, onOutput: (fd, line) => lines.push([fd, line]) });
  const instance = new WebAssembly.Instance(wasiModule, { wasi_snapshot_preview1: wasi.functions });
  const guest = instance.exports as unknown as WasiGuest;
  memory.bind(guest.memory, () => 0);
  return { guest, raw: new RawMemory(guest.memory), lines, clock, wasi };
}

/** Lays out ciovecs at `at` (buf u32, buf_len u32 each) pointing at the given bytes. */
function putIovecs(raw: RawMemory, at: number, chunks: Array<[address: number, data: readonly number[] | string]>): void {
  chunks.forEach(([address, data], i) => {
    const bytes = typeof data === 'string' ? [...new TextEncoder().encode(data)] : data;
    raw.set(address, bytes);
    const entry = new DataView(new ArrayBuffer(8));
    entry.setUint32(0, address, true);
    entry.setUint32(4, bytes.length, true);
    raw.set(at + i * 8, new Uint8Array(entry.buffer));
  });
}

describe('createWasi', () => {
  test('fd_prestat_get returns EBADF, which ends the preopen scan at fd 3', () => {
    const { guest, raw } = startGuest();
    raw.fill(0, 16);
    expect(guest.fd_prestat_get(3, 4)).toBe(Errno.Badf);
    expect(guest.fd_prestat_get(4, 4)).toBe(Errno.Badf);
    expect(raw.bytes(0, 16)).toEqual([...GUARD, ...GUARD, ...GUARD, ...GUARD]);
  });

  test('sched_yield returns 0', () => {
    expect(startGuest().guest.sched_yield()).toBe(Errno.Success);
  });

  test('args_sizes_get writes no arguments and no bytes', () => {
    const { guest, raw } = startGuest();
    raw.fill(0, 16);
    expect(guest.args_sizes_get(4, 8)).toBe(Errno.Success);
    expect(raw.bytes(0, 16)).toEqual([
      ...GUARD,
      0x00, 0x00, 0x00, 0x00, // argc = 0
      0x00, 0x00, 0x00, 0x00, // argv_buf_size = 0
      ...GUARD,
    ]);
  });

  test('fd_fdstat_get describes stdout as a writable character device', () => {
    const { guest, raw } = startGuest();
    raw.fill(0, 32);
    expect(guest.fd_fdstat_get(1, 4)).toBe(Errno.Success);
    expect(raw.bytes(0, 32)).toEqual([
      ...GUARD,
      0x02,                                           // fs_filetype = character_device
      0x00,                                           // padding
      0x00, 0x00,                                     // fs_flags
      0x00, 0x00, 0x00, 0x00,                         // padding
      0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // fs_rights_base = FD_WRITE (64)
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // fs_rights_inheriting
      ...GUARD,
    ]);
  });

  test('fd_fdstat_get gives stdin no rights', () => {
    const { guest, raw } = startGuest();
    expect(guest.fd_fdstat_get(0, 0)).toBe(Errno.Success);
    expect(raw.bytes(0, 16)).toEqual([0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  test('fd_fdstat_get returns EBADF past stderr, including fd 0xffffffff', () => {
    const { guest, raw } = startGuest();
    raw.fill(0, 32);
    expect(guest.fd_fdstat_get(3, 4)).toBe(Errno.Badf);
    expect(guest.fd_fdstat_get(-1, 4)).toBe(Errno.Badf); // the i32 -1 is fd 0xffffffff
    expect(raw.bytes(0, 32)).toEqual(Array(32).fill(0xaa));
  });

  test.each<[string, (guest: WasiGuest) => number]>([
    ['args_sizes_get', (g) => g.args_sizes_get(PAGE - 2, 0)],
    ['environ_sizes_get', (g) => g.environ_sizes_get(0, PAGE)],
    ['environ_get', (g) => g.environ_get(PAGE - 2, 0x100)],
    ['environ_get string buffer', (g) => g.environ_get(0x10, PAGE - 3)],
    ['clock_time_get', (g) => g.clock_time_get(0, 1n, PAGE - 7)],
    ['fd_fdstat_get', (g) => g.fd_fdstat_get(1, PAGE - 23)],
    ['poll_oneoff subscriptions', (g) => g.poll_oneoff(PAGE - 40, 0x200, 1, 0x10)],
    ['poll_oneoff nevents', (g) => g.poll_oneoff(0x100, 0x200, 0, PAGE)],
    ['random_get', (g) => g.random_get(PAGE - 8, 16)],
    ['random_get of 0xffffffff bytes', (g) => g.random_get(0, -1)],
    ['fd_write nwritten', (g) => g.fd_write(1, 0x100, 0, PAGE - 1)],
  ])('%s returns EFAULT for a range outside memory', (_name, call) => {
    const { guest } = startGuest({ env: { A: 'b' } });
    expect(call(guest)).toBe(Errno.Fault);
  });
});

describe('fd_write', () => {
  test('joins the iovecs, emits each complete line on stdout and writes nwritten', () => {
    const { guest, raw, lines } = startGuest();
    putIovecs(raw, 0x100, [[0x200, 'hel'], [0x300, 'lo\nwor']]);
    raw.fill(0x10, 12);
    expect(guest.fd_write(1, 0x100, 2, 0x14)).toBe(Errno.Success);
    expect(raw.bytes(0x10, 12)).toEqual([
      ...GUARD,
      0x09, 0x00, 0x00, 0x00, // nwritten = 3 + 6
      ...GUARD,
    ]);
    expect(lines).toEqual([[1, 'hello']]);
  });

  test('holds a partial line until its newline arrives', () => {
    const { guest, raw, lines } = startGuest();
    putIovecs(raw, 0x100, [[0x200, 'wor']]);
    guest.fd_write(1, 0x100, 1, 0x10);
    expect(lines).toEqual([]);
    putIovecs(raw, 0x100, [[0x200, 'ld\nnext']]);
    guest.fd_write(1, 0x100, 1, 0x10);
    expect(lines).toEqual([[1, 'world']]);
  });

  test('flush emits the partial line once', () => {
    const { guest, raw, lines, wasi } = startGuest();
    putIovecs(raw, 0x100, [[0x200, 'panic: boom']]);
    guest.fd_write(2, 0x100, 1, 0x10);
    wasi.flush();
    wasi.flush();
    expect(lines).toEqual([[2, 'panic: boom']]);
  });

  test('keeps stdout and stderr lines apart', () => {
    const { guest, raw, lines } = startGuest();
    putIovecs(raw, 0x100, [[0x200, 'out\n']]);
    putIovecs(raw, 0x180, [[0x300, 'err\n']]);
    guest.fd_write(2, 0x180, 1, 0x10);
    guest.fd_write(1, 0x100, 1, 0x10);
    expect(lines).toEqual([[2, 'err'], [1, 'out']]);
  });

  test('decodes a UTF-8 character split across two writes', () => {
    const { guest, raw, lines } = startGuest();
    putIovecs(raw, 0x100, [[0x200, [0xe5, 0x90]]]); // first two bytes of "名"
    guest.fd_write(1, 0x100, 1, 0x10);
    putIovecs(raw, 0x100, [[0x200, [0x8d, 0x0a]]]); // last byte, then a newline
    guest.fd_write(1, 0x100, 1, 0x10);
    expect(lines).toEqual([[1, '名']]);
  });

  test('returns EBADF for fd 3 and writes nothing', () => {
    const { guest, raw, lines } = startGuest();
    putIovecs(raw, 0x100, [[0x200, 'x\n']]);
    raw.fill(0x10, 12);
    expect(guest.fd_write(3, 0x100, 1, 0x14)).toBe(Errno.Badf);
    expect(raw.bytes(0x10, 12)).toEqual([...GUARD, ...GUARD, ...GUARD]);
    expect(lines).toEqual([]);
  });

  test('returns EFAULT for an iovec array or buffer outside memory', () => {
    const { guest, raw, lines } = startGuest();
    expect(guest.fd_write(1, PAGE - 4, 1, 0x10)).toBe(Errno.Fault);
    putIovecs(raw, 0x100, [[PAGE - 2, [0x61, 0x0a]]]);
    raw.set(0x104, [0x03, 0x00, 0x00, 0x00]); // buf_len 3 runs one byte past the end
    expect(guest.fd_write(1, 0x100, 1, 0x10)).toBe(Errno.Fault);
    expect(lines).toEqual([]);
  });
});

describe('clock_time_get', () => {
  test('writes realtime as exact u64 Unix nanoseconds from the virtual clock', () => {
    const { guest, raw } = startGuest();
    raw.fill(0, 16);
    expect(guest.clock_time_get(0, 1n, 4)).toBe(Errno.Success);
    expect(raw.bytes(0, 16)).toEqual([
      ...GUARD,
      0xa8, 0xd8, 0x7e, 0x3d, 0xfe, 0x9c, 0x97, 0x17, // 1_700_000_000_123_001_000 ns (start + one 1 µs tick)
      ...GUARD,
    ]);
  });

  test('returns realtime to the guest as an i64 beyond Number precision', () => {
    const { guest, clock } = startGuest();
    clock.advanceTo(61_000);
    expect(guest.now(0)).toBe(START_UNIX_NS + 61_000_000_000n + 1_000n);
  });

  test('reads the monotonic clock as nanoseconds since the run started, ticking each read', () => {
    const { guest, clock } = startGuest();
    expect(guest.now(1)).toBe(1_000n);
    expect(guest.now(1)).toBe(2_000n);
    clock.advanceTo(5_000);
    expect(guest.now(1)).toBe(5_000_001_000n);
  });

  test('accepts any i64 precision, which arrives as a BigInt', () => {
    const { guest } = startGuest();
    expect(guest.clock_time_get(1, 2n ** 63n - 1n, 0)).toBe(Errno.Success);
    expect(guest.clock_time_get(1, -1n, 0)).toBe(Errno.Success);
  });

  test('returns ENOTSUP for a clock id other than realtime and monotonic, leaving memory alone', () => {
    const { guest, raw } = startGuest();
    raw.fill(0, 16);
    expect(guest.clock_time_get(2, 1n, 4)).toBe(Errno.Notsup);
    expect(guest.clock_time_get(-1, 1n, 4)).toBe(Errno.Notsup);
    expect(raw.bytes(0, 16)).toEqual([...GUARD, ...GUARD, ...GUARD, ...GUARD]);
  });
});

describe('poll_oneoff', () => {
  /** One clock subscription (48 bytes) at `at`. */
  function putClockSubscription(raw: RawMemory, at: number, timeoutLe: readonly number[], flags: number): void {
    raw.set(at, [
      0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // userdata
      0x00,                                           // tag = clock
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,       // padding
      0x01, 0x00, 0x00, 0x00,                         // clock id = monotonic
      0x00, 0x00, 0x00, 0x00,                         // padding
      ...timeoutLe,                                   // timeout (u64 ns)
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // precision
      flags, 0x00,                                    // flags (bit 0 = absolute)
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00,             // padding
    ]);
  }

  test('sleeps a relative 5 s subscription by moving the clock, and reports one clock event', () => {
    const { guest, raw, clock } = startGuest();
    putClockSubscription(raw, 0x100, [0x00, 0xf2, 0x05, 0x2a, 0x01, 0x00, 0x00, 0x00], 0); // 5e9 ns
    raw.fill(0x1fc, 40);
    raw.fill(0x10, 12);
    expect(guest.poll_oneoff(0x100, 0x200, 1, 0x14)).toBe(Errno.Success);
    expect(clock.elapsedMs).toBe(5_000);
    expect(raw.bytes(0x1fc, 40)).toEqual([
      ...GUARD,
      0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // userdata, copied from the subscription
      0x00, 0x00,                                     // error = 0
      0x00,                                           // type = clock
      0x00, 0x00, 0x00, 0x00, 0x00,                   // padding
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // fd_readwrite.nbytes
      0x00, 0x00,                                     // fd_readwrite.flags
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00,             // padding
      ...GUARD,
    ]);
    expect(raw.bytes(0x10, 12)).toEqual([
      ...GUARD,
      0x01, 0x00, 0x00, 0x00, // nevents = 1
      ...GUARD,
    ]);
  });

  test('sleeps until an absolute deadline on the monotonic clock', () => {
    const { guest, raw, clock } = startGuest();
    clock.advanceTo(1_000);
    putClockSubscription(raw, 0x100, [0x00, 0x5e, 0xd0, 0xb2, 0x00, 0x00, 0x00, 0x00], 1); // 3e9 ns, absolute
    expect(guest.poll_oneoff(0x100, 0x200, 1, 0x10)).toBe(Errno.Success);
    expect(clock.elapsedMs).toBe(3_000);
  });

  test('reports no event for a subscription that is not a clock', () => {
    const { guest, raw, clock } = startGuest();
    putClockSubscription(raw, 0x100, [0x00, 0xf2, 0x05, 0x2a, 0x01, 0x00, 0x00, 0x00], 0);
    raw.set(0x108, [0x01]); // tag = fd_read
    raw.fill(0x200, 32);
    expect(guest.poll_oneoff(0x100, 0x200, 1, 0x10)).toBe(Errno.Success);
    expect(raw.u32(0x10)).toBe(0);
    expect(raw.bytes(0x200, 32)).toEqual(Array(32).fill(0xaa));
    expect(clock.elapsedMs).toBe(0);
  });
});

describe('random_get', () => {
  test('fills the buffer with bytes that repeat for the same seed', () => {
    const first = startGuest({ randomSeed: 42 });
    const second = startGuest({ randomSeed: 42 });
    for (const { raw, guest } of [first, second]) {
      raw.fill(0x0c, 24);
      expect(guest.random_get(0x10, 16)).toBe(Errno.Success);
      expect(guest.random_get(0x10 + 8, 8)).toBe(Errno.Success); // a second call continues the stream
    }
    const bytesOf = (raw: RawMemory) => raw.bytes(0x0c, 24);
    expect(bytesOf(first.raw)).toEqual(bytesOf(second.raw));
    expect(bytesOf(first.raw).slice(0, 4)).toEqual([...GUARD]);
    expect(bytesOf(first.raw).slice(20)).toEqual([...GUARD]);
    expect(new Set(bytesOf(first.raw).slice(4, 20)).size).toBeGreaterThan(8);
  });

  test('writes the xorshift32 stream of its seed, one byte per step, across calls', () => {
    let state = 42;
    const expected = Array.from({ length: 24 }, () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 0xff;
    });
    const { guest, raw } = startGuest({ randomSeed: 42 });
    expect(guest.random_get(0x100, 5)).toBe(Errno.Success);
    expect(guest.random_get(0x105, 0)).toBe(Errno.Success);
    expect(guest.random_get(0x105, 19)).toBe(Errno.Success);
    expect(raw.bytes(0x100, 24)).toEqual(expected);
  });

  test('gives a different stream for a different seed', () => {
    const a = startGuest({ randomSeed: 1 });
    const b = startGuest({ randomSeed: 2 });
    a.guest.random_get(0, 16);
    b.guest.random_get(0, 16);
    expect(a.raw.bytes(0, 16)).not.toEqual(b.raw.bytes(0, 16));
  });
});

describe('environ_sizes_get and environ_get', () => {
  const env = { WASM_DISABLE_PANIC_RECOVERY: 'true', GREETING: 'héllo' };

  test('environ_sizes_get counts the entries and their UTF-8 bytes with NULs', () => {
    const { guest, raw } = startGuest({ env });
    raw.fill(0, 16);
    expect(guest.environ_sizes_get(4, 8)).toBe(Errno.Success);
    expect(raw.bytes(0, 16)).toEqual([
      ...GUARD,
      0x02, 0x00, 0x00, 0x00, // count = 2
      0x31, 0x00, 0x00, 0x00, // buf_size = 33 + 16 ("héllo" is 6 bytes)
      ...GUARD,
    ]);
  });

  test('environ_get writes the pointer array and the KEY=VALUE\\0 strings', () => {
    const { guest, raw } = startGuest({ env });
    raw.fill(0x0c, 12);
    raw.fill(0x100, 49 + 4);
    expect(guest.environ_get(0x10, 0x100)).toBe(Errno.Success);
    expect(raw.bytes(0x0c, 12)).toEqual([
      ...GUARD,
      0x00, 0x01, 0x00, 0x00, // environ[0] = 0x100
      0x21, 0x01, 0x00, 0x00, // environ[1] = 0x121
    ]);
    expect(raw.text(0x100, 33)).toBe('WASM_DISABLE_PANIC_RECOVERY=true\0');
    expect(raw.text(0x121, 16)).toBe('GREETING=héllo\0');
    expect(raw.bytes(0x131, 4)).toEqual([...GUARD]);
  });

  test('reports an empty environment when none is given, never the host\'s', () => {
    const { guest, raw } = startGuest();
    raw.fill(0, 8);
    expect(guest.environ_sizes_get(0, 4)).toBe(Errno.Success);
    expect(raw.bytes(0, 8)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('proc_exit', () => {
  test('throws ProcExit with the code through the guest', () => {
    const { guest } = startGuest();
    let thrown: unknown;
    try {
      guest.proc_exit(3);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProcExit);
    expect((thrown as ProcExit).code).toBe(3);
    expect((thrown as ProcExit).kind).toBe('proc-exit');
    expect((thrown as ProcExit).message).toMatchInlineSnapshot(`"the plugin called proc_exit(3)"`);
  });
});
