import { afterEach, describe, expect, test, vi } from 'vitest';
import { clearEdits, loadEdits, saveEdit, storageKey, type EditStorage } from '../../../src/playground/storage.ts';

/** An in-memory Web Storage. */
class MemoryStorage implements EditStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** A storage that refuses everything, like Safari's private mode or a full quota. */
class ThrowingStorage implements EditStorage {
  getItem(): string | null {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  }
  setItem(): void {
    throw new DOMException('Quota exceeded.', 'QuotaExceededError');
  }
  removeItem(): void {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('storageKey', () => {
  test('keys edits by example and format version', () => {
    expect(storageKey('redis-limiter')).toBe('higress-wasm-lab:playground:redis-limiter:v1');
  });
});

describe('loadEdits, saveEdit and clearEdits', () => {
  test('round-trip both files of an example', () => {
    const storage = new MemoryStorage();
    expect(saveEdit('redis-limiter', 'config.json', '{"qpm":5}', storage)).toBe(true);
    expect(saveEdit('redis-limiter', 'scenario.yaml', 'requests: []\n', storage)).toBe(true);
    expect(loadEdits('redis-limiter', storage)).toEqual({ config: '{"qpm":5}', scenario: 'requests: []\n' });
    expect([...storage.items.keys()]).toEqual(['higress-wasm-lab:playground:redis-limiter:v1']);
  });

  test('returns {} for an example with no edits', () => {
    expect(loadEdits('hello-world', new MemoryStorage())).toEqual({});
  });

  test('keeps each example\'s edits apart', () => {
    const storage = new MemoryStorage();
    saveEdit('redis-limiter', 'config.json', 'a', storage);
    saveEdit('hello-world', 'config.json', 'b', storage);
    expect(loadEdits('redis-limiter', storage)).toEqual({ config: 'a' });
    expect(loadEdits('hello-world', storage)).toEqual({ config: 'b' });
  });

  test('overwrites an earlier edit of the same file and keeps an empty text as an edit', () => {
    const storage = new MemoryStorage();
    saveEdit('hello-world', 'config.json', 'first', storage);
    saveEdit('hello-world', 'config.json', '', storage);
    expect(loadEdits('hello-world', storage)).toEqual({ config: '' });
  });

  test('clearEdits forgets one example only', () => {
    const storage = new MemoryStorage();
    saveEdit('redis-limiter', 'config.json', 'a', storage);
    saveEdit('hello-world', 'scenario.yaml', 'b', storage);
    expect(clearEdits('redis-limiter', storage)).toBe(true);
    expect(loadEdits('redis-limiter', storage)).toEqual({});
    expect(loadEdits('hello-world', storage)).toEqual({ scenario: 'b' });
  });

  test('report false and load nothing when storage throws', () => {
    const storage = new ThrowingStorage();
    expect(loadEdits('hello-world', storage)).toEqual({});
    expect(saveEdit('hello-world', 'config.json', '{}', storage)).toBe(false);
    expect(clearEdits('hello-world', storage)).toBe(false);
  });

  test('report false when only writing throws, as with a full quota', () => {
    const storage = new MemoryStorage();
    saveEdit('hello-world', 'config.json', 'kept', storage);
    storage.setItem = () => {
      throw new DOMException('Quota exceeded.', 'QuotaExceededError');
    };
    expect(saveEdit('hello-world', 'config.json', 'lost', storage)).toBe(false);
    expect(loadEdits('hello-world', storage)).toEqual({ config: 'kept' });
  });

  test.each([
    ['text that is not JSON', '{"config": '],
    ['a JSON array', '["config"]'],
    ['a JSON string', '"config"'],
    ['null', 'null'],
  ])('ignores a stored value that is %s', (_, raw) => {
    const storage = new MemoryStorage();
    storage.setItem(storageKey('hello-world'), raw);
    expect(loadEdits('hello-world', storage)).toEqual({});
    expect(saveEdit('hello-world', 'scenario.yaml', 'requests: []', storage)).toBe(true);
    expect(loadEdits('hello-world', storage)).toEqual({ scenario: 'requests: []' });
  });

  test('drops stored fields that are not strings and keeps the rest', () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKey('hello-world'), JSON.stringify({ config: 42, scenario: 'requests: []', extra: 'x' }));
    expect(loadEdits('hello-world', storage)).toEqual({ scenario: 'requests: []' });
  });
});

describe('the default storage', () => {
  test('is globalThis.localStorage', () => {
    const storage = new MemoryStorage();
    vi.stubGlobal('localStorage', storage);
    expect(saveEdit('hello-world', 'config.json', '{}')).toBe(true);
    expect(storage.getItem(storageKey('hello-world'))).toBe('{"config":"{}"}');
    expect(loadEdits('hello-world')).toEqual({ config: '{}' });
    expect(clearEdits('hello-world')).toBe(true);
    expect(storage.items.size).toBe(0);
  });

  test('is absent without crashing when there is no localStorage', () => {
    vi.stubGlobal('localStorage', undefined);
    expect(loadEdits('hello-world')).toEqual({});
    expect(saveEdit('hello-world', 'config.json', '{}')).toBe(false);
    expect(clearEdits('hello-world')).toBe(false);
  });

  test('is absent without crashing when reading localStorage itself throws', () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
    try {
      expect(loadEdits('hello-world')).toEqual({});
      expect(saveEdit('hello-world', 'config.json', '{}')).toBe(false);
    } finally {
      if (descriptor) Object.defineProperty(globalThis, 'localStorage', descriptor);
      else delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });
});
