/**
 * An example's files as the page fetches them on first need (src/site/example-files-route.ts): one
 * request per example and page, shared by its playgrounds.
 */
import type { ExampleFilesPayload } from '../site/example-files-route.ts';

export type { ExampleFilesPayload };

const loads = new Map<string, Promise<ExampleFilesPayload>>();

/** Fetches the example's files once per URL; a failed fetch is retried by the next call. */
export function loadExampleFiles(url: string): Promise<ExampleFilesPayload> {
  let load = loads.get(url);
  if (!load) {
    load = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json() as Promise<ExampleFilesPayload>;
    });
    load.catch(() => loads.delete(url));
    loads.set(url, load);
  }
  return load;
}

/** Calls `use` once `element` comes within about a screen of the viewport (at once without IntersectionObserver). */
export function whenNearViewport(element: Element, use: () => void): void {
  if (typeof IntersectionObserver === 'undefined') return use();
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      use();
    },
    { rootMargin: '100% 0px' },
  );
  observer.observe(element);
}
