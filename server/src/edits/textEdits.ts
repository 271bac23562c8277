// Applying a fix's edits to a text.
import { SourceText } from './sourceText';
import type { TextEdit } from './fix';

/**
 * `text` with `edits` applied. Positions outside the text are clamped to it; inserts at the
 * same position go in array order; an edit that overlaps an earlier one (by position) is
 * left out, since LSP forbids overlapping edits and no order would make it meaningful.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const source = new SourceText(text);
  const placed = edits
    .map((edit, index) => {
      const start = source.clampedOffset(edit.range.start);
      return { start, end: Math.max(start, source.clampedOffset(edit.range.end)), newText: edit.newText, index };
    })
    .sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);
  let out = '';
  let done = 0;
  for (const edit of placed) {
    if (edit.start < done) continue;
    out += text.slice(done, edit.start) + edit.newText;
    done = edit.end;
  }
  return out + text.slice(done);
}
