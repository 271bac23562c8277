// Positions, ranges and file names as the features compare them.
import * as path from 'node:path';
import type { Position, Range } from '../../common/range';

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** `range` holds `position`: from its start up to, not including, its end (an empty range holds its start). */
export function contains(range: Range, position: Position): boolean {
  if (compare(position, range.start) < 0) return false;
  const empty = compare(range.start, range.end) === 0;
  return empty ? compare(position, range.start) === 0 : compare(position, range.end) < 0;
}

/** The smallest range holding both. */
export function union(a: Range, b: Range): Range {
  return {
    start: compare(a.start, b.start) <= 0 ? a.start : b.start,
    end: compare(a.end, b.end) >= 0 ? a.end : b.end,
  };
}

/** The engine names files as its callers gave them; two names of one file compare equal. */
export function sameFile(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** The end of line `line` of `text`, or undefined when the text has no such line. */
export function lineEnd(text: string | undefined, line: number): Position | undefined {
  const lines = text?.split(/\r?\n/);
  const found = lines?.[line];
  return found === undefined ? undefined : { line, character: found.length };
}
