/**
 * An opened .wasm above the results: which file runs instead of the example's plugin, and which
 * gateways can load it, each with a mark that is a word too (never colour alone), its reasons and
 * the fix, in the page's language (src/site/verdict-words.ts, which the CLI words them with too).
 */
import type { GatewayVerdict } from '../../harness/gateway-compat.ts';
import { verdictWords } from '../../site/verdict-words.ts';
import { append, el, type Translate } from './dom.ts';

const MARKS = { yes: '✓', no: '✗', unknown: '?' } as const;

export function renderOpenedModule(opened: { fileName: string; bytes: Uint8Array; verdicts: GatewayVerdict[] }, t: Translate): HTMLElement {
  const size = `${(opened.bytes.length / 1024 / 1024).toFixed(2)} MiB`;
  const list = el('ul', 'wl-verdicts');
  for (const verdict of opened.verdicts) {
    const item = el('li', `wl-verdict wl-verdict--${verdict.canLoad}`);
    item.dataset.gateway = verdict.gateway;
    item.dataset.verdict = verdict.canLoad;
    const mark = el('span', 'wl-verdict-mark', MARKS[verdict.canLoad]);
    mark.setAttribute('aria-hidden', 'true');
    const words = verdictWords(verdict, t);
    append(item, mark, el('strong', '', words.gateway), document.createTextNode(`: ${words.state}`));
    if (words.reasons.length) {
      const reasons = el('ul', 'wl-verdict-reasons');
      for (const reason of words.reasons) reasons.append(el('li', '', reason));
      item.append(reasons);
    }
    if (words.fix) item.append(el('p', 'wl-verdict-fix', t('verdict.fixLabel', { fix: words.fix })));
    list.append(item);
  }
  const close = el('button', 'pg-status-action', t('playground.closeWasm'));
  close.setAttribute('type', 'button');
  close.dataset.action = 'close-wasm';
  return append(
    el('section', 'wl-opened not-content'),
    append(el('p', 'wl-opened-title'), document.createTextNode(t('playground.opened', { name: opened.fileName, size })), close),
    el('p', 'wl-label', t('verdict.title')),
    list,
  );
}
