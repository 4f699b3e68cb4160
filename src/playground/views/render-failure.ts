/** Renders a failed run in place of the outcomes: what failed, why, the hint, and the plugin's start-up logs. */
import type { RunFailure } from '../protocol.ts';
import { renderStartupLogs } from './render-outcomes.ts';

/** Replaces `panel`'s content; plugin text goes in as text only. */
export function renderFailure(panel: HTMLElement, failure: RunFailure, t: (key: string) => string): void {
  panel.replaceChildren();
  const box = document.createElement('div');
  box.className = 'pg-failure';
  box.dataset.failure = failure.kind;
  const title = document.createElement('p');
  title.className = 'pg-failure-title';
  const key = `playground.failure.${failure.kind}`;
  title.textContent = t(key) === key ? t('playground.failure.other') : t(key);
  const message = document.createElement('p');
  message.textContent = failure.message;
  box.append(title, message);
  if (failure.hint) {
    const hint = document.createElement('p');
    hint.className = 'pg-hint';
    hint.textContent = failure.hint;
    box.append(hint);
  }
  panel.append(box);
  if (failure.logs?.length) {
    const logs = document.createElement('div');
    renderStartupLogs(logs, failure.logs as Parameters<typeof renderStartupLogs>[1], t);
    panel.append(logs);
  }
}
