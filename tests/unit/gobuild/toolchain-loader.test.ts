import { brotliCompressSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { createToolchainLoader, decodePublished, type ToolchainStore, unpackBundle } from '../../../src/gobuild/toolchain-loader.ts';
import type { PublishedBundle, PublishedFile, PublishedToolchain } from '../../../src/gobuild/toolchain-manifest.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const publishedFile = (file: string, raw: Uint8Array, compressed: Uint8Array): PublishedFile => ({ file, sizeBytes: raw.length, compressedBytes: compressed.length });

describe('decodePublished', () => {
  test('decodes brotli (as node:zlib writes it) back to the original bytes', () => {
    const raw = bytes('package archive '.repeat(5000));
    const compressed = brotliCompressSync(raw);
    expect(decodePublished(compressed, publishedFile('a.br', raw, compressed))).toEqual(raw);
  });

  test('takes bytes the browser already decoded (Content-Encoding: br) as they are', () => {
    const raw = bytes('package archive '.repeat(5000));
    const compressed = brotliCompressSync(raw);
    expect(decodePublished(raw, publishedFile('a.br', raw, compressed))).toBe(raw);
  });

  test('names the file when its bytes are damaged or of the wrong size', () => {
    const raw = bytes('x'.repeat(1000));
    const compressed = brotliCompressSync(raw);
    expect(() => decodePublished(compressed.subarray(0, 5), publishedFile('pkg/b.br', raw, compressed))).toThrow(/pkg\/b\.br is damaged/);
    expect(() => decodePublished(compressed, { ...publishedFile('pkg/c.br', raw, compressed), sizeBytes: 1200 })).toThrow(/pkg\/c\.br is damaged: 1000 bytes after decoding, 1200 expected/);
  });

  test('lets an allocation failure through, so a tab short of memory is not told its download is damaged', () => {
    const raw = bytes('x'.repeat(1000));
    const compressed = brotliCompressSync(raw);
    // No machine gives a 1 TiB buffer: the decoder's output allocation fails as it would in a tab out of memory.
    expect(() => decodePublished(compressed, { ...publishedFile('pkg/d.br', raw, compressed), sizeBytes: 2 ** 40 })).toThrow(new RangeError('Array buffer allocation failed'));
  });
});

describe('unpackBundle and the loader', () => {
  const one = bytes('!<arch>\none');
  const two = bytes('!<arch>\ntwo-two');
  const raw = new Uint8Array([...one, ...two]);
  const compressed = brotliCompressSync(raw);
  const bundle: PublishedBundle = { ...publishedFile('pkg/bundle-1.bin.br', raw, compressed), members: [['one.a', 0, one.length], ['two.a', one.length, two.length]] };

  test('slices a bundle into its archives', () => {
    const archives = unpackBundle(raw, bundle);
    expect(archives.get('one.a')).toEqual(one);
    expect(archives.get('two.a')).toEqual(two);
    expect(() => unpackBundle(raw.subarray(0, 10), bundle)).toThrow(/shorter than its manifest/);
  });

  test('gives an example its packages in link order, fetching each bundle once', async () => {
    const tool = (file: string, size: number): PublishedFile => ({ file, sizeBytes: size * 4, compressedBytes: size });
    const manifest = {
      goVersion: 'go1.26.0',
      compile: tool('compile.wasm.br', 1000),
      link: tool('link.wasm.br', 200),
      wasmExec: tool('wasm_exec.js.br', 30),
      examples: {
        a: { lang: 'go1.24', packages: [['p/two', 'two.a'], ['p/one', 'one.a']], bundles: [bundle.file] },
        b: { lang: 'go1.24', packages: [['p/one', 'one.a']], bundles: [bundle.file] },
      },
      bundles: { [bundle.file]: bundle },
    } as unknown as PublishedToolchain;
    const fetched: string[] = [];
    const loader = createToolchainLoader(manifest, async (file) => {
      fetched.push(file.file);
      return compressed;
    });
    expect(loader.pendingBytes('a')).toBe(1230 + compressed.length);
    const a = await loader.packages('a');
    // The bundle is loaded now; the tools are still to come.
    expect(loader.pendingBytes('b')).toBe(1230);
    expect(a.map((p) => [p.importPath, new TextDecoder().decode(p.bytes)])).toEqual([['p/two', '!<arch>\ntwo-two'], ['p/one', '!<arch>\none']]);
    await loader.packages('b');
    expect(fetched).toEqual([bundle.file]);
    await expect(loader.packages('c')).rejects.toThrow(/no package list for c; rebuild the site/);
  });

  test('adds the standard-library extras only when the edited code imports one the example lacks', async () => {
    const extraRaw = bytes('!<arch>\nregexp');
    const extraCompressed = brotliCompressSync(extraRaw);
    const extraBundle: PublishedBundle = { ...publishedFile('pkg/bundle-2.bin.br', extraRaw, extraCompressed), members: [['regexp.a', 0, extraRaw.length]] };
    const tool = (file: string): PublishedFile => ({ file, sizeBytes: 40, compressedBytes: 10 });
    const manifest = {
      goVersion: 'go1.26.0',
      compile: tool('c.br'),
      link: tool('l.br'),
      wasmExec: tool('w.br'),
      examples: { a: { lang: 'go1.24', packages: [['p/one', 'one.a']], bundles: [bundle.file] } },
      // p/one is in both closures: the example's archive is kept, not listed twice.
      extras: { packages: [['p/one', 'one.a'], ['regexp', 'regexp.a']], bundles: [bundle.file, extraBundle.file] },
      bundles: { [bundle.file]: bundle, [extraBundle.file]: extraBundle },
    } as unknown as PublishedToolchain;
    const fetched: string[] = [];
    const loader = createToolchainLoader(manifest, async (file) => {
      fetched.push(file.file);
      return file.file === extraBundle.file ? extraCompressed : compressed;
    });
    expect(loader.pendingBytes('a', ['fmt', 'p/one'])).toBe(30 + compressed.length);
    expect(loader.pendingBytes('a', ['regexp'])).toBe(30 + compressed.length + extraCompressed.length);
    expect((await loader.packages('a', ['p/one'])).map((p) => p.importPath)).toEqual(['p/one']);
    expect(fetched).toEqual([bundle.file]);
    expect((await loader.packages('a', ['regexp', 'p/one'])).map((p) => p.importPath)).toEqual(['p/one', 'regexp']);
    expect(fetched).toEqual([bundle.file, extraBundle.file]);
  });
});

describe('the loader with a ToolchainStore', () => {
  /** The smallest valid WebAssembly module: what the fake tools are. */
  const EMPTY_MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  const archive = bytes('!<arch>\nkept');
  const files = {
    compile: EMPTY_MODULE,
    link: EMPTY_MODULE,
    wasmExec: bytes('globalThis.Go ??= class { };'),
    bundle: archive,
  };
  const compressed = Object.fromEntries(Object.entries(files).map(([name, raw]) => [name, brotliCompressSync(raw)]));
  const published = (name: keyof typeof files, ext: string): PublishedFile => publishedFile(`${name}-0123456789abcdef01234567${ext}.br`, files[name], compressed[name]!);
  const bundle: PublishedBundle = { ...published('bundle', '.bin'), members: [['kept.a', 0, archive.length]] };
  const manifest = {
    goVersion: 'go1.26.0',
    compile: published('compile', '.wasm'),
    link: published('link', '.wasm'),
    wasmExec: published('wasmExec', '.js'),
    examples: { a: { lang: 'go1.24', packages: [['p/kept', 'kept.a']], bundles: [bundle.file] } },
    bundles: { [bundle.file]: bundle },
  } as unknown as PublishedToolchain;
  const rawOf = (file: PublishedFile) => Object.entries(files).find(([name]) => file.file.startsWith(`${name}-`))![1];

  /** A store in memory that logs what the loader asks of it. */
  function memoryStore(kept: PublishedFile[] = []) {
    const stored = new Map<string, Uint8Array>(kept.map((file) => [file.file, rawOf(file)]));
    const log: string[] = [];
    const store: ToolchainStore = {
      has: (file) => stored.has(file.file),
      async read(file) {
        log.push(`read ${file.file}`);
        return stored.get(file.file) ?? null;
      },
      async write(file, data) {
        log.push(`write ${file.file}`);
        stored.set(file.file, data);
      },
      async compile(file) {
        log.push(`compile ${file.file}`);
        const data = stored.get(file.file);
        return data ? { module: await WebAssembly.compile(data as BufferSource), source: 'service-worker' } : null;
      },
      async refresh(file) {
        log.push(`refresh ${file.file}`);
      },
    };
    return { store, log };
  }
  const downloads = (fetched: string[]) => async (file: PublishedFile) => {
    fetched.push(file.file);
    return compressed[Object.keys(files).find((name) => file.file.startsWith(`${name}-`))!]!;
  };

  test('downloads what the store lacks, keeps it there, and compiles the tools from the store', async () => {
    const { store, log } = memoryStore();
    const fetched: string[] = [];
    const loader = createToolchainLoader(manifest, downloads(fetched), store);
    expect(loader.pendingBytes('a')).toBe(Object.values(compressed).reduce((n, c) => n + c.length, 0));
    await Promise.all([loader.tools(), loader.packages('a')]);
    expect(fetched.sort()).toEqual([manifest.compile.file, manifest.link.file, manifest.wasmExec.file, bundle.file].sort());
    expect(log.filter((l) => l.startsWith('write')).sort()).toEqual(fetched.map((f) => `write ${f}`).sort());
    expect(log).toContain(`compile ${manifest.compile.file}`);
    expect(loader.pendingBytes('a')).toBe(0);
    expect(loader.stats()).toMatchObject({ filesDownloaded: 4, filesFromStore: 0, downloadedBytes: Object.values(compressed).reduce((n, c) => n + c.length, 0), lastToolSource: 'service-worker' });
  });

  test('takes kept files from the store: nothing to download, nothing decoded', async () => {
    const { store } = memoryStore([manifest.compile, manifest.link, manifest.wasmExec, bundle]);
    const fetched: string[] = [];
    const loader = createToolchainLoader(manifest, downloads(fetched), store);
    expect(loader.pendingBytes('a')).toBe(0);
    const [, packages] = await Promise.all([loader.tools(), loader.packages('a')]);
    expect(packages.map((p) => [p.importPath, new TextDecoder().decode(p.bytes)])).toEqual([['p/kept', '!<arch>\nkept']]);
    expect(fetched).toEqual([]);
    expect(loader.stats()).toMatchObject({ filesDownloaded: 0, downloadedBytes: 0, filesFromStore: 4, decodeMs: 0, lastToolSource: 'service-worker' });
  });

  test('refreshes the compiled code of the compiler and linker it compiled through the store, and nothing else', async () => {
    const { store, log } = memoryStore([manifest.compile, manifest.link, manifest.wasmExec, bundle]);
    const loader = createToolchainLoader(manifest, downloads([]), store);
    expect(await loader.refreshCompiledTools()).toBe(false);
    await loader.tools();
    expect(await loader.refreshCompiledTools()).toBe(true);
    expect(log.filter((l) => l.startsWith('refresh')).sort()).toEqual([`refresh ${manifest.compile.file}`, `refresh ${manifest.link.file}`].sort());
  });

  test('compiles a tool from its bytes when the store cannot keep it', async () => {
    const { store } = memoryStore();
    const failing: ToolchainStore = { ...store, has: () => false, write: async () => {}, compile: async () => null };
    const loader = createToolchainLoader(manifest, downloads([]), failing);
    const tools = await loader.tools();
    expect(tools.compile).toBeInstanceOf(WebAssembly.Module);
    expect(loader.stats().lastToolSource).toBe('bytes');
  });
});
