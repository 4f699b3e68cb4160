/**
 * Assembles a tiny wasm module whose only content is `() -> ()` functions exported under the
 * given names, plus a one-page memory exported as `memory`: enough to test export checks
 * without a compiler.
 *
 *   magic+version │ type sec: 1 type ()→() │ func sec: n × type 0 │ memory sec: 1 × min 1 │
 *   export sec: n functions, then "memory" │ code sec: n × empty body
 */
function leb128(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb128(body.length), ...body];
}

/** Returns the bytes of a module exporting one empty function per name, and its memory. */
export function moduleExporting(names: string[]): Uint8Array<ArrayBuffer> {
  const utf8 = new TextEncoder();
  const exportsBody = [
    ...leb128(names.length + 1),
    ...names.flatMap((name, i) => {
      const bytes = [...utf8.encode(name)];
      return [...leb128(bytes.length), ...bytes, 0x00, ...leb128(i)];
    }),
    ...[6, ...utf8.encode('memory')], 0x02, 0,
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0, 0]),
    ...section(3, [...leb128(names.length), ...names.map(() => 0)]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, exportsBody),
    ...section(10, [...leb128(names.length), ...names.flatMap(() => [2, 0, 0x0b])]),
  ]);
}
