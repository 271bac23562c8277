// missing-replace: make the hand-written livepatch a replace patch. The problem's range is the
// livepatch's replaceLocation: the `.replace = false` (or `patch.replace = 0`) written, or the
// klp_patch initializer list when replace is not written at all.
import type { Range } from '../common/range';
import { indentOf, tokensBetween } from './cLayout';
import { fixOf, type FixInput } from './fixInput';
import { at, point, type SourceText } from './sourceText';
import type { Fix, TextEdit } from './types';

const MEMBER = '.replace = true';
/** `.replace = false`, `.replace = 0`, `patch.replace = false`, `lp->replace = 0`: the value to turn into true. */
const FALSE_VALUE = /^(?:\.|[A-Za-z_][\w.>-]*?[.>])\s*replace\s*=\s*(false|0)$/;

export function addReplace({ problem, source }: FixInput): Fix[] {
  const written = source.slice(problem.range);
  if (written === undefined) return [];
  const value = FALSE_VALUE.exec(written)?.[1];
  const edits = value ? [setTrue(problem.range, value)] : addMember(source, problem.range, written);
  return edits ? [fixOf(problem, 'Set .replace = true', edits, true)] : [];
}

/** The value ends the range. */
function setTrue({ end }: Range, value: string): TextEdit {
  return { range: { start: at(end.line, end.character - value.length), end }, newText: 'true' };
}

/** `.replace = true,` as the last member of the klp_patch initializer `list`. */
function addMember(source: SourceText, list: Range, written: string): TextEdit[] | undefined {
  // The initializer list itself, without a replace member (else the range is stale).
  if (!/^\{[\s\S]*\}$/.test(written) || /\.\s*replace\b/.test(written)) return undefined;
  const close = at(list.end.line, list.end.character - 1);
  const tokens = tokensBetween(source, list.start, close);
  const last = tokens.at(-1);
  const edits: TextEdit[] = [];
  if (last && last.text !== ',') edits.push({ range: point(at(last.line, last.end)), newText: ',' });
  const closeLine = source.line(close.line);
  if (close.line > list.start.line && closeLine.slice(0, close.character).trim() === '') {
    // One member per line: a new line after the last one, indented like the others.
    let after = close.line - 1;
    while (after > list.start.line && source.line(after).trim() === '') after--;
    const member = tokens.find((t) => t.line > list.start.line);
    const indent = member ? indentOf(source.line(member.line)) : `${indentOf(closeLine)}\t`;
    edits.push({ range: point(source.lineEnd(after)), newText: `${source.eol}${indent}${MEMBER},` });
  } else {
    const space = /\s$/.test(closeLine.slice(0, close.character)) ? '' : ' ';
    edits.push({ range: point(close), newText: `${space}${MEMBER}${last?.text === ',' ? ',' : ''} ` });
  }
  return edits;
}
