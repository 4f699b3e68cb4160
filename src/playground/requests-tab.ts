/**
 * The requests tab's small form (count, interval, method, path, headers) over the scenario's first
 * request. Built when the reader first opens the tab; the YAML side (requests-form.ts, which brings
 * `yaml`) loads then too. Edits go both ways, keeping the rest of the YAML, comments included.
 */
import type { Translate } from '../site/ui-strings.ts';
import { append, el } from './views/dom.ts';

/** The scenario text the form edits: `yaml()` reads it, `setYaml` replaces it after a form edit. */
export interface ScenarioText {
  yaml(): string;
  setYaml(text: string): void;
}

export class RequestsTab {
  readonly #form: HTMLFormElement;
  readonly #io: ScenarioText;

  /** Adds the form at the top of `panel`. */
  constructor(panel: HTMLElement, t: Translate, io: ScenarioText) {
    this.#io = io;
    this.#form = el('form', 'pg-form');
    this.#form.dataset.role = 'requests-form';
    const field = (key: string, control: HTMLElement, wide = false) =>
      append(el('label', wide ? 'pg-form-wide' : '', `${t(`playground.form.${key}`)} `), control);
    const input = (name: string, type: string, placeholder = '') => Object.assign(el('input'), { name, type, placeholder });
    const count = Object.assign(input('count', 'number'), { min: '1', max: '1000' });
    const method = Object.assign(el('select'), { name: 'method' });
    for (const m of ['GET', 'POST', 'PUT', 'DELETE']) append(method, el('option', '', m));
    const headers = Object.assign(el('textarea'), { name: 'headers', rows: 2, placeholder: 'x-api-key: demo' });
    append(
      this.#form,
      field('count', count),
      field('every', input('every', 'text', '1s')),
      field('method', method),
      field('path', input('path', 'text', '/get')),
      field('headers', headers, true),
      el('p', 'pg-note pg-form-wide', t('playground.form.note')),
    );
    panel.prepend(this.#form);
    this.#form.addEventListener('submit', (event) => event.preventDefault());
    this.#form.addEventListener('change', () => void this.#apply());
    this.sync();
  }

  /** Shows the scenario's first request in the form (not over a field the reader is typing in). */
  sync(): void {
    void import('./requests-form.ts').then(({ readRequestForm }) => {
      const values = readRequestForm(this.#io.yaml());
      if (!values) return;
      for (const [name, value] of Object.entries(values)) {
        const field = this.#form.elements.namedItem(name) as HTMLInputElement | null;
        if (field && document.activeElement !== field) field.value = value;
      }
    });
  }

  async #apply(): Promise<void> {
    const { applyRequestForm } = await import('./requests-form.ts');
    const text = applyRequestForm(this.#io.yaml(), new FormData(this.#form));
    if (text !== null) this.#io.setYaml(text);
  }
}
