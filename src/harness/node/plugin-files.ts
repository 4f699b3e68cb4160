/**
 * Resolves what the CLI is asked to run: an example name (`redis-limiter` → its built wasm and its
 * config.json) or a path to a .wasm file; reads scenario and config files with one-sentence errors.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { closest, HarnessError, show } from '../errors.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

const BUILD_COMMAND = 'GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared';

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
    if (!existsSync(asPath)) throw new InputFileError(`${plugin} does not exist; build it with ${BUILD_COMMAND} -o ${plugin}.`);
    if (isDirectory(asPath, plugin)) {
      const example = resolve(asPath, '..') === resolve(REPO_ROOT, 'examples') ? basename(asPath) : undefined;
      throw new InputFileError(
        example !== undefined && listExamples().includes(example)
          ? `${plugin} is a directory; name the example as ${example}, or a built .wasm file.`
          : `${plugin} is a directory, not a .wasm file; build the plugin with ${BUILD_COMMAND} -o main.wasm and name that file.`,
      );
    }
    return { name: basename(asPath, '.wasm'), wasmPath: asPath, bytes: readBytes(asPath, plugin) };
  }
  const examples = listExamples();
  // Outside a clone of the repository (the installed wasm-lab package) there are no examples to name.
  if (examples.length === 0) throw new InputFileError(`${show(plugin)} is not a .wasm file; name your plugin's build, e.g. ./main.wasm (make build, or ${BUILD_COMMAND} -o main.wasm).`);
  if (!examples.includes(plugin)) {
    const near = closest(plugin, examples);
    const fix = near === undefined ? `name an example (${examples.join(', ')}) or a path ending in .wasm.` : `did you mean "${near}"?`;
    throw new InputFileError(`${show(plugin)} is neither a .wasm file nor an example; ${fix}`);
  }
  const wasmPath = resolve(REPO_ROOT, 'public/wasm', `${plugin}.wasm`);
  if (!existsSync(wasmPath)) throw new InputFileError(`examples/${plugin} is not built yet; run \`npm run build:examples\` and try again.`);
  const configPath = resolve(REPO_ROOT, 'examples', plugin, 'config.json');
  return {
    name: plugin,
    wasmPath,
    bytes: readBytes(wasmPath, `public/wasm/${plugin}.wasm`),
    ...(existsSync(configPath) ? { defaultConfig: readJson(configPath) } : {}),
  };
}

/** The Go plugins in `dir`: its sub-folders that have a go.mod, sorted (none when `dir` is missing). */
export function listGoPlugins(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(resolve(dir, d.name, 'go.mod')))
    .map((d) => d.name)
    .sort();
}

const listExamples = () => listGoPlugins(resolve(REPO_ROOT, 'examples'));

/**
 * Reads `--config`: inline JSON (anything that parses as JSON, or starts like a JSON object, list
 * or string) or else a JSON file. Either way the value must be a JSON object: Higress delivers a
 * plugin's config as an object, and wasm-go's rule matcher reads anything else as an empty config.
 */
export function readConfigArgument(value: string, cwd = process.cwd()): Record<string, unknown> {
  const text = value.trim();
  if (text === '') throw new InputFileError('--config is empty; pass a JSON object like \'{"qpm": 10}\' or a path to a JSON file.');
  let parsed: { value: unknown } | undefined;
  try {
    parsed = { value: JSON.parse(text) };
  } catch (error) {
    if (/^[[{"]/.test(text)) {
      throw new InputFileError(`--config is not valid JSON (${(error as Error).message}); pass a JSON object or a file path.`);
    }
  }
  if (parsed !== undefined) return asConfigObject(parsed.value, '--config is');
  const path = resolve(cwd, value);
  if (!existsSync(path)) {
    throw new InputFileError(`--config ${show(value)} is neither JSON nor an existing file; pass a JSON object like '{"qpm": 10}' or a path to a JSON file.`);
  }
  return asConfigObject(readJson(path), `${value} holds`);
}

function asConfigObject(value: unknown, subject: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  const kind = Array.isArray(value) ? 'a JSON list' : value === null ? 'JSON null' : `a JSON ${typeof value}`;
  throw new InputFileError(`${subject} ${kind}, not an object; a plugin's config is a JSON object like {"qpm": 10}, and wasm-go would read anything else as an empty config.`);
}

/** Reads a text file, or throws a one-sentence error naming it. */
export function readText(path: string): string {
  return readFile(path, path, 'utf8');
}

/** Reads a binary file; `label` is how messages name it. */
function readBytes(path: string, label: string): Uint8Array {
  return readFile(path, label);
}

function readFile(path: string, label: string): Uint8Array;
function readFile(path: string, label: string, encoding: 'utf8'): string;
function readFile(path: string, label: string, encoding?: 'utf8'): Uint8Array | string {
  if (isDirectory(path, label)) throw new InputFileError(`${label} is a directory; name a file in it.`);
  try {
    return encoding === undefined ? readFileSync(path) : readFileSync(path, encoding);
  } catch (error) {
    const isPermission = ['EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '');
    throw new InputFileError(`${label} cannot be read: ${reasonOf(error)}; ${isPermission ? 'check its permissions' : 'name a regular file'}.`);
  }
}

/** Whether `path` is a directory; throws InputFileError when it does not exist or cannot be looked at. */
function isDirectory(path: string, label: string): boolean {
  let stats;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw new InputFileError(`${label} cannot be read: ${reasonOf(error)}; check the path and its permissions.`);
  }
  if (stats === undefined) throw new InputFileError(`${label} does not exist; check the path.`);
  return stats.isDirectory();
}

function readJson(path: string): unknown {
  const text = readText(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputFileError(`${path} is not valid JSON: ${(error as Error).message}.`);
  }
}

/** A Node file error in words: its code and what it means, without the path Node repeats. */
function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const words: Record<string, string> = { EACCES: 'permission denied', EPERM: 'operation not permitted', EISDIR: 'it is a directory', EMFILE: 'too many open files' };
  const known = code === undefined ? undefined : words[code];
  if (known !== undefined) return `${known} (${code})`;
  // Node words the rest as "CODE: description, syscall 'path'"; the path is already in the sentence.
  return error instanceof Error ? error.message.split(', ')[0]! : String(error);
}
