/**
 * Test guests: hand-written `.wat` files in `guests/`, compiled with wabt when the tests run (never
 * committed as binaries), plus raw access to their memory that does not go through GuestMemory,
 * so tests arrange inputs and check outputs independently of the code under test.
 */
import { readFile } from 'node:fs/promises';
import wabt from 'wabt';

const wabtReady = wabt();
const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** Compiles `guests/<name>.wat`, once per test file. */
export function compileGuest(name: string): Promise<WebAssembly.Module> {
  let module = compiled.get(name);
  if (!module) compiled.set(name, (module = compileWatFile(new URL(`./guests/${name}.wat`, import.meta.url))));
  return module;
}

/** Compiles a hand-written .wat file with wabt, resolving and validating it first. */
export async function compileWatFile(file: URL): Promise<WebAssembly.Module> {
  return new WebAssembly.Module(await assembleWatFile(file));
}

/** Assembles a hand-written .wat file into module bytes (for runs that take bytes, like a worker's). */
export async function assembleWatFile(file: URL): Promise<Uint8Array<ArrayBuffer>> {
  const text = await readFile(file, 'utf8');
  const parsed = (await wabtReady).parseWat(file.pathname.split('/').pop()!, text);
  try {
    parsed.resolveNames();
    parsed.validate();
    return new Uint8Array(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/** Reads and writes a WebAssembly.Memory through fresh views, as a test's own eyes on it. */
export class RawMemory {
  readonly #memory: WebAssembly.Memory;

  constructor(memory: WebAssembly.Memory) {
    this.#memory = memory;
  }

  /** The bytes at [at, at+len) as plain numbers, for `toEqual` against a byte table. */
  bytes(at: number, len: number): number[] {
    return [...new Uint8Array(this.#memory.buffer, at, len)];
  }

  set(at: number, bytes: ArrayLike<number>): void {
    new Uint8Array(this.#memory.buffer).set(bytes, at);
  }

  /** Fills [at, at+len) with a sentinel byte. */
  fill(at: number, len: number, byte = SENTINEL): void {
    new Uint8Array(this.#memory.buffer, at, len).fill(byte);
  }

  u32(at: number): number {
    return new DataView(this.#memory.buffer).getUint32(at, true);
  }

  text(at: number, len: number): string {
    return new TextDecoder().decode(new Uint8Array(this.#memory.buffer, at, len));
  }
}

/** The byte placed on both sides of a region a host function writes. */
export const SENTINEL = 0xaa;

/** Four sentinel bytes, for byte tables. */
export const GUARD = [SENTINEL, SENTINEL, SENTINEL, SENTINEL] as const;

/** Concatenates byte-table fields: strings become UTF-8, arrays are taken as bytes. */
export function bytes(...fields: Array<string | readonly number[]>): Uint8Array {
  const parts = fields.map((f) => (typeof f === 'string' ? [...new TextEncoder().encode(f)] : [...f]));
  return new Uint8Array(parts.flat());
}
