// Where the lines of a text start: offsets to positions (0-based line, UTF-16 column:
// JavaScript string offsets are UTF-16), and each line's text. A line ends at '\n'; a text
// that ends with '\n' has an empty last line.
import { makeRange, type Location, type Position } from '../common/range';

export class LineIndex {
  /** Exactly sized (the lines counted first): a patch is indexed at every edit, and a growing array left its copies as garbage. */
  private readonly starts: Uint32Array;

  constructor(private readonly text: string) {
    let count = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
    this.starts = new Uint32Array(count);
    let line = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.starts[line++] = at + 1;
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
