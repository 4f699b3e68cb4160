/**
 * <wasm-playground>: the behaviour of Playground.astro. Owns the reader's files (persisted per
 * example), the tabs, Run (button or Ctrl/Cmd+Enter), and the outcome views. Heavy parts load on
 * demand: Monaco on the first interaction with an editor, `yaml` when the requests form is used,
 * the zip writer on download; the harness itself only ever runs in the Worker.
 * Public API for embedding and tests: `el.playground.setFile(name, text)`, `el.playground.run()`.
 */
import type { RunResult } from '../harness/run.ts';
import type { EditorHandle, EditorMarker } from './editor/monaco.ts';
import type { RunFailure } from './protocol.ts';
import { clearEdits, loadEdits, saveEdit } from './storage.ts';
import { renderOutcomes, renderStartupLogs } from './views/render-outcomes.ts';
import { renderRedisView } from './views/render-redis.ts';
import { renderTimeline } from './views/render-timeline.ts';
import { CANCELLED, HarnessClient, RunError } from './worker-client.ts';
import { canBuildInBrowser, GoBuildClient } from './go-build-client.ts';

type EditableFile = 'config.json' | 'scenario.yaml' | 'main.go';
/** The files edited in the config and requests tabs; main.go has its own edit mode. */
const EDITABLE: Array<'config.json' | 'scenario.yaml'> = ['config.json', 'scenario.yaml'];
/** Real time a run may go without progress before the worker is stopped (matches the CLI default). */
const RUN_TIMEOUT_MS = 2000;

/** One worker per page: playgrounds share it, and a new Run anywhere cancels the previous one. */
let sharedClient: HarnessClient | null = null;
const client = () => (sharedClient ??= new HarnessClient());
let sharedGoClient: GoBuildClient | null = null;
const goClient = () => (sharedGoClient ??= new GoBuildClient());

export interface PlaygroundApi {
  setFile(name: EditableFile, text: string): void;
  getFile(name: EditableFile): string;
  run(): Promise<RunResult | null>;
}

class WasmPlayground extends HTMLElement {
  playground!: PlaygroundApi;
  #example = '';
  #storageKey = '';
  #strings: Record<string, string> = {};
  #original: Record<string, string> = {};
  #text: Record<EditableFile, string> = { 'config.json': '', 'scenario.yaml': '', 'main.go': '' };
  #isEditingCode = false;
  #editors = new Map<EditableFile, EditorHandle>();
  #upgrading: Promise<void> | null = null;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #isPrepared = false;
  /** The requests form syncs with the YAML only once the reader opens its tab (it loads `yaml`). */
  #isFormActive = false;

  connectedCallback(): void {
    this.#example = this.dataset.playground ?? '';
    this.#storageKey = this.dataset.storageKey ?? this.#example;
    this.#strings = JSON.parse(this.#script('strings'));
    this.#original = JSON.parse(this.#script('files'));
    const edits = loadEdits(this.#storageKey);
    for (const name of EDITABLE) {
      this.#text[name] = edits[name === 'config.json' ? 'config' : 'scenario'] ?? this.#original[name] ?? '';
      const area = this.#textarea(name);
      if (area) {
        area.value = this.#text[name];
        area.addEventListener('input', () => this.#edited(name, area.value));
      }
    }
    this.#text['main.go'] = edits.code ?? this.#original['main.go'] ?? '';
    const codeArea = this.#textarea('main.go');
    if (codeArea) {
      codeArea.value = this.#text['main.go'];
      codeArea.addEventListener('input', () => this.#edited('main.go', codeArea.value));
    }
    if (edits.code !== undefined) this.#editCode(false);
    if (edits.config !== undefined || edits.scenario !== undefined || edits.code !== undefined) this.#setStatus(this.t('playground.restored'));
    this.#wireTabs('[role="tab"][data-tab]', 'data-tab', '[data-panel]', 'data-panel', (name) => {
      if (name !== 'main.go') void this.#upgradeEditors();
      if (name === 'scenario.yaml' && !this.#isFormActive) {
        this.#isFormActive = true;
        this.#syncFormFromYaml();
      }
    });
    this.#wireTabs('[data-result-tab]', 'data-result-tab', '[data-result-panel]', 'data-result-panel');
    this.#action('run', () => void this.run());
    this.#action('edit-code', () => this.#editCode(true));
    this.#action('reset', () => this.#reset());
    this.#action('copy', () => void this.#copy());
    this.#action('download', () => void this.#download());
    this.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
        event.preventDefault();
        void this.run();
      }
    });
    // First interaction: warm the worker (download + compile the plugin) and the editors.
    const warm = () => this.#prepare();
    this.addEventListener('pointerenter', warm, { once: true });
    this.addEventListener('focusin', warm, { once: true });
    for (const name of EDITABLE) {
      this.#textarea(name)?.addEventListener('focus', () => void this.#upgradeEditors(name), { once: true });
    }
    this.#wireForm();
    this.playground = {
      setFile: (name, text) => this.#setFile(name, text),
      getFile: (name) => this.#text[name],
      run: () => this.run(),
    };
  }

  t(key: string): string {
    return this.#strings[key] ?? key;
  }

  /** Runs the plugin with the current files; resolves with the result, or null when it failed or was replaced. */
  async run(): Promise<RunResult | null> {
    this.#prepare();
    const problems = this.#query('[data-role="problems-config"]');
    let config: unknown;
    try {
      config = JSON.parse(this.#text['config.json']);
      this.#showProblems('config.json', []);
    } catch (error) {
      const message = this.t('playground.error.configJson').replace('{message}', (error as Error).message);
      this.#showProblems('config.json', [{ line: 1, col: 1, message }]);
      this.#setStatus(message, 'error');
      problems?.scrollIntoView({ block: 'nearest' });
      return null;
    }
    this.#showProblems('scenario.yaml', []);
    const button = this.#query<HTMLButtonElement>('[data-action="run"]');
    button?.setAttribute('aria-busy', 'true');
    performance.mark('wasm-lab:run:start');
    let wasmBytes: Uint8Array | undefined;
    if (this.#text['main.go'] !== this.#original['main.go']) {
      const built = await this.#buildCode();
      if (!built) {
        button?.removeAttribute('aria-busy');
        return null;
      }
      wasmBytes = built;
    }
    const unsubscribe = client().subscribe((status) => {
      if (status.state === 'running') {
        this.#setStatus(status.index < 0 ? this.t('playground.status.starting') : this.t('playground.status.running').replace('{n}', String(status.index + 1)));
      }
    });
    try {
      const result = await client().run(
        { wasmUrl: this.dataset.wasmUrl ?? '', ...(wasmBytes ? { wasmBytes } : {}), pluginName: this.#example, scenarioText: this.#text['scenario.yaml'], config, isTraced: true },
        RUN_TIMEOUT_MS,
      );
      if (result === CANCELLED) return null;
      this.#render(result);
      performance.mark('wasm-lab:run:rendered');
      const { duration } = performance.measure('wasm-lab:run', 'wasm-lab:run:start', 'wasm-lab:run:rendered');
      this.#setStatus(this.t('playground.status.done').replace('{n}', String(result.outcomes.length)).replace('{ms}', String(Math.round(duration))));
      return result;
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
      this.#renderFailure(error.failure);
      return null;
    } finally {
      unsubscribe();
      button?.removeAttribute('aria-busy');
    }
  }

  /** Builds the edited main.go in the page; null (and markers) when it does not compile. */
  async #buildCode(): Promise<Uint8Array | null> {
    const goUrl = this.dataset.goUrl ?? '';
    if (!goUrl || !canBuildInBrowser()) {
      this.#setStatus(this.t('playground.code.unsupported'), 'error');
      return null;
    }
    const progress = this.#query<HTMLProgressElement>('[data-role="progress"]');
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const unsubscribe = goClient().onProgress((p) => {
      if (progress) {
        progress.hidden = false;
        progress.max = p.phase === 'download' ? Math.max(p.totalBytes, 1) : 1;
        if (p.phase === 'download') progress.value = p.loadedBytes;
        else progress.removeAttribute('value');
      }
      const text = this.t(`playground.build.${p.phase}`).replace('{loaded}', mb(p.loadedBytes)).replace('{total}', mb(p.totalBytes));
      this.#setStatus(text);
    });
    this.#setStatus(this.t('playground.build.start'));
    try {
      const outcome = await goClient().build(goUrl, this.#example, { ...this.#goSources(), 'main.go': this.#text['main.go'] });
      this.#showProblems('main.go', outcome.ok ? [] : outcome.diagnostics.map((d) => ({ line: d.line, col: d.col, message: d.message })));
      if (outcome.ok) return outcome.wasm;
      // A build error keeps the last good outcomes on screen.
      this.#selectTab('main.go');
      this.#setStatus(`${this.t(outcome.phase === 'toolchain' ? 'playground.build.failed' : 'playground.build.errors')} ${outcome.diagnostics[0] ? `main.go:${outcome.diagnostics[0].line}:${outcome.diagnostics[0].col} ${outcome.diagnostics[0].message}` : outcome.message}`, 'error');
      return null;
    } finally {
      unsubscribe();
      if (progress) progress.hidden = true;
    }
  }

  /** The example's other Go files (a plugin may span several); main.go comes from the editor. */
  #goSources(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.#original).filter(([name]) => name.endsWith('.go') && !name.endsWith('_test.go')));
  }

  /** Switches main.go from the read-only view to an editor and starts fetching the toolchain. */
  #editCode(shouldFocus: boolean): void {
    if (!this.#isEditingCode) {
      this.#isEditingCode = true;
      const host = this.#query<HTMLElement>('[data-editor="main.go"]');
      const staticCode = this.#query<HTMLElement>('[data-role="static-code"]');
      if (host) host.hidden = false;
      if (staticCode) staticCode.hidden = true;
      this.#query('[data-role="code-note"]')!.textContent = this.t('playground.code.editing');
      const goUrl = this.dataset.goUrl ?? '';
      if (goUrl && canBuildInBrowser()) goClient().prepare(goUrl, this.#example);
      else this.#setStatus(this.t('playground.code.unsupported'), 'error');
    }
    this.#selectTab('main.go');
    void this.#upgradeCodeEditor(shouldFocus);
  }

  #codeEditor: Promise<void> | null = null;

  #upgradeCodeEditor(shouldFocus: boolean): Promise<void> {
    this.#codeEditor ??= (async () => {
      try {
        const { createEditor } = await import('./editor/monaco.ts');
        const host = this.#query<HTMLElement>('[data-editor="main.go"]');
        if (!host) return;
        const editor = await createEditor(host, {
          value: this.#text['main.go'],
          language: 'go',
          uri: `file:///${this.#storageKey}/main.go`,
          label: 'main.go',
          onChange: (text) => this.#edited('main.go', text),
          onRun: () => void this.run(),
        });
        this.#editors.set('main.go', editor);
      } catch (error) {
        console.warn('Monaco could not be loaded; keeping a plain text editor for main.go.', error);
      }
    })();
    return this.#codeEditor.then(() => {
      if (shouldFocus) this.#editors.get('main.go')?.focus();
    });
  }

  #selectTab(name: string): void {
    this.#query<HTMLElement>(`[role="tab"][data-tab="${name}"]`)?.click();
  }

  #render(result: RunResult): void {
    const results = this.#query('[data-role="results"]')!;
    results.hidden = false;
    renderOutcomes(this.#query('[data-result-panel="requests"]')!, result, (k) => this.t(k));
    renderTimeline(this.#query('[data-result-panel="timeline"]')!, result.outcomes, (k) => this.t(k));
    renderRedisView(this.#query('[data-result-panel="redis"]')!, result.redis, (k) => this.t(k));
  }

  /** A failed run clears the old outcomes, so nothing on screen claims to come from this config. */
  #renderFailure(failure: RunFailure): void {
    const results = this.#query('[data-role="results"]')!;
    const panel = this.#query('[data-result-panel="requests"]')!;
    for (const name of ['timeline', 'redis']) this.#query(`[data-result-panel="${name}"]`)?.replaceChildren();
    panel.replaceChildren();
    const box = document.createElement('div');
    box.className = 'pg-failure';
    box.dataset.failure = failure.kind;
    const title = document.createElement('p');
    title.className = 'pg-failure-title';
    title.textContent = this.t(`playground.failure.${failure.kind}`) === `playground.failure.${failure.kind}` ? this.t('playground.failure.other') : this.t(`playground.failure.${failure.kind}`);
    const message = document.createElement('p');
    message.textContent = failure.message;
    box.append(title, message);
    if (failure.hint) {
      const hint = document.createElement('p');
      hint.className = 'pg-hint';
      hint.textContent = failure.hint;
      box.append(hint);
    }
    panel.append(box);
    if (failure.logs?.length) {
      const logs = document.createElement('div');
      renderStartupLogs(logs, failure.logs as Parameters<typeof renderStartupLogs>[1], (k) => this.t(k));
      panel.append(logs);
    }
    if (failure.kind === 'bad-scenario') {
      this.#showProblems('scenario.yaml', (failure.issues ?? []).map((i) => ({ line: i.line ?? 1, col: i.col ?? 1, message: `${i.path ? `${i.path}: ` : ''}${i.message}` })));
    }
    results.hidden = false;
    this.#selectResultTab('requests');
    this.#setStatus(failure.message, 'error');
  }

  #showProblems(name: EditableFile, markers: EditorMarker[]): void {
    const box = this.#query(`[data-role="problems-${name === 'config.json' ? 'config' : name === 'main.go' ? 'code' : 'scenario'}"]`);
    if (box) {
      box.hidden = markers.length === 0;
      box.textContent = markers.map((m) => (m.line > 1 || m.col > 1 ? `${m.line}:${m.col} ${m.message}` : m.message)).join('\n');
    }
    this.#editors.get(name)?.setMarkers(markers);
  }

  #prepare(): void {
    if (this.#isPrepared) return;
    this.#isPrepared = true;
    if (typeof Worker === 'undefined' || typeof WebAssembly === 'undefined') {
      this.#setStatus(this.t('playground.unsupported'), 'error');
      return;
    }
    client().prepare(this.dataset.wasmUrl ?? '');
  }

  #edited(name: EditableFile, text: string): void {
    this.#text[name] = text;
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => saveEdit(this.#storageKey, name, text), 250);
    if (name === 'scenario.yaml') this.#syncFormFromYaml();
  }

  #setFile(name: EditableFile, text: string): void {
    if (name === 'main.go' && text !== this.#text['main.go']) this.#editCode(false);
    this.#text[name] = text;
    const area = this.#textarea(name);
    if (area) area.value = text;
    this.#editors.get(name)?.setValue(text);
    saveEdit(this.#storageKey, name, text);
  }

  #reset(): void {
    clearEdits(this.#storageKey);
    for (const name of [...EDITABLE, 'main.go' as const]) this.#setFile(name, this.#original[name] ?? '');
    clearEdits(this.#storageKey);
    this.#showProblems('main.go', []);
    this.#showProblems('config.json', []);
    this.#showProblems('scenario.yaml', []);
    this.#setStatus(this.t('playground.status.reset'));
  }

  async #copy(): Promise<void> {
    const selected = this.#query('[role="tab"][data-tab][aria-selected="true"]')?.getAttribute('data-tab') ?? 'main.go';
    const text = this.#text[selected as EditableFile] ?? '';
    try {
      await navigator.clipboard.writeText(text);
      this.#setStatus(this.t('playground.copied').replace('{file}', selected));
    } catch {
      this.#setStatus(this.t('playground.copyFailed'), 'error');
    }
  }

  async #download(): Promise<void> {
    const [{ buildStarterProject }, { zipStarterProject }] = await Promise.all([import('./starter/starter-project.ts'), import('./starter/zip.ts')]);
    const files = buildStarterProject({ example: this.#example, files: { ...this.#original, 'main.go': this.#text['main.go'] }, config: this.#text['config.json'], scenario: this.#text['scenario.yaml'] });
    const bytes = zipStarterProject(this.#example, files);
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${this.#example}.zip`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** Swaps the textareas for Monaco editors, keeping the text and, for the focused one, the focus. */
  #upgradeEditors(focus?: EditableFile): Promise<void> {
    this.#upgrading ??= (async () => {
      try {
        const { createEditor, useJsonSchema } = await import('./editor/monaco.ts');
        const configUri = `file:///${this.#storageKey}/config.json`;
        const schema = this.#original['config.schema.json'];
        if (schema) await useJsonSchema(configUri, JSON.parse(schema));
        for (const name of EDITABLE) {
          const host = this.#query<HTMLElement>(`[data-editor="${name}"]`);
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

  #wireForm(): void {
    const form = this.#query<HTMLFormElement>('[data-role="requests-form"]');
    if (!form) return;
    form.addEventListener('submit', (event) => event.preventDefault());
    form.addEventListener('change', () => void this.#applyForm(form));
  }

  /** Writes the form into the scenario's first request, keeping the rest of the YAML (comments included). */
  async #applyForm(form: HTMLFormElement): Promise<void> {
    const { applyRequestForm } = await import('./requests-form.ts');
    const text = applyRequestForm(this.#text['scenario.yaml'], new FormData(form));
    if (text !== null) this.#setFile('scenario.yaml', text);
  }

  #syncFormFromYaml(): void {
    const form = this.#query<HTMLFormElement>('[data-role="requests-form"]');
    if (!form || !this.#isFormActive) return;
    void import('./requests-form.ts').then(({ readRequestForm }) => {
      const values = readRequestForm(this.#text['scenario.yaml']);
      if (!values) return;
      for (const [name, value] of Object.entries(values)) {
        const field = form.elements.namedItem(name) as HTMLInputElement | null;
        if (field && document.activeElement !== field) field.value = value;
      }
    });
  }

  #wireTabs(tabSelector: string, tabAttr: string, panelSelector: string, panelAttr: string, onSelect?: (name: string) => void): void {
    const tabs = [...this.querySelectorAll<HTMLElement>(tabSelector)];
    const select = (tab: HTMLElement) => {
      const name = tab.getAttribute(tabAttr);
      for (const t of tabs) {
        const isSelected = t === tab;
        t.setAttribute('aria-selected', String(isSelected));
        t.tabIndex = isSelected ? 0 : -1;
      }
      for (const panel of this.querySelectorAll<HTMLElement>(panelSelector)) panel.hidden = panel.getAttribute(panelAttr) !== name;
      if (name) onSelect?.(name);
    };
    tabs.forEach((tab, i) => {
      tab.addEventListener('click', () => select(tab));
      tab.addEventListener('keydown', (event) => {
        const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        const next = tabs[(i + step + tabs.length) % tabs.length]!;
        select(next);
        next.focus();
      });
    });
  }

  #selectResultTab(name: string): void {
    this.#query<HTMLElement>(`[data-result-tab="${name}"]`)?.click();
  }

  #action(name: string, handler: () => void): void {
    this.#query(`[data-action="${name}"]`)?.addEventListener('click', handler);
  }

  #setStatus(text: string, tone: 'info' | 'error' = 'info'): void {
    const status = this.#query('[data-role="status"]');
    if (!status) return;
    status.textContent = text;
    status.dataset.tone = tone;
  }

  #textarea(name: EditableFile): HTMLTextAreaElement | null {
    return this.#query<HTMLTextAreaElement>(`[data-editor="${name}"] textarea`);
  }

  #script(role: string): string {
    return this.#query(`script[data-role="${role}"]`)?.textContent ?? '{}';
  }

  #query<T extends Element = HTMLElement>(selector: string): T | null {
    return this.querySelector<T>(selector);
  }
}

if (!customElements.get('wasm-playground')) customElements.define('wasm-playground', WasmPlayground);
