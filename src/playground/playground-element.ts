/**
 * <wasm-playground>: the behaviour of Playground.astro. Owns the reader's files (persisted per
 * example) and Run (button or Ctrl/Cmd+Enter); the parts with a job of their own live beside it:
 * tabs.ts, example-files.ts (main.go and the rest, fetched on first need), file-panel.ts (the
 * config.json and requests panels), code-editing.ts (main.go edit mode, the in-browser build and
 * Format), requests-tab.ts (the form), results-panel.ts (outcomes), file-actions.ts (download). Heavy parts load on demand: Monaco on the first interaction with an
 * editor, `yaml` when the requests tab opens, the zip writer on download; the harness itself only
 * ever runs in the Worker.
 * Public API for embedding and tests: `el.playground.setFile(name, text)`, `el.playground.run()`,
 * `el.playground.cancelBuild()`.
 */
import type { RunResult } from '../harness/run.ts';
import type { EditorHandle, EditorMarker } from './editor/monaco.ts';
import type { RunFailure } from '../harness/worker/protocol.ts';
import { translator, type Translate } from '../site/ui-strings.ts';
import { clearEdits, loadEdits, saveEdit } from './storage.ts';
import { failureText } from './views/render-failure.ts';
import { CANCELLED, HarnessClient, RunError } from './worker-client.ts';
import { CodeEditing } from './code-editing.ts';
import { canBuildInBrowser } from './go-build-client.ts';
import { loadExampleFiles, whenNearViewport } from './example-files.ts';
import { ResultsPanel } from './results-panel.ts';
import { RequestsTab } from './requests-tab.ts';
import { wireTabs } from './tabs.ts';
import { filePanel, type FilePanelName } from './file-panel.ts';
import { renderHighlightedCode } from './views/highlighted-code.ts';
import type { OpenedModule } from './opened-module.ts';
import type { SharedPlayground } from './share-link.ts';

type EditableFile = 'config.json' | 'scenario.yaml' | 'main.go';
/** The files edited in the config and requests tabs; main.go has its own edit mode. */
const EDITABLE: Array<'config.json' | 'scenario.yaml'> = ['config.json', 'scenario.yaml'];

/** One worker per page: playgrounds share it, and a new Run anywhere cancels the previous one. */
let sharedClient: HarnessClient | null = null;
const client = () => (sharedClient ??= new HarnessClient());

export interface PlaygroundApi {
  setFile(name: EditableFile, text: string): void;
  getFile(name: EditableFile): string;
  run(): Promise<RunResult | null>;
  /** Stops the build of edited main.go, if one runs; the run waiting for it resolves with null. */
  cancelBuild(): void;
  /** The files as a share link carries them (main.go only when edited); null when they could not be fetched. */
  snapshot(): Promise<PlaygroundSnapshot | null>;
  /** Saves the project (the example with the reader's files) as a zip. */
  download(): Promise<void>;
}

export interface PlaygroundSnapshot extends SharedPlayground {
  /** The file name of a .wasm the reader opened: Run uses it, and no link can carry it. */
  openedModule?: string;
}

/** Milliseconds as a status line shows them: `63 ms`, `2.4 s`. */
function duration(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}

class WasmPlayground extends HTMLElement {
  playground!: PlaygroundApi;
  #example = '';
  #storageKey = '';
  t: Translate = (key) => key;
  /**
   * The example's files as shipped: config.json and the requests from the page, the rest (main.go
   * first) once fetched. CodeEditing reads the same object, so it sees the fetched files too.
   */
  #original: Record<string, string> = {};
  #files: Promise<boolean> | null = null;
  #text: Record<EditableFile, string> = { 'config.json': '', 'scenario.yaml': '', 'main.go': '' };
  /** Files whose text is the reader's (stored edits, typing, setFile): the fetched originals do not replace them. */
  #ownText = new Set<EditableFile>();
  #code!: CodeEditing;
  #results!: ResultsPanel;
  #requestsTab: RequestsTab | null = null;
  #selectTab: (name: string) => void = () => {};
  #editors = new Map<EditableFile, EditorHandle>();
  #upgrading: Promise<void> | null = null;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #isPrepared = false;
  /** What main.go's problems line shows now (build errors, a gofmt syntax error). */
  #codeMarkers: EditorMarker[] = [];
  /** Runs started here, so only the newest one clears the Run button's busy flag. */
  #runs = 0;
  /** A .wasm the reader opened: Run runs it instead of the example's plugin (and main.go). */
  #opened: OpenedModule | null = null;

  connectedCallback(): void {
    this.#example = this.dataset.playground ?? '';
    this.#storageKey = this.dataset.storageKey ?? this.#example;
    this.t = translator(document.documentElement.lang);
    const edits = loadEdits(this.#storageKey);
    for (const name of EDITABLE) {
      const saved = edits[name === 'config.json' ? 'config' : 'scenario'];
      if (saved !== undefined) {
        this.#text[name] = saved;
        this.#ownText.add(name);
      }
    }
    this.#results = new ResultsPanel(this.#query('[data-role="results"]')!, this.t);
    this.#code = new CodeEditing({
      root: this,
      example: this.#example,
      storageKey: this.#storageKey,
      original: this.#original,
      code: () => this.#text['main.go'],
      t: (key, values) => this.t(key, values),
      setStatus: (text, tone) => this.#setStatus(text, tone),
      showProblems: (markers) => this.#showProblems('main.go', markers),
      problems: () => this.#codeMarkers,
      selectTab: (name) => this.#selectTab(name),
      onEdit: (text) => this.#edited('main.go', text),
      onRun: () => void this.run(),
    });
    const codeArea = this.#textarea('main.go');
    if (codeArea) {
      codeArea.value = edits.code ?? '';
      codeArea.addEventListener('input', () => this.#edited('main.go', codeArea.value));
    }
    this.#text['main.go'] = edits.code ?? '';
    if (edits.code !== undefined) {
      this.#ownText.add('main.go');
      this.#editCode(false);
    }
    if (edits.config !== undefined || edits.scenario !== undefined || edits.code !== undefined) this.#setStatus(this.t('playground.restored'));
    this.#selectTab = wireTabs(this, {
      tabs: '[role="tab"][data-tab]',
      tabAttr: 'data-tab',
      panels: '[data-panel]',
      panelAttr: 'data-panel',
      onSelect: (name) => {
        if (name !== 'main.go') {
          this.#filePanel(name as FilePanelName).hidden = false;
          void this.#upgradeEditors();
        }
        if (name === 'scenario.yaml') this.#openRequestsTab();
      },
    });
    this.#action('run', () => void this.run());
    this.#action('edit-code', () => void this.#startEditing());
    // Tooltips are set here rather than in the page: nine playgrounds would carry nine copies.
    this.#query('[data-action="cancel-build"]')?.setAttribute('title', this.t('playground.cancelBuildShortcut'));
    this.#query('[data-action="run"]')?.setAttribute('title', this.t('playground.runShortcut'));
    this.#query('[data-action="open-wasm"]')?.setAttribute('title', this.t('playground.openWasmTitle'));
    this.#action('reset', () => void this.#reset());
    this.#action('copy', () => void this.#copy());
    this.#action('download', () => void this.#download());
    this.#action('open-wasm', () => this.#pickModule());
    // A .wasm dropped anywhere on the playground opens like one picked.
    this.addEventListener('dragover', (event) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    });
    this.addEventListener('drop', (event) => {
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      void this.#openModule(file);
    });
    this.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
        event.preventDefault();
        void this.run();
      }
    });
    // main.go arrives when the playground comes near the screen, not with the page.
    const staticCode = this.#query('[data-role="static-code"]');
    if (staticCode) whenNearViewport(staticCode, () => void this.#loadFiles());
    // First interaction: warm the worker (download + compile the plugin) and the editors.
    const warm = () => this.#prepare();
    this.addEventListener('pointerenter', warm, { once: true });
    this.addEventListener('focusin', warm, { once: true });
    this.playground = {
      setFile: (name, text) => this.#setFile(name, text),
      getFile: (name) => this.#text[name],
      run: () => this.run(),
      cancelBuild: () => this.#code.cancel(),
      snapshot: () => this.#snapshot(),
      download: () => this.#download(),
    };
    // Guide playgrounds open their files in the playground page (which sets data-page on its own).
    if (this.dataset.page === undefined) this.#addOpenInPlayground();
  }

  async #snapshot(): Promise<PlaygroundSnapshot | null> {
    if (!(await this.#loadFiles())) return null;
    return {
      example: this.#example,
      config: this.#text['config.json'],
      scenario: this.#text['scenario.yaml'],
      ...(this.#isCodeEdited() ? { code: this.#text['main.go'] } : {}),
      ...(this.#opened ? { openedModule: this.#opened.fileName } : {}),
    };
  }

  /** "Open in playground": the page at /playground/ with this playground's files in the link (made here: a page carries no markup for it). */
  #addOpenInPlayground(): void {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.action = 'open-in-playground';
    button.textContent = this.t('playground.openInPlayground');
    button.title = this.t('playground.openInPlaygroundTitle');
    button.addEventListener('click', () => void this.#openInPlayground());
    this.#query('.pg-actions')?.append(button);
  }

  async #openInPlayground(): Promise<void> {
    // The tab opens now, while the click still counts as the reader's (Safari blocks a later
    // window.open), and gets its address once the files are read; a new tab keeps the reader's
    // place in the guide.
    const tab = window.open('about:blank', '_blank');
    if (tab) tab.opener = null;
    const state = await this.#snapshot();
    if (!state) return tab?.close();
    const { shareFragment } = await import('./share-link.ts');
    const base = import.meta.env.BASE_URL.replace(/\/$/, '');
    const url = `${base}${document.documentElement.lang.startsWith('en') ? '/en' : ''}/playground/#${shareFragment(state)}`;
    if (tab) tab.location.href = new URL(url, location.href).href;
    else location.href = url;
  }

  /** Runs the plugin with the current files; resolves with the result, or null when it failed or was replaced. */
  async run(): Promise<RunResult | null> {
    this.#prepare();
    const button = this.#query<HTMLButtonElement>('[data-action="run"]');
    button?.setAttribute('aria-busy', 'true');
    // A newer Run of this playground owns the busy flag; an older one must not clear it.
    const runNumber = ++this.#runs;
    const settleBusy = () => {
      if (runNumber === this.#runs) button?.removeAttribute('aria-busy');
    };
    performance.mark('wasm-lab:run:start');
    let wasmBytes: Uint8Array | undefined;
    let buildMs: number | undefined;
    // The requests, the config and whether main.go was edited are all known once the files are here.
    if (!(await this.#loadFiles())) {
      settleBusy();
      return null;
    }
    let config: unknown;
    try {
      config = JSON.parse(this.#text['config.json']);
      this.#showProblems('config.json', []);
    } catch (error) {
      const message = this.t('playground.error.configJson', { message: (error as Error).message });
      this.#showProblems('config.json', [{ line: 1, col: 1, message }]);
      // Nothing on screen may claim to come from this config: the old outcomes give way to the failure.
      this.#renderFailure({ kind: 'bad-config', message });
      this.#query('[data-role="problems-config"]')?.scrollIntoView({ block: 'nearest' });
      settleBusy();
      return null;
    }
    this.#showProblems('scenario.yaml', []);
    if (this.#opened) wasmBytes = this.#opened.bytes;
    else if (this.#isCodeEdited()) {
      const started = performance.now();
      const built = await this.#code.build();
      if (!built) {
        // What is on screen came from the code before this edit.
        this.#results.markStale(true);
        settleBusy();
        return null;
      }
      buildMs = performance.now() - started;
      wasmBytes = built;
    }
    const runStarted = performance.now();
    let requestsStarted: number | undefined;
    const unsubscribe = client().subscribe((status) => {
      if (status.state !== 'running') return;
      if (status.index >= 0) requestsStarted ??= performance.now();
      this.#setStatus(status.index < 0 ? this.t('playground.status.starting') : this.t('playground.status.running', { n: status.index + 1 }));
    });
    try {
      const result = await client().run({
        plugin: wasmBytes ? { bytes: wasmBytes } : { url: this.dataset.wasmUrl ?? '' },
        pluginName: this.#opened ? this.#opened.fileName.replace(/\.wasm$/, '') : this.#example,
        scenario: { text: this.#text['scenario.yaml'], fileName: 'scenario.yaml' },
        // The config.json tab plays the example's config.json: a scenario's own `config:` wins, as in the CLI.
        defaultConfig: config,
        isTraced: true,
      });
      if (result === CANCELLED) return null;
      this.#results.show(result);
      performance.mark('wasm-lab:run:rendered');
      // For npm run bench (bench/browser.ts): Run → outcomes rendered.
      performance.measure('wasm-lab:run', 'wasm-lab:run:start', 'wasm-lab:run:rendered');
      const done = performance.now();
      // Load (download, compile, start the VM), run (the requests) and build are told apart: a
      // slow first download must not read as a slow plugin.
      const loadMs = (requestsStarted ?? done) - runStarted;
      let status = this.t('playground.status.done', { n: result.summary?.requests ?? result.outcomes.length, run: duration(done - (requestsStarted ?? runStarted)), load: duration(loadMs) });
      if (buildMs !== undefined) {
        // Preparing the toolchain (download, decode, compiling the tools) apart from compiling the plugin.
        const timings = this.#code.lastBuildTimings;
        status += timings
          ? this.t('playground.status.builtDetail', { build: duration(buildMs), toolchain: duration(timings.toolchainMs), compile: duration(timings.compileMs), link: duration(timings.linkMs) })
          : this.t('playground.status.built', { build: duration(buildMs) });
      }
      this.#setStatus(status);
      this.#showFirstOutcome();
      // For a surrounding lesson (lesson-element.ts): a stage is done when its checks pass.
      this.dispatchEvent(new CustomEvent('playground:ran', { detail: result, bubbles: true }));
      return result;
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
      this.#renderFailure(error.failure);
      return null;
    } finally {
      unsubscribe();
      settleBusy();
    }
  }

  /**
   * Fetches the example's files (once) and shows main.go; resolves false, with a message, when
   * they could not be fetched.
   */
  #loadFiles(): Promise<boolean> {
    this.#files ??= loadExampleFiles(this.dataset.filesUrl ?? '').then(
      ({ files, mainGoView }) => {
        // The playground plays its scenario file as scenario.yaml.
        Object.assign(this.#original, files, { 'scenario.yaml': files[this.dataset.scenarioFile ?? 'scenario.yaml'] ?? '' });
        for (const name of ['main.go', ...EDITABLE] as const) {
          if (this.#ownText.has(name)) continue;
          this.#text[name] = this.#original[name] ?? '';
          const area = this.#textarea(name);
          if (area) area.value = this.#text[name];
        }
        const view = this.#query('[data-role="static-code"]');
        if (view) {
          renderHighlightedCode(view, mainGoView.text, mainGoView.tokens, `examples/${this.#example}/main.go`);
          view.removeAttribute('aria-busy');
        }
        return true;
      },
      (error: unknown) => {
        this.#files = null;
        this.#setStatus(this.t('playground.code.loadFailed', { reason: error instanceof Error ? error.message : String(error) }), 'error');
        return false;
      },
    );
    return this.#files;
  }

  /**
   * Brings the first outcome into view when it is not: at two fifths of the window, so the status
   * and the checks above it and the next outcomes below it show too.
   */
  #showFirstOutcome(): void {
    const box = this.#results.firstOutcome?.getBoundingClientRect();
    if (box && (box.top < 0 || box.bottom > window.innerHeight)) window.scrollBy({ top: box.top - window.innerHeight * 0.4 });
  }

  #isCodeEdited(): boolean {
    return this.#original['main.go'] !== undefined && this.#text['main.go'] !== this.#original['main.go'];
  }

  async #startEditing(): Promise<void> {
    // A phone cannot build Go: say so at once, before the reader types anything.
    if (!canBuildInBrowser() || !this.dataset.goUrl) {
      const note = this.#query('[data-role="code-note"]');
      if (note) note.textContent = this.t('playground.code.unsupported');
      this.#setStatus(this.t('playground.code.unsupported'), 'error');
      return;
    }
    if (await this.#loadFiles()) this.#editCode(true);
  }

  /** main.go becomes an editor (CodeEditing), with a Format button beside Run (made now: a page carries none). */
  #editCode(shouldFocus: boolean): void {
    this.#code.start(shouldFocus);
    if (this.#query('[data-action="format"]')) return;
    const format = document.createElement('button');
    format.type = 'button';
    format.dataset.action = 'format';
    format.textContent = this.t('playground.format');
    format.addEventListener('click', () => void this.#code.format());
    this.#query('[data-action="cancel-build"]')?.after(format);
  }

  /** Applies `use` to a file's Monaco editor once it exists (main.go's belongs to CodeEditing). */
  #withEditor(name: EditableFile, use: (editor: EditorHandle) => void): void {
    if (name === 'main.go') void this.#code.editor?.then((editor) => editor && use(editor));
    else {
      const editor = this.#editors.get(name);
      if (editor) use(editor);
    }
  }

  #openRequestsTab(): void {
    const panel = this.#query('[data-panel="scenario.yaml"]');
    if (this.#requestsTab || !panel) return;
    this.#requestsTab = new RequestsTab(panel, this.t, {
      yaml: () => this.#text['scenario.yaml'],
      setYaml: (text) => this.#setFile('scenario.yaml', text),
    });
  }

  #renderFailure(failure: RunFailure): void {
    this.#results.showFailure(failure);
    if (failure.kind === 'bad-scenario') {
      this.#showProblems('scenario.yaml', (failure.issues ?? []).map((i) => ({ line: i.line ?? 1, col: i.col ?? 1, message: `${i.path ? `${i.path}: ` : ''}${i.message}` })));
    }
    this.#setStatus(failureText(failure, this.t).message, 'error');
  }

  #showProblems(name: EditableFile, markers: EditorMarker[]): void {
    if (name === 'main.go') this.#codeMarkers = markers;
    if (markers.length > 0) {
      if (name === 'main.go') this.#codeProblems();
      else this.#filePanel(name);
    }
    const box = this.#query(`[data-role="problems-${name === 'config.json' ? 'config' : name === 'main.go' ? 'code' : 'scenario'}"]`);
    if (box) {
      box.hidden = markers.length === 0;
      box.textContent = markers.map((m) => (m.line > 1 || m.col > 1 ? `${m.line}:${m.col} ${m.message}` : m.message)).join('\n');
    }
    this.#withEditor(name, (editor) => editor.setMarkers(markers));
  }

  #prepare(): void {
    if (this.#isPrepared) return;
    this.#isPrepared = true;
    void this.#loadFiles();
    if (typeof Worker === 'undefined' || typeof WebAssembly === 'undefined') {
      this.#setStatus(this.t('playground.unsupported'), 'error');
      return;
    }
    client().prepare(this.dataset.wasmUrl ?? '');
  }

  #edited(name: EditableFile, text: string): void {
    this.#text[name] = text;
    this.#ownText.add(name);
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => saveEdit(this.#storageKey, name, text), 250);
    if (name === 'scenario.yaml') this.#requestsTab?.sync();
  }

  #setFile(name: EditableFile, text: string): void {
    // New code for main.go switches to edit mode; the example's own (Reset) does not.
    if (name === 'main.go' && text !== this.#text['main.go'] && text !== this.#original['main.go']) this.#editCode(false);
    this.#text[name] = text;
    this.#ownText.add(name);
    const area = this.#textarea(name);
    if (area) area.value = text;
    this.#withEditor(name, (editor) => editor.setValue(text));
    saveEdit(this.#storageKey, name, text);
    if (name === 'scenario.yaml') this.#requestsTab?.sync();
  }

  /** Back to the example's files; the status line offers Undo, so an accidental Reset loses nothing. */
  async #reset(): Promise<void> {
    if (!(await this.#loadFiles())) return;
    const before = { ...this.#text };
    const wasCodeEdited = this.#isCodeEdited();
    clearTimeout(this.#saveTimer);
    for (const name of [...EDITABLE, 'main.go' as const]) this.#setFile(name, this.#original[name] ?? '');
    clearEdits(this.#storageKey);
    this.#showProblems('main.go', []);
    this.#showProblems('config.json', []);
    this.#showProblems('scenario.yaml', []);
    this.#setStatus(this.t('playground.status.reset'), 'info', {
      label: this.t('playground.undo'),
      run: () => {
        for (const name of [...EDITABLE, 'main.go' as const]) {
          if (before[name] !== this.#text[name] && (name !== 'main.go' || wasCodeEdited)) this.#setFile(name, before[name]);
        }
        this.#setStatus(this.t('playground.status.undone'));
      },
    });
  }

  async #copy(): Promise<void> {
    const selected = (this.#query('[role="tab"][data-tab][aria-selected="true"]')?.getAttribute('data-tab') ?? 'main.go') as EditableFile;
    if (selected === 'main.go' && !(await this.#loadFiles())) return;
    try {
      await navigator.clipboard.writeText(this.#text[selected]);
      this.#setStatus(this.t('playground.copied', { file: selected }));
    } catch {
      this.#setStatus(this.t('playground.copyFailed'), 'error');
    }
  }

  async #download(): Promise<void> {
    if (!(await this.#loadFiles())) return;
    const { downloadProject } = await import('./file-actions.ts');
    downloadProject(this.#example, this.#original, { code: this.#text['main.go'], config: this.#text['config.json'], scenario: this.#text['scenario.yaml'] });
  }

  /** Swaps the textareas for Monaco editors, keeping the text and, for the focused one, the focus. */
  #upgradeEditors(focus?: EditableFile): Promise<void> {
    this.#upgrading ??= (async () => {
      try {
        const { createEditor, useJsonSchema } = await import('./editor/monaco.ts');
        const configUri = `file:///${this.#storageKey}/config.json`;
        if (await this.#loadFiles()) {
          const schema = this.#original['config.schema.json'];
          if (schema) await useJsonSchema(configUri, JSON.parse(schema));
        }
        for (const name of EDITABLE) {
          const host = this.#filePanel(name).querySelector<HTMLElement>(`[data-editor="${name}"]`);
          if (!host) continue;
          const editor = await createEditor(host, {
            value: this.#text[name],
            language: name === 'config.json' ? 'json' : 'yaml',
            uri: name === 'config.json' ? configUri : `file:///${this.#storageKey}/scenario.yaml`,
            label: name,
            onChange: (text) => this.#edited(name, text),
            onRun: () => void this.run(),
          });
          this.#editors.set(name, editor);
        }
      } catch (error) {
        // The textareas stay: editing and Run still work without Monaco.
        console.warn('Monaco could not be loaded; keeping plain text editors.', error);
      }
    })();
    return this.#upgrading.then(() => {
      if (focus) this.#editors.get(focus)?.focus();
    });
  }

  /** The file picker, made on first use: a page carries no input for it. */
  #pickModule(): void {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.wasm,application/wasm';
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file) void this.#openModule(file);
    });
    input.click();
  }

  /** Reads an opened .wasm and shows which gateways can load it; Run then runs it with these requests. */
  async #openModule(file: File): Promise<void> {
    const { openModuleFile, OpenModuleError } = await import('./opened-module.ts');
    const { renderOpenedModule } = await import('./views/render-verdicts.ts');
    let opened: OpenedModule;
    try {
      opened = await openModuleFile(file);
    } catch (error) {
      if (!(error instanceof OpenModuleError)) throw error;
      this.#setStatus(this.t(error.key, error.values), 'error');
      return;
    }
    this.#opened = opened;
    this.#query('[data-role="opened-module"]')?.remove();
    const view = renderOpenedModule(opened, this.t);
    view.dataset.role = 'opened-module';
    view.querySelector('[data-action="close-wasm"]')?.addEventListener('click', () => this.#closeModule());
    this.#query('[data-role="status"]')?.before(view);
    // What is on screen came from the example's plugin.
    this.#results.markStale(true);
    this.#setStatus(this.t('playground.status.opened', { name: opened.fileName }));
  }

  #closeModule(): void {
    this.#opened = null;
    this.#query('[data-role="opened-module"]')?.remove();
    this.#results.markStale(true);
    this.#setStatus(this.t('playground.status.closed'));
  }

  #action(name: string, handler: () => void): void {
    this.#query(`[data-action="${name}"]`)?.addEventListener('click', handler);
  }

  /** Shows one line of status; `action` adds a button to it (e.g. Undo) until the next status. */
  #setStatus(text: string, tone: 'info' | 'error' = 'info', action?: { label: string; run(): void }): void {
    const status = this.#query('[data-role="status"]');
    if (!status) return;
    status.textContent = text;
    status.dataset.tone = tone;
    if (action) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'pg-status-action';
      button.dataset.action = 'status-action';
      button.textContent = action.label;
      button.addEventListener('click', action.run, { once: true });
      status.append(' ', button);
    }
  }

  /** The line under main.go's editor that lists build problems, made when there first are some. */
  #codeProblems(): void {
    if (this.#query('[data-role="problems-code"]')) return;
    const problems = document.createElement('p');
    problems.className = 'pg-problems';
    problems.dataset.role = 'problems-code';
    problems.setAttribute('role', 'alert');
    this.#query('[data-editor="main.go"]')?.after(problems);
  }

  /** The config.json or requests panel (file-panel.ts), made on first need. */
  #filePanel(name: FilePanelName): HTMLElement {
    return filePanel(this, name, this.#text[name], {
      onInput: (text) => this.#edited(name, text),
      onFirstFocus: () => void this.#upgradeEditors(name),
    });
  }

  #textarea(name: EditableFile): HTMLTextAreaElement | null {
    return this.#query<HTMLTextAreaElement>(`[data-editor="${name}"] textarea`);
  }

  #query<T extends Element = HTMLElement>(selector: string): T | null {
    return this.querySelector<T>(selector);
  }
}

if (!customElements.get('wasm-playground')) customElements.define('wasm-playground', WasmPlayground);

// Offline once loaded (offline/register.ts): a service worker, in built sites only (under astro dev
// it would fight Vite's module updates), loaded and registered once the page is idle.
if (import.meta.env.PROD) {
  const register = () => void import('./offline/register.ts').then((offline) => offline.registerOfflineWorker(), (error: unknown) => console.warn('Offline use is unavailable.', error));
  const whenIdle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(register, { timeout: 5000 }) : setTimeout(register, 1000));
  if (document.readyState === 'complete') whenIdle();
  else addEventListener('load', whenIdle, { once: true });
}
