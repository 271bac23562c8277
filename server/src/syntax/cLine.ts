// C read one line at a time, as a patch shows it: the identifiers and punctuation
// outside comments and string or character literals, with the block-comment state
// carried from one line to the next. Enough for the line-based readings of hunks
// (function heads, braces, struct members, referenced names); not a C parser.

export interface CToken {
  text: string;
  /** 0-based columns in the line, end exclusive. */
  start: number;
  end: number;
  /** 'literal': a string or character literal, given only to a caller that asks (lexLine's `literals`). */
  kind: 'ident' | 'number' | 'punct' | 'literal';
}

/** Carried between lines: inside a block comment that has not ended yet. */
export interface LexState {
  inComment: boolean;
}

export function newLexState(): LexState {
  return { inComment: false };
}

/**
 * The tokens of one line; updates `state` (a `/*` left open). String and character literals give
 * no token; they go to `literals` when it is given.
 */
export function lexLine(text: string, state: LexState = newLexState(), literals?: CToken[]): CToken[] {
  const out: CToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (state.inComment) {
      const end = text.indexOf('*/', i);
      if (end < 0) return out;
      state.inComment = false;
      i = end + 2;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 12 || c === 11 || c === 13) {
      i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      state.inComment = true;
      i += 2;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      return out;
    } else if (c === 34 || c === 39) {
      const start = i;
      i = skipLiteral(text, i);
      literals?.push({ text: text.slice(start, i), start, end: i, kind: 'literal' });
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      out.push({ text: text.slice(start, i), start, end: i, kind: 'ident' });
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      const start = i;
      while (i < n && (isIdentPartNoDollar(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
      out.push({ text: text.slice(start, i), start, end: i, kind: 'number' });
    } else {
      const d = text.charCodeAt(i + 1);
      const len = (c === 45 && d === 62) || (c === 35 && d === 35) ? 2 : 1;
      out.push({ text: text.slice(i, i + len), start: i, end: i + len, kind: 'punct' });
      i += len;
    }
  }
  return out;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
const isIdentPartNoDollar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
const isIdentPart = (c: number) => isIdentPartNoDollar(c) || c === 36;

/** The index just past the literal that starts at `i` (or the end of the line when it does not close). */
function skipLiteral(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote) return j + 1;
  }
  return text.length;
}

/** The net change of brace depth on a line's tokens. */
export function braceDelta(tokens: readonly CToken[]): number {
  let d = 0;
  for (const t of tokens) {
    if (t.text === '{') d++;
    else if (t.text === '}') d--;
  }
  return d;
}

export const C_KEYWORDS: ReadonlySet<string> = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern',
  'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed',
  'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', '_Bool',
  'bool', 'true', 'false', 'asm', '__asm__', 'typeof', '__typeof__', '_Static_assert', 'static_assert',
  '__attribute__', 'alignof', '_Alignof', '__alignof__', 'defined', '__builtin_expect', '__func__', '__FUNCTION__',
  '__volatile__', '__restrict', '__const', '__inline', '__inline__',
]);
