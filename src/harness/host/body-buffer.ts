/**
 * A body or callout buffer with Envoy's read clamping and write rules
 * (reference/host-abi.md §8.4): reads past the end clamp instead of failing, because the wasm-go
 * wrapper deliberately over-asks; writes either replace a prefix (start 0) or append.
 */
import { WasmResult } from '../abi/enums.ts';

/** The bytes of every empty buffer: nothing is ever written into a buffer's array (writes make new ones), and an empty one holds nothing to change. */
export const EMPTY_BYTES = new Uint8Array(0);

export class BodyBuffer {
  #bytes: Uint8Array;
  readonly isMutable: boolean;

  constructor(bytes: Uint8Array = EMPTY_BYTES, isMutable = true) {
    this.#bytes = bytes;
    this.isMutable = isMutable;
  }

  get bytes(): Uint8Array {
    return this.#bytes;
  }

  get length(): number {
    return this.#bytes.length;
  }

  /** Returns up to `maxSize` bytes from `start`, clamped to the buffer; null when start+max overflows u32. */
  slice(start: number, maxSize: number): Uint8Array | null {
    start >>>= 0;
    maxSize >>>= 0;
    if (start + maxSize > 0xffffffff) return null;
    if (start >= this.#bytes.length) return EMPTY_BYTES;
    return this.#bytes.subarray(start, Math.min(this.#bytes.length, start + maxSize));
  }

  /**
   * Applies proxy_set_buffer_bytes: start 0 drains `size` bytes (clamped) and prepends `data`;
   * start ≥ length appends; anything in between is BadArgument, as Envoy's Buffer::copyFrom.
   */
  write(start: number, size: number, data: Uint8Array): WasmResult {
    if (!this.isMutable) return WasmResult.BadArgument;
    start >>>= 0;
    size >>>= 0;
    const current = this.#bytes;
    if (start === 0) {
      const rest = current.subarray(Math.min(size, current.length));
      this.#bytes = concat(data, rest);
      return WasmResult.Ok;
    }
    if (start >= current.length) {
      this.#bytes = concat(current, data);
      return WasmResult.Ok;
    }
    return WasmResult.BadArgument;
  }

  /** Appends bytes the host received (another body chunk). */
  append(data: Uint8Array): void {
    this.#bytes = concat(this.#bytes, data);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
