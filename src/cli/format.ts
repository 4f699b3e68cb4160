/** Renders a run for a terminal: one row per request, then what went wrong and how to fix it. */
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
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c]!))).join('  ').trimEnd()).join('\n');
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
  const rows = [['#', 'at', 'request', 'status', 'by', 'redis', 'plugin headers / error']];
  for (const o of result.outcomes) {
    rows.push([
      String(o.index),
      formatAt(o.at),
      `${o.request.method} ${o.request.path}`,
      o.status === 0 ? '—' : String(o.status),
      o.source,
      o.redis.map(redisCall).join(' '),
      note(o),
    ]);
  }
  const out = [table(rows)];
  for (const o of result.outcomes) out.push(...formatChunks(o));
  const problems = result.outcomes.filter((o) => o.error || o.unimplemented?.length);
  for (const o of problems) {
    if (o.error) out.push(`\n#${o.index} ${o.error.kind}: ${o.error.message}${o.error.hint ? `\n   hint: ${o.error.hint}` : ''}`);
    for (const u of o.unimplemented ?? []) out.push(`#${o.index} called ${u.module}.${u.name} ×${u.count}, which this gateway does not implement (answered "unimplemented")`);
  }
  const warnings = result.outcomes.flatMap((o) => o.logs.filter((l) => l.level === 'warn' || l.level === 'error' || l.level === 'critical').map((l) => `#${o.index} [${l.level}] ${l.message}`));
  if (warnings.length) out.push(`\nplugin warnings and errors:\n${warnings.join('\n')}`);
  if (options.showTrace) {
    for (const o of result.outcomes) out.push(`\n── trace #${o.index} ${o.request.method} ${o.request.path}\n${(o.trace ?? []).join('\n')}`);
  }
  return out.join('\n');
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

/** JSON with bigints as strings (metrics are i64). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
}
