/** Serves the built site and starts Chromium once per test file, closing both afterwards. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.ts';
import { serveStatic, type StaticSite } from './static-server.ts';

export interface BuiltSite {
  /** Available inside tests (set in beforeAll). */
  readonly site: StaticSite;
  readonly browser: Browser;
}

/** Registers the beforeAll/afterAll hooks and returns the object they fill in. */
export function useBuiltSite(): BuiltSite {
  const state = {} as { site: StaticSite; browser: Browser };
  beforeAll(async () => {
    state.site = await serveStatic();
    state.browser = await launchChromium();
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.site?.close();
  });
  return state;
}
