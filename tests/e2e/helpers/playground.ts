/** Driving a `<wasm-playground>` through the API the element exposes (src/playground/playground-element.ts). */
import type { Locator } from 'playwright-core';

export type PlaygroundElement = HTMLElement & { playground: { setFile(name: string, text: string): void; run(): Promise<{ outcomes: Array<{ status: number }> } | null> } };

/** Puts `code` into the playground's main.go, builds it in the browser and runs it; the statuses, or null when the Run produced none (a compile error). */
export function buildAndRun(playground: Locator, code: string): Promise<number[] | null> {
  return playground.evaluate(async (el, text) => {
    const api = (el as PlaygroundElement).playground;
    api.setFile('main.go', text);
    return (await api.run())?.outcomes.map((o) => o.status) ?? null;
  }, code);
}
