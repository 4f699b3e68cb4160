/**
 * Editing main.go in a playground: the switch from the read-only view to an editor, and the build
 * of the reader's code with the Go toolchain Worker (progress, markers). The playground element
 * supplies what this touches through CodeEditingHost.
 */
import type { EditorHandle, EditorMarker } from './editor/monaco.ts';
import { byteColumnToCharColumn } from '../gobuild/build-plugin.ts';
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

  constructor(host: CodeEditingHost) {
    this.#host = host;
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
      const lines = host.code().split('\n');
      host.showProblems(
        outcome.ok
          ? []
          : outcome.diagnostics
              .filter((d) => d.file === 'main.go')
              .map((d) => ({ line: d.line, col: byteColumnToCharColumn(lines[d.line - 1] ?? '', d.col), message: d.message })),
      );
      if (outcome.ok) return outcome.wasm;
      // A build error keeps the last good outcomes on screen.
      host.selectTab('main.go');
      const first = outcome.diagnostics[0];
      const detail = first ? `main.go:${first.line}:${first.col} ${first.message}` : outcome.message;
      host.setStatus(`${host.t(outcome.phase === 'toolchain' ? 'playground.build.failed' : 'playground.build.errors')} ${detail}`, 'error');
      return null;
    } finally {
      unsubscribe();
      if (progress) progress.hidden = true;
    }
  }
}
