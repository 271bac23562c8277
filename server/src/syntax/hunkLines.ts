// The lines of a hunk as C: one side of it (the old text: context and removed lines;
// the new text: context and added lines), each line's tokens with their columns in the
// patch file, and the function of the hunk each line lies in.
import { lineRange, location, makeRange, type Location } from '../common/range';
import { lexLine, newLexState, type CToken } from './cLine';
import type { DiffHunk, DiffLine, HunkFunction } from './diffTypes';

export interface TokenizedLine {
  line: DiffLine;
  /** The line's tokens, with columns in the patch line (past its ' ', '+' or '-'). */
  tokens: CToken[];
  /** A preprocessor line (or the continuation of one). */
  preprocessor: boolean;
}

/** One side of a hunk, tokenized with the comment state carried from line to line. */
const memo = new WeakMap<DiffHunk, { old?: TokenizedLine[]; new?: TokenizedLine[] }>();
export function sideLines(hunk: DiffHunk, side: 'old' | 'new'): TokenizedLine[] {
  let m = memo.get(hunk);
  if (!m) memo.set(hunk, (m = {}));
  return (m[side] ??= sideLinesOf(hunk, side));
}
function sideLinesOf(hunk: DiffHunk, side: 'old' | 'new'): TokenizedLine[] {
  const state = newLexState();
  let continued = false;
  const out: TokenizedLine[] = [];
  for (const line of hunk.lines) {
    if (line.kind === (side === 'old' ? 'add' : 'remove')) continue;
    const shift = prefixWidth(line);
    const tokens = lexLine(line.text, state).map((t) => ({ ...t, start: t.start + shift, end: t.end + shift }));
    const preprocessor: boolean = continued || tokens[0]?.text === '#';
    continued = preprocessor && line.text.trimEnd().endsWith('\\');
    out.push({ line, tokens, preprocessor });
  }
  return out;
}

/** The width of the marker before the text (a context line whose blank was eaten has none). */
function prefixWidth(line: DiffLine): number {
  return line.kind === 'context' && line.text.startsWith('\t') ? 0 : 1;
}

/** The function of `hunk` that holds the patch line `patchLine`. */
export function functionAt(hunk: DiffHunk, patchLine: number): HunkFunction | undefined {
  return hunk.functions.find((f) => f.lines?.includes(patchLine));
}

/** A token of a patch line (or the whole line) as a location in the patch file. */
export function lineLocation(file: string, line: DiffLine, token?: Pick<CToken, 'start' | 'end'>): Location {
  if (token) return location(file, makeRange(line.patchLine, token.start, line.patchLine, token.end));
  return location(file, lineRange(line.patchLine, line.text.length + prefixWidth(line)));
}
