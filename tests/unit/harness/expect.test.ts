import { describe, expect, test } from 'vitest';
import { checkExpectations, formatFailures } from '../../../src/harness/expect.ts';
import type { Outcome } from '../../../src/harness/outcome.ts';
import { parseScenario, type Expectation } from '../../../src/harness/scenario.ts';

/** The fourth request of the rate limiter's minute: the plugin answers 429 without reaching the upstream. */
function limitedOutcome(): Outcome {
  return {
    index: 3,
    at: 10_000,
    request: { method: 'GET', path: '/api', headers: [[':authority', 'example.com']], body: '' },
    status: 429,
    headers: [
      ['content-type', 'text/plain'],
      ['X-RateLimit-Remaining', '0'],
      ['x-ratelimit-remaining', '99'],
    ],
    body: 'Too many requests, try again in a minute',
    source: 'plugin',
    upstreamRequest: null,
    logs: [
      { level: 'info', message: 'count 4 of 3 in window 1735689600' },
      { level: 'warn', message: 'rate limited' },
    ],
    redis: [{ command: 'incr 1735689600', reply: '(integer) 4', cluster: 'outbound|6379||redis.static' }],
    httpCalls: [],
    changedHeaders: [],
    pluginTimeUs: 120,
  };
}

/** A request the plugin let through, adding one header on the way to the upstream. */
function passedOutcome(): Outcome {
  return {
    ...limitedOutcome(),
    index: 0,
    at: 0,
    status: 200,
    headers: [['content-type', 'application/json']],
    body: '{"ok":true}',
    source: 'upstream',
    upstreamRequest: { headers: [['x-added', 'yes'], ['user-agent', 'curl']], body: 'hello' },
    logs: [],
  };
}

/** Parses an expect block the way a scenario would, so defaults and lower-casing apply. */
function expectation(block: unknown): Expectation {
  const expectBlock = parseScenario({ requests: [{ expect: block }] }).requests[0]?.expect;
  if (expectBlock === undefined) throw new Error('no expect block');
  return expectBlock;
}

describe('checkExpectations', () => {
  test('returns no failure when the outcome meets every expectation', () => {
    const block = expectation({
      status: 429,
      source: 'plugin',
      headers: { 'x-ratelimit-remaining': '0', 'Content-Type': '*', server: null },
      body: 'Too many',
      upstream: { reached: false },
      logs: ['rate limited', 'window'],
    });
    expect(checkExpectations(block, limitedOutcome())).toEqual([]);
  });

  test('returns no failure when there is no expect block', () => {
    expect(checkExpectations(undefined, limitedOutcome())).toEqual([]);
  });

  test('compares header names case-insensitively and uses the first value', () => {
    const block = expectation({ headers: { 'X-RATELIMIT-REMAINING': '0' } });
    expect(checkExpectations(block, limitedOutcome())).toEqual([]);
  });

  test('names each failed expectation by its path with expected and actual values', () => {
    const block = expectation({
      status: 200,
      source: 'upstream',
      headers: { 'x-ratelimit-remaining': '3', 'retry-after': '*', 'content-type': null },
      body: 'ok',
      upstream: { reached: true },
      logs: ['redis incr failed'],
      error: 'stalled',
    });
    expect(checkExpectations(block, limitedOutcome(), 'requests[1]')).toMatchInlineSnapshot(`
      [
        {
          "actual": 429,
          "expected": 200,
          "index": 3,
          "keys": [
            "status",
          ],
          "message": "expected status 200, got 429.",
          "path": "requests[1].expect.status",
          "request": "GET /api at 10s",
        },
        {
          "actual": "plugin",
          "expected": "upstream",
          "index": 3,
          "keys": [
            "source",
          ],
          "message": "expected the upstream to answer, but the plugin did.",
          "path": "requests[1].expect.source",
          "request": "GET /api at 10s",
        },
        {
          "actual": "0",
          "expected": "3",
          "index": 3,
          "keys": [
            "headers",
            "x-ratelimit-remaining",
          ],
          "message": "expected the response header "x-ratelimit-remaining" to be "3", got "0".",
          "path": "requests[1].expect.headers.x-ratelimit-remaining",
          "request": "GET /api at 10s",
        },
        {
          "actual": null,
          "expected": "*",
          "index": 3,
          "keys": [
            "headers",
            "retry-after",
          ],
          "message": "expected the response header "retry-after" with any value, but it is absent.",
          "path": "requests[1].expect.headers.retry-after",
          "request": "GET /api at 10s",
        },
        {
          "actual": "text/plain",
          "expected": null,
          "index": 3,
          "keys": [
            "headers",
            "content-type",
          ],
          "message": "expected no response header "content-type", got "text/plain".",
          "path": "requests[1].expect.headers.content-type",
          "request": "GET /api at 10s",
        },
        {
          "actual": "Too many requests, try again in a minute",
          "expected": "ok",
          "index": 3,
          "keys": [
            "body",
          ],
          "message": "expected the response body to contain "ok", but it does not.",
          "path": "requests[1].expect.body",
          "request": "GET /api at 10s",
        },
        {
          "actual": false,
          "expected": true,
          "index": 3,
          "keys": [
            "upstream",
            "reached",
          ],
          "message": "expected the request to reach the upstream, but it was answered before.",
          "path": "requests[1].expect.upstream.reached",
          "request": "GET /api at 10s",
        },
        {
          "actual": [
            "[info] count 4 of 3 in window 1735689600",
            "[warn] rate limited",
          ],
          "expected": "redis incr failed",
          "index": 3,
          "keys": [
            "logs",
            0,
          ],
          "message": "expected a plugin log line containing "redis incr failed", but none does.",
          "path": "requests[1].expect.logs[0]",
          "request": "GET /api at 10s",
        },
        {
          "actual": null,
          "expected": "stalled",
          "index": 3,
          "keys": [
            "error",
          ],
          "message": "expected error "stalled", but the request ended without one.",
          "path": "requests[1].expect.error",
          "request": "GET /api at 10s",
        },
      ]
    `);
  });

  test('checks what the upstream received when the request reached it', () => {
    const block = expectation({ upstream: { headers: { 'x-added': 'no', 'user-agent': null, 'x-missing': '*' }, body: 'bye' } });
    expect(checkExpectations(block, passedOutcome()).map((f) => `${f.path}: ${f.message}`)).toMatchInlineSnapshot(`
      [
        "requests[0].expect.upstream.headers.x-added: expected the upstream request header "x-added" to be "no", got "yes".",
        "requests[0].expect.upstream.headers.user-agent: expected no upstream request header "user-agent", got "curl".",
        "requests[0].expect.upstream.headers.x-missing: expected the upstream request header "x-missing" with any value, but it is absent.",
        "requests[0].expect.upstream.body: expected the upstream to receive a body containing "bye", but it does not.",
      ]
    `);
  });

  test('reports once that the upstream was never reached when its headers are expected', () => {
    const block = expectation({ upstream: { headers: { 'x-added': '*' } } });
    expect(checkExpectations(block, limitedOutcome()).map((f) => `${f.path}: ${f.message}`)).toMatchInlineSnapshot(`
      [
        "requests[3].expect.upstream: expected to check what the upstream received, but the request never reached it.",
      ]
    `);
  });

  test('reports an unexpected error when expect.error is null', () => {
    const outcome: Outcome = { ...passedOutcome(), error: { kind: 'stalled', message: 'request 0 is stalled.' } };
    expect(checkExpectations(expectation({ error: null }), outcome).map((f) => f.message)).toMatchInlineSnapshot(`
      [
        "expected no error, but the request ended with "stalled".",
      ]
    `);
  });

  test('reports a different error kind than the one expected', () => {
    const outcome: Outcome = { ...passedOutcome(), error: { kind: 'plugin-trap', message: 'the plugin panicked.' } };
    expect(checkExpectations(expectation({ error: 'stalled' }), outcome).map((f) => f.message)).toMatchInlineSnapshot(`
      [
        "expected error "stalled", got "plugin-trap".",
      ]
    `);
  });
});

describe('checkExpectations on chunks and trailers', () => {
  /** A streamed reply: three SSE chunks 20 ms apart, and a trailer. */
  const streamed = (): Outcome => ({
    ...passedOutcome(),
    body: 'data: 1\n\ndata: 2\n\ndata: [DONE]\n\n',
    chunks: [
      { at: 0, body: 'data: 1\n\n' },
      { at: 20, body: 'data: 2\n\n' },
      { at: 40, body: 'data: [DONE]\n\n' },
    ],
    trailers: [['x-token-usage', '42']],
  });

  test('checks the chunk count, chunks by number from either end, and trailers', () => {
    const met = expectation({ body: 'data: 2', chunks: { count: 3, body: { '0': 'data: 1', '-1': 'DONE' } }, trailers: { 'x-token-usage': '42' } });
    expect(checkExpectations(met, streamed())).toEqual([]);
    const unmet = expectation({ chunks: { count: 2, body: { '1': 'DONE', '5': 'x' } }, trailers: { 'x-token-usage': '7', 'x-other': '*' } });
    expect(checkExpectations(unmet, streamed()).map((f) => `${f.path}: ${f.message}`)).toMatchInlineSnapshot(`
      [
        "requests[0].expect.chunks.count: expected the client to receive 2 body chunk(s), got 3.",
        "requests[0].expect.chunks.body["1"]: expected chunk 1 to contain "DONE", but it does not.",
        "requests[0].expect.chunks.body["5"]: expected chunk 5 to contain "x", but the client received only 3 chunk(s).",
        "requests[0].expect.trailers.x-token-usage: expected the response trailer "x-token-usage" to be "7", got "42".",
        "requests[0].expect.trailers.x-other: expected the response trailer "x-other" with any value, but it is absent.",
      ]
    `);
  });

  test('counts a body that came in one piece as one chunk, and none as zero', () => {
    expect(checkExpectations(expectation({ chunks: { count: 1 } }), passedOutcome())).toEqual([]);
    expect(checkExpectations(expectation({ chunks: { count: 0 } }), { ...passedOutcome(), body: '' })).toEqual([]);
  });

  test('checks the chunks the upstream received', () => {
    const outcome: Outcome = { ...passedOutcome(), upstreamRequest: { headers: [], body: 'abcd', chunks: [{ at: 0, body: 'ab' }, { at: 10, body: 'cd' }] } };
    expect(checkExpectations(expectation({ upstream: { chunks: { count: 2, body: { '-1': 'cd' } } } }), outcome)).toEqual([]);
    expect(checkExpectations(expectation({ upstream: { chunks: { count: 1 } } }), outcome).map((f) => f.path)).toEqual(['requests[0].expect.upstream.chunks.count']);
  });

  test('refuses a chunk number that is not one', () => {
    expect(() => expectation({ chunks: { body: { last: 'x' } } })).toThrow(/"last" is not a chunk number; use 0 for the first, -1 for the last\./);
  });
});

describe('formatFailures', () => {
  test('groups failures by request with - expected and + actual lines', () => {
    const block = expectation({
      status: 200,
      headers: { 'retry-after': '*' },
      logs: ['redis incr failed'],
    });
    const failures = [
      ...checkExpectations(expectation({ upstream: { reached: false } }), passedOutcome()),
      ...checkExpectations(block, limitedOutcome(), 'requests[1]'),
    ];
    expect(formatFailures(failures)).toMatchInlineSnapshot(`
      "✗ request #0: GET /api at 0s
        requests[0].expect.upstream.reached: expected the request to be answered before the upstream, but it reached the upstream.
          - false
          + true
      ✗ request #3: GET /api at 10s
        requests[1].expect.status: expected status 200, got 429.
          - 200
          + 429
        requests[1].expect.headers.retry-after: expected the response header "retry-after" with any value, but it is absent.
          - "*"
          + (absent)
        requests[1].expect.logs[0]: expected a plugin log line containing "redis incr failed", but none does.
          - "redis incr failed"
          + [info] count 4 of 3 in window 1735689600
          + [warn] rate limited"
    `);
  });

  test('returns an empty string when nothing failed', () => {
    expect(formatFailures([])).toBe('');
  });
});
