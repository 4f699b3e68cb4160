/**
 * Typed errors of the harness, and the wording their messages share. Errors cross postMessage
 * between the Worker and the page, so callers recognise them by `kind` (isHarnessError).
 */
import type { z } from 'zod';

/** The plain shape of a harness error, as it travels through postMessage or --json. */
export interface HarnessErrorJSON {
  /** Short kebab-case kind, e.g. `bad-scenario`, `plugin-trap`. */
  kind: string;
  /** One sentence: what is wrong and where. */
  message: string;
  /** What to do about it, when the message does not already say. */
  hint?: string;
}

/** Base of every error the harness throws on purpose; subclasses fix `kind` and add their data. */
export class HarnessError extends Error {
  readonly kind: string;
  readonly hint: string | undefined;

  constructor(kind: string, message: string, hint?: string) {
    super(message);
    this.name = 'HarnessError';
    this.kind = kind;
    this.hint = hint;
  }

  /** The plain object to send across postMessage; subclasses add the data a caller acts on. */
  toJSON(): HarnessErrorJSON {
    return this.hint === undefined
      ? { kind: this.kind, message: this.message }
      : { kind: this.kind, message: this.message, hint: this.hint };
  }
}

const KIND = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Tells whether `x` is a harness error or its plain form: an object with a kebab-case `kind`
 * and a string `message`. Works across realms, where instanceof does not.
 */
export function isHarnessError(x: unknown): x is HarnessErrorJSON {
  if (typeof x !== 'object' || x === null) return false;
  const { kind, message } = x as Record<string, unknown>;
  return typeof kind === 'string' && KIND.test(kind) && typeof message === 'string';
}

/** One problem in a scenario, named by its path (`scenario.requests[2].at`). */
export interface ScenarioIssue {
  /** Where the problem is; empty for a syntax error, which has only a position. */
  path: string;
  /** One sentence: what is wrong, then the fix. */
  message: string;
  /** The path as keys and indexes, for editors that mark the spot. */
  keys: Array<string | number>;
  /** 1-based position in the scenario file, when the scenario came from text. */
  line?: number;
  col?: number;
}

/** A scenario that cannot run: bad YAML, or fields the schema rejects. Lists every problem. */
export class ScenarioError extends HarnessError {
  readonly issues: ScenarioIssue[];
  readonly source: string | undefined;

  constructor(issues: ScenarioIssue[], source?: string) {
    super('bad-scenario', renderIssues(issues, source));
    this.name = 'ScenarioError';
    this.issues = issues;
    this.source = source;
  }

  override toJSON(): HarnessErrorJSON & { issues: ScenarioIssue[] } {
    return { ...super.toJSON(), issues: this.issues };
  }
}

function renderIssues(issues: ScenarioIssue[], source: string | undefined): string {
  return issues
    .map((issue) => {
      const position = issue.line === undefined ? '' : `:${issue.line}:${issue.col ?? 1}`;
      const where = source === undefined ? '' : `${source}${position}: `;
      return `${where}${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
    })
    .join('\n');
}

/** A duration that cannot be read, e.g. `"61"` with no unit. */
export class DurationError extends HarnessError {
  constructor(message: string) {
    super('bad-duration', message);
    this.name = 'DurationError';
  }
}

/**
 * Renders a path the way messages name it: `scenario.requests[2].at`,
 * `requests[0].expect.headers.x-ratelimit`, `properties["source.address"]`.
 */
export function formatPath(root: string, keys: ReadonlyArray<PropertyKey>): string {
  let text = root;
  for (const key of keys) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][\w-]*$/.test(key)) text += `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

// ---- wording shared by messages ------------------------------------------------------------

/** Quotes a bad value for a message: strings in quotes (cut at 40 characters), lists and objects by kind. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return String(value);
}

/** Joins choices as `a or b`, `one of a, b or c` (`a, b or c` when `isOneOf` is false). */
export function orList(items: string[], isOneOf = true): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.length > 2 && isOneOf ? 'one of ' : ''}${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/**
 * The known name a typo most likely meant, for did-you-mean hints: the same letters ignoring case,
 * `-` and `_`, or else the nearest within one edit per three letters. Undefined when none is close.
 */
export function closest(word: string, candidates: string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const same = candidates.find((c) => plain(c) === plain(word));
  if (same !== undefined) return same;
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(plain(word), plain(name));
    if (distance <= Math.max(1, Math.floor(word.length / 3)) && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = d;
    }
  }
  return at(a.length, b.length);
}

/**
 * Words a scenario schema issue as the part of a line after its path: what is wrong, then the fix.
 * Pass it as zod's per-parse `error` map; wording specific to one field lives on that field's schema.
 */
export function describeIssue(iss: z.core.$ZodRawIssue): string {
  switch (iss.code) {
    case 'invalid_type':
      if ((iss.path ?? []).length === 0) {
        return iss.input == null ? 'nothing to run; add a requests list.' : `expected an object of fields like requests, got ${show(iss.input)}.`;
      }
      if (iss.input === undefined) return `required field is missing; add it as ${noun(iss.expected)}.`;
      return `expected ${noun(iss.expected)}, got ${show(iss.input)}.`;
    case 'invalid_value': {
      const choice = closest(String(iss.input), iss.values.map(String));
      const mean = choice === undefined ? '' : `; did you mean "${choice}"?`;
      return `expected ${orList(iss.values.map((v) => JSON.stringify(v)))}, got ${show(iss.input)}${mean || '.'}`;
    }
    case 'invalid_union': {
      if (iss.discriminator !== undefined) {
        const { discriminator } = iss;
        const options = orList(((iss.options ?? []) as unknown[]).map((o) => `${discriminator}: ${String(o)}`));
        const given = (iss.input as Record<string, unknown> | undefined)?.[discriminator];
        return given === undefined ? `required field is missing; add ${options}.` : `expected ${options}, got ${show(given)}.`;
      }
      const expected = iss.errors.flatMap((branch) => branch.flatMap((e) => (e.code === 'invalid_type' ? [noun(e.expected)] : [])));
      return `expected ${orList([...new Set(expected)], false)}, got ${show(iss.input)}.`;
    }
    case 'too_small':
      if (iss.origin === 'array') return `the list needs at least ${String(iss.minimum)} item${iss.minimum === 1 ? '' : 's'}; add more.`;
      if (iss.origin === 'string') return 'the value is empty; write one or remove the field.';
      return `must be at least ${String(iss.minimum)}, got ${show(iss.input)}.`;
    case 'too_big':
      return `must be at most ${String(iss.maximum)}, got ${show(iss.input)}.`;
    case 'invalid_key':
      return iss.issues[0]?.message ?? `${show(iss.input)} is not a valid name here.`;
    default:
      return `${show(iss.input)} is not valid here.`;
  }
}

function noun(expected: string): string {
  const nouns: Record<string, string> = {
    string: 'a string', number: 'a number', int: 'a whole number', boolean: 'a boolean', null: 'null',
    array: 'a list', object: 'an object', record: 'an object',
  };
  return nouns[expected] ?? expected;
}
