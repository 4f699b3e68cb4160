import { brotliCompressSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { createToolchainLoader, decodePublished, unpackBundle } from '../../../src/gobuild/toolchain-loader.ts';
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
