/**
 * The config.json and requests panels of a playground, made on first need (a page with many
 * playgrounds carries none of them): a plain textarea until Monaco replaces it, and a line for
 * problems, wired to the tab that names the panel.
 */
import { append, el } from './views/dom.ts';

export type FilePanelName = 'config.json' | 'scenario.yaml';

export interface FilePanelEvents {
  /** The reader typed: the textarea's new text. */
  onInput(text: string): void;
  /** The reader first focused the textarea (time to bring Monaco). */
  onFirstFocus(): void;
}

/** The panel of `name` under `root`, made (before the status line) when it does not exist yet. */
export function filePanel(root: HTMLElement, name: FilePanelName, text: string, events: FilePanelEvents): HTMLElement {
  const existing = root.querySelector<HTMLElement>(`[data-panel="${name}"]`);
  if (existing) return existing;
  const tab = root.querySelector<HTMLElement>(`[role="tab"][data-tab="${name}"]`);
  const panel = el('div', 'pg-panel');
  panel.setAttribute('role', 'tabpanel');
  panel.id = tab?.getAttribute('aria-controls') ?? '';
  if (tab) panel.setAttribute('aria-labelledby', tab.id);
  panel.dataset.panel = name;
  panel.hidden = tab?.getAttribute('aria-selected') !== 'true';
  const host = el('div', 'pg-editor');
  host.dataset.editor = name;
  const area = el('textarea');
  area.spellcheck = false;
  area.setAttribute('aria-label', name);
  area.value = text;
  area.addEventListener('input', () => events.onInput(area.value));
  area.addEventListener('focus', () => events.onFirstFocus(), { once: true });
  const problems = el('p', 'pg-problems');
  problems.dataset.role = `problems-${name === 'config.json' ? 'config' : 'scenario'}`;
  problems.setAttribute('role', 'alert');
  problems.hidden = true;
  append(panel, append(host, area), problems);
  root.querySelector('[data-role="status"]')?.before(panel);
  return panel;
}
