/**
 * The status line after a build of main.go that gave no plugin, in the page's language: what
 * happened, then what to do.
 */
import type { Translate } from '../site/ui-strings.ts';
import type { BuildFailure } from './go-build-client.ts';

/** Words `failure` with the playground's strings (`t`); the caller shows it with the error tone. */
export function describeBuildFailure(failure: BuildFailure, t: Translate): string {
  switch (failure.kind) {
    case 'diagnostics': {
      const first = failure.diagnostics[0];
      return t('playground.build.errors', { detail: first ? `${first.file}:${first.line}:${first.col} ${first.message}` : failure.message });
    }
    case 'toolchain-failed':
      return t('playground.build.failed', { detail: failure.message });
    case 'out-of-memory':
      return t('playground.build.outOfMemory', { tool: t(`playground.build.tool.${failure.tool}`) });
    case 'tool-crashed':
      return t('playground.build.toolCrashed', { tool: t(`playground.build.tool.${failure.tool}`), detail: failure.message });
    case 'worker-crashed':
      return t('playground.build.crashed', { detail: failure.message || t('playground.build.noDetail') });
    case 'tool-timeout':
      return t('playground.build.timeout', { tool: t(`playground.build.tool.${failure.tool}`), s: failure.limitMs / 1000 });
    case 'cancelled':
      return t('playground.build.cancelled');
    case 'superseded':
      return t('playground.build.superseded');
  }
}
