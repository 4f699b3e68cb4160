/**
 * The smallest single edit from one text to another, so Format can apply gofmt's output as one
 * undoable edit that leaves the cursor where it was when the change lies below it.
 */

/** The one span where `before` and `after` differ: `[start, end)` offsets into `before`, and the text that replaces it. */
export function changedSpan(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}
