import { describe, expect, test } from 'vitest';
import { compactInlineCode } from '../../../src/site/compact-inline-code.ts';

describe('compactInlineCode', () => {
  test('drops the dir="auto" Starlight puts on inline code, and nothing else', () => {
    const html = '<html lang="zh-CN" dir="ltr"><p>用 <code dir="auto">INCR</code> 和 <code dir="auto">EXPIRE</code></p><pre dir="ltr"><code>x</code></pre><code dir="rtl">y</code></html>';
    expect(compactInlineCode(html)).toBe('<html lang="zh-CN" dir="ltr"><p>用 <code>INCR</code> 和 <code>EXPIRE</code></p><pre dir="ltr"><code>x</code></pre><code dir="rtl">y</code></html>');
  });
});
