import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tokenizeCode } from '../../../src/site/code-tokens.ts';
import { CODE_FOREGROUND } from '../../../src/site/compact-code.ts';
import { CODE_THEMES } from '../../../src/site/code-themes.ts';

const ROOT = join(import.meta.dirname, '../../..');

describe('tokenizeCode', () => {
  test('colours every keyword of a real example, and only within the text', async () => {
    const text = readFileSync(join(ROOT, 'examples/hello-world/main.go'), 'utf8');
    const { styles, spans, colors } = await tokenizeCode(text, 'go');
    expect(spans.length % 3).toBe(0);
    const tokens = [];
    for (let i = 0; i < spans.length; i += 3) tokens.push({ text: text.slice(spans[i]!, spans[i]! + spans[i + 1]!), style: styles[spans[i + 2]!]! });
    for (const t of tokens) expect(t.text.trim()).not.toBe('');
    const funcs = tokens.filter((t) => t.text === 'func');
    expect(funcs.length).toBe(text.match(/\bfunc\b/g)!.length);
    // One colour pair for a keyword everywhere, different from the text colour.
    expect(new Set(funcs.map((t) => JSON.stringify(t.style))).size).toBe(1);
    expect(funcs[0]!.style.dark.toLowerCase()).not.toBe(colors.dark.toLowerCase());
    expect(colors.darkBg).toMatch(/^#[0-9a-f]{6}$/i);
  });

  test('the themes\' foreground is what compact-code.ts takes for plain text', async () => {
    const { colors } = await tokenizeCode('x', 'go');
    expect(colors.dark.toLowerCase()).toBe(CODE_FOREGROUND.dark.toLowerCase());
    expect(colors.light.toLowerCase()).toBe(CODE_FOREGROUND.light.toLowerCase());
    const config = readFileSync(join(ROOT, 'astro.config.mjs'), 'utf8');
    expect(config).toContain('CODE_THEMES');
    expect(CODE_THEMES).toEqual({ dark: 'night-owl', light: 'night-owl-light' });
  });
});
