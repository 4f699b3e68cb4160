/**
 * The site's two code themes (Shiki's Night Owl pair), for Expressive Code's static blocks
 * (astro.config.mjs), the playground's fetched code (code-tokens.ts) and compact-code.ts. Monaco
 * loads the same two by name in src/playground/editor/monaco.ts.
 */
export const CODE_THEMES = { dark: 'night-owl', light: 'night-owl-light' } as const;
