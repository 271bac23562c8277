// Leaving a klp_object's name out, so that it is NULL: what vmlinux takes (kernel/livepatch/core.c
// klp_is_module() is `return obj->name;`).
import type { Range } from '../common/range';
import { isBlankCode } from './cLayout';
import { at, type SourceText } from './sourceText';
import type { TextEdit } from './fix';

export interface NullName {
  edits: TextEdit[];
  /** The `.name = "..."` member was removed; false: a positional name was replaced with NULL. */
  removed: boolean;
}

/** Edits that make the object whose name string is at `range` a NULL-named one. */
export function nullName(source: SourceText, range: Range): NullName | undefined {
  if (range.start.line !== range.end.line) return undefined;
  const line = source.line(range.start.line);
  const before = line.slice(0, range.start.character);
  const designator = /\.\s*name\s*=\s*$/.exec(before);
  if (!designator) {
    // `{ "vmlinux", funcs }`: positional, the name is the first value.
    return /[{,]\s*$/.test(before) ? { edits: [{ range, newText: 'NULL' }], removed: false } : undefined;
  }
  const comma = /^\s*,[ \t]*/.exec(line.slice(range.end.character));
  const end = range.end.character + (comma?.[0].length ?? 0);
  const { line: n } = range.start;
  if (before.slice(0, designator.index).trim() === '' && isBlankCode(line.slice(end))) {
    // The member is the whole line: the line goes.
    const whole = n + 1 < source.lineCount ? { start: at(n, 0), end: at(n + 1, 0) } : { start: n > 0 ? source.lineEnd(n - 1) : at(n, 0), end: source.lineEnd(n) };
    return { edits: [{ range: whole, newText: '' }], removed: true };
  }
  // Among other members on the line: the member and its comma, or the blanks before a last member.
  const start = comma ? designator.index : before.slice(0, designator.index).trimEnd().length;
  return { edits: [{ range: { start: at(n, start), end: at(n, end) }, newText: '' }], removed: true };
}
