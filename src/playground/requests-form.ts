/**
 * The small requests form ↔ the scenario's first request. Loaded on demand (it brings `yaml`).
 * Writing keeps everything else in the document, comments included.
 */
import { isMap, isSeq, parseDocument } from 'yaml';

export interface RequestFormValues {
  count: string;
  every: string;
  method: string;
  path: string;
  headers: string;
}

/** Reads requests[0] into form values, or null when the YAML does not parse. */
export function readRequestForm(yamlText: string): RequestFormValues | null {
  const doc = parseDocument(yamlText);
  if (doc.errors.length) return null;
  const first = (doc.toJS() as { requests?: Array<Record<string, unknown>> } | null)?.requests?.[0];
  if (!first) return null;
  const headers = (first.headers ?? {}) as Record<string, unknown>;
  return {
    count: String(first.repeat ?? 1),
    every: String(first.every ?? '0s'),
    method: String(first.method ?? 'GET').toUpperCase(),
    path: String(first.path ?? '/'),
    headers: Object.entries(headers).map(([k, v]) => `${k}: ${String(v)}`).join('\n'),
  };
}

/** Returns the YAML with requests[0] set from the form, or null when the YAML does not parse. */
export function applyRequestForm(yamlText: string, form: FormData): string | null {
  const doc = parseDocument(yamlText);
  if (doc.errors.length) return null;
  const requests = doc.get('requests');
  if (!isSeq(requests)) doc.set('requests', doc.createNode([{}]));
  const first = (doc.get('requests') as { items: unknown[] }).items[0];
  if (!isMap(first)) return null;
  const value = (name: string) => String(form.get(name) ?? '').trim();
  const count = Number(value('count'));
  if (Number.isInteger(count) && count >= 1) first.set('repeat', count);
  if (value('every')) first.set('every', value('every'));
  if (value('method')) first.set('method', value('method'));
  if (value('path')) first.set('path', value('path'));
  const headers = Object.fromEntries(
    value('headers')
      .split('\n')
      .map((line) => line.split(/:(.*)/s).map((part) => part.trim()))
      .filter(([name]) => name),
  );
  if (Object.keys(headers).length) first.set('headers', doc.createNode(headers));
  else first.delete('headers');
  return doc.toString();
}
