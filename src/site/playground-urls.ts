/**
 * Where a playground of an example fetches its files and its compiled plugin: one place for
 * Playground.astro and the playground page, which switches between examples.
 */
import { exampleFilesHash } from './example-sources.ts';
import { pluginVersion, type AssetContext } from './playground-assets.ts';

export interface PlaygroundUrls {
  /** The example's files as JSON (src/site/example-files-route.ts), versioned by their content. */
  filesUrl: string;
  /** The compiled plugin, gzipped: a third of the bytes, inflated by the browser while it compiles (tools/build-examples.ts). */
  wasmUrl: string;
}

export function playgroundUrls(example: string, context: AssetContext): PlaygroundUrls {
  return {
    filesUrl: `${context.base}/example-files/${example}.json?v=${exampleFilesHash(example)}`,
    wasmUrl: `${context.base}/wasm/${example}.wasm.gz?v=${pluginVersion(example, context)}`,
  };
}
