/**
 * Renders a run for a terminal: one row per request, then what went wrong and how to fix it. Rows
 * can be printed as outcomes come (RunTable); `--json` and `--jsonl` have their writers here too.
 */
import type { Outcome } from '../harness/outcome.ts';
import type { RunResult } from '../harness/run.ts';

function formatAt(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function pad(text: string, width: number): string {
  const visible = [...text].length;
  return visible >= width ? text : text + ' '.repeat(width - visible);
}

/** A plain table; columns size to their content. */
export function table(rows: string[][]): string {
  const widths = columnWidths(rows);
  return rows.map((r) => tableRow(r, widths)).join('\n');
}

function columnWidths(rows: string[][]): number[] {
  return rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
}

/** One row; every column but the last padded to its width (a longer cell pushes the rest right). */
function tableRow(cells: string[], widths: number[]): string {
  return cells.map((cell, c) => (c === cells.length - 1 ? cell : pad(cell, widths[c]!))).join('  ').trimEnd();
}

/** One Redis command in the table: `incr→3`, marked `db2:incr→3` when it ran outside database 0. */
function redisCall(r: Outcome['redis'][number]): string {
  return `${r.db ? `db${r.db}:` : ''}${r.command.split(' ')[0]}→${r.reply.replace(/^\(integer\) /, '')}`;
}

function note(o: Outcome): string {
  if (o.error) return `${o.error.kind}`;
  const changed = o.changedHeaders.map((name) => `${name}: ${o.headers.find(([k]) => k === name)?.[1] ?? ''}`);
  return changed.join(', ');
}

/** The default output of `wasm-lab run`. */
export function formatRun(result: RunResult, options: { showTrace?: boolean } = {}): string {
  const run = new RunTable({ ...options, bufferRows: Infinity });
  for (const o of result.outcomes) run.add(o);
  return run.end().replace(/\n$/, '');
}

/** How many entries each section after the table lists before it only counts the rest. */
export const DETAILS_SHOWN = 200;

/** A section after the table: its first DETAILS_SHOWN entries, and how many more there were. */
class Section {
  readonly entries: string[] = [];
  more = 0;

  add(...entries: string[]): void {
    for (const entry of entries) {
      if (this.entries.length < DETAILS_SHOWN) this.entries.push(entry);
      else this.more++;
    }
  }
}

/**
 * `wasm-lab run`'s table, made as outcomes come. The first rows wait (up to `bufferRows`, or
 * `bufferMs` after the first) so the columns can size to them, as a whole table's would; after
 * that each row is printed as it comes, with the same widths. What follows the table (streamed
 * bodies, errors, warnings, traces) is gathered as rows go by, each section keeping its first
 * DETAILS_SHOWN entries, and printed by end().
 */
export class RunTable {
  readonly #showTrace: boolean;
  readonly #bufferRows: number;
  readonly #bufferMs: number;
  readonly #now: () => number;
  readonly #total: number;
  #rows: string[][] | null = [['#', 'at', 'request', 'status', 'by', 'redis', 'plugin headers / error']];
  #firstAt: number | undefined;
  #widths: number[] = [];
  readonly #chunks = new Section();
  readonly #problems = new Section();
  readonly #warnings = new Section();
  readonly #traces = new Section();

  /** `total`: how many requests the run sends, so rows printed before the last one leave room for its number. */
  constructor(options: { showTrace?: boolean; bufferRows?: number; bufferMs?: number; now?: () => number; total?: number } = {}) {
    this.#showTrace = options.showTrace ?? false;
    this.#total = options.total ?? 0;
    this.#bufferRows = options.bufferRows ?? 100;
    this.#bufferMs = options.bufferMs ?? 500;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Takes one outcome; returns the text to print now ('' while the first rows wait), ending in a newline. */
  add(o: Outcome): string {
    const row = [
      String(o.index),
      formatAt(o.at),
      `${o.request.method} ${o.request.path}`,
      o.status === 0 ? '—' : String(o.status),
      o.source,
      o.redis.map(redisCall).join(' '),
      note(o),
    ];
    this.#chunks.add(...formatChunks(o));
    if (o.error) this.#problems.add(`\n#${o.index} ${o.error.kind}: ${o.error.message}${o.error.hint ? `\n   hint: ${o.error.hint}` : ''}`);
    for (const u of o.unimplemented ?? []) this.#problems.add(`#${o.index} called ${u.module}.${u.name} ×${u.count}, which this gateway does not implement (answered "unimplemented")`);
    for (const l of o.logs) if (l.level === 'warn' || l.level === 'error' || l.level === 'critical') this.#warnings.add(`#${o.index} [${l.level}] ${l.message}`);
    if (this.#showTrace) this.#traces.add(`\n── trace #${o.index} ${o.request.method} ${o.request.path}\n${(o.trace ?? []).join('\n')}`);
    const rows = this.#rows;
    if (rows === null) return `${tableRow(row, this.#widths)}\n`;
    rows.push(row);
    this.#firstAt ??= this.#now();
    return rows.length - 1 >= this.#bufferRows || this.#now() - this.#firstAt >= this.#bufferMs ? this.flush(true) : '';
  }

  /**
   * Prints the rows that wait, fixing the column widths from them; `isEarly` when more rows are
   * to come, so the request number and time columns leave room for longer values.
   */
  flush(isEarly = false): string {
    const rows = this.#rows;
    if (rows === null) return '';
    this.#rows = null;
    this.#widths = columnWidths(rows);
    if (isEarly) {
      this.#widths[0] = Math.max(this.#widths[0]!, String(Math.max(0, this.#total - 1)).length);
      this.#widths[1] = Math.max(this.#widths[1]!, '9999ms'.length + 1);
    }
    return `${rows.map((r) => tableRow(r, this.#widths)).join('\n')}\n`;
  }

  /** The rest: rows still waiting, then the sections after the table; ends in a newline. */
  end(): string {
    const out = [this.flush().replace(/\n$/, '')].filter((text) => text !== '');
    const section = (s: Section, what: string) => {
      const more = s.more > 0 ? [`… and ${s.more.toLocaleString('en-US')} more ${what} not shown here; --jsonl prints every outcome in full`] : [];
      return [...s.entries, ...more];
    };
    out.push(...section(this.#chunks, 'streamed bodies'), ...section(this.#problems, 'errors'));
    const warnings = section(this.#warnings, 'warnings');
    if (warnings.length) out.push(`\nplugin warnings and errors:\n${warnings.join('\n')}`);
    out.push(...section(this.#traces, 'traces'));
    return out.length ? `${out.join('\n')}\n` : '';
  }
}

/** How long a chunk's text may be on one line before it is cut. */
const CHUNK_TEXT_WIDTH = 100;

/**
 * The chunk lists of a streamed request: what the upstream and the client received, one line per
 * chunk with its time after the request arrived and its text as a JSON string (so \n shows), then trailers.
 */
function formatChunks(o: Outcome): string[] {
  const blocks: string[] = [];
  // A body that came whole is in the table's row already; only its trailers get a line then.
  const block = (title: string, chunks: Outcome['chunks'], trailers: Outcome['trailers']) => {
    const lines = (chunks ?? []).map((c) => `   ${pad(`+${formatOffset(c.at - o.at)}`, 9)}${quoteChunk(c.body)}`);
    if (chunks?.length === 0) lines.push('   (no body)');
    if (trailers?.length) lines.push(`   trailers: ${trailers.map(([k, v]) => `${k}: ${v}`).join(', ')}`);
    const count = chunks ? ` (${chunks.length} chunk${chunks.length === 1 ? '' : 's'})` : '';
    blocks.push(`\n#${o.index} ${title}${count}:\n${lines.join('\n')}`);
  };
  const upstream = o.upstreamRequest;
  if (upstream?.chunks || upstream?.trailers) block('the upstream received', upstream.chunks, upstream.trailers);
  if (o.chunks || o.trailers) block('the client received', o.chunks, o.trailers);
  return blocks;
}

function formatOffset(ms: number): string {
  const rounded = Math.round(ms * 10) / 10;
  return rounded >= 1000 && rounded % 1000 === 0 ? `${rounded / 1000}s` : `${rounded}ms`;
}

function quoteChunk(text: string): string {
  const quoted = JSON.stringify(text);
  return quoted.length > CHUNK_TEXT_WIDTH ? `${quoted.slice(0, CHUNK_TEXT_WIDTH - 4)}…" (${new TextEncoder().encode(text).length} bytes)` : quoted;
}

const bigintsAsStrings = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/** JSON with bigints as strings (metrics are i64). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, bigintsAsStrings, 2);
}

/**
 * A JSON array written an item at a time, byte for byte what toJson gives for the whole array:
 * `[`, the items separated by `,` and a newline, `]`. Whatever has been written plus end() is
 * valid JSON, so a run stopped part way still closes its array.
 */
export class JsonArrayWriter {
  #count = 0;

  item(value: unknown): string {
    return `${this.#count++ === 0 ? '[\n  ' : ',\n  '}${toJson(value).replace(/\n/g, '\n  ')}`;
  }

  /** Closes the array, with a final newline. */
  end(): string {
    return this.#count === 0 ? '[]\n' : '\n]\n';
  }
}

/** One outcome per line, as JSON (`--jsonl`). */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value, bigintsAsStrings)}\n`;
}
