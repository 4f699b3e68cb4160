/** Launches Debian's Chromium through playwright-core; never downloads a browser. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Starts headless Chromium with no background network chatter. `launch()` always gives the browser
 * a fresh, empty temporary profile (playwright refuses a `--user-data-dir` argument here).
 * `extraArgs` are added to the command line (e.g. `--js-flags=…` to set V8 limits).
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found; install it with \`apt-get install chromium\` or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/** Collects console errors and uncaught page errors, so a test can assert there were none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

/**
 * Waits until `predicate`, evaluated in the page, resolves to true. For async predicates (Cache
 * Storage, the service worker): page.waitForFunction does not await a returned promise, and a
 * promise is truthy, so it would return at once.
 */
export async function waitForAsync<A>(page: Page, predicate: (arg: A) => Promise<boolean>, arg: A, options: { timeout: number; polling?: number }): Promise<void> {
  const deadline = Date.now() + options.timeout;
  for (;;) {
    // The argument crosses to the page as JSON: what arrives is an A.
    if (await page.evaluate(predicate as (arg: unknown) => Promise<boolean>, arg as unknown)) return;
    if (Date.now() > deadline) throw new Error(`waitForAsync: still false after ${options.timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.polling ?? 250));
  }
}
