/**
 * The status line after a build of main.go that gave no plugin, in the page's language: what
 * happened, then what to do.
 */
import type { BuildFailure } from './go-build-client.ts';

/** Words `failure` with the playground's strings (`t`); the caller shows it with the error tone. */
export function describeBuildFailure(failure: BuildFailure, t: (key: string) => string): string {
  switch (failure.kind) {
    case 'diagnostics': {
      const first = failure.diagnostics[0];
      return t('playground.build.errors').replace('{detail}', first ? `${first.file}:${first.line}:${first.col} ${first.message}` : failure.message);
    }
    case 'toolchain-failed':
      return t('playground.build.failed').replace('{detail}', failure.message);
    case 'out-of-memory':
      return t('playground.build.outOfMemory').replace('{tool}', t(`playground.build.tool.${failure.tool}`));
    case 'tool-crashed':
      return t('playground.build.toolCrashed').replace('{tool}', t(`playground.build.tool.${failure.tool}`)).replace('{detail}', failure.message);
    case 'worker-crashed':
      return t('playground.build.crashed').replace('{detail}', failure.message || t('playground.build.noDetail'));
    case 'tool-timeout':
      return t('playground.build.timeout').replace('{tool}', t(`playground.build.tool.${failure.tool}`)).replace('{s}', String(failure.limitMs / 1000));
    case 'cancelled':
      return t('playground.build.cancelled');
    case 'superseded':
      return t('playground.build.superseded');
  }
}
