import { describe, expect, test } from 'vitest';
import { describeBuildFailure } from '../../../src/playground/build-status.ts';
import type { BuildFailure } from '../../../src/playground/go-build-client.ts';
import { readStrings, translator } from './translations.ts';

/** One failure of every kind, with the details the worker and the client really give. */
const FAILURES: BuildFailure[] = [
  { kind: 'diagnostics', phase: 'compile', diagnostics: [{ file: 'main.go', line: 41, col: 28, message: 'syntax error: unexpected newline in argument list; possibly missing comma or )' }], message: '', timings: { toolchainMs: 0, toolchainSource: 'memory', downloadedBytes: 0, decodeMs: 0, toolCompileMs: 0, toolSource: 'memory', compileMs: 900, linkMs: 0 } },
  { kind: 'toolchain-failed', message: 'the Go toolchain manifest could not be downloaded (HTTP 404)' },
  { kind: 'out-of-memory', tool: 'compile', message: 'runtime: out of memory: cannot allocate 524288-byte block (13926400 in use)' },
  { kind: 'out-of-memory', tool: 'toolchain', message: 'Array buffer allocation failed' },
  { kind: 'tool-crashed', tool: 'link', message: 'RuntimeError: unreachable' },
  { kind: 'worker-crashed', message: 'Uncaught Error: boom' },
  { kind: 'worker-crashed', message: '' },
  { kind: 'tool-timeout', tool: 'compile', limitMs: 120_000 },
  { kind: 'cancelled' },
  { kind: 'superseded' },
];

describe('describeBuildFailure', () => {
  test('says what stopped the build and what to do, in English', () => {
    expect(FAILURES.map((f) => describeBuildFailure(f, translator('en')))).toMatchInlineSnapshot(`
      [
        "main.go does not compile: main.go:41:28 syntax error: unexpected newline in argument list; possibly missing comma or )",
        "Could not compile in the browser: the Go toolchain manifest could not be downloaded (HTTP 404)",
        "The Go compiler ran out of memory in this tab (a build needs nearly 1 GB); close other tabs and press Run to try again.",
        "The Go toolchain ran out of memory in this tab (a build needs nearly 1 GB); close other tabs and press Run to try again.",
        "The Go linker crashed (RuntimeError: unreachable); press Run to try again.",
        "The in-browser Go build stopped unexpectedly (Uncaught Error: boom); press Run to try again.",
        "The in-browser Go build stopped unexpectedly (no error message); press Run to try again.",
        "The Go compiler did not finish within 120 s, so the build was stopped; press Run to try again, or download the starter project and build it locally.",
        "Build cancelled; press Run to compile main.go again.",
        "A newer build on this page replaced this one; press Run to compile this code again.",
      ]
    `);
  });

  test('says the same in Chinese', () => {
    expect(FAILURES.map((f) => describeBuildFailure(f, translator('zh-CN')))).toMatchInlineSnapshot(`
      [
        "main.go 没有编译通过：main.go:41:28 syntax error: unexpected newline in argument list; possibly missing comma or )",
        "无法在浏览器里编译：the Go toolchain manifest could not be downloaded (HTTP 404)",
        "Go 编译器在这个标签页里内存不足（编译一次需要将近 1 GB 内存）；请关闭其他标签页，再按“运行”重试。",
        "Go 工具链在这个标签页里内存不足（编译一次需要将近 1 GB 内存）；请关闭其他标签页，再按“运行”重试。",
        "Go 链接器崩溃了（RuntimeError: unreachable）；请按“运行”重试。",
        "浏览器里的 Go 编译意外中止（Uncaught Error: boom）；请按“运行”重试。",
        "浏览器里的 Go 编译意外中止（没有错误信息）；请按“运行”重试。",
        "Go 编译器在 120 秒内没有完成，编译已停止；请按“运行”重试，或下载起步项目在本地编译。",
        "已取消编译；按“运行”可重新编译 main.go。",
        "页面上新开始的一次编译取代了这一次；按“运行”可重新编译这段代码。",
      ]
    `);
  });

  test('asks only for strings both languages have', () => {
    const t = translator('en');
    for (const failure of FAILURES) describeBuildFailure(failure, t);
    const [en, zh] = [readStrings('en'), readStrings('zh-CN')];
    expect([...t.used].filter((key) => !(key in en) || !(key in zh))).toEqual([]);
  });
});
