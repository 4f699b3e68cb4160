/**
 * <wasm-lesson>: the behaviour of Lesson.astro. Shows one stage at a time (its text and its
 * playground), moves between stages (buttons, the stage list, #stage-<n> in the address), shows
 * what changed in main.go since the stage before, puts the finished stage's code or the previous
 * stage's code into the playground, and marks a stage done when a run of its playground passes
 * all of its checks.
 */
import type { RunResult } from '../harness/run.ts';
import { translator, type Translate } from '../site/ui-strings.ts';
import { loadExampleFiles } from './example-files.ts';
import { canBuildInBrowser } from './go-build-client.ts';
import { loadProgress, saveProgress, type LessonProgress } from './lesson-progress.ts';
import type { PlaygroundApi } from './playground-element.ts';

class WasmLesson extends HTMLElement {
  #t: Translate = (key) => key;
  #id = '';
  #count = 0;
  #progress: LessonProgress = { stage: 1, done: [] };

  connectedCallback(): void {
    this.#t = translator(document.documentElement.lang);
    this.#id = this.dataset.lesson ?? '';
    this.#count = this.querySelectorAll('[data-stage]').length;
    this.#progress = loadProgress(this.#id, this.#count);
    const fromAddress = /^#stage-(\d+)$/.exec(location.hash)?.[1];
    this.#show(fromAddress ? Number(fromAddress) : this.#progress.stage, false);
    this.#on('prev', () => this.#show(this.#progress.stage - 1));
    this.#on('next', () => this.#show(this.#progress.stage + 1));
    this.#on('diff', () => void this.#toggleDiff());
    this.#on('solve', () => void this.#useCode('finished'));
    this.#on('start-over', () => void this.#useCode('previous'));
    for (const link of this.querySelectorAll<HTMLAnchorElement>('[data-stage-link]')) {
      link.addEventListener('click', (event) => {
        event.preventDefault();
        this.#show(Number(link.dataset.stageLink));
      });
    }
    this.addEventListener('playground:ran', (event) => this.#ran(event as CustomEvent<RunResult>));
    this.#drawDone();
  }

  /** Shows stage `n` (clamped); `isUserMove` puts it in the address and brings the lesson into view. */
  #show(n: number, isUserMove = true): void {
    const stage = Math.min(Math.max(1, Math.trunc(n) || 1), this.#count);
    this.#progress.stage = stage;
    saveProgress(this.#id, this.#progress);
    for (const article of this.querySelectorAll<HTMLElement>('[data-stage]')) article.hidden = article.dataset.stage !== String(stage);
    for (const work of this.querySelectorAll<HTMLElement>('[data-stage-work]')) work.hidden = work.dataset.stageWork !== String(stage);
    for (const link of this.querySelectorAll<HTMLElement>('[data-stage-link]')) {
      if (link.dataset.stageLink === String(stage)) link.setAttribute('aria-current', 'step');
      else link.removeAttribute('aria-current');
    }
    this.#button('prev').disabled = stage === 1;
    this.#button('next').disabled = stage === this.#count;
    this.#button('start-over').disabled = stage === 1;
    this.#button('diff').disabled = stage === 1;
    this.#closeDiff();
    this.#say('');
    if (isUserMove) {
      history.replaceState(null, '', `#stage-${stage}`);
      this.scrollIntoView({ block: 'start' });
    }
  }

  /** main.go of a stage as shipped (1-based), fetched with the example's other files. */
  async #mainGo(stage: number): Promise<string> {
    const url = this.querySelector<HTMLElement>(`[data-stage-work="${stage}"]`)?.dataset.filesUrl ?? '';
    return (await loadExampleFiles(url)).files['main.go'] ?? '';
  }

  #playground(): PlaygroundApi | undefined {
    return this.querySelector<HTMLElement & { playground?: PlaygroundApi }>(`[data-stage-work="${this.#progress.stage}"] wasm-playground`)?.playground;
  }

  async #toggleDiff(): Promise<void> {
    const box = this.#query('[data-role="diff"]');
    if (!box.hidden) return this.#closeDiff();
    const stage = this.#progress.stage;
    try {
      const [before, after] = await Promise.all([this.#mainGo(stage - 1), this.#mainGo(stage)]);
      const { renderDiff } = await import('./views/render-diff.ts');
      renderDiff(box, before, after, this.#t('lesson.diff.title', { n: stage - 1 }), this.#t);
    } catch (error) {
      return this.#say(this.#t('playground.code.loadFailed', { reason: error instanceof Error ? error.message : String(error) }));
    }
    box.hidden = false;
    this.#button('diff').setAttribute('aria-expanded', 'true');
    this.#button('diff').textContent = this.#t('lesson.diff.hide');
  }

  #closeDiff(): void {
    this.#query('[data-role="diff"]').hidden = true;
    this.#button('diff').setAttribute('aria-expanded', 'false');
    this.#button('diff').textContent = this.#t('lesson.diff.show');
  }

  /** Puts the finished stage's main.go, or the previous stage's to write this one yourself, into the playground. */
  async #useCode(which: 'finished' | 'previous'): Promise<void> {
    const stage = this.#progress.stage;
    if (which === 'previous' && !canBuildInBrowser()) return this.#say(this.#t('playground.code.unsupported'));
    const playground = this.#playground();
    if (!playground) return;
    try {
      playground.setFile('main.go', await this.#mainGo(which === 'finished' ? stage : stage - 1));
    } catch (error) {
      return this.#say(this.#t('playground.code.loadFailed', { reason: error instanceof Error ? error.message : String(error) }));
    }
    this.#say(which === 'finished' ? this.#t('lesson.solved', { n: stage }) : this.#t('lesson.startedOver', { n: stage, previous: stage - 1 }));
  }

  #ran(event: CustomEvent<RunResult>): void {
    const work = (event.target as Element).closest<HTMLElement>('[data-stage-work]');
    const stage = Number(work?.dataset.stageWork);
    const checks = event.detail.checks;
    if (!stage || !checks || checks.checked === 0 || checks.passed !== checks.checked) return;
    if (!this.#progress.done.includes(stage)) this.#progress.done.push(stage);
    saveProgress(this.#id, this.#progress);
    this.#drawDone();
    this.#say(this.#t('lesson.stageDone', { n: stage }));
  }

  #drawDone(): void {
    for (const link of this.querySelectorAll<HTMLElement>('[data-stage-link]')) {
      const mark = link.querySelector<HTMLElement>('[data-role="done"]');
      if (mark) mark.hidden = !this.#progress.done.includes(Number(link.dataset.stageLink));
    }
  }

  #say(text: string): void {
    this.#query('[data-role="message"]').textContent = text;
  }

  #on(action: string, handler: () => void): void {
    this.#button(action).addEventListener('click', handler);
  }

  #button(action: string): HTMLButtonElement {
    return this.querySelector<HTMLButtonElement>(`[data-action="${action}"]:not(wasm-playground *)`)!;
  }

  #query(selector: string): HTMLElement {
    return this.querySelector<HTMLElement>(selector)!;
  }
}

if (!customElements.get('wasm-lesson')) customElements.define('wasm-lesson', WasmLesson);
