/**
 * Monaco, loaded on the reader's first interaction with a playground and never before (the first
 * paint of a guide page ships none of it). One instance per page; colouring comes from Shiki with
 * the same grammars and Night Owl themes as the site's static code blocks (@shikijs/monaco);
 * config.json gets Monaco's JSON service with the example's schema (hover docs, squiggles).
 */
import type * as Monaco from 'monaco-editor/editor/editor.api.js';
// Resolved by src/site/monaco-css.ts, which also keeps Monaco's per-module CSS out of every page.
import stylesheetUrl from 'monaco-editor/min/vs/editor/editor.main.css?url';

export type MonacoApi = typeof Monaco;

export interface EditorMarker {
  line: number;
  col: number;
  message: string;
}

export interface EditorHandle {
  getValue(): string;
  setValue(text: string): void;
  setMarkers(markers: EditorMarker[]): void;
  focus(): void;
}

let loading: Promise<MonacoApi> | null = null;

const themeFor = () => (document.documentElement.dataset.theme === 'light' ? 'night-owl-light' : 'night-owl');

/** Adds a stylesheet to the page; settles when it has loaded or failed. */
function linkStylesheet(href: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href });
    link.addEventListener('load', () => resolve());
    link.addEventListener('error', () => reject(new Error(`Monaco's stylesheet did not load (${href}).`)));
    document.head.append(link);
  });
}

/** Loads Monaco, its workers, Shiki colouring and the JSON service once per page. */
export function loadMonaco(): Promise<MonacoApi> {
  loading ??= (async () => {
    const [monaco, , json, shiki, { shikiToMonaco }, { createJavaScriptRegexEngine }, EditorWorker, JsonWorker] = await Promise.all([
      import('monaco-editor/editor/editor.api.js'),
      // Every editor contribution (hover, suggest, find, folding, F8's marker navigation…) and the
      // services they need, registered before the first model or editor starts Monaco's services:
      // a service registered later is never found ("depends on UNKNOWN service"). The JSON language
      // imports all of them anyway (its worker manager imports internal/common/workers.js), but only
      // when the first JSON model appears, which is too late.
      import('monaco-editor/features/register.all.js'),
      import('monaco-editor/languages/features/json/register.js'),
      import('shiki/core'),
      import('@shikijs/monaco'),
      import('shiki/engine/javascript'),
      import('monaco-editor/editor/editor.worker.js?worker'),
      import('monaco-editor/language/json/json.worker.js?worker'),
      // Applied before any editor is created, so none measures its fonts and lines unstyled.
      linkStylesheet(stylesheetUrl),
    ]);
    // Monaco's language services run in workers; without this it falls back to the main thread.
    self.MonacoEnvironment = {
      getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker.default() : new EditorWorker.default()),
    };
    const highlighter = await shiki.createHighlighterCore({
      themes: [import('@shikijs/themes/night-owl'), import('@shikijs/themes/night-owl-light')],
      langs: [import('@shikijs/langs/json'), import('@shikijs/langs/yaml'), import('@shikijs/langs/go')],
      engine: createJavaScriptRegexEngine(),
    });
    for (const id of ['json', 'yaml', 'go']) monaco.languages.register({ id });
    shikiToMonaco(highlighter, monaco);
    json.jsonDefaults.setDiagnosticsOptions({ validate: true, allowComments: false, enableSchemaRequest: false, schemas: [] });
    // The theme is global to Monaco: follow Starlight's switch for every editor on the page.
    new MutationObserver(() => monaco.editor.setTheme(themeFor())).observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    });
    return monaco;
  })();
  return loading;
}

/** Adds a JSON schema for one model (config.json of one example); merged with schemas already set. */
export async function useJsonSchema(modelUri: string, schema: unknown): Promise<void> {
  // loadMonaco sets the JSON defaults (with no schemas): a schema merged in before it would be lost.
  await loadMonaco();
  const json = await import('monaco-editor/languages/features/json/register.js');
  const options = json.jsonDefaults.diagnosticsOptions;
  const schemas = (options.schemas ?? []).filter((s) => !s.fileMatch?.includes(modelUri));
  json.jsonDefaults.setDiagnosticsOptions({ ...options, schemas: [...schemas, { uri: `${modelUri}.schema.json`, fileMatch: [modelUri], schema }] });
}

/** Replaces `host`'s content with an editor; `onChange` gets the text after each edit. */
export async function createEditor(
  host: HTMLElement,
  options: { value: string; language: 'json' | 'yaml' | 'go'; uri: string; label: string; onChange(text: string): void; onRun(): void },
): Promise<EditorHandle> {
  const monaco = await loadMonaco();
  const uri = monaco.Uri.parse(options.uri);
  const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(options.value, options.language, uri);
  model.setValue(options.value);
  host.replaceChildren();
  const editor = monaco.editor.create(host, {
    model,
    theme: themeFor(),
    automaticLayout: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    fontSize: 13,
    tabSize: 2,
    ariaLabel: options.label,
    // Tab moves focus out of the editor unless the reader turns trapping on (Ctrl+M), so the
    // page stays keyboard-navigable.
    tabFocusMode: true,
  });
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, options.onRun);
  model.onDidChangeContent(() => options.onChange(model.getValue()));
  return {
    getValue: () => model.getValue(),
    setValue: (text) => {
      if (model.getValue() !== text) model.setValue(text);
    },
    setMarkers: (markers) => {
      // Show the first problem: the reader should not have to hunt for it.
      if (markers[0]) editor.revealLineInCenter(markers[0].line);
      monaco.editor.setModelMarkers(
        model,
        'wasm-lab',
        markers.map((m) => ({
          severity: monaco.MarkerSeverity.Error,
          message: m.message,
          startLineNumber: m.line,
          startColumn: m.col,
          endLineNumber: m.line,
          endColumn: model.getLineMaxColumn(Math.min(m.line, model.getLineCount())),
        })),
      );
    },
    focus: () => editor.focus(),
  };
}
