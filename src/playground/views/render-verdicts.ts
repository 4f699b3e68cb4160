/**
 * An opened .wasm above the results: which file runs instead of the example's plugin, and which
 * gateways can load it, each with a mark that is a word too (never colour alone), its reasons and
 * the fix, in the page's language (verdict.* strings; the CLI words the same codes in English).
 */
import type { GatewayVerdict, VerdictReason } from '../../harness/gateway-compat.ts';
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
    append(item, mark, el('strong', '', t(`verdict.gateway.${verdict.gateway}`)), document.createTextNode(`: ${t(`verdict.${verdict.canLoad}`)}`));
    if (verdict.reasons.length) {
      const reasons = el('ul', 'wl-verdict-reasons');
      for (const reason of verdict.reasons) reasons.append(el('li', '', reasonWords(reason, t)));
      item.append(reasons);
    }
    if (verdict.fix) item.append(el('p', 'wl-verdict-fix', t('verdict.fixLabel', { fix: t(`verdict.fix.${verdict.fix}`) })));
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

function reasonWords(reason: VerdictReason, t: Translate): string {
  switch (reason.code) {
    case 'problem':
      return t('verdict.reason.problem', { text: reason.text });
    case 'missing-import':
    case 'needs-2.1.5':
      return t(`verdict.reason.${reason.code}`, { name: reason.name });
    case 'unsure-wasi':
      return t('verdict.reason.unsure-wasi', { names: reason.names.join(', ') });
    default:
      return t(`verdict.reason.${reason.code}`);
  }
}
