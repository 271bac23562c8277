// The text of a document seen by lines and 0-based positions, as the core's ranges count
// them (tree-sitter rows and columns; a '\r' before '\n' belongs to no line).
import type { Position, Range } from '../common/range';
import { LineIndex } from '../syntax/lineIndex';

export class SourceText {
  private readonly lines: LineIndex;
  /** The end of line to write into this text. */
  readonly eol: string;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  get lineCount(): number {
    return this.lines.lineCount;
  }

  /** Line `n` without its end of line ('' when there is no such line). */
  line(n: number): string {
    if (!this.hasLine(n)) return '';
    const line = this.text.slice(this.lines.start(n), this.lines.end(n));
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }

  /** The offset of `p`, or undefined when the text has no such position. */
  offsetAt(p: Position): number | undefined {
    if (!this.hasLine(p.line) || !Number.isInteger(p.character) || p.character < 0 || p.character > this.line(p.line).length) return undefined;
    return this.lines.start(p.line) + p.character;
  }

  /** `p` moved to the nearest position the text has (LSP clients clamp the same way). */
  clampedOffset(p: Position): number {
    const line = Math.trunc(Number.isFinite(p.line) ? p.line : 0);
    if (line < 0) return 0;
    if (line >= this.lines.lineCount) return this.text.length;
    const character = Math.trunc(Number.isFinite(p.character) ? p.character : 0);
    return this.lines.start(line) + Math.min(Math.max(0, character), this.line(line).length);
  }

  /** The text `range` covers, or undefined when it is not a range of this text. */
  slice(range: Range): string | undefined {
    const start = this.offsetAt(range.start);
    const end = this.offsetAt(range.end);
    return start === undefined || end === undefined || end < start ? undefined : this.text.slice(start, end);
  }

  /** The position just after the last character of line `n`. */
  lineEnd(n: number): Position {
    return { line: n, character: this.line(n).length };
  }

  private hasLine(n: number): boolean {
    return Number.isInteger(n) && n >= 0 && n < this.lines.lineCount;
  }
}

export function at(line: number, character: number): Position {
  return { line, character };
}

/** A zero-width range: an insertion point. */
export function point(p: Position): Range {
  return { start: p, end: p };
}

export function isPoint(range: Range): boolean {
  return range.start.line === range.end.line && range.start.character === range.end.character;
}
