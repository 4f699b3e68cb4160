/**
 * The Web Worker that runs gofmt for the playground's Format button: tools/gofmt-wasm (go/format,
 * built for js/wasm like the compiler; src/gobuild/gofmt.ts runs it). It starts on the first press
 * and fetches only gofmt and wasm_exec.js (about 1 MB), through the same loader and Cache Storage
 * as the build worker; both stay loaded for the next press. A worker of its own, so formatting
 * never waits for a build, and cancelling a build never stops it.
 */
import { formatGoSource, type GofmtAnswer } from '../gobuild/gofmt.ts';
import type { ToolchainLoader } from '../gobuild/toolchain-loader.ts';
import { openToolchain } from './open-toolchain.ts';

export type ToGofmtWorker = { type: 'format'; id: number; baseUrl: string; source: string };

export type FromGofmtWorker = { type: 'formatted'; id: number; answer: GofmtAnswer } | { type: 'failed'; id: number; message: string };

const post = (message: FromGofmtWorker) => self.postMessage(message);

let loader: Promise<ToolchainLoader> | null = null;

async function format(message: ToGofmtWorker): Promise<GofmtAnswer> {
  loader ??= openToolchain(message.baseUrl);
  loader.catch(() => (loader = null));
  return formatGoSource(await (await loader).gofmt(), message.source);
}

self.addEventListener('message', (event: MessageEvent<ToGofmtWorker>) => {
  const message = event.data;
  format(message).then(
    (answer) => post({ type: 'formatted', id: message.id, answer }),
    (error: unknown) => post({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) }),
  );
});
