import { markdownToHtml, mdxToJs } from 'satteri';
import { describe, expect, test } from 'vitest';
import { cjkLineBreaks, joinCjkLines } from '../../../src/site/cjk-line-breaks.ts';

describe('joinCjkLines', () => {
  test('removes a line break between two Chinese characters', () => {
    expect(joinCjkLines('个请求，\n超出的请求')).toBe('个请求，超出的请求');
    expect(joinCjkLines('一个插件\n实例')).toBe('一个插件实例');
  });

  test('removes the spaces around the break too', () => {
    expect(joinCjkLines('一个插件  \t\n  实例')).toBe('一个插件实例');
    expect(joinCjkLines('一个插件\r\n实例')).toBe('一个插件实例');
  });

  test('keeps a break between Chinese and Latin text or digits as it is', () => {
    expect(joinCjkLines('用\nGo 写')).toBe('用\nGo 写');
    expect(joinCjkLines('Go\n写')).toBe('Go\n写');
    expect(joinCjkLines('第\n61 秒')).toBe('第\n61 秒');
  });

  test('joins full-width punctuation to Latin text', () => {
    expect(joinCjkLines('返回 429，\nRedis')).toBe('返回 429，Redis');
    expect(joinCjkLines('qpm\n（每分钟）')).toBe('qpm（每分钟）');
  });

  test('joins kana and characters outside the BMP', () => {
    expect(joinCjkLines('ひらがな\nカタカナ')).toBe('ひらがなカタカナ');
    expect(joinCjkLines('𠀀\n𠀁')).toBe('𠀀𠀁');
  });

  test('leaves English and Korean line breaks alone', () => {
    expect(joinCjkLines('a rate\nlimiter, “quoted”\n“text”')).toBe('a rate\nlimiter, “quoted”\n“text”');
    expect(joinCjkLines('한국어\n문장')).toBe('한국어\n문장');
    expect(joinCjkLines('1 ·\n工具')).toBe('1 ·\n工具');
  });

  test('reads the neighbouring text for a break at the start or end', () => {
    expect(joinCjkLines('\n超出', '请求')).toBe('超出');
    expect(joinCjkLines('请求\n', '', '超出')).toBe('请求');
    expect(joinCjkLines('\n超出', 'qpm')).toBe('\n超出');
    expect(joinCjkLines('\n超出')).toBe('\n超出');
  });
});

describe('cjkLineBreaks', () => {
  // Sätteri answers synchronously unless a plugin is async; `await` covers both.
  const html = async (md: string, plugins = [cjkLineBreaks()]) => (await markdownToHtml(md, { mdastPlugins: plugins })).html.trim();

  test('joins wrapped Chinese lines in a paragraph and a list item', async () => {
    expect(await html('一个请求，\n超出的请求\n收到 429。\n\n- 列表\n  继续')).toBe(
      '<p>一个请求，超出的请求收到 429。</p>\n<ul>\n<li>列表继续</li>\n</ul>',
    );
  });

  test('joins across emphasis, links and inline code', async () => {
    expect(await html('先看**粗体**\n中文，再看\n[链接](/a)\n和 `代码`\n说明')).toBe(
      '<p>先看<strong>粗体</strong>中文，再看<a href="/a">链接</a>和 <code>代码</code>说明</p>',
    );
  });

  test('keeps the space between Chinese and inline code that starts with Latin text', async () => {
    expect(await html('在等待 Redis 时返回\n`HeaderStop`，并且')).toBe('<p>在等待 Redis 时返回\n<code>HeaderStop</code>，并且</p>');
  });

  test('leaves English paragraphs unchanged', async () => {
    const md = 'Every request\nover the *limit*\ngets a 429.';
    expect(await html(md)).toBe(await html(md, []));
  });

  test('applies to MDX, around a component', async () => {
    const { code } = await mdxToJs('<Aside>\n一个插件\n实例\n</Aside>\n\n文字<Badge text="x" />\n继续', { mdastPlugins: [cjkLineBreaks()] });
    expect(code).toContain('"一个插件实例"');
    expect(code).toContain('"\\n继续"');
  });
});
