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
    this.#refresh();
  }

  /**
   * The current bytes, for an access that ends at `end`. Growing memory replaces `memory.buffer`
   * and detaches the old one, whose views then read as empty; `memory.buffer` is a native getter,
   * the costliest step of a small access when read on every call. So it is read again only when
   * the views are empty or too short for this access (a shared memory grows without detaching):
   * an access then fails only if it is out of bounds of the memory as it is now.
   */
  #fresh(end: number): Uint8Array {
    const bytes = this.#bytes;
    return end <= bytes.length && bytes.length !== 0 ? bytes : this.#refresh();
  }

  #refresh(): Uint8Array {
    const buffer = this.#memory.buffer;
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.#bytes = new Uint8Array(buffer);
      this.#view = new DataView(buffer);
    }
    return this.#bytes;
  }

  /** Tells whether `len` bytes at `ptr` lie inside memory (no copy). */
  contains(ptr: number, len: number): boolean {
    return (ptr >>> 0) + (len >>> 0) <= this.#fresh((ptr >>> 0) + (len >>> 0)).length;
  }

  /** Copies `len` bytes at `ptr` out of guest memory, or null when the range is out of bounds. */
  read(ptr: number, len: number): Uint8Array | null {
    ptr >>>= 0;
    len >>>= 0;
    if (len === 0) return new Uint8Array(0);
    if (ptr + len > this.#fresh(ptr + len).length) return null;
    return this.#bytes.slice(ptr, ptr + len);
  }

  /** Reads a UTF-8 string, or null when out of bounds (decoded in place: no copy of the bytes). */
  readString(ptr: number, len: number): string | null {
    ptr >>>= 0;
    len >>>= 0;
    if (ptr + len > this.#fresh(ptr + len).length) return null;
    return decodeUtf8(this.#bytes, ptr, ptr + len);
  }

  /** Writes bytes at `ptr`; false when out of bounds. */
  write(ptr: number, bytes: Uint8Array): boolean {
    ptr >>>= 0;
    if (ptr + bytes.length > this.#fresh(ptr + bytes.length).length) return false;
    this.#bytes.set(bytes, ptr);
    return true;
  }

  /**
   * Lets `fill` write `len` bytes at `ptr` in place: it gets the whole memory and the offset.
   * False (and `fill` is not called) when the range is out of bounds.
   */
  writeInPlace(ptr: number, len: number, fill: (memory: Uint8Array, at: number, len: number) => void): boolean {
    ptr >>>= 0;
    len >>>= 0;
    if (ptr + len > this.#fresh(ptr + len).length) return false;
    fill(this.#bytes, ptr, len);
    return true;
  }

  /** Writes a little-endian u32; false when out of bounds. */
  writeU32(ptr: number, value: number): boolean {
    ptr >>>= 0;
    if (ptr + 4 > this.#fresh(ptr + 4).length) return false;
    this.#view.setUint32(ptr, value >>> 0, true);
    return true;
  }

  /** Writes a little-endian u64; false when out of bounds. */
  writeU64(ptr: number, value: bigint): boolean {
    ptr >>>= 0;
    if (ptr + 8 > this.#fresh(ptr + 8).length) return false;
    // setBigUint64 wraps modulo 2^64 itself (ToBigUint64), as BigInt.asUintN(64, …) would.
    this.#view.setBigUint64(ptr, value, true);
    return true;
  }

  /** Reads a little-endian u32, or null when out of bounds. */
  readU32(ptr: number): number | null {
    ptr >>>= 0;
    if (ptr + 4 > this.#fresh(ptr + 4).length) return null;
    return this.#view.getUint32(ptr, true);
  }

  /** Reads a little-endian u64, or null when out of bounds. */
  readU64(ptr: number): bigint | null {
    ptr >>>= 0;
    if (ptr + 8 > this.#fresh(ptr + 8).length) return null;
    return this.#view.getBigUint64(ptr, true);
  }

  /**
   * Returns variable-size data the way cpp-host's copyToPointerSize does: empty → 0/0 without
   * allocating; otherwise allocate in the guest, copy, and write (ptr, len) to the out-pointers.
   * The allocation may grow memory: every access after it takes fresh views.
   * Returns 'ok', 'alloc-failed' or 'bad-pointer'.
   */
  returnBytes(bytes: Uint8Array | string, ptrOut: number, lenOut: number): 'ok' | 'alloc-failed' | 'bad-pointer' {
    if (typeof bytes === 'string') return this.#returnString(bytes, ptrOut, lenOut);
    if (bytes.length === 0) {
      return this.writeU32(ptrOut, 0) && this.writeU32(lenOut, 0) ? 'ok' : 'bad-pointer';
    }
    const address = this.#allocate(bytes.length) >>> 0;
    if (address === 0) return 'alloc-failed';
    if (!this.write(address, bytes)) return 'alloc-failed';
    return this.writeU32(ptrOut, address) && this.writeU32(lenOut, bytes.length) ? 'ok' : 'bad-pointer';
  }

  /**
   * returnBytes for text: short ASCII (header values, the common case) goes straight into the
   * guest's allocation, without an intermediate Uint8Array; anything else is encoded first.
   */
  #returnString(text: string, ptrOut: number, lenOut: number): 'ok' | 'alloc-failed' | 'bad-pointer' {
    const length = text.length;
    if (length > MAX_DIRECT_STRING || !isAscii(text)) return this.returnBytes(utf8Encoder.encode(text), ptrOut, lenOut);
    if (length === 0) return this.writeU32(ptrOut, 0) && this.writeU32(lenOut, 0) ? 'ok' : 'bad-pointer';
    const address = this.#allocate(length) >>> 0;
    if (address === 0) return 'alloc-failed';
    if (address + length > this.#fresh(address + length).length) return 'alloc-failed';
    const bytes = this.#bytes;
    for (let i = 0; i < length; i++) bytes[address + i] = text.charCodeAt(i);
    return this.writeU32(ptrOut, address) && this.writeU32(lenOut, length) ? 'ok' : 'bad-pointer';
  }
}

/** Longest string #returnString copies character by character; longer ones go through TextEncoder. */
const MAX_DIRECT_STRING = 256;

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
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

/** Decodes UTF-8 bytes to a string (short ASCII through the cache below, the rest in one TextDecoder call). */
export function fromUtf8(bytes: Uint8Array): string {
  return decodeUtf8(bytes, 0, bytes.length);
}

/** fromUtf8 of bytes[start, end), without making a view first. */
export function fromUtf8Range(bytes: Uint8Array, start: number, end: number): string {
  return decodeUtf8(bytes, start, end);
}

/*
 * Short ASCII strings decoded lately, by a hash of their bytes: a plugin asks for the same header
 * names (":path", "content-type"…) and property paths on every request, and a hit returns the
 * string decoded last time without allocating anything. Two-way set-associative: a hash picks a
 * pair of slots, and a new string replaces the one of the pair used less recently, so two hot
 * names that share a hash do not keep evicting each other. Strings are immutable: sharing is safe.
 */
const INTERN_SETS = 512;
const INTERN_MAX_BYTES = 32;
const internBytes = new Uint8Array(INTERN_SETS * 2 * INTERN_MAX_BYTES);
const internLength = new Int32Array(INTERN_SETS * 2).fill(-1);
const internText: string[] = new Array<string>(INTERN_SETS * 2).fill('');
/** Per set, the slot (0 or 1) to replace next: the one not used last. */
const internVictim = new Uint8Array(INTERN_SETS);

/**
 * Decodes bytes[start, end) as UTF-8 exactly as TextDecoder does (invalid sequences become U+FFFD,
 * a leading BOM is dropped): ASCII needs no decoding and can come from the cache; anything else is
 * one TextDecoder call over a view (no copy).
 */
function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length === 0) return '';
  if (length > INTERN_MAX_BYTES) return utf8Decoder.decode(bytes.subarray(start, end));
  // FNV-1a over the bytes, noting on the way whether any is outside ASCII.
  let hash = 0x811c9dc5;
  let high = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    high |= byte;
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  if (high > 0x7f) return utf8Decoder.decode(bytes.subarray(start, end));
  const set = (hash ^ (hash >>> 15)) & (INTERN_SETS - 1);
  for (let way = 0; way < 2; way++) {
    const slot = set * 2 + way;
    if (internLength[slot] !== length) continue;
    const at = slot * INTERN_MAX_BYTES;
    let i = 0;
    while (i < length && internBytes[at + i] === bytes[start + i]) i++;
    if (i === length) {
      internVictim[set] = way ^ 1;
      return internText[slot]!;
    }
  }
  const way = internVictim[set]!;
  const slot = set * 2 + way;
  internVictim[set] = way ^ 1;
  const view = bytes.subarray(start, end);
  const text = String.fromCharCode.apply(null, view as unknown as number[]);
  internBytes.set(view, slot * INTERN_MAX_BYTES);
  internLength[slot] = length;
  internText[slot] = text;
  return text;
}
