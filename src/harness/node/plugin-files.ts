/**
 * Resolves what the CLI is asked to run: an example name (`redis-limiter` → its built wasm and its
 * config.json) or a path to a .wasm file; reads scenario and config files with one-sentence errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { HarnessError } from '../errors.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export interface ResolvedPlugin {
  name: string;
  wasmPath: string;
  bytes: Uint8Array;
  /** The example's config.json, when the plugin is an example. */
  defaultConfig?: unknown;
}

/** A file the user named that cannot be read or parsed. */
export class InputFileError extends HarnessError {
  constructor(message: string) {
    super('bad-input', message);
    this.name = 'InputFileError';
  }
}

/** Finds and reads a plugin by example name or .wasm path (relative to `cwd`). */
export function resolvePlugin(plugin: string, cwd = process.cwd()): ResolvedPlugin {
  const asPath = resolve(cwd, plugin);
  if (plugin.endsWith('.wasm') || (plugin.includes('/') && existsSync(asPath))) {
    if (!existsSync(asPath)) throw new InputFileError(`${plugin} does not exist; build it with GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o ${plugin}.`);
    return { name: basename(asPath, '.wasm'), wasmPath: asPath, bytes: readFileSync(asPath) };
  }
  const exampleDir = resolve(REPO_ROOT, 'examples', plugin);
  if (!existsSync(exampleDir)) {
    throw new InputFileError(`"${plugin}" is neither a .wasm file nor an example; name an example folder under examples/ or a path ending in .wasm.`);
  }
  const wasmPath = resolve(REPO_ROOT, 'public/wasm', `${plugin}.wasm`);
  if (!existsSync(wasmPath)) throw new InputFileError(`examples/${plugin} is not built yet; run \`npm run build:examples\` and try again.`);
  const configPath = resolve(exampleDir, 'config.json');
  return {
    name: plugin,
    wasmPath,
    bytes: readFileSync(wasmPath),
    ...(existsSync(configPath) ? { defaultConfig: readJson(configPath) } : {}),
  };
}

/** Reads `--config`: inline JSON (starting with `{`) or a JSON file. */
export function readConfigArgument(value: string, cwd = process.cwd()): unknown {
  if (value.trimStart().startsWith('{')) {
    try {
      return JSON.parse(value);
    } catch (error) {
      throw new InputFileError(`--config is not valid JSON (${(error as Error).message}); pass a JSON object or a file path.`);
    }
  }
  return readJson(resolve(cwd, value));
}

/** Reads a text file, or throws a one-sentence error naming it. */
export function readText(path: string): string {
  if (!existsSync(path)) throw new InputFileError(`${path} does not exist; check the path.`);
  return readFileSync(path, 'utf8');
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readText(path));
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`${path} is not valid JSON: ${(error as Error).message}.`);
  }
}
