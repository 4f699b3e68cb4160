/**
 * Host-call tracing, wrapped around the import object (as browser_wasi_shim's strace.ts) so it
 * costs nothing when off. One line per call with decoded arguments, one per return with the
 * status name:   → proxy_get_header_map_value(HttpRequestHeaders, ":path")   ← Ok
 */
import { BufferType, MapType, wasmResultName } from './abi/enums.ts';
import type { GuestMemory } from './abi/memory.ts';
import { decodePropertyPath } from './abi/property.ts';

type ArgKind = 'n' | 'map' | 'buf' | 'str' | 'bytes' | 'path' | 'secret' | 'out';

const SIGNATURES: Record<string, ArgKind[]> = {
  proxy_log: ['n', 'str'],
  proxy_get_header_map_value: ['map', 'str', 'out', 'out'],
  proxy_add_header_map_value: ['map', 'str', 'str'],
  proxy_replace_header_map_value: ['map', 'str', 'str'],
  proxy_remove_header_map_value: ['map', 'str'],
  proxy_get_header_map_pairs: ['map', 'out', 'out'],
  proxy_set_header_map_pairs: ['map', 'bytes'],
  proxy_get_buffer_bytes: ['buf', 'n', 'n', 'out', 'out'],
  proxy_set_buffer_bytes: ['buf', 'n', 'n', 'bytes'],
  proxy_get_property: ['path', 'out', 'out'],
  proxy_set_property: ['path', 'str'],
  proxy_http_call: ['str', 'bytes', 'bytes', 'bytes', 'n', 'out'],
  proxy_redis_init: ['str', 'str', 'secret', 'n'],
  proxy_redis_call: ['str', 'str', 'out'],
  proxy_send_local_response: ['n', 'str', 'str', 'bytes', 'n'],
  proxy_call_foreign_function: ['str', 'bytes', 'out', 'out'],
};

const MAP_NAMES = Object.fromEntries(Object.entries(MapType).map(([k, v]) => [v, k]));
const BUFFER_NAMES = Object.fromEntries(Object.entries(BufferType).map(([k, v]) => [v, k]));

function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}…` : text;
  return JSON.stringify(short);
}

/** Renders one call's arguments using the signature table; unknown functions show raw numbers. */
export function formatCall(name: string, args: unknown[], memory: GuestMemory | null): string {
  const kinds = SIGNATURES[name];
  if (!kinds || !memory) return `${name}(${args.map(String).join(', ')})`;
  const parts: string[] = [];
  let i = 0;
  for (const kind of kinds) {
    const a = Number(args[i++]);
    if (kind === 'n') parts.push(String(args[i - 1]));
    else if (kind === 'map') parts.push(MAP_NAMES[a] ?? String(a));
    else if (kind === 'buf') parts.push(BUFFER_NAMES[a] ?? String(a));
    else if (kind === 'out') continue;
    else {
      const len = Number(args[i++]);
      if (kind === 'bytes') parts.push(`<${len} bytes>`);
      else if (kind === 'secret') parts.push(len ? '"***"' : '""');
      else if (kind === 'path') parts.push(quote(decodePropertyPath(memory.read(a, len) ?? new Uint8Array()).join('.')));
      else parts.push(quote((memory.readString(a, len) ?? '<bad pointer>').replace(/\r\n/g, ' ')));
    }
  }
  return `${name}(${parts.join(', ')})`;
}

/** Wraps every import so each call and return is reported to `emit`. */
export function traceImports(
  imports: Record<string, Record<string, Function>>,
  memory: () => GuestMemory,
  emit: (line: string) => void,
): Record<string, Record<string, Function>> {
  const traced: Record<string, Record<string, Function>> = {};
  for (const [ns, table] of Object.entries(imports)) {
    const isWasi = ns === 'wasi_snapshot_preview1';
    traced[ns] = Object.fromEntries(
      Object.entries(table).map(([name, fn]) => [
        name,
        (...args: unknown[]) => {
          emit(`→ ${formatCall(name, args, memory())}`);
          const result = fn(...args);
          emit(`← ${isWasi ? `errno ${result}` : wasmResultName(Number(result))}`);
          return result;
        },
      ]),
    );
  }
  return traced;
}
