/**
 * Keeps the reader's playground edits (config.json and scenario.yaml) per example in localStorage.
 * Storage is a convenience: when it is missing, full or throws (private mode), edits only live in
 * the page, and nothing here throws.
 */

/** The part of the Web Storage API this module uses; tests pass their own. */
export interface EditStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The playground files a reader can edit. */
export type EditableFile = 'config.json' | 'scenario.yaml' | 'main.go';

/** The edits saved for one example; a file that was never edited is absent. */
export interface SavedEdits {
  config?: string;
  scenario?: string;
  /** The reader's main.go, once they edit the code. */
  code?: string;
}

const FIELD_OF: Record<EditableFile, keyof SavedEdits> = {
  'config.json': 'config',
  'scenario.yaml': 'scenario',
  'main.go': 'code',
};

/** The localStorage key of one example's edits; bump the version when the stored shape changes. */
export function storageKey(example: string): string {
  return `higress-wasm-lab:playground:${example}:v1`;
}

/**
 * Returns the saved edits of `example`, or {} when there are none, storage is unavailable, or the
 * stored value is not the JSON object this module writes. Fields that are not strings are dropped.
 */
export function loadEdits(example: string, storage: EditStorage | undefined = defaultStorage()): SavedEdits {
  let raw: string | null;
  try {
    raw = storage?.getItem(storageKey(example)) ?? null;
  } catch {
    return {};
  }
  return raw === null ? {} : parseEdits(raw);
}

/**
 * Saves `text` as the reader's version of `file` for `example`, keeping the other file's edit.
 * Returns false when it could not be saved (no storage, quota exceeded, access denied).
 */
export function saveEdit(example: string, file: EditableFile, text: string, storage: EditStorage | undefined = defaultStorage()): boolean {
  if (!storage) return false;
  const edits: SavedEdits = { ...loadEdits(example, storage), [FIELD_OF[file]]: text };
  try {
    storage.setItem(storageKey(example), JSON.stringify(edits));
    return true;
  } catch {
    return false;
  }
}

/** Forgets every edit of `example`, back to the example's own files. Returns false when storage refused. */
export function clearEdits(example: string, storage: EditStorage | undefined = defaultStorage()): boolean {
  if (!storage) return false;
  try {
    storage.removeItem(storageKey(example));
    return true;
  } catch {
    return false;
  }
}

/** globalThis.localStorage, or undefined where it is missing or reading it throws (sandboxed frames, disabled storage). */
function defaultStorage(): EditStorage | undefined {
  try {
    return (globalThis as { localStorage?: EditStorage }).localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

function parseEdits(raw: string): SavedEdits {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const { config, scenario, code } = value as Record<string, unknown>;
  return {
    ...(typeof config === 'string' ? { config } : {}),
    ...(typeof scenario === 'string' ? { scenario } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}
