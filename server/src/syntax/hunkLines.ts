// The lines of a hunk as C: one side of it (the old text: context and removed lines;
// the new text: context and added lines), each line's tokens with their columns in the
// patch file, and the function of the hunk each line lies in.
import type { Memo } from '../common/memo';
import { lineRange, location, makeRange, type Location } from '../common/range';
import { lexLine, newLexState, type CToken } from './cLine';
import type { DiffHunk, DiffLine, HunkFunction, ParsedHunk } from './diffTypes';

export interface TokenizedLine {
  readonly line: DiffLine;
  /** The line's tokens, with columns in the patch line (past its ' ', '+' or '-'). */
  readonly tokens: readonly CToken[];
  /** A preprocessor line (or the continuation of one). */
  readonly preprocessor: boolean;
  /** Its string and character literals, columns as the tokens', when asked for (sideLinesWithLiterals). */
  readonly literals?: readonly CToken[];
}

/**
 * One side of a hunk, tokenized with the comment state carried from line to line; kept in
 * `memo` (the session's, common/memo.ts) by the hunk's lines, which a parse shares with the
 * next while the file does not change (syntax/diff.ts PatchParseCache).
 */
export function sideLines(memo: Memo, hunk: ParsedHunk, side: 'old' | 'new'): readonly TokenizedLine[] {
  return memo.get(side === 'old' ? oldSide : newSide, hunk.lines);
}

const oldSide = (lines: readonly DiffLine[]) => sideLinesOf(lines, 'add');
const newSide = (lines: readonly DiffLine[]) => sideLinesOf(lines, 'remove');

/** One side of a hunk as sideLines() gives it, each line with its literals too (not kept: few callers need them). */
export function sideLinesWithLiterals(hunk: ParsedHunk, side: 'old' | 'new'): readonly TokenizedLine[] {
  return sideLinesOf(hunk.lines, side === 'old' ? 'add' : 'remove', true);
}

/** The lines but those of kind `skip`, tokenized. */
function sideLinesOf(lines: readonly DiffLine[], skip: DiffLine['kind'], withLiterals = false): TokenizedLine[] {
  const state = newLexState();
  let continued = false;
  const out: TokenizedLine[] = [];
  for (const line of lines) {
    if (line.kind === skip) continue;
    const shift = prefixWidth(line);
    const moved = (t: CToken) => ({ ...t, start: t.start + shift, end: t.end + shift });
    const literals: CToken[] | undefined = withLiterals ? [] : undefined;
    const tokens = lexLine(line.text, state, literals).map(moved);
    const preprocessor: boolean = continued || tokens[0]?.text === '#';
    continued = preprocessor && line.text.trimEnd().endsWith('\\');
    out.push(literals ? { line, tokens, preprocessor, literals: literals.map(moved) } : { line, tokens, preprocessor });
  }
  return out;
}

/** The width of the marker before the text (a context line whose blank was eaten has none). */
function prefixWidth(line: DiffLine): number {
  return line.kind === 'context' && line.text.startsWith('\t') ? 0 : 1;
}

/**
 * The function of `hunk` that holds each of its patch lines, in one pass over the functions'
 * lines: callers that ask line by line take it once per hunk (a search per line made a large
 * hunk quadratic).
 */
export function functionsByLine(hunk: DiffHunk): ReadonlyMap<number, HunkFunction> {
  const byLine = new Map<number, HunkFunction>();
  for (const fn of hunk.functions) for (const line of fn.lines ?? []) if (!byLine.has(line)) byLine.set(line, fn);
  return byLine;
}

/** A token of a patch line (or the whole line) as a location in the patch file. */
export function lineLocation(file: string, line: DiffLine, token?: Pick<CToken, 'start' | 'end'>): Location {
  if (token) return location(file, makeRange(line.patchLine, token.start, line.patchLine, token.end));
  return location(file, lineRange(line.patchLine, line.text.length + prefixWidth(line)));
}
