/**
 * Expectations: compares one request's `expect` block with its Outcome and words each mismatch
 * as a path-named failure, which `wasm-lab test` prints as a small diff.
 */
import { formatDurationMs } from './duration.ts';
import { formatPath } from './errors.ts';
import type { HeaderList, Outcome, OutcomeChunk } from './outcome.ts';
import type { ChunkExpectations, Expectation, HeaderExpectations } from './scenario.ts';

/** A value as failures show it: absent things are null, log lines are a list. */
export type ShownValue = string | number | boolean | null | string[];

/** One expectation the outcome does not meet. */
export interface ExpectationFailure {
  /** The expectation, as written in the scenario: `requests[3].expect.status`. */
  path: string;
  /** The same path inside the request's expect block, as keys: `['headers', 'x-foo']`; views word it from these. */
  keys: Array<string | number>;
  expected: ShownValue;
  actual: ShownValue;
  /** One sentence: what was expected and what happened. */
  message: string;
  /** The outcome's index, i.e. which sent request this is. */
  index: number;
  /** The request in a few words: `GET /api at 61s`. */
  request: string;
}

/**
 * Checks an outcome against its request's expectations and returns every mismatch (none: an
 * empty list). Header names compare case-insensitively; a header's value is its first value.
 * `where` names the request spec in failure paths, `requests[<outcome index>]` by default; pass
 * ExpandedRequest.specPath when repeats make the two differ.
 */
export function checkExpectations(expect: Expectation | undefined, outcome: Outcome, where = `requests[${outcome.index}]`): ExpectationFailure[] {
  if (expect === undefined) return [];
  const failures: ExpectationFailure[] = [];
  const request = `${outcome.request.method} ${outcome.request.path} at ${formatDurationMs(outcome.at)}`;
  const fail = (keys: Array<string | number>, expected: ShownValue, actual: ShownValue, message: string) =>
    failures.push({ path: formatPath(`${where}.expect`, keys), keys, expected, actual, message, index: outcome.index, request });

  if (expect.status !== undefined && expect.status !== outcome.status) {
    fail(['status'], expect.status, outcome.status, `expected status ${expect.status}, got ${outcome.status}.`);
  }
  if (expect.source !== undefined && expect.source !== outcome.source) {
    fail(['source'], expect.source, outcome.source, `expected the ${expect.source} to answer, but the ${outcome.source} did.`);
  }
  for (const mismatch of checkHeaders(expect.headers, outcome.headers, 'response header')) {
    fail(['headers', mismatch.name], mismatch.expected, mismatch.actual, mismatch.message);
  }
  if (expect.body !== undefined && !outcome.body.includes(expect.body)) {
    fail(['body'], expect.body, outcome.body, `expected the response body to contain ${JSON.stringify(expect.body)}, but it does not.`);
  }
  for (const mismatch of checkChunks(expect.chunks, outcome.chunks ?? bodyAsChunk(outcome.body, outcome.at), 'the client')) {
    fail(['chunks', ...mismatch.keys], mismatch.expected, mismatch.actual, mismatch.message);
  }
  for (const mismatch of checkHeaders(expect.trailers, outcome.trailers ?? [], 'response trailer')) {
    fail(['trailers', mismatch.name], mismatch.expected, mismatch.actual, mismatch.message);
  }
  const upstream = expect.upstream;
  const received = outcome.upstreamRequest;
  if (upstream?.reached !== undefined && upstream.reached !== (received !== null)) {
    fail(['upstream', 'reached'], upstream.reached, received !== null, upstream.reached
      ? 'expected the request to reach the upstream, but it was answered before.'
      : 'expected the request to be answered before the upstream, but it reached the upstream.');
  }
  const wantsUpstream = [upstream?.headers, upstream?.body, upstream?.chunks, upstream?.trailers].some((want) => want !== undefined);
  if (wantsUpstream && received === null && upstream?.reached === undefined) {
    fail(['upstream'], true, false, 'expected to check what the upstream received, but the request never reached it.');
  }
  if (received !== null) {
    for (const mismatch of checkHeaders(upstream?.headers, received.headers, 'upstream request header')) {
      fail(['upstream', 'headers', mismatch.name], mismatch.expected, mismatch.actual, mismatch.message);
    }
    if (upstream?.body !== undefined && !received.body.includes(upstream.body)) {
      fail(['upstream', 'body'], upstream.body, received.body, `expected the upstream to receive a body containing ${JSON.stringify(upstream.body)}, but it does not.`);
    }
    for (const mismatch of checkChunks(upstream?.chunks, received.chunks ?? bodyAsChunk(received.body, outcome.at), 'the upstream')) {
      fail(['upstream', 'chunks', ...mismatch.keys], mismatch.expected, mismatch.actual, mismatch.message);
    }
    for (const mismatch of checkHeaders(upstream?.trailers, received.trailers ?? [], 'upstream request trailer')) {
      fail(['upstream', 'trailers', mismatch.name], mismatch.expected, mismatch.actual, mismatch.message);
    }
  }
  (expect.logs ?? []).forEach((text, i) => {
    if (!outcome.logs.some((line) => line.message.includes(text))) {
      const lines = outcome.logs.map((line) => `[${line.level}] ${line.message}`);
      fail(['logs', i], text, lines, `expected a plugin log line containing ${JSON.stringify(text)}, but none does.`);
    }
  });
  if (expect.error !== undefined) {
    const actual = outcome.error?.kind ?? null;
    if (expect.error !== actual) {
      const message = expect.error === null
        ? `expected no error, but the request ended with "${actual}".`
        : actual === null ? `expected error "${expect.error}", but the request ended without one.` : `expected error "${expect.error}", got "${actual}".`;
      fail(['error'], expect.error, actual, message);
    }
  }
  return failures;
}

/** An outcome without `chunks` got its body in one piece (or none). */
function bodyAsChunk(body: string, at: number): OutcomeChunk[] {
  return body === '' ? [] : [{ at, body }];
}

interface ChunkMismatch {
  keys: Array<string | number>;
  expected: ShownValue;
  actual: ShownValue;
  message: string;
}

/** Checks a chunk count and texts chunks must contain, by number (negative: from the end). */
function checkChunks(expected: ChunkExpectations | undefined, chunks: OutcomeChunk[], receiver: string): ChunkMismatch[] {
  if (expected === undefined) return [];
  const mismatches: ChunkMismatch[] = [];
  if (expected.count !== undefined && expected.count !== chunks.length) {
    mismatches.push({ keys: ['count'], expected: expected.count, actual: chunks.length, message: `expected ${receiver} to receive ${expected.count} body chunk(s), got ${chunks.length}.` });
  }
  for (const [key, text] of Object.entries(expected.body ?? {})) {
    const n = Number(key);
    const chunk = chunks[n < 0 ? chunks.length + n : n];
    const name = n === -1 ? 'the last chunk' : n < 0 ? `chunk ${key} (from the end)` : `chunk ${key}`;
    if (chunk === undefined) {
      mismatches.push({ keys: ['body', key], expected: text, actual: null, message: `expected ${name} to contain ${JSON.stringify(text)}, but ${receiver} received only ${chunks.length} chunk(s).` });
    } else if (!chunk.body.includes(text)) {
      mismatches.push({ keys: ['body', key], expected: text, actual: chunk.body, message: `expected ${name} to contain ${JSON.stringify(text)}, but it does not.` });
    }
  }
  return mismatches;
}

interface HeaderMismatch {
  name: string;
  expected: string | null;
  actual: string | null;
  message: string;
}

function checkHeaders(expected: HeaderExpectations | undefined, headers: HeaderList, noun: string): HeaderMismatch[] {
  const mismatches: HeaderMismatch[] = [];
  for (const [name, want] of Object.entries(expected ?? {})) {
    const lower = name.toLowerCase();
    const actual = headers.find(([key]) => key.toLowerCase() === lower)?.[1] ?? null;
    const quoted = JSON.stringify(actual);
    if (want === null && actual !== null) {
      mismatches.push({ name, expected: null, actual, message: `expected no ${noun} "${name}", got ${quoted}.` });
    } else if (want === '*' && actual === null) {
      mismatches.push({ name, expected: '*', actual, message: `expected the ${noun} "${name}" with any value, but it is absent.` });
    } else if (want !== null && want !== '*' && want !== actual) {
      const got = actual === null ? 'but it is absent' : `got ${quoted}`;
      mismatches.push({ name, expected: want, actual, message: `expected the ${noun} "${name}" to be ${JSON.stringify(want)}, ${got}.` });
    }
  }
  return mismatches;
}

/**
 * Renders failures for a terminal, grouped by request: a heading per request, then each failure's
 * path and sentence with `- expected` and `+ actual` lines. Returns '' when there are none.
 */
export function formatFailures(failures: ExpectationFailure[]): string {
  const blocks: string[] = [];
  let heading = '';
  for (const failure of failures) {
    const next = `✗ request #${failure.index}: ${failure.request}`;
    if (next !== heading) blocks.push((heading = next));
    blocks.push(`  ${failure.path}: ${failure.message}`, ...diffLines('-', failure.expected), ...diffLines('+', failure.actual));
  }
  return blocks.join('\n');
}

function diffLines(sign: '-' | '+', value: ShownValue): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [`    ${sign} (no log lines)`] : value.map((line) => `    ${sign} ${line}`);
  if (value === null) return [`    ${sign} (absent)`];
  if (typeof value === 'string') return [`    ${sign} ${JSON.stringify(value.length > 200 ? `${value.slice(0, 197)}...` : value)}`];
  return [`    ${sign} ${String(value)}`];
}
