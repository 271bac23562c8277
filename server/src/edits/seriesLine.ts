// A line added at the end of a series file (the "Add to series" fix of not-in-series).
import type { TextEdit } from './fix';
import { SourceText } from './sourceText';

/** The edit that appends `line` to the series text, after a newline when its last line has none. */
export function appendSeriesLine(seriesText: string, line: string): TextEdit {
  const source = new SourceText(seriesText);
  const last = source.lineCount - 1;
  const end = source.lineEnd(last);
  const needsBreak = source.line(last) !== '';
  return { range: { start: end, end }, newText: `${needsBreak ? source.eol : ''}${line}${source.eol}` };
}
