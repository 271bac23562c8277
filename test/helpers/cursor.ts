// Positions written into the text they point at, not as numbers: a snippet of a fixture with
// a `$0` marker where the position is (rust-analyzer's cursor marker). The fixture files stay
// as they are on disk; the snippet, markers removed, must occur in the text exactly once.
//
//   cursorIn(text, '.old_name = "cmdli$0ne_proc_show"')   the position of the marker
//   rangeIn(text, '.old_name = $0"cmdline_proc_show"$0')  the range between two markers
//   rangeIn(text, '$0$0// first line')                     an empty range (an insertion point)
//
// `$0` is always a marker: a snippet cannot match a literal "$0" of the text.
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from '../../server/src/common/range';

export const MARKER = '$0';

/** `marked` without its `$0` markers, and the position of each marker in that text (0-based lines, UTF-16 characters). */
export function unmark(marked: string): { text: string; positions: Position[] } {
  const { text, offsets } = stripMarkers(marked);
  const document = TextDocument.create('', '', 0, text);
  return { text, positions: offsets.map((o) => document.positionAt(o)) };
}

/** The position of the one `$0` of `snippet`, found (without the marker) once in `text`. */
export function cursorIn(text: string, snippet: string): Position {
  const [position] = markersIn(text, snippet, 1);
  return position;
}

/** The range from the first `$0` of `snippet` to the second, the snippet found (without them) once in `text`. */
export function rangeIn(text: string, snippet: string): Range {
  const [start, end] = markersIn(text, snippet, 2);
  return { start, end };
}

/** cursorIn on the text of a file on disk. */
export function cursorInFile(file: string, snippet: string): Position {
  return cursorIn(readFileSync(file, 'utf8'), snippet);
}

/** rangeIn on the text of a file on disk. */
export function rangeInFile(file: string, snippet: string): Range {
  return rangeIn(readFileSync(file, 'utf8'), snippet);
}

function stripMarkers(marked: string): { text: string; offsets: number[] } {
  const parts = marked.split(MARKER);
  const offsets: number[] = [];
  let length = 0;
  for (const part of parts.slice(0, -1)) {
    length += part.length;
    offsets.push(length);
  }
  return { text: parts.join(''), offsets };
}

/** The positions in `text` of the `count` markers of `snippet`; throws unless the snippet has that many and occurs once. */
function markersIn(text: string, snippet: string, count: number): Position[] {
  const { text: plain, offsets } = stripMarkers(snippet);
  if (offsets.length !== count) throw new Error(`${JSON.stringify(snippet)}: expected ${count} ${MARKER} marker(s), found ${offsets.length}`);
  if (plain === '') throw new Error(`${JSON.stringify(snippet)}: nothing around the marker to find`);
  const at = text.indexOf(plain);
  if (at < 0) throw new Error(`${JSON.stringify(plain)} is not in the text`);
  const document = TextDocument.create('', '', 0, text);
  const again = text.indexOf(plain, at + 1);
  if (again >= 0) {
    const lines = [at, again].map((o) => document.positionAt(o).line);
    throw new Error(`${JSON.stringify(plain)} is ambiguous: it occurs on line ${lines[0]} and on line ${lines[1]} (0-based)`);
  }
  return offsets.map((o) => document.positionAt(at + o));
}
