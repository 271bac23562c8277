// Where the lines of a text start: offsets to positions (0-based line, UTF-16 column:
// JavaScript string offsets are UTF-16), and each line's text. A line ends at '\n'; a text
// that ends with '\n' has an empty last line.
import { makeRange, type Location, type Position } from '../common/range';

/**
 * Where the lines of the last text indexed start, grown as needed and kept up to KEPT_LINES
 * lines (1 MiB): a patch is indexed at every edit, and one scan into it, then an exact copy, is
 * half the work of counting the lines first (a growing array of its own left its copies as garbage).
 */
const KEPT_LINES = 1 << 18;
let scratch = new Uint32Array(4096);

export class LineIndex {
  private readonly starts: Uint32Array;

  constructor(private readonly text: string) {
    let line = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
      if (line === scratch.length) {
        const grown = new Uint32Array(2 * scratch.length);
        grown.set(scratch);
        scratch = grown;
      }
      scratch[line++] = at + 1;
    }
    scratch[0] = 0;
    this.starts = scratch.slice(0, line);
    if (scratch.length > KEPT_LINES) scratch = new Uint32Array(4096);
  }

  /** How many lines the text has (at least one). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** The offset line `line` starts at. */
  start(line: number): number {
    return this.starts[line];
  }

  /** The offset of line `line`'s '\n' (the text's length for the last line). */
  end(line: number): number {
    return line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
  }

  /** Lines `from` to `to`, both included (within the text), without the last one's '\n'; '' when `from` is past `to`. */
  lines(from: number, to: number): string {
    const last = Math.min(to, this.starts.length - 1);
    return from > last ? '' : this.text.slice(this.starts[from], this.end(last));
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  location(file: string, start: number, end: number): Location {
    const s = this.position(start);
    const e = this.position(end);
    return { file, range: makeRange(s.line, s.character, e.line, e.character) };
  }
}
