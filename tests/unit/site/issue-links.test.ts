import { describe, expect, test } from 'vitest';
import { issueUrl, linkIssueReferences } from '../../../src/site/issue-links.ts';

describe('linkIssueReferences', () => {
  test('links each owner/repo#number and keeps the text around it', () => {
    expect(linkIssueReferences('见 higress-group/higress#1517 和 higress-group/wasm-go#31。')).toEqual([
      { type: 'text', value: '见 ' },
      { type: 'link', url: 'https://github.com/higress-group/higress/issues/1517', children: [{ type: 'text', value: 'higress-group/higress#1517' }] },
      { type: 'text', value: ' 和 ' },
      { type: 'link', url: 'https://github.com/higress-group/wasm-go/issues/31', children: [{ type: 'text', value: 'higress-group/wasm-go#31' }] },
      { type: 'text', value: '。' },
    ]);
  });

  test('leaves text without a reference, a bare #number and a path alone', () => {
    expect(linkIssueReferences('issue #12 and examples/redis-limiter/main.go')).toBeNull();
    expect(linkIssueReferences('a URL like https://example.com/a#b')).toBeNull();
  });

  test('points at the issue page, which GitHub forwards to a pull request', () => {
    expect(issueUrl('envoyproxy', 'envoy', '23049')).toBe('https://github.com/envoyproxy/envoy/issues/23049');
  });
});
