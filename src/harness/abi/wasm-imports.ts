/**
 * Reads a module's imports with their types straight from the binary: the JS API lists imports
 * by name and kind only, while a gateway links each function import against its signature.
 *
 *   \0asm 01 00 00 00 │ section: id u8, size u32 leb, body │ … │ stops after the import section
 *   type section (1):   vec of 0x60 vec(param valtype) vec(result valtype)
 *   import section (2): vec of name(module) name(field) kind u8 desc (0x00 func: type index)
 */

/** A function type as written in messages: `(i32, i32, i32) -> i32`, `(i32) -> ()`. */
export type Signature = string;

/** One import as the binary declares it; `signature` only for function imports. */
export interface BinaryImport {
  module: string;
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
  signature?: Signature;
}

const VALUE_TYPES: Record<number, string> = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref',
};
const KINDS = ['function', 'table', 'memory', 'global', 'tag'] as const;

/** Writes a function type the way messages show it. */
export function formatSignature(params: readonly string[], results: readonly string[]): Signature {
  return `(${params.join(', ')}) -> ${results.length === 1 ? results[0] : `(${results.join(', ')})`}`;
}

/** Thrown inside the reader when the bytes end early or use an encoding it does not know. */
class Unreadable extends Error {}

class Reader {
  offset: number;
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array, offset = 0) {
    this.#bytes = bytes;
    this.offset = offset;
  }
  byte(): number {
    const b = this.#bytes[this.offset++];
    if (b === undefined) throw new Unreadable('unexpected end');
    return b;
  }
  /** An unsigned LEB128 of up to 32 bits. */
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new Unreadable('LEB128 too long');
  }
  /** An unsigned LEB128 of up to 64 bits, skipped (memory64 limits). */
  skipU64(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw new Unreadable('LEB128 too long');
  }
  name(): string {
    const length = this.u32();
    const end = this.offset + length;
    if (end > this.#bytes.length) throw new Unreadable('unexpected end');
    const text = new TextDecoder().decode(this.#bytes.subarray(this.offset, end));
    this.offset = end;
    return text;
  }
  valueType(): string {
    const code = this.byte();
    const type = VALUE_TYPES[code];
    if (type === undefined) throw new Unreadable(`value type 0x${code.toString(16)}`);
    return type;
  }
  limits(): void {
    const flags = this.byte();
    const skip = flags & 0x04 ? () => this.skipU64() : () => void this.u32();
    skip();
    if (flags & 0x01) skip();
  }
}

/**
 * Lists a module's imports with the signature of each function import, in declaration order.
 * Returns null when the binary uses an encoding this reader does not know (e.g. GC types); the
 * bytes are assumed to have been validated by WebAssembly.compile already.
 */
export function readImports(bytes: Uint8Array): BinaryImport[] | null {
  try {
    return read(bytes);
  } catch (error) {
    if (error instanceof Unreadable) return null;
    throw error;
  }
}

function read(bytes: Uint8Array): BinaryImport[] {
  const reader = new Reader(bytes, 8);
  const types: Signature[] = [];
  while (reader.offset < bytes.length) {
    const id = reader.byte();
    const size = reader.u32();
    const end = reader.offset + size;
    if (id === 1) {
      for (let i = reader.u32(); i > 0; i--) {
        if (reader.byte() !== 0x60) throw new Unreadable('a type that is not a function type');
        const params = Array.from({ length: reader.u32() }, () => reader.valueType());
        const results = Array.from({ length: reader.u32() }, () => reader.valueType());
        types.push(formatSignature(params, results));
      }
    } else if (id === 2) {
      return readImportSection(reader, types);
    } else if (id !== 0) {
      return []; // Sections come in order: past the import section's place, there are no imports.
    }
    reader.offset = end;
  }
  return [];
}

function readImportSection(reader: Reader, types: Signature[]): BinaryImport[] {
  const imports: BinaryImport[] = [];
  for (let i = reader.u32(); i > 0; i--) {
    const module = reader.name();
    const name = reader.name();
    const kind = KINDS[reader.byte()];
    if (kind === undefined) throw new Unreadable('an import kind');
    if (kind === 'function') {
      const signature = types[reader.u32()];
      if (signature === undefined) throw new Unreadable('a type index');
      imports.push({ module, name, kind, signature });
      continue;
    }
    if (kind === 'table') {
      reader.valueType();
      reader.limits();
    } else if (kind === 'memory') {
      reader.limits();
    } else if (kind === 'global') {
      reader.valueType();
      reader.byte();
    } else {
      reader.byte();
      reader.u32();
    }
    imports.push({ module, name, kind });
  }
  return imports;
}
