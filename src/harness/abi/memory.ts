/**
 * Bounds-checked access to a guest's linear memory. Views are taken fresh on every call because a
 * call into the guest may grow memory and detach the old ArrayBuffer (reference/host-abi.md §5).
 * Reads and writes report failure (null / false) instead of throwing, so host functions can answer
 * InvalidMemoryAccess like Envoy does.
 */

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** Calls the guest's allocator; returns the address, or 0 when allocation failed. */
export type GuestAllocator = (sizeBytes: number) => number;

export class GuestMemory {
  #memory: WebAssembly.Memory = new WebAssembly.Memory({ initial: 0 });
  #allocate: GuestAllocator = () => 0;
  #buffer: ArrayBuffer = this.#memory.buffer;
  #bytes = new Uint8Array(this.#buffer);
  #view = new DataView(this.#buffer);

  /**
   * Binds the instance's memory and allocator. Host functions are built before instantiation
   * (the import object needs them), so the memory arrives later; until then every access fails.
   */
  bind(memory: WebAssembly.Memory, allocate: GuestAllocator): void {
    this.#memory = memory;
    this.#allocate = allocate;
  }

  /**
   * The current views. Growing memory replaces `memory.buffer` (the old one is detached), so the
   * views are re-created whenever the buffer is not the one they were made for.
   */
  #fresh(): ArrayBuffer {
    const buffer = this.#memory.buffer;
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.#bytes = new Uint8Array(buffer);
      this.#view = new DataView(buffer);
    }
    return buffer;
  }

  /** Tells whether `len` bytes at `ptr` lie inside memory (no copy). */
  contains(ptr: number, len: number): boolean {
    return (ptr >>> 0) + (len >>> 0) <= this.#fresh().byteLength;
  }

  /** Copies `len` bytes at `ptr` out of guest memory, or null when the range is out of bounds. */
  read(ptr: number, len: number): Uint8Array | null {
    ptr >>>= 0;
    len >>>= 0;
    if (len === 0) return new Uint8Array(0);
    if (ptr + len > this.#fresh().byteLength) return null;
    return this.#bytes.slice(ptr, ptr + len);
  }

  /** Reads a UTF-8 string, or null when out of bounds. */
  readString(ptr: number, len: number): string | null {
    ptr >>>= 0;
    len >>>= 0;
    if (ptr + len > this.#fresh().byteLength) return null;
    return decodeUtf8(this.#bytes.subarray(ptr, ptr + len));
  }

  /** Writes bytes at `ptr`; false when out of bounds. */
  write(ptr: number, bytes: Uint8Array): boolean {
    ptr >>>= 0;
    if (ptr + bytes.length > this.#fresh().byteLength) return false;
    this.#bytes.set(bytes, ptr);
    return true;
  }

  /** Writes a little-endian u32; false when out of bounds. */
  writeU32(ptr: number, value: number): boolean {
    ptr >>>= 0;
    if (ptr + 4 > this.#fresh().byteLength) return false;
    this.#view.setUint32(ptr, value >>> 0, true);
    return true;
  }

  /** Writes a little-endian u64; false when out of bounds. */
  writeU64(ptr: number, value: bigint): boolean {
    ptr >>>= 0;
    if (ptr + 8 > this.#fresh().byteLength) return false;
    this.#view.setBigUint64(ptr, BigInt.asUintN(64, value), true);
    return true;
  }

  /** Reads a little-endian u32, or null when out of bounds. */
  readU32(ptr: number): number | null {
    ptr >>>= 0;
    if (ptr + 4 > this.#fresh().byteLength) return null;
    return this.#view.getUint32(ptr, true);
  }

  /** Reads a little-endian u64, or null when out of bounds. */
  readU64(ptr: number): bigint | null {
    ptr >>>= 0;
    if (ptr + 8 > this.#fresh().byteLength) return null;
    return this.#view.getBigUint64(ptr, true);
  }

  /**
   * Returns variable-size data the way cpp-host's copyToPointerSize does: empty → 0/0 without
   * allocating; otherwise allocate in the guest, copy, and write (ptr, len) to the out-pointers.
   * The allocation may grow memory: every access after it takes fresh views.
   * Returns 'ok', 'alloc-failed' or 'bad-pointer'.
   */
  returnBytes(bytes: Uint8Array | string, ptrOut: number, lenOut: number): 'ok' | 'alloc-failed' | 'bad-pointer' {
    const data = typeof bytes === 'string' ? utf8(bytes) : bytes;
    if (data.length === 0) {
      return this.writeU32(ptrOut, 0) && this.writeU32(lenOut, 0) ? 'ok' : 'bad-pointer';
    }
    const address = this.#allocate(data.length) >>> 0;
    if (address === 0) return 'alloc-failed';
    if (!this.write(address, data)) return 'alloc-failed';
    return this.writeU32(ptrOut, address) && this.writeU32(lenOut, data.length) ? 'ok' : 'bad-pointer';
  }
}

/**
 * Encodes a string as UTF-8 bytes. Header names, paths and keys are short ASCII, where a plain
 * loop beats TextEncoder's call overhead; anything else goes to TextEncoder.
 */
export function utf8(text: string): Uint8Array {
  if (text.length > 64) return utf8Encoder.encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return utf8Encoder.encode(text);
    out[i] = code;
  }
  return out;
}

/** Decodes UTF-8 bytes to a string (the same ASCII fast path as utf8). */
export function fromUtf8(bytes: Uint8Array): string {
  return decodeUtf8(bytes);
}

function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length > 64) return utf8Decoder.decode(bytes);
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte > 0x7f) return utf8Decoder.decode(bytes);
    text += String.fromCharCode(byte);
  }
  return text;
}
