// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { RunResult } from '../../../src/harness/run.ts';
import { renderOutcomes, renderStartupLogs } from '../../../src/playground/views/render-outcomes.ts';
import { fault, HOSTILE, LIMITER_SCENARIO, runFaulty, runLimiter, runStreamProbe, STREAMED_SCENARIO } from './real-runs.ts';
import { translator } from './translations.ts';

const t = translator('en');
let limiter: RunResult;
let container: HTMLElement;

beforeAll(async () => {
  limiter = await runLimiter(LIMITER_SCENARIO, { isTraced: true });
});

function render(result: RunResult, lang: 'en' | 'zh-CN' = 'en'): HTMLElement {
  container = document.createElement('div');
  document.body.replaceChildren(container);
  renderOutcomes(container, result, translator(lang));
  return container;
}

const items = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>('[data-outcome]')];
const text = (root: ParentNode | null, selector: string) => [...(root?.querySelectorAll(selector) ?? [])].map((n) => n.textContent);

describe('renderOutcomes', () => {
  test('says when a long run came back with only its first outcomes, in both languages', () => {
    const capped = { ...limiter, outcomes: limiter.outcomes.slice(0, 2), summary: { ...limiter.summary, omitted: 3 } };
    expect(items(render(capped))).toHaveLength(2);
    expect(text(container, '.wl-outcomes-capped')).toEqual(['Showing the first 2 of 5 requests; the others ran too, and the checks count them, but they are not listed.']);
    expect(text(render(capped, 'zh-CN'), '.wl-outcomes-capped')).toEqual(['只列出前 2 个请求（共 5 个）；其余请求也已运行并计入检查结果，只是没有列出。']);
    expect(render(limiter).querySelector('.wl-outcomes-capped')).toBeNull();
  });

  test('renders one element per request with data-outcome and data-status hooks', () => {
    const list = items(render(limiter));
    expect(list.map((li) => [li.dataset.outcome, li.dataset.status])).toEqual([
      ['0', '200'],
      ['1', '200'],
      ['2', '200'],
      ['3', '429'],
      ['4', '200'],
    ]);
  });

  test('makes each request a native details with its summary first, closed until asked', () => {
    for (const li of items(render(limiter))) {
      const details = li.querySelector('details')!;
      expect(details.firstElementChild?.tagName).toBe('SUMMARY');
      expect(details.open).toBe(false);
    }
  });

  test('shows time, method and path, the status badge and who answered in the summary', () => {
    const [first, , , rejected, late] = items(render(limiter)).map((li) => li.querySelector('summary')!);
    expect(text(first!, '.wl-time')).toEqual(['0s']);
    expect(first!.querySelector('.wl-request')!.textContent).toBe('GET /get');
    expect(first!.querySelector('.wl-status')!.className).toBe('wl-status wl-status--ok');
    expect(text(first!, '.wl-source')).toEqual(['answered by the upstream']);
    expect(rejected!.querySelector('.wl-status')!.className).toBe('wl-status wl-status--client-error');
    expect(text(rejected!, '.wl-status, .wl-source')).toEqual(['429', 'answered by the plugin']);
    expect(text(late!, '.wl-time')).toEqual(['61s']);
  });

  test('translates who answered into Simplified Chinese', () => {
    const summary = items(render(limiter, 'zh-CN'))[3]!.querySelector('summary')!;
    expect(text(summary, '.wl-source')).toEqual(['插件应答']);
  });

  test('highlights the headers the plugin added, with their values, in the summary and the response', () => {
    const rejected = items(render(limiter))[3]!;
    expect(text(rejected.querySelector('summary'), '.wl-changed')).toEqual(['timestamp: 1735689600', 'calltimeleft: 0']);
    const response = rejected.querySelector('.wl-section--response')!;
    expect(text(response, '.wl-header--changed dd')).toEqual(['1735689600', '0']);
    expect(text(response, '.wl-header:not(.wl-header--changed) dt')).toEqual(['content-length', 'content-type']);
    expect(response.querySelector('.wl-header--changed dt')!.textContent).toContain('added or changed by the plugin');
    expect(response.querySelector('.wl-body')!.textContent).toBe('Too many requests\n');
  });

  test('says a rejected request never reached the upstream, and shows what an allowed one sent', () => {
    const list = items(render(limiter));
    expect(list[3]!.querySelector('.wl-section--upstream .wl-not-reached')!.textContent).toBe('The request never reached the upstream.');
    expect(list[0]!.querySelector('.wl-section--upstream .wl-not-reached')).toBeNull();
    expect(list[0]!.querySelector('.wl-section--upstream .wl-section-title')!.textContent).toBe('Request as the upstream received it');
  });

  test('lists Redis commands with their replies, and log lines with their levels', () => {
    const first = items(render(limiter))[0]!;
    expect(text(first, '.wl-section--redis .wl-call')).toEqual([
      'incr 1735689600 → (integer) 1outbound|6379||redis.static',
      'expire 1735689600 60 → (integer) 1outbound|6379||redis.static',
    ]);
    expect(text(first, '.wl-section--logs .wl-level')).toEqual(['debug', 'debug', 'debug', 'debug']);
    expect(text(first, '.wl-log-counts .wl-count')).toEqual(['debug 4']);
  });

  test('puts the host-call trace in a closed, focusable, scrollable pre', () => {
    const first = items(render(limiter))[0]!;
    const trace = first.querySelector<HTMLDetailsElement>('details.wl-section--trace')!;
    expect(trace.open).toBe(false);
    const pre = trace.querySelector('pre.wl-trace') as HTMLPreElement;
    expect(pre.tabIndex).toBe(0);
    expect(pre.textContent!.split('\n')).toEqual(limiter.outcomes[0]!.trace);
    expect(pre.textContent).toContain('proxy_redis_call("outbound|6379||redis.static"');
  });

  test('leaves the trace out when the run was not traced', async () => {
    const plain = await runLimiter(LIMITER_SCENARIO);
    expect(render(plain).querySelector('.wl-trace')).toBeNull();
  });

  test('shows a trap with its message and hint, answered by the gateway', async () => {
    const result = await runFaulty(`requests:\n${fault('panic')}`, { env: { WASM_DISABLE_PANIC_RECOVERY: 'true' } });
    const [item] = items(render(result));
    expect(item!.dataset.status).toBe('503');
    expect(text(item!.querySelector('summary'), '.wl-source, .wl-error-badge')).toEqual(['answered by the gateway', '⚠ plugin-trap']);
    const error = item!.querySelector('.wl-section--error .wl-error')!;
    expect(error.querySelector('.wl-error-kind')!.textContent).toBe('plugin-trap');
    expect(error.textContent).toContain('fixture panic: boom');
    expect(item!.querySelector('.wl-section--error .wl-hint')!.textContent).toBe(`Hint:${result.outcomes[0]!.error!.hint}`);
  });

  test('shows a stalled request with a dash for its status and the hint', async () => {
    const result = await runFaulty(`requests:\n${fault('stall')}`);
    const [item] = items(render(result));
    expect(item!.dataset.status).toBe('0');
    expect(item!.querySelector('.wl-status')!.textContent).toBe('—');
    expect(item!.querySelector('.wl-hint')!.textContent).toContain('did you mean HeaderContinue?');
  });

  test('lists a streamed body chunk by chunk with each chunk\'s time after the request arrived, and its trailers', async () => {
    const root = render(await runStreamProbe(STREAMED_SCENARIO), 'zh-CN');
    const response = root.querySelector('.wl-section--response');
    // The request's last chunk left at +10 ms; the reply starts then, its events 20 ms apart.
    expect(text(response, '.wl-chunk-at')).toEqual(['+10 ms', '+30 ms', '+50 ms']);
    expect(text(response, '.wl-chunk-body')).toEqual(['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: [DONE]\n\n']);
    expect(text(response, '.wl-label')).toContain(translator('zh-CN')('outcome.chunks', { count: 3 }));
    expect(text(response, '.wl-headers dt')).toContain('x-probe-chunks');
    const upstream = root.querySelector('.wl-section--upstream');
    expect(text(upstream, '.wl-chunk-at')).toEqual(['+0 ms', '+10 ms']);
  });

  test('lists HTTP callouts with cluster and status', async () => {
    const result = await runFaulty(`clusters:\n  - { type: http, name: auth.static, reply: { status: 204 } }\nrequests:\n${fault('callout')}`);
    expect(text(items(render(result))[0]!, '.wl-section--http .wl-call')).toEqual(['GET /check → 204outbound|80||auth.static']);
  });

  test('renders script-looking plugin logs and headers as text, creating no element', async () => {
    const hostilePath = JSON.stringify(`/${HOSTILE}`);
    const result = await runFaulty(`requests:\n${fault(HOSTILE)}\n  - { path: ${hostilePath}, headers: { x-fault: property } }`);
    const root = render(result);
    expect(root.querySelector('script, img')).toBeNull();
    const logs = text(items(root)[0]!, '.wl-message');
    // wasm-go prefixes each line with the plugin name and two request markers.
    expect(logs.filter((l) => l?.endsWith(`x-fault: ${HOSTILE}`))).toHaveLength(1);
    expect(text(items(root)[1]!.querySelector('summary'), '.wl-changed')).toContain(`x-prop-path: /${HOSTILE}`);
    expect(text(items(root)[1]!, '.wl-path')).toEqual([`/${HOSTILE}`]);
  });

  test('shows the configure-time logs first, closed, and an empty state when no request ran', () => {
    const root = render({ ...limiter, outcomes: [] });
    const startup = root.querySelector<HTMLDetailsElement>('details.wl-startup')!;
    expect(startup.open).toBe(false);
    expect(text(startup, '.wl-message')).toEqual(limiter.startup.logs.map((l) => l.message));
    expect(root.querySelector('.wl-empty')!.textContent).toBe('The scenario has no requests.');
    expect(items(root)).toEqual([]);
  });

  test('replaces what the container showed before', () => {
    const root = render(limiter);
    renderOutcomes(root, limiter, t);
    expect(items(root)).toHaveLength(5);
    expect(root.querySelectorAll('.wl-outcomes')).toHaveLength(1);
  });
});

describe('renderStartupLogs', () => {
  test('shows a rejected configuration open, with the error, its hint and the plugin\'s log lines', async () => {
    const error = (await runLimiter(LIMITER_SCENARIO, { config: { serviceName: 'redis.static', qpm: 0 } }).catch((e: unknown) => e)) as {
      kind: string;
      message: string;
      hint?: string;
      logs: Array<{ level: string; message: string }>;
    };
    expect(error.kind).toBe('config-rejected');
    const root = document.createElement('div');
    renderStartupLogs(root, error.logs, t, { error });
    const block = root.querySelector<HTMLDetailsElement>('details.wl-startup')!;
    expect(block.open).toBe(true);
    expect(block.querySelector('summary')!.textContent).toBe('Startup logs (configure) (3)');
    expect(block.querySelector('.wl-error-kind')!.textContent).toBe('config-rejected');
    expect(block.querySelector('.wl-hint')!.textContent).toBe(`Hint:${error.hint}`);
    expect(text(block, '.wl-level')).toEqual(['error', 'warn', 'error']);
    expect(text(block, '.wl-message')[0]).toContain('qpm: required, an integer >= 1');
  });

  test('renders script-looking configuration echoed in a startup log as text', async () => {
    const result = await runFaulty('requests: [{ path: / }]', { config: { note: HOSTILE } });
    const root = document.createElement('div');
    renderStartupLogs(root, result.startup.logs, t);
    expect(root.querySelector('script, img')).toBeNull();
    expect(root.textContent).toContain(HOSTILE.replaceAll('"', '\\"'));
  });

  test('styles a level it does not know as unknown but still prints it', () => {
    const root = document.createElement('div');
    renderStartupLogs(root, [{ level: 'weird level', message: 'm' }], t);
    expect(root.querySelector('.wl-log')!.className).toBe('wl-log wl-log--unknown');
    expect(text(root, '.wl-level')).toEqual(['weird level']);
  });
});

describe('outcome views source', () => {
  test('never hands a string to the HTML parser', () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'src', 'playground', 'views');
    const parsing = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser/.test(readFileSync(join(dir, f), 'utf8')));
    expect(parsing).toEqual([]);
  });
});
