// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CodeEditing } from '../../../src/playground/code-editing.ts';
import type { EditorMarker } from '../../../src/playground/editor/monaco.ts';
import type { FormatResult } from '../../../src/playground/go-format-client.ts';
import { translator } from './translations.ts';

const FORMATTED = 'package main\n\nfunc main() {}\n';

/** A playground host in the read-only state, recording what CodeEditing shows; `answer` is gofmt's. */
function setUp(answer: (source: string) => Promise<FormatResult>, code = FORMATTED) {
  const root = document.createElement('div');
  root.dataset.goUrl = '/go/go1.26.8';
  const shown = { statuses: [] as Array<[string, string | undefined]>, problems: [] as EditorMarker[][], tabs: [] as string[] };
  const host = {
    root,
    example: 'hello-world',
    storageKey: 'hello-world',
    original: { 'main.go': FORMATTED },
    code: () => code,
    t: translator('en'),
    setStatus: (text: string, tone?: 'info' | 'error') => shown.statuses.push([text, tone]),
    showProblems: (markers: EditorMarker[]) => shown.problems.push(markers),
    problems: () => shown.problems.at(-1) ?? [],
    selectTab: (name: string) => shown.tabs.push(name),
    onEdit: () => {},
    onRun: () => {},
  };
  const format = vi.fn(answer);
  const editing = new CodeEditing(host, { formatter: () => ({ format }) });
  return { editing, shown, format, edit: (text: string) => (code = text) };
}

// happy-dom has no Worker; gofmt's own worker is replaced by the fake formatter anyway.
beforeEach(() => {
  vi.stubGlobal('Worker', class {});
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('CodeEditing.format', () => {
  test('says so and clears old markers when gofmt leaves main.go as it is', async () => {
    const { editing, shown, format } = setUp(async (source) => ({ text: source }));
    expect(await editing.format()).toEqual({ kind: 'formatted', isChanged: false });
    expect(format).toHaveBeenCalledWith(FORMATTED);
    expect(shown.problems).toEqual([[]]);
    expect(shown.statuses).toEqual([
      ['Formatting main.go with gofmt…', undefined],
      ['main.go is formatted as gofmt formats it.', undefined],
    ]);
  });

  test('shows a syntax error at its line and column, on the main.go tab, as build errors are shown', async () => {
    const { editing, shown } = setUp(async () => ({ error: { line: 4, col: 17, message: "expected ';', found 'EOF'" } }));
    expect(await editing.format()).toEqual({ kind: 'syntax-error', line: 4, col: 17, message: "expected ';', found 'EOF'" });
    expect(shown.problems).toEqual([[{ line: 4, col: 17, message: "expected ';', found 'EOF'" }]]);
    expect(shown.tabs).toEqual(['main.go']);
    expect(shown.statuses.at(-1)).toEqual([
      "gofmt cannot format main.go: syntax error at line 4, column 17 (expected ';', found 'EOF'); fix it and press Format again.",
      'error',
    ]);
  });

  test('says why when gofmt could not run, and changes nothing', async () => {
    const { editing, shown } = setUp(async () => {
      throw new Error('gofmt did not answer within 60 s');
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await editing.format()).toEqual({ kind: 'failed', message: 'gofmt did not answer within 60 s' });
    expect(shown.problems).toEqual([]);
    expect(shown.statuses.at(-1)).toEqual(['Could not run gofmt in the browser (gofmt did not answer within 60 s); press Format to try again.', 'error']);
  });

  test('drops gofmt\u2019s answer when the reader typed while it ran', async () => {
    let edit!: (text: string) => void;
    const { editing, shown, edit: change } = setUp(async (source) => {
      edit('package main // typed meanwhile\n');
      return { text: `${source}\n` };
    }, 'package main\n');
    edit = change;
    expect(await editing.format()).toEqual({ kind: 'outdated' });
    expect(shown.problems).toEqual([]);
  });
});
