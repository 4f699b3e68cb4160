/**
 * A scenario body as the chunks a sender writes: a string is one chunk; a list gives each chunk
 * its delay, and an SSE event (`data:`) is written the way a server sends text/event-stream.
 */
import { utf8 } from './abi/memory.ts';
import { parseDurationMs } from './duration.ts';
import type { BodyChunk } from './stream.ts';
import type { Scenario } from './scenario.ts';

/** A body as a scenario writes it (request, upstream or cluster reply). */
export type BodySpec = Scenario['upstream']['body'];

export interface SentBody {
  chunks: BodyChunk[];
  /** Written as a list: outcomes then show the chunks. */
  isChunked: boolean;
  /** Some chunk is an SSE event, so the sender's content-type is text/event-stream. */
  hasEvents: boolean;
}


export function sentBody(body: BodySpec): SentBody {
  if (typeof body === 'string') return { chunks: body ? [{ bytes: utf8(body), afterMs: 0 }] : [], isChunked: false, hasEvents: false };
  const chunks = body.map((chunk): BodyChunk => {
    if (typeof chunk === 'string') return { bytes: utf8(chunk), afterMs: 0 };
    const text = chunk.text ?? sseEvent(chunk);
    return { bytes: utf8(text), afterMs: parseDurationMs(chunk.after) };
  });
  return { chunks, isChunked: true, hasEvents: body.some((chunk) => typeof chunk !== 'string' && chunk.data !== undefined) };
}

/** One event as a text/event-stream server writes it: optional event and id lines, a data line per line of data, a blank line. */
export function sseEvent(chunk: { data?: unknown; event?: string | undefined; id?: string | undefined }): string {
  const data = typeof chunk.data === 'string' ? chunk.data : JSON.stringify(chunk.data);
  const lines = [
    ...(chunk.event !== undefined ? [`event: ${chunk.event}`] : []),
    ...(chunk.id !== undefined ? [`id: ${chunk.id}`] : []),
    ...data.split('\n').map((line) => `data: ${line}`),
  ];
  return `${lines.join('\n')}\n\n`;
}
