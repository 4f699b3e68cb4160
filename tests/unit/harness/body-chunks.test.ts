import { describe, expect, test } from 'vitest';
import { sentBody, sseEvent } from '../../../src/harness/body-chunks.ts';
import { loadScenarioText } from '../../../src/harness/scenario.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The upstream body of a scenario written in YAML, as the parser leaves it. */
function upstreamBody(yaml: string) {
  return loadScenarioText(`upstream:\n  body:\n${yaml}\nrequests:\n  - path: /`).upstream.body;
}

describe('sentBody', () => {
  test('sends a string as one chunk, and an empty string as none', () => {
    expect(sentBody('hello')).toMatchObject({ isChunked: false, hasEvents: false, chunks: [{ afterMs: 0 }] });
    expect(sentBody('').chunks).toEqual([]);
  });

  test('sends a list chunk by chunk with each delay, writing SSE events as a server does', () => {
    const body = sentBody(upstreamBody(`    - plain
    - { text: "half", after: 20ms }
    - { data: { n: 1 }, event: delta, id: "7", after: 1.5s }
    - { data: "[DONE]" }`));
    expect(body.isChunked).toBe(true);
    expect(body.hasEvents).toBe(true);
    expect(body.chunks.map((c) => [text(c.bytes), c.afterMs])).toEqual([
      ['plain', 0],
      ['half', 20],
      ['event: delta\nid: 7\ndata: {"n":1}\n\n', 1500],
      ['data: [DONE]\n\n', 0],
    ]);
  });

  test('writes each line of multi-line data on its own data: line', () => {
    expect(sseEvent({ data: 'a\nb' })).toBe('data: a\ndata: b\n\n');
  });
});

describe('chunk items in a scenario', () => {
  test('need exactly one of text and data', () => {
    expect(() => upstreamBody('    - { after: 20ms }')).toThrow(/a chunk needs text \(sent as is\) or data \(an SSE event\); add one\./);
    expect(() => upstreamBody('    - { text: a, data: b }')).toThrow(/a chunk has either text or data, not both; keep one\./);
  });

  test('name a delay without a unit by its path', () => {
    expect(() => upstreamBody('    - { text: a, after: 20 }')).toThrow(/scenario\.upstream\.body\[0\]\.after/);
  });
});
