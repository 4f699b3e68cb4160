/**
 * <wasm-playground-page>: the behaviour of PlaygroundPage.astro. Stamps out one playground for
 * the example the reader picks (or a share link names), keeps each example's edits apart
 * (storage key `page:<example>`), restores a link's files, and makes share links. The playground
 * element does the rest (editing, building, Run, Open .wasm, the results).
 */
import './playground-element.ts';
import type { PlaygroundApi } from './playground-element.ts';
import type { PlaygroundUrls } from '../site/playground-urls.ts';
import { translator, type Translate } from '../site/ui-strings.ts';
import { clearEdits, loadEdits, saveEdit, type SavedEdits } from './storage.ts';
import { append, el } from './views/dom.ts';

type PlaygroundElement = HTMLElement & { playground: PlaygroundApi };

/** The example the page opened last, so a reader coming back finds their plugin. */
const LAST_EXAMPLE_KEY = 'higress-wasm-lab:playground-page:example';
const DEFAULT_EXAMPLE = 'blank';

const storageKeyOf = (example: string) => `page:${example}`;

function remembered(): string | null {
  try {
    return localStorage.getItem(LAST_EXAMPLE_KEY);
  } catch {
    return null;
  }
}

function remember(example: string): void {
  try {
    localStorage.setItem(LAST_EXAMPLE_KEY, example);
  } catch {
    // Storage is a convenience: without it the page starts blank next time.
  }
}

class WasmPlaygroundPage extends HTMLElement {
  #t: Translate = (key) => key;
  #urls: Record<string, PlaygroundUrls> = {};
  #current: PlaygroundElement | null = null;

  connectedCallback(): void {
    this.#t = translator(document.documentElement.lang);
    this.#urls = JSON.parse(this.querySelector('[data-role="examples"]')?.textContent ?? '{}') as Record<string, PlaygroundUrls>;
    this.#picker().addEventListener('change', () => {
      this.#hideShare();
      this.#setStatus('');
      this.#mount(this.#picker().value);
    });
    this.querySelector('[data-action="share"]')?.addEventListener('click', () => void this.#share());
    // A link pasted into this tab's address bar changes only the fragment: open it too.
    window.addEventListener('hashchange', () => void this.#openFromLocation());
    void this.#openFromLocation(true);
  }

  /** Opens the link in the address bar, if it is a share link; otherwise (on first load) the example last opened. */
  async #openFromLocation(isFirst = false): Promise<void> {
    if (!location.hash.includes('share=')) {
      if (isFirst) this.#mount(this.#known(remembered()) ?? DEFAULT_EXAMPLE);
      return;
    }
    const { readShareFragment, ShareLinkError } = await import('./share-link.ts');
    // The fragment goes once read: a reload must not put the link's files back over later edits.
    const hash = location.hash;
    history.replaceState(history.state, '', location.pathname + location.search);
    let state;
    try {
      state = readShareFragment(hash);
    } catch (error) {
      if (!(error instanceof ShareLinkError)) throw error;
      console.warn('Share link not opened:', error.message);
      this.#setStatus(this.#t('playgroundPage.brokenLink'), 'error');
      if (isFirst) this.#mount(this.#known(remembered()) ?? DEFAULT_EXAMPLE);
      return;
    }
    if (!state) return;
    if (!this.#urls[state.example]) {
      this.#setStatus(this.#t('playgroundPage.unknownExample', { name: state.example }), 'error');
      if (isFirst) this.#mount(this.#known(remembered()) ?? DEFAULT_EXAMPLE);
      return;
    }
    const key = storageKeyOf(state.example);
    const before = loadEdits(key);
    // From the example's own files: the link's main.go when it has one, the example's otherwise.
    clearEdits(key);
    const playground = this.#mount(state.example);
    playground.setFile('config.json', state.config);
    playground.setFile('scenario.yaml', state.scenario);
    if (state.code !== undefined) playground.setFile('main.go', state.code);
    const hadEdits = Object.keys(before).length > 0;
    const example = state.example === 'blank' ? this.#t('playgroundPage.blank') : state.example;
    if (!hadEdits) return this.#setStatus(this.#t('playgroundPage.restored', { example }));
    // Nothing lost: the reader's own edits of that example come back with one click.
    this.#setStatus(this.#t('playgroundPage.restoredOver', { example }), 'info', {
      label: this.#t('playground.undo'),
      run: () => {
        restoreEdits(key, before);
        this.#mount(state.example);
        this.#setStatus(this.#t('playgroundPage.undone'));
      },
    });
  }

  #known(example: string | null): string | null {
    return example && this.#urls[example] ? example : null;
  }

  /** Replaces the playground with one for `example`, which starts from that example's saved edits. */
  #mount(example: string): PlaygroundApi {
    const template = this.querySelector<HTMLTemplateElement>('template[data-role="playground-template"]')!;
    const fragment = template.content.cloneNode(true) as DocumentFragment;
    const playground = fragment.querySelector<PlaygroundElement>('wasm-playground')!;
    const urls = this.#urls[example]!;
    Object.assign(playground.dataset, { playground: example, storageKey: storageKeyOf(example), wasmUrl: urls.wasmUrl, filesUrl: urls.filesUrl, page: '' });
    this.querySelector('[data-role="mount"]')!.replaceChildren(fragment);
    this.#current = playground;
    const picker = this.#picker();
    // An example the picker does not list (a lesson stage opened from its guide) gets an entry.
    if (![...picker.options].some((option) => option.value === example)) picker.append(new Option(example, example));
    picker.value = example;
    remember(example);
    return playground.playground;
  }

  async #share(): Promise<void> {
    const playground = this.#current;
    if (!playground) return;
    const snapshot = await playground.playground.snapshot();
    if (!snapshot) return;
    const { shareUrl, MAX_SHARE_URL_LENGTH } = await import('./share-link.ts');
    const { openedModule, ...files } = snapshot;
    const { url, isTooLong } = shareUrl(location.href, files);
    const box = this.querySelector<HTMLElement>('[data-role="share-result"]')!;
    box.replaceChildren();
    box.hidden = false;
    if (isTooLong) {
      const message = el('p', 'pg-share-too-long', this.#t('playgroundPage.tooLong', { length: url.length.toLocaleString(), max: MAX_SHARE_URL_LENGTH.toLocaleString() }));
      message.dataset.role = 'share-too-long';
      message.setAttribute('role', 'alert');
      const download = el('button', '', this.#t('playgroundPage.downloadInstead'));
      download.type = 'button';
      download.dataset.action = 'share-download';
      download.addEventListener('click', () => void playground.playground.download());
      append(box, message, download);
      download.focus();
      return;
    }
    const label = el('label', 'pg-share-link');
    const input = el('input');
    Object.assign(input, { type: 'text', readOnly: true, value: url });
    input.dataset.role = 'share-link';
    input.addEventListener('focus', () => input.select());
    append(label, el('span', '', this.#t('playgroundPage.linkLabel')), input);
    const copy = el('button', '', this.#t('playgroundPage.copyLink'));
    copy.type = 'button';
    copy.addEventListener('click', () => void this.#copy(url, input));
    append(box, label, copy);
    if (openedModule) append(box, el('p', 'pg-share-note', this.#t('playgroundPage.moduleNotShared', { name: openedModule })));
    await this.#copy(url, input);
  }

  async #copy(url: string, input: HTMLInputElement): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
      this.#setStatus(this.#t('playgroundPage.copied'));
    } catch {
      input.focus();
      this.#setStatus(this.#t('playgroundPage.copyFailed'), 'error');
    }
  }

  #hideShare(): void {
    const box = this.querySelector<HTMLElement>('[data-role="share-result"]');
    if (box) box.hidden = true;
  }

  #picker(): HTMLSelectElement {
    return this.querySelector<HTMLSelectElement>('[data-role="example-picker"]')!;
  }

  /** The page's status line; `action` adds a button to it (Undo) until the next status. */
  #setStatus(text: string, tone: 'info' | 'error' = 'info', action?: { label: string; run(): void }): void {
    const status = this.querySelector<HTMLElement>('[data-role="page-status"]');
    if (!status) return;
    status.textContent = text;
    status.dataset.tone = tone;
    if (!action) return;
    const button = el('button', 'pg-status-action', action.label);
    button.type = 'button';
    button.addEventListener('click', action.run, { once: true });
    status.append(' ', button);
  }
}

/** Puts `edits` back as the saved edits under `key`. */
function restoreEdits(key: string, edits: SavedEdits): void {
  clearEdits(key);
  if (edits.config !== undefined) saveEdit(key, 'config.json', edits.config);
  if (edits.scenario !== undefined) saveEdit(key, 'scenario.yaml', edits.scenario);
  if (edits.code !== undefined) saveEdit(key, 'main.go', edits.code);
}

if (!customElements.get('wasm-playground-page')) customElements.define('wasm-playground-page', WasmPlaygroundPage);
