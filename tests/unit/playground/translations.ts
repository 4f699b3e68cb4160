/** The playground's UI strings as the views receive them, with a record of every key asked for. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { translator as siteTranslator, type Translate } from '../../../src/site/ui-strings.ts';

const I18N = join(import.meta.dirname, '..', '..', '..', 'content', 'i18n');

/** Reads one language file of the i18n collection. */
export function readStrings(lang: 'zh-CN' | 'en'): Record<string, string> {
  return JSON.parse(readFileSync(join(I18N, `${lang}.json`), 'utf8')) as Record<string, string>;
}

/** The site's own t() (src/site/ui-strings.ts), with a record of every key asked for. */
export function translator(lang: 'zh-CN' | 'en' = 'en'): Translate & { used: Set<string> } {
  const t = siteTranslator(lang);
  const used = new Set<string>();
  return Object.assign((key: string, values?: Record<string, string | number>) => (used.add(key), t(key, values)), { used });
}
