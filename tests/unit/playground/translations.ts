/** The playground's UI strings as the views receive them, with a record of every key asked for. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const I18N = join(import.meta.dirname, '..', '..', '..', 'content', 'i18n');

/** Reads one language file of the i18n collection. */
export function readStrings(lang: 'zh-CN' | 'en'): Record<string, string> {
  return JSON.parse(readFileSync(join(I18N, `${lang}.json`), 'utf8')) as Record<string, string>;
}

/** A t() like the site's: the string for a key, or the key itself when the language lacks it. */
export function translator(lang: 'zh-CN' | 'en' = 'en'): ((key: string) => string) & { used: Set<string> } {
  const strings = readStrings(lang);
  const used = new Set<string>();
  return Object.assign((key: string) => (used.add(key), strings[key] ?? key), { used });
}
