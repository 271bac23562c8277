// Writing a klp_func's .old_sympos, the fix of ambiguous-symbol, sympos-not-found and
// inconsistent-sympos: the value replaced where `.old_sympos` is written (its range and value as
// the check read them), otherwise a member added after .old_name, whose string is the problem's range.
import type { Problem } from '../common/problem';
import type { Range } from '../common/range';
import { indentOf, isBlankCode } from './cLayout';
import { fixOf, type Fix, type TextEdit } from './fix';
import { at, point, type SourceText } from './sourceText';

/** An `.old_sympos` the livepatch writes: the range of the member (or of a positional value) and its value. */
export interface WrittenSympos {
  range: Range;
  value: number;
}

/** What a check tells the fix of the klp_func it reports. */
export interface SymposPlace {
  /** The old_name the klp_func writes. */
  name: string;
  oldSympos?: WrittenSympos;
}

export interface SymposTarget {
  sympos: number;
  /** Why this position: the symbol's address, or the livepatch that writes it. */
  note?: string;
}

/** One fix per target; the one target, if alone, preferred. */
export function setSympos(problem: Problem, source: SourceText, { name, oldSympos }: SymposPlace, targets: SymposTarget[]): Fix[] {
  const place = oldSympos ? symposValue(source, oldSympos.range, oldSympos.value) : afterOldName(source, problem.range, name);
  if (!place) return [];
  return targets.map(({ sympos, note }) =>
    fixOf(problem, `Set .old_sympos = ${sympos}${note ? ` (${note})` : ''}`, place(sympos), targets.length === 1),
  );
}

type Edits = (sympos: number) => TextEdit[];

/** The value of `.old_sympos = <value>` (or a positional value) at `range`, still the `value` the check read. */
function symposValue(source: SourceText, range: Range, value: number): Edits | undefined {
  const written = source.slice(range);
  const m = written === undefined ? null : /^(\.\s*old_sympos\s*=\s*)?(\w+)$/.exec(written);
  // Number() reads decimal and 0x hex as C does.
  if (!m || range.start.line !== range.end.line || Number(m[2]) !== value) return undefined;
  const start = at(range.start.line, range.start.character + (m[1]?.length ?? 0));
  return (sympos) => [{ range: { start, end: range.end }, newText: String(sympos) }];
}

/** A new `.old_sympos = N,` after the `.old_name = "<name>"` member whose string is `range`. */
function afterOldName(source: SourceText, range: Range, name: string): Edits | undefined {
  const literal = source.slice(range);
  if (literal === undefined || range.start.line !== range.end.line || !/^"[^"\\]*"$/.test(literal) || literal !== `"${name}"`) return undefined;
  const line = source.line(range.start.line);
  const head = /\.\s*old_name\s*=\s*$/.exec(line.slice(0, range.start.character));
  if (!head) return undefined; // positional initializers: no member to add after
  const comma = /^\s*,/.exec(line.slice(range.end.character));
  const memberEnd = at(range.end.line, range.end.character + (comma?.[0].length ?? 0));
  const ownLine = line.slice(0, head.index).trim() === '' && isBlankCode(line.slice(memberEnd.character));
  const addComma: TextEdit[] = comma ? [] : [{ range: point(range.end), newText: ',' }];
  if (ownLine) {
    const indent = indentOf(line);
    return (sympos) => [...addComma, { range: point(source.lineEnd(range.start.line)), newText: `${source.eol}${indent}.old_sympos = ${sympos},` }];
  }
  return (sympos) =>
    comma ? [{ range: point(memberEnd), newText: ` .old_sympos = ${sympos},` }] : [{ range: point(range.end), newText: `, .old_sympos = ${sympos}` }];
}
