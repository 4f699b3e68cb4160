/**
 * A gateway verdict (harness/gateway-compat.ts) in words: `wasm-lab inspect` prints them in
 * English, the playground in the page's language, both from the verdict.* UI strings.
 */
import type { GatewayVerdict, VerdictReason } from '../harness/gateway-compat.ts';
import type { Translate } from './ui-strings.ts';

export interface VerdictWords {
  gateway: string;
  /** "loads it", "cannot load it", "may load it". */
  state: string;
  reasons: string[];
  fix?: string;
}

export function verdictWords(verdict: GatewayVerdict, t: Translate): VerdictWords {
  return {
    gateway: t(`verdict.gateway.${verdict.gateway}`),
    state: t(`verdict.${verdict.canLoad}`),
    reasons: verdict.reasons.map((reason) => reasonWords(reason, t)),
    ...(verdict.fix ? { fix: t(`verdict.fix.${verdict.fix}`) } : {}),
  };
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
