// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { openModuleFile, OpenModuleError } from '../../../src/playground/opened-module.ts';
import { renderOpenedModule } from '../../../src/playground/views/render-verdicts.ts';
import { loadExample } from '../../helpers/plugins.ts';
import { translator } from './translations.ts';

// A copy: a Node Buffer's `.buffer` may be a larger pool.
const file = (name: string, bytes: Uint8Array) => ({ name, arrayBuffer: async () => new Uint8Array(bytes).buffer });

describe('an opened .wasm', () => {
  test('shows which gateways can load a Redis plugin, each marked by a word, with reasons and fix in the page\'s language', async () => {
    const opened = await openModuleFile(file('limiter.wasm', (await loadExample('redis-limiter')).bytes));
    const view = renderOpenedModule(opened, translator('zh-CN'));
    expect(view.querySelector('.wl-opened-title')!.textContent).toMatch(/^正在用 limiter\.wasm（[\d.]+ MiB）代替示例插件运行。换回示例插件$/);
    const envoy = view.querySelector<HTMLElement>('[data-gateway="envoy"]')!;
    expect(envoy.dataset.verdict).toBe('no');
    expect(envoy.textContent).toContain('上游 Envoy 或 Istio: 不能加载');
    expect([...envoy.querySelectorAll('.wl-verdict-reasons li')].map((li) => li.textContent)).toEqual(
      expect.arrayContaining(['缺少导入：env.proxy_redis_init', '缺少导入：env.proxy_redis_call']),
    );
    expect(envoy.querySelector('.wl-verdict-fix')!.textContent).toMatch(/^解决：这些网关没有 Higress 的宿主函数和 ABI/);
    const old = view.querySelector<HTMLElement>('[data-gateway="higress-before-2.1.5"]')!;
    expect(old.querySelector('.wl-verdict-reasons')!.textContent).toContain('缺少导入：wasi_snapshot_preview1.sched_yield，Higress 2.1.5 才提供');
    expect(view.querySelector('[data-action="close-wasm"]')).not.toBeNull();
  });

  test('refuses a file that is not wasm, or is cut short, with a sentence naming it', async () => {
    await expect(openModuleFile(file('notes.txt', new TextEncoder().encode('hello')))).rejects.toMatchObject({ key: 'playground.error.notWasm', values: { name: 'notes.txt' } });
    const cut = (await loadExample('hello-world')).bytes.slice(0, 4096);
    const error = await openModuleFile(file('cut.wasm', cut)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenModuleError);
    expect(translator('en')((error as OpenModuleError).key, (error as OpenModuleError).values)).toMatch(/^cut\.wasm is not a valid WebAssembly module \(.+\); build it again\.$/);
  });
});
