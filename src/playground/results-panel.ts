/**
 * The results area under a playground: built on the first Run (a page with many playgrounds
 * carries none of it before), with Outcomes / Timeline / Redis / Sequence tabs, a failure in place of the
 * outcomes, and a note when what is shown came from an earlier build than the code on screen.
 */
import type { RunResult } from '../harness/run.ts';
import type { RunFailure } from '../harness/worker/protocol.ts';
import type { Translate } from '../site/ui-strings.ts';
import { append, el } from './views/dom.ts';
import { renderFailure } from './views/render-failure.ts';
import { renderOutcomes } from './views/render-outcomes.ts';
import { renderRedisView } from './views/render-redis.ts';
import { renderSequence } from './views/render-sequence.ts';
import { renderTimeline } from './views/render-timeline.ts';
import { wireTabs } from './tabs.ts';

const VIEWS = ['requests', 'timeline', 'redis', 'sequence'] as const;

export class ResultsPanel {
  readonly #host: HTMLElement;
  readonly #t: Translate;
  #select: ((name: string) => void) | null = null;
  /** The run on screen, for the Sequence tab to follow the request opened in the Outcomes tab. */
  #result: RunResult | null = null;
  #isFollowing = false;

  /** `host` is the playground's empty `[data-role="results"]` element. */
  constructor(host: HTMLElement, t: Translate) {
    this.#host = host;
    this.#t = t;
  }

  show(result: RunResult): void {
    this.#build();
    renderOutcomes(this.#panel('requests'), result, this.#t);
    renderTimeline(this.#panel('timeline'), result.outcomes, this.#t);
    renderRedisView(this.#panel('redis'), result.redis, this.#t);
    renderSequence(this.#panel('sequence'), result.outcomes, this.#t);
    this.#followOutcomes(result);
    this.markStale(false);
    this.#host.hidden = false;
  }

  /** A failed run clears the old outcomes, so nothing on screen claims to come from this config. */
  showFailure(failure: RunFailure): void {
    this.#build();
    this.#panel('timeline').replaceChildren();
    this.#panel('redis').replaceChildren();
    this.#panel('sequence').replaceChildren();
    this.#result = null;
    renderFailure(this.#panel('requests'), failure, this.#t);
    this.markStale(false);
    this.#host.hidden = false;
    this.#select?.('requests');
  }

  /** Says that the outcomes on screen came from the previous build (the edited code did not build). */
  markStale(isStale: boolean): void {
    const note = this.#host.querySelector<HTMLElement>('[data-role="stale"]');
    if (note) note.hidden = !isStale;
    this.#host.toggleAttribute('data-stale', isStale);
  }

  /** The first outcome, for keeping it in view after a Run. */
  get firstOutcome(): HTMLElement | null {
    return this.#host.querySelector<HTMLElement>('[data-outcome], [data-failure]');
  }

  /**
   * Opening a request in the Outcomes tab selects it in the Sequence tab, so switching tabs shows
   * the calls behind the request the reader is looking at. Only the reader's click (or Enter/Space)
   * on a request's summary counts, not a request the list opens itself on a failed check. Listens
   * once per panel (the outcome list is rebuilt on every Run, the panel is not), in the capture
   * phase so the details is still closed when the click that opens it arrives.
   */
  #followOutcomes(result: RunResult): void {
    this.#result = result;
    if (this.#isFollowing) return;
    this.#isFollowing = true;
    this.#panel('requests').addEventListener('click', (event) => {
      const summary = event.target instanceof Element ? event.target.closest('summary') : null;
      const details = summary?.parentElement;
      const item = details?.parentElement;
      if (!(details instanceof HTMLDetailsElement) || details.open || !item?.hasAttribute('data-outcome') || !this.#result) return;
      renderSequence(this.#panel('sequence'), this.#result.outcomes, this.#t, Number(item.dataset.outcome));
    }, true);
  }

  #panel(name: (typeof VIEWS)[number]): HTMLElement {
    return this.#host.querySelector<HTMLElement>(`[data-result-panel="${name}"]`)!;
  }

  #build(): void {
    if (this.#select) return;
    const t = this.#t;
    const tabs = el('div', 'pg-tabs');
    tabs.setAttribute('role', 'tablist');
    tabs.setAttribute('aria-label', t('playground.results'));
    const stale = el('p', 'pg-stale', t('playground.results.stale'));
    stale.dataset.role = 'stale';
    stale.hidden = true;
    this.#host.replaceChildren(stale, tabs);
    VIEWS.forEach((name, i) => {
      const tab = el('button', '', t(`playground.results.${name}`));
      Object.assign(tab, { type: 'button', tabIndex: i === 0 ? 0 : -1 });
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-selected', String(i === 0));
      tab.dataset.resultTab = name;
      const panel = el('div');
      panel.setAttribute('role', 'tabpanel');
      panel.dataset.resultPanel = name;
      panel.hidden = i > 0;
      append(tabs, tab);
      append(this.#host, panel);
    });
    this.#select = wireTabs(this.#host, { tabs: '[data-result-tab]', tabAttr: 'data-result-tab', panels: '[data-result-panel]', panelAttr: 'data-result-panel' });
  }
}
