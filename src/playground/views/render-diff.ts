/**
 * What changed between two versions of a file, as a unified diff with a few lines of context:
 * added lines marked +, removed −, each hunk headed by its line in the newer file. The diff is the
 * `diff` package's (jsdiff); this only draws it, as text, never as HTML.
 */
import { structuredPatch } from 'diff';
import { append, el, type Translate } from './dom.ts';

/** Renders the change from `before` to `after` into `container`; `title` heads it. */
export function renderDiff(container: HTMLElement, before: string, after: string, title: string, t: Translate): void {
  const { hunks } = structuredPatch('a', 'b', before, after, '', '', { context: 3 });
  const added = hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith('+')).length, 0);
  const removed = hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith('-')).length, 0);
  const summary = t('lesson.diff.summary', { added, removed });
  const pre = el('pre', 'wl-diff');
  for (const hunk of hunks) {
    append(pre, el('span', 'wl-diff-hunk', `${t('lesson.diff.at', { line: hunk.newStart })}\n`));
    for (const line of hunk.lines) {
      const kind = line[0] === '+' ? 'add' : line[0] === '-' ? 'del' : 'same';
      const row = el('span', `wl-diff-${kind}`, `${kind === 'add' ? '+' : kind === 'del' ? '−' : ' '} ${line.slice(1)}\n`);
      if (kind !== 'same') row.setAttribute('aria-label', `${t(`lesson.diff.${kind}`)}: ${line.slice(1)}`);
      append(pre, row);
    }
  }
  container.replaceChildren(el('p', 'wl-diff-title', `${title} — ${summary}`), hunks.length ? pre : el('p', '', t('lesson.diff.none')));
}
