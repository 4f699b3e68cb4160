/**
 * A failed run in the page's language: the callback timeout the harness reports (the real error
 * class, not a copy of its text) reads the same in English as the CLI prints it, and completely in zh-CN.
 */
import { describe, expect, test } from 'vitest';
import { CallbackTimeoutError, ConfigRejectedError } from '../../../src/harness/run-errors.ts';
import type { RunFailure } from '../../../src/harness/worker/protocol.ts';
import { failureText } from '../../../src/playground/views/render-failure.ts';
import { translator } from './translations.ts';

const timeouts: Array<[string, RunFailure]> = [
  ['a request callback, CPU time', new CallbackTimeoutError({ callback: 'proxy_on_request_headers', request: 2, usedMs: 2013, limitMs: 2000, clock: 'cpu' }, { method: 'GET', path: '/get', atMs: 61000 }).toJSON()],
  ['a request not remembered, wall time', new CallbackTimeoutError({ callback: 'proxy_on_http_call_response', request: 7, usedMs: 305, limitMs: 300, clock: 'wall' }).toJSON()],
  ['start-up', new CallbackTimeoutError({ callback: 'proxy_on_configure', request: -1, usedMs: 2040, limitMs: 2000, clock: 'wall' }).toJSON()],
];

describe('failureText', () => {
  test.each(timeouts)('says a callback timeout (%s) in English exactly as the CLI does', (_, failure) => {
    const { message, hint } = failureText(failure, translator('en'));
    expect(message).toBe(`${failure.message}.`);
    expect(hint?.toLowerCase()).toContain(failure.hint!.split(';')[0]!.toLowerCase());
  });

  test.each(timeouts)('says a callback timeout (%s) in Chinese, every placeholder filled', (_, failure) => {
    const { message, hint } = failureText(failure, translator('zh-CN'));
    expect(message).toContain(failure.overrun!.callback);
    expect(message).toContain(`callbackTimeout（${failure.overrun!.limitMs} ms）`);
    expect(message).not.toMatch(/[{}]|playground\./);
    expect(hint).toMatch(/死循环/);
  });

  test('names the request with its method, path and time in Chinese', () => {
    const { message } = failureText(timeouts[0]![1], translator('zh-CN'));
    expect(message).toBe('proxy_on_request_headers 在处理请求 #2（GET /get，第 61000 ms）时已运行 2013 ms（CPU 时间），仍未返回，超过了 callbackTimeout（2000 ms），虚拟机已停止。');
  });

  test('says a rejected configuration and its hint in Chinese, quoting the plugin\'s own reasons', () => {
    const logs: ConstructorParameters<typeof ConfigRejectedError>[0] = [
      { level: 'info', message: 'parsing config' },
      { level: 'warn', message: 'qpm: required, a positive integer' },
    ];
    const failure = new ConfigRejectedError(logs).toJSON();
    const { message, hint } = failureText(failure, translator('zh-CN'));
    expect(message).toBe('插件拒绝了它的配置：qpm: required, a positive integer');
    expect(hint).toMatch(/config\.json/);
    expect(hint).not.toMatch(/[A-Za-z]{5,} [A-Za-z]{5,}/);
    const silent = failureText(new ConfigRejectedError([]).toJSON(), translator('zh-CN'));
    expect(silent.message).toMatch(/没有说明原因/);
  });

  test('keeps other failures as the harness wrote them', () => {
    const failure = { kind: 'bad-module', message: 'x.wasm is not a WebAssembly module', hint: 'build it' };
    expect(failureText(failure, translator('zh-CN'))).toEqual({ message: failure.message, hint: failure.hint });
  });
});
