/**
 * The site's own UI strings (playground.*, outcome.*, …) for a page's language: the same
 * content/i18n/<lang>.json files Starlight reads its strings from, so server-rendered markup and
 * scripts in the page word things alike. Used by components at build time and by scripts in the
 * page (the dictionaries are small; both ship in the playground's script).
 */
import en from '../../content/i18n/en.json' with { type: 'json' };
import zhCN from '../../content/i18n/zh-CN.json' with { type: 'json' };

export type Translate = (key: string, values?: Record<string, string | number>) => string;

const DICTIONARIES: Record<string, Record<string, string>> = { 'zh-CN': zhCN, en };

/** The language of a page as its <html lang> says; zh-CN (the site's root locale) otherwise. */
export function pageLanguage(lang: string | undefined): 'zh-CN' | 'en' {
  return lang?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/**
 * A translator for `lang`: the string for a key with `{name}` placeholders filled, or the key
 * itself when the language lacks it (a missing string shows rather than hides; the i18n tests
 * require every key in both languages).
 */
export function translator(lang: string | undefined): Translate {
  const strings = DICTIONARIES[pageLanguage(lang)]!;
  return (key, values) => {
    const text = strings[key] ?? key;
    if (!values) return text;
    return Object.entries(values).reduce((out, [name, value]) => out.replaceAll(`{${name}}`, String(value)), text);
  };
}
