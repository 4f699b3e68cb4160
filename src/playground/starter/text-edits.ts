/**
 * Splices replacements into YAML source by offset, so a rewritten file keeps the author's
 * comments, quoting and flow style everywhere it was not changed.
 */

/** Replace `text.slice(start, end)` with `insert`; start === end inserts. Offsets are UTF-16 indexes. */
export interface TextEdit {
  start: number;
  end: number;
  insert: string;
}

/**
 * Applies edits that do not overlap, from the end of the text backwards so earlier offsets stay
 * valid. At the same offset a removal is applied before an insertion, so the insertion survives.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const { start, end, insert } of ordered) out = out.slice(0, start) + insert + out.slice(end);
  return out;
}

/** The offset where the line holding `offset` starts. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the newline ending the line that holds `offset`, or the text's end; a line start is returned as is. */
export function lineEnd(text: string, offset: number): number {
  if (offset === 0 || text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}
