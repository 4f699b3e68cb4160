/** Renders a failed run in place of the outcomes: what failed, why, the hint, and the plugin's start-up logs. */
import type { RunFailure } from '../../harness/worker/protocol.ts';
import { renderStartupLogs } from './render-outcomes.ts';

import type { Translate } from './dom.ts';

/** A failure's message and hint in the page's language where the page has words for it, else as the harness wrote them. */
export function failureText(failure: RunFailure, t: Translate): { message: string; hint: string | undefined } {
  const { overrun } = failure;
  // A fixed hint the harness gives for a kind has the page's words; a hint made from the plugin's own output stays as is.
  const hintKey = `playground.hint.${failure.kind}`;
  const hint = t(hintKey) === hintKey ? failure.hint : t(hintKey);
  if (failure.kind === 'config-rejected') {
    // The plugin's own warnings say why; they are its words, quoted as they are.
    const reasons = (failure.logs ?? []).filter((l) => ['warn', 'error', 'critical'].includes(l.level)).map((l) => l.message);
    return { message: reasons.length ? t('playground.message.config-rejected', { reasons: reasons.join(' | ') }) : t('playground.message.config-rejected-silent'), hint };
  }
  if (failure.kind !== 'callback-timeout' || !overrun) return { message: failure.message, hint };
  const { request } = failure;
  const where =
    overrun.request < 0
      ? t('playground.timeout.startup')
      : request
        ? t('playground.timeout.requestAt', { n: overrun.request, method: request.method, path: request.path, at: request.atMs })
        : t('playground.timeout.request', { n: overrun.request });
  const used = t(`playground.timeout.${overrun.clock}`, { ms: overrun.usedMs });
  return { message: t('playground.timeout.message', { callback: overrun.callback, used, where, limit: overrun.limitMs }), hint: t('playground.timeout.hint') };
}

/** Replaces `panel`'s content; plugin text goes in as text only. */
export function renderFailure(panel: HTMLElement, failure: RunFailure, t: Translate): void {
  panel.replaceChildren();
  const box = document.createElement('div');
  box.className = 'pg-failure';
  box.dataset.failure = failure.kind;
  const title = document.createElement('p');
  title.className = 'pg-failure-title';
  const key = `playground.failure.${failure.kind}`;
  title.textContent = t(key) === key ? t('playground.failure.other') : t(key);
  const { message: text, hint: hintText } = failureText(failure, t);
  const message = document.createElement('p');
  message.textContent = text;
  box.append(title, message);
  if (hintText) {
    const hint = document.createElement('p');
    hint.className = 'pg-hint';
    hint.textContent = hintText;
    box.append(hint);
  }
  panel.append(box);
  if (failure.logs?.length) {
    const logs = document.createElement('div');
    renderStartupLogs(logs, failure.logs as Parameters<typeof renderStartupLogs>[1], t);
    panel.append(logs);
  }
}
