/**
 * Editing main.go in a playground: the switch from the read-only view to an editor, and the build
 * of the reader's code with the Go toolchain Worker (progress, markers, Cancel). The playground
 * element supplies what this touches through CodeEditingHost.
 */
import type { EditorHandle, EditorMarker } from './editor/monaco.ts';
import { byteColumnToCharColumn } from '../gobuild/build-plugin.ts';
import { describeBuildFailure } from './build-status.ts';
import { canBuildInBrowser, GoBuildClient } from './go-build-client.ts';

/** One Go build worker per page. */
let sharedGoClient: GoBuildClient | null = null;
const goClient = () => (sharedGoClient ??= new GoBuildClient());

export interface CodeEditingHost {
  readonly root: HTMLElement;
  readonly example: string;
  readonly storageKey: string;
  /** The example's files as shipped (main.go and any other .go files). */
  readonly original: Record<string, string>;
  code(): string;
  t(key: string): string;
  setStatus(text: string, tone?: 'info' | 'error'): void;
  showProblems(markers: EditorMarker[]): void;
  selectTab(name: string): void;
  onEdit(text: string): void;
  onRun(): void;
}

export class CodeEditing {
  readonly #host: CodeEditingHost;
  #isEditing = false;
  #editor: Promise<EditorHandle | null> | null = null;
  /** Counts this playground's builds: only the latest one may touch the status, progress and Cancel. */
  #buildCount = 0;
  #isBuilding = false;

  constructor(host: CodeEditingHost) {
    this.#host = host;
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
    void this.#upgrade().then((editor) => {
      if (shouldFocus) editor?.focus();
    });
  }

  #upgrade(): Promise<EditorHandle | null> {
    this.#editor ??= (async () => {
      try {
        const { createEditor } = await import('./editor/monaco.ts');
        const editorHost = this.#host.root.querySelector<HTMLElement>('[data-editor="main.go"]');
        if (!editorHost) return null;
        return await createEditor(editorHost, {
          value: this.#host.code(),
          language: 'go',
          uri: `file:///${this.#host.storageKey}/main.go`,
          label: 'main.go',
          onChange: (text) => this.#host.onEdit(text),
          onRun: () => this.#host.onRun(),
        });
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
      host.setStatus(host.t(`playground.build.${p.phase}`).replace('{loaded}', mb(p.loadedBytes)).replace('{total}', mb(p.totalBytes)));
    });
    host.setStatus(host.t('playground.build.start'));
    try {
      // The example's other Go files come along: a plugin may span several.
      const sources = Object.fromEntries(Object.entries(host.original).filter(([name]) => name.endsWith('.go') && !name.endsWith('_test.go')));
      const outcome = await goClient().build(goUrl, host.example, { ...sources, 'main.go': host.code() });
      // A newer build of this playground replaced this one: it owns the status now.
      if (!isLatest()) return null;
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
      host.setStatus(describeBuildFailure(outcome, (key) => host.t(key)), outcome.kind === 'cancelled' || outcome.kind === 'superseded' ? 'info' : 'error');
      return null;
    } finally {
      unsubscribe();
      if (isLatest()) {
        if (progress) progress.hidden = true;
        this.#showCancel(false);
      }
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
