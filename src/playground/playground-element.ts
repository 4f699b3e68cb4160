/**
 * <wasm-playground>: the behaviour of Playground.astro. Owns the reader's files (persisted per
 * example), the tabs, Run (button or Ctrl/Cmd+Enter), and the outcome views. Heavy parts load on
 * demand: Monaco on the first interaction with an editor, `yaml` when the requests form is used,
 * the zip writer on download; the harness itself only ever runs in the Worker.
 * Public API for embedding and tests: `el.playground.setFile(name, text)`, `el.playground.run()`,
 * `el.playground.cancelBuild()`.
 */
import type { RunResult } from '../harness/run.ts';
import type { EditorHandle, EditorMarker } from './editor/monaco.ts';
import type { RunFailure } from '../harness/worker/protocol.ts';
import { clearEdits, loadEdits, saveEdit } from './storage.ts';
import { failureText, renderFailure } from './views/render-failure.ts';
import { renderOutcomes } from './views/render-outcomes.ts';
import { renderRedisView } from './views/render-redis.ts';
import { renderTimeline } from './views/render-timeline.ts';
import { CANCELLED, HarnessClient, RunError } from './worker-client.ts';
import { CodeEditing } from './code-editing.ts';

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
}

class WasmPlayground extends HTMLElement {
  playground!: PlaygroundApi;
  #example = '';
  #storageKey = '';
  #strings: Record<string, string> = {};
  #original: Record<string, string> = {};
  #text: Record<EditableFile, string> = { 'config.json': '', 'scenario.yaml': '', 'main.go': '' };
  #code!: CodeEditing;
  #editors = new Map<EditableFile, EditorHandle>();
  #upgrading: Promise<void> | null = null;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #isPrepared = false;
  /** Runs started here, so only the newest one clears the Run button's busy flag. */
  #runs = 0;
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
    this.#code = new CodeEditing({
      root: this,
      example: this.#example,
      storageKey: this.#storageKey,
      original: this.#original,
      code: () => this.#text['main.go'],
      t: (key) => this.t(key),
      setStatus: (text, tone) => this.#setStatus(text, tone),
      showProblems: (markers) => this.#showProblems('main.go', markers),
      selectTab: (name) => this.#selectTab(name),
      onEdit: (text) => this.#edited('main.go', text),
      onRun: () => void this.run(),
    });
    this.#text['main.go'] = edits.code ?? this.#original['main.go'] ?? '';
    const codeArea = this.#textarea('main.go');
    if (codeArea) {
      codeArea.value = this.#text['main.go'];
      codeArea.addEventListener('input', () => this.#edited('main.go', codeArea.value));
    }
    if (edits.code !== undefined) this.#code.start(false);
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
    this.#action('edit-code', () => this.#code.start(true));
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
      cancelBuild: () => this.#code.cancel(),
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
      // Nothing on screen may claim to come from this config: the old outcomes give way to the failure.
      this.#renderFailure({ kind: 'bad-config', message });
      problems?.scrollIntoView({ block: 'nearest' });
      return null;
    }
    this.#showProblems('scenario.yaml', []);
    const button = this.#query<HTMLButtonElement>('[data-action="run"]');
    button?.setAttribute('aria-busy', 'true');
    // A newer Run of this playground owns the busy flag; an older one must not clear it.
    const runNumber = ++this.#runs;
    const settleBusy = () => {
      if (runNumber === this.#runs) button?.removeAttribute('aria-busy');
    };
    performance.mark('wasm-lab:run:start');
    let wasmBytes: Uint8Array | undefined;
    if (this.#text['main.go'] !== this.#original['main.go']) {
      const built = await this.#code.build();
      if (!built) {
        settleBusy();
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
      const result = await client().run({
        plugin: wasmBytes ? { bytes: wasmBytes } : { url: this.dataset.wasmUrl ?? '' },
        pluginName: this.#example,
        scenario: { text: this.#text['scenario.yaml'], fileName: 'scenario.yaml' },
        // The config.json tab plays the example's config.json: a scenario's own `config:` wins, as in the CLI.
        defaultConfig: config,
        isTraced: true,
      });
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
      settleBusy();
    }
  }

  /** Applies `use` to a file's Monaco editor once it exists (main.go's belongs to CodeEditing). */
  #withEditor(name: EditableFile, use: (editor: EditorHandle) => void): void {
    if (name === 'main.go') void this.#code.editor?.then((editor) => editor && use(editor));
    else {
      const editor = this.#editors.get(name);
      if (editor) use(editor);
    }
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
    renderFailure(panel, failure, (k) => this.t(k));
    if (failure.kind === 'bad-scenario') {
      this.#showProblems('scenario.yaml', (failure.issues ?? []).map((i) => ({ line: i.line ?? 1, col: i.col ?? 1, message: `${i.path ? `${i.path}: ` : ''}${i.message}` })));
    }
    results.hidden = false;
    this.#selectResultTab('requests');
    this.#setStatus(failureText(failure, (k) => this.t(k)).message, 'error');
  }

  #showProblems(name: EditableFile, markers: EditorMarker[]): void {
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
    if (name === 'main.go' && text !== this.#text['main.go']) this.#code.start(false);
    this.#text[name] = text;
    const area = this.#textarea(name);
    if (area) area.value = text;
    this.#withEditor(name, (editor) => editor.setValue(text));
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
