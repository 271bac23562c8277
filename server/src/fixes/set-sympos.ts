// ambiguous-symbol, sympos-not-found and inconsistent-sympos: write the klp_func's .old_sympos.
// The checks give the positions to offer and, when .old_sympos is written, its range
// and value (`oldSympos`); otherwise the member goes after .old_name, whose string is the problem's range.
import type { Range } from '../common/range';
import { indentOf, isBlankCode } from './cLayout';
import { fixOf, type FixInput } from './fixInput';
import { asRange, countField, isCount, isPresent, listField, recordField, stringField } from './problemData';
import { at, point, type SourceText } from './sourceText';
import type { Fix, TextEdit } from './types';

interface Target {
  sympos: number;
  /** Why this position: the symbol's address, or the livepatch that writes it. */
  note?: string;
}

/** ambiguous-symbol and sympos-not-found: one fix per occurrence of the name in its object. */
export function setSymposToCandidate(input: FixInput): Fix[] {
  const targets = listField(input.problem, 'candidates', ({ sympos, address }) =>
    isCount(sympos) && sympos > 0 ? { sympos, ...(typeof address === 'string' ? { note: address } : {}) } : undefined,
  );
  return setSympos(input, targets);
}

/** inconsistent-sympos: the position the other livepatch writes. */
export function setSymposAsOther(input: FixInput): Fix[] {
  const sympos = countField(input.problem, 'sympos');
  const other = stringField(input.problem, 'other');
  return sympos === undefined ? [] : setSympos(input, [{ sympos, ...(other ? { note: `as ${other} writes it` } : {}) }]);
}

function setSympos({ problem, source }: FixInput, targets: Target[]): Fix[] {
  const written = recordField(problem, 'oldSympos', ({ range, value }) => {
    const where = asRange(range);
    return where && isCount(value) ? { range: where, value } : undefined;
  });
  if (!written && isPresent(problem, 'oldSympos')) return [];
  const place = written ? symposValue(source, written.range, written.value) : afterOldName(source, problem.range, stringField(problem, 'name'));
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
function afterOldName(source: SourceText, range: Range, name: string | undefined): Edits | undefined {
  const literal = source.slice(range);
  if (literal === undefined || range.start.line !== range.end.line || !/^"[^"\\]*"$/.test(literal)) return undefined;
  if (name !== undefined && literal !== `"${name}"`) return undefined;
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
