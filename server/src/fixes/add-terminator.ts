// missing-terminator: add the empty element that ends a klp_func / klp_object / klp_state array.
// The check gives the place just after the last element (`insertAt`) and the text (`, { }`, or
// `{ }` in an empty list); the problem's range is the `}` closing the list. A single struct
// given where an array belongs gets no data, hence no fix: it must become an array.
import type { Position } from '../common/range';
import { indentOf, isBlankCode } from './cLayout';
import { fixOf, type FixInput } from './fixInput';
import { positionField, stringField } from './problemData';
import { point, type SourceText } from './sourceText';
import type { Fix, TextEdit } from './types';

const TITLE = 'Add the empty terminator { }';

export function addTerminator({ problem, source }: FixInput): Fix[] {
  const insertAt = positionField(problem, 'insertAt');
  const insertText = stringField(problem, 'insertText');
  const offset = insertAt && source.offsetAt(insertAt);
  if (!insertAt || offset === undefined || (insertText !== ', { }' && insertText !== '{ }')) return [];
  // Stale unless the list still closes at the range and the place still follows an element's `}` (or the list's `{`).
  if (source.slice(problem.range) !== '}' || !/[{}]$/.test(source.text.slice(0, offset))) return [];
  const edits = (insertText === ', { }' && ownLine(source, insertAt, problem.range.start)) || [{ range: point(insertAt), newText: insertText }];
  return [fixOf(problem, TITLE, edits, true)];
}

/**
 * Kernel style, when the list ends with `}` on a line of its own: the terminator on a new
 * line after the last element, indented like it, `,` added after the element when missing.
 */
function ownLine(source: SourceText, lastEnd: Position, close: Position): TextEdit[] | undefined {
  const rest = source.line(lastEnd.line).slice(lastEnd.character);
  const comma = /^\s*,/.exec(rest);
  const closeOwnLine = close.line > lastEnd.line && source.line(close.line).slice(0, close.character).trim() === '';
  if (!closeOwnLine || !isBlankCode(comma ? rest.slice(comma[0].length) : rest)) return undefined;
  const indent = indentOf(source.line(lastEnd.line));
  return [
    ...(comma ? [] : [{ range: point(lastEnd), newText: ',' }]),
    { range: point(source.lineEnd(lastEnd.line)), newText: `${source.eol}${indent}{ }` },
  ];
}
