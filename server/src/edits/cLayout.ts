// How a C source is laid out around the place a fix edits: its lines' code tokens (comments,
// literals and preprocessor lines left out), indentation, where a file-scope definition
// starts and where a block goes after the #includes. Read from the text, with the line lexer the diff readers use: a fix needs only
// the layout, and the text it gets is the editor's current one, which no parser has seen.
import type { Position } from '../common/range';
import { lexLine, newLexState, type CToken } from '../syntax/cLine';
import type { TextEdit } from './fix';
import { at, point, type SourceText } from './sourceText';

export interface LineToken extends CToken {
  line: number;
}

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** A line of the preprocessor (`#include`, `#ifdef`, ...). */
export function isPreprocessor(line: string): boolean {
  return /^\s*#/.test(line);
}

/** Nothing but blanks and complete comments (no comment left open at the end). */
export function isBlankCode(fragment: string): boolean {
  const state = newLexState();
  return lexLine(fragment, state).length === 0 && !state.inComment;
}

/**
 * The code tokens strictly between `from` and `to`, in order. Preprocessor lines (with their
 * continuations) give none: an edit placed by them would land inside a directive.
 */
export function tokensBetween(source: SourceText, from: Position, to: Position): LineToken[] {
  const out: LineToken[] = [];
  const state = newLexState();
  let directive = false;
  for (let n = from.line; n <= to.line && n < source.lineCount; n++) {
    const line = source.line(n);
    const inDirective: boolean = directive || (!state.inComment && isPreprocessor(line));
    directive = inDirective && line.endsWith('\\');
    if (inDirective) continue;
    for (const t of lexLine(line, state)) {
      const after = n > from.line || t.start >= from.character + 1;
      const before = n < to.line || t.end <= to.character;
      if (after && before) out.push({ ...t, line: n });
    }
  }
  return out;
}

/**
 * The first line of the file-scope declaration or definition that holds `line`, taking in the
 * comment written just above it. A file-scope item starts at a code line met at brace depth 0
 * right after a `;` or `}` (or at the first code line of the file).
 */
export function fileScopeItemStart(source: SourceText, line: number): number {
  const state = newLexState();
  let depth = 0;
  let ended = true;
  let start = 0;
  let directive = false;
  for (let n = 0; n <= line && n < source.lineCount; n++) {
    const text = source.line(n);
    const inDirective: boolean = directive || (!state.inComment && isPreprocessor(text));
    directive = inDirective && text.endsWith('\\');
    if (inDirective) continue;
    const tokens = lexLine(text, state);
    if (tokens.length === 0) continue;
    if (depth === 0 && ended) start = n;
    for (const t of tokens) depth = Math.max(0, depth + (t.text === '{' ? 1 : t.text === '}' ? -1 : 0));
    const last = tokens[tokens.length - 1].text;
    ended = depth === 0 && (last === ';' || last === '}');
  }
  return withCommentAbove(source, start);
}

/** `lines` as a block of their own after the last #include above `line` (or just before `line` when there is none). */
export function afterIncludes(source: SourceText, line: number, lines: readonly string[]): TextEdit {
  let include = line - 1;
  while (include >= 0 && !/^\s*#\s*include\b/.test(source.line(include))) include--;
  const { eol } = source;
  const block = lines.join(eol);
  return include >= 0
    ? { range: point(at(include + 1, 0)), newText: `${eol}${block}${eol}` }
    : { range: point(at(line, 0)), newText: `${block}${eol}${eol}` };
}

/** `line`, or the first line of the comment lines written directly above it (no blank line between). */
function withCommentAbove(source: SourceText, line: number): number {
  let start = line;
  while (start > 0) {
    const above = source.line(start - 1).trim();
    if (above.startsWith('//')) {
      start--;
      continue;
    }
    if (!above.endsWith('*/')) break;
    let open = start - 1;
    while (open > 0 && !source.line(open).includes('/*')) open--;
    if (!source.line(open).trim().startsWith('/*')) break; // the comment ends a line of code
    start = open;
  }
  return start;
}
