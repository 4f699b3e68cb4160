/**
 * Editing main.go in a playground: the switch from the read-only view to an editor, the build of
 * the reader's code with the Go toolchain Worker (progress, markers, Cancel), and Format (gofmt in
 * its own worker). The playground element supplies what this touches through CodeEditingHost.
 */
import type { EditorHandle, EditorMarker } from './editor/monaco.ts';
import { byteColumnToCharColumn } from '../gobuild/build-plugin.ts';
import { describeBuildFailure } from './build-status.ts';
import { type BuildTimings, canBuildInBrowser, GoBuildClient } from './go-build-client.ts';
import { type FormatResult, GoFormatClient } from './go-format-client.ts';
import { whenToolchainServiceWorkerReady } from './toolchain-service-worker.ts';
import { changedSpan } from './changed-span.ts';
import type { Translate } from '../site/ui-strings.ts';

/** One Go build worker per page, under the toolchain's service worker (toolchain-cache.ts says why). */
let sharedGoClient: GoBuildClient | null = null;
const goClient = () => (sharedGoClient ??= new GoBuildClient({ beforeWorkerStarts: whenToolchainServiceWorkerReady }));

/** One gofmt worker per page, started on the first Format. */
let sharedFormatClient: GoFormatClient | null = null;
const formatClient = (baseUrl: string) => (sharedFormatClient ??= new GoFormatClient({ baseUrl, beforeWorkerStarts: whenToolchainServiceWorkerReady }));

/**
 * What Format did. `formatted`: main.go is in gofmt's form now (`isChanged`: it was not before).
 * `syntax-error`: gofmt could not parse it; the error is shown at its line (columns in UTF-16
 * units). `outdated`: the code changed while gofmt ran, so its answer was dropped. `failed`: gofmt
 * could not run (the status says why). `unsupported`: this browser cannot run Go in the page.
 */
export type FormatOutcome =
  | { kind: 'formatted'; isChanged: boolean }
  | { kind: 'syntax-error'; line: number; col: number; message: string }
  | { kind: 'outdated' }
  | { kind: 'failed'; message: string }
  | { kind: 'unsupported' };

export interface CodeEditingHost {
  readonly root: HTMLElement;
  readonly example: string;
  readonly storageKey: string;
  /** The example's files as shipped (main.go and any other .go files). */
  readonly original: Record<string, string>;
  code(): string;
  t: Translate;
  setStatus(text: string, tone?: 'info' | 'error'): void;
  showProblems(markers: EditorMarker[]): void;
  /** The problems shown for main.go now, for an editor that appears after they were found. */
  problems(): EditorMarker[];
  selectTab(name: string): void;
  onEdit(text: string): void;
  onRun(): void;
}

export interface CodeEditingOptions {
  /** What formats main.go for the playground at a toolchain URL; tests pass a fake (default: one GoFormatClient per page). */
  formatter?: (baseUrl: string) => { format(source: string): Promise<FormatResult> };
}

export class CodeEditing {
  readonly #host: CodeEditingHost;
  readonly #formatter: NonNullable<CodeEditingOptions['formatter']>;
  #isEditing = false;
  #editor: Promise<EditorHandle | null> | null = null;
  /** Counts this playground's builds: only the latest one may touch the status, progress and Cancel. */
  #buildCount = 0;
  #isBuilding = false;
  #lastBuildTimings: BuildTimings | null = null;

  constructor(host: CodeEditingHost, options: CodeEditingOptions = {}) {
    this.#host = host;
    this.#formatter = options.formatter ?? ((baseUrl) => formatClient(baseUrl));
    host.root.querySelector('[data-action="cancel-build"]')?.addEventListener('click', () => this.cancel());
    // Escape cancels too, except in an editor, where it closes Monaco's widgets.
    host.root.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !this.#isBuilding || event.defaultPrevented) return;
      if ((event.target as Element | null)?.closest?.('[data-editor]')) return;
      event.preventDefault();
      this.cancel();
    });
  }

  /** Whether main.go of this playground is being built. */
  get isBuilding(): boolean {
    return this.#isBuilding;
  }

  /** Stops this playground's build (terminating the build worker); its Run then resolves with null. */
  cancel(): void {
    if (this.#isBuilding) goClient().cancel();
  }

  /**
   * Where the time of this playground's last build went (download or Cache Storage, decoding,
   * tools, compile, link: GoBuildClient's BuildTimings); null before the first build, and when the
   * last Run reused an earlier build of the same code.
   */
  get lastBuildTimings(): BuildTimings | null {
    return this.#lastBuildTimings;
  }

  /** The Monaco editor of main.go once it exists (for markers and setValue). */
  get editor(): Promise<EditorHandle | null> | null {
    return this.#editor;
  }

  /** Switches main.go from the read-only view to an editor and starts fetching the toolchain. */
  start(shouldFocus: boolean): void {
    const host = this.#host;
    if (!this.#isEditing) {
      this.#isEditing = true;
      const editorHost = host.root.querySelector<HTMLElement>('[data-editor="main.go"]');
      const staticCode = host.root.querySelector<HTMLElement>('[data-role="static-code"]');
      if (editorHost) editorHost.hidden = false;
      if (staticCode) staticCode.hidden = true;
      const note = host.root.querySelector('[data-role="code-note"]');
      if (note) note.textContent = host.t('playground.code.editing');
      const goUrl = host.root.dataset.goUrl ?? '';
      if (goUrl && canBuildInBrowser()) goClient().prepare(goUrl, host.example);
      else host.setStatus(host.t('playground.code.unsupported'), 'error');
    }
    host.selectTab('main.go');
    if (shouldFocus) {
      void this.#upgrade().then((editor) => editor?.focus());
      return;
    }
    // Restored edits or code set by a script: the plain editor shows them, and Monaco loads only
    // once the reader touches it (a reload must not parse Monaco before anyone edits).
    const editorHost = host.root.querySelector<HTMLElement>('[data-editor="main.go"]');
    const touch = () => void this.#upgrade().then((editor) => editor?.focus());
    editorHost?.addEventListener('focusin', touch, { once: true });
    editorHost?.addEventListener('pointerdown', touch, { once: true });
  }

  #upgrade(): Promise<EditorHandle | null> {
    this.#editor ??= (async () => {
      try {
        const { createEditor } = await import('./editor/monaco.ts');
        const editorHost = this.#host.root.querySelector<HTMLElement>('[data-editor="main.go"]');
        if (!editorHost) return null;
        const editor = await createEditor(editorHost, {
          value: this.#host.code(),
          language: 'go',
          uri: this.#modelUri(),
          label: 'main.go',
          onChange: (text) => this.#host.onEdit(text),
          onRun: () => this.#host.onRun(),
        });
        // Problems found before Monaco loaded (the plain editor showed them in a line below).
        editor.setMarkers(this.#host.problems());
        return editor;
      } catch (error) {
        console.warn('Monaco could not be loaded; keeping a plain text editor for main.go.', error);
        return null;
      }
    })();
    return this.#editor;
  }

  /** Builds the reader's main.go; the plugin bytes, or null (with markers) when it does not compile. */
  async build(): Promise<Uint8Array | null> {
    const host = this.#host;
    const goUrl = host.root.dataset.goUrl ?? '';
    if (!goUrl || !canBuildInBrowser()) {
      host.setStatus(host.t('playground.code.unsupported'), 'error');
      return null;
    }
    const progress = host.root.querySelector<HTMLProgressElement>('[data-role="progress"]');
    const build = ++this.#buildCount;
    const isLatest = () => build === this.#buildCount;
    this.#showCancel(true);
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const unsubscribe = goClient().onProgress((p) => {
      // For npm run bench: where the download ends and the build begins.
      if (p.phase === 'compile') performance.mark('wasm-lab:build:compile');
      if (progress) {
        progress.hidden = false;
        progress.max = p.phase === 'download' ? Math.max(p.totalBytes, 1) : 1;
        if (p.phase === 'download') progress.value = p.loadedBytes;
        else progress.removeAttribute('value');
      }
      host.setStatus(host.t(`playground.build.${p.phase}`, { loaded: mb(p.loadedBytes), total: mb(p.totalBytes) }));
    });
    host.setStatus(host.t('playground.build.start'));
    try {
      // The example's other Go files come along: a plugin may span several.
      const sources = Object.fromEntries(Object.entries(host.original).filter(([name]) => name.endsWith('.go') && !name.endsWith('_test.go')));
      const outcome = await goClient().build(goUrl, host.example, { ...sources, 'main.go': host.code() });
      // A newer build of this playground replaced this one: it owns the status now.
      if (!isLatest()) return null;
      this.#lastBuildTimings = outcome.ok ? (outcome.isCached ? null : outcome.timings) : outcome.kind === 'diagnostics' ? outcome.timings : null;
      const lines = host.code().split('\n');
      if (outcome.ok || outcome.kind === 'diagnostics') {
        host.showProblems(
          outcome.ok
            ? []
            : outcome.diagnostics
                .filter((d) => d.file === 'main.go')
                .map((d) => ({ line: d.line, col: byteColumnToCharColumn(lines[d.line - 1] ?? '', d.col), message: d.message })),
        );
      }
      if (outcome.ok) return outcome.wasm;
      // A failed, cancelled or stopped build keeps the last good outcomes on screen.
      if (outcome.kind === 'diagnostics') host.selectTab('main.go');
      if (outcome.kind === 'out-of-memory' || outcome.kind === 'tool-crashed' || outcome.kind === 'worker-crashed') console.warn(`Go build: ${outcome.kind}`, outcome);
      host.setStatus(describeBuildFailure(outcome, host.t), outcome.kind === 'cancelled' || outcome.kind === 'superseded' ? 'info' : 'error');
      return null;
    } finally {
      unsubscribe();
      if (isLatest()) {
        if (progress) progress.hidden = true;
        this.#showCancel(false);
      }
    }
  }

  /**
   * Formats main.go with the real gofmt in the browser (downloaded on the first call, about 1 MB)
   * and puts the result in the editor as one edit the reader can undo; a syntax error is shown at
   * its line, as build errors are. Never rejects.
   */
  async format(): Promise<FormatOutcome> {
    const host = this.#host;
    const goUrl = host.root.dataset.goUrl ?? '';
    // gofmt needs a few MB, not the build's gigabyte: phones may format too.
    if (!goUrl || typeof WebAssembly !== 'object' || typeof Worker !== 'function') {
      host.setStatus(host.t('playground.code.unsupported'), 'error');
      return { kind: 'unsupported' };
    }
    const source = host.code();
    host.setStatus(host.t('playground.format.running'));
    let result: FormatResult;
    try {
      result = await this.#formatter(goUrl).format(source);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.warn('Format: gofmt could not run', error);
      host.setStatus(host.t('playground.format.failed', { detail: message }), 'error');
      return { kind: 'failed', message };
    }
    // The reader typed while gofmt ran: their text wins, and a later Format sees it.
    if (host.code() !== source) return { kind: 'outdated' };
    if ('error' in result) {
      const { line, col, message } = result.error;
      host.showProblems([{ line, col, message }]);
      host.selectTab('main.go');
      host.setStatus(host.t('playground.format.syntaxError', { line, col, message }), 'error');
      return { kind: 'syntax-error', line, col, message };
    }
    // Markers of an earlier build point at lines formatting may have moved; the next Run shows them again.
    host.showProblems([]);
    const isChanged = result.text !== source;
    if (isChanged) await this.#replaceCode(source, result.text);
    host.setStatus(host.t('playground.format.done'));
    return { kind: 'formatted', isChanged };
  }

  /** The Monaco model URI of this playground's main.go. */
  #modelUri(): string {
    return `file:///${this.#host.storageKey}/main.go`;
  }

  /**
   * Replaces main.go's text `before` with `after` as one edit of the changed span, so Monaco keeps
   * its undo history (Ctrl+Z brings the unformatted code back) and the cursor above the change.
   */
  async #replaceCode(before: string, after: string): Promise<void> {
    if (!this.#isEditing) this.start(false);
    const span = changedSpan(before, after);
    const editor = await this.#editor;
    if (editor) {
      const { loadMonaco } = await import('./editor/monaco.ts');
      const monaco = await loadMonaco();
      const model = monaco.editor.getModel(monaco.Uri.parse(this.#modelUri()));
      if (model && model.getValue() === before) {
        const range = monaco.Range.fromPositions(model.getPositionAt(span.start), model.getPositionAt(span.end));
        model.pushStackElement();
        model.pushEditOperations([], [{ range, text: span.text }], () => null);
        model.pushStackElement();
        return;
      }
      editor.setValue(after);
      return;
    }
    // Monaco did not load: the plain text area, whose input event saves the edit.
    const area = this.#host.root.querySelector<HTMLTextAreaElement>('[data-editor="main.go"] textarea');
    if (area) {
      area.setRangeText(span.text, span.start, span.end);
      area.dispatchEvent(new Event('input', { bubbles: true }));
    } else {
      this.#host.onEdit(after);
    }
  }

  /** Shows Cancel while a build runs; when it hides with the focus on it, the focus goes back to Run. */
  #showCancel(isShown: boolean): void {
    this.#isBuilding = isShown;
    const cancel = this.#host.root.querySelector<HTMLButtonElement>('[data-action="cancel-build"]');
    if (!cancel) return;
    const hadFocus = document.activeElement === cancel;
    cancel.hidden = !isShown;
    if (hadFocus && !isShown) this.#host.root.querySelector<HTMLButtonElement>('[data-action="run"]')?.focus();
  }
}
