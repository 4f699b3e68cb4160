/**
 * Glob patterns for KEYS, ported from Redis's `stringmatchlen` (src/util.c) so that odd patterns
 * (an unclosed `[`, a trailing `\`, reversed ranges) match exactly what a real server matches.
 */

const STAR = 0x2a;
const CARET = 0x5e;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const DASH = 0x2d;
/** Redis's guard against patterns built to explode, such as many stars in a row. */
const MAX_NESTING = 1000;

/**
 * Tells whether a byte string matches a glob pattern: `*` any run of bytes, `?` one byte,
 * `[abc]`, `[^abc]` and `[a-z]` one byte from a set, and `\` quoting the next byte.
 */
export function globMatch(pattern: string, text: string): boolean {
  return matchFrom(pattern, 0, text, 0, { isHopeless: false }, 0);
}

function matchFrom(
  pattern: string,
  pi: number,
  text: string,
  ti: number,
  state: { isHopeless: boolean },
  nesting: number,
): boolean {
  if (nesting > MAX_NESTING) return false;
  // C strings: reading at the end of the pattern sees the terminating NUL.
  const p = (i: number): number => (i < pattern.length ? pattern.charCodeAt(i) : 0);
  while (pi < pattern.length && ti < text.length) {
    const c = text.charCodeAt(ti);
    switch (p(pi)) {
      case STAR:
        while (p(pi + 1) === STAR) pi++;
        if (pi === pattern.length - 1) return true;
        for (; ti < text.length; ti++) {
          if (matchFrom(pattern, pi + 1, text, ti, state, nesting + 1)) return true;
          if (state.isHopeless) return false;
        }
        // The rest of the pattern fits nowhere in the rest of the text, so no earlier star can help.
        state.isHopeless = true;
        return false;
      case 0x3f: // ?
        ti++;
        break;
      case 0x5b: {
        // [
        pi++;
        const isNegated = p(pi) === CARET;
        if (isNegated) pi++;
        let isMatch = false;
        for (;;) {
          const left = pattern.length - pi;
          if (p(pi) === BACKSLASH && left >= 2) {
            pi++;
            if (p(pi) === c) isMatch = true;
          } else if (p(pi) === CLOSE_BRACKET) {
            break;
          } else if (left === 0) {
            pi--;
            break;
          } else if (left >= 3 && p(pi + 1) === DASH) {
            const [low, high] = [signedChar(p(pi)), signedChar(p(pi + 2))].sort((a, b) => a - b) as [number, number];
            pi += 2;
            if (signedChar(c) >= low && signedChar(c) <= high) isMatch = true;
          } else if (p(pi) === c) {
            isMatch = true;
          }
          pi++;
        }
        if (isMatch === isNegated) return false;
        ti++;
        break;
      }
      case BACKSLASH:
        if (pattern.length - pi >= 2) pi++;
        if (p(pi) !== c) return false;
        ti++;
        break;
      default:
        if (p(pi) !== c) return false;
        ti++;
    }
    pi++;
    if (ti === text.length) {
      while (p(pi) === STAR) pi++;
      break;
    }
  }
  return pi === pattern.length && ti === text.length;
}

/** Redis compares range bounds as C `char`, which is signed on the platforms it ships for. */
function signedChar(byte: number): number {
  return byte > 0x7f ? byte - 0x100 : byte;
}
