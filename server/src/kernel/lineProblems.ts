import { problem, type Problem } from '../common/problem';
import { lineRange } from '../common/range';

/** How many malformed lines of one file are reported one by one; the rest are summed up. */
const MAX_REPORTED = 20;

/**
 * The loop of the line-oriented artifacts (Module.symvers, kallsyms, System.map): `read` gets
 * each non-empty line of `text` as offsets (without its "\n" or "\r\n") and returns why the
 * line is malformed, if it is; the malformed lines become the returned 'parse-error' warnings.
 */
export function readLines(text: string, file: string, what: string, read: (start: number, end: number) => string | undefined): Problem[] {
  const bad = new LineProblems(file, what);
  let line = 0;
  for (let start = 0; start < text.length; line++, start++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const lineStart = start;
    start = end;
    if (end > lineStart && text.charCodeAt(end - 1) === 13) end--;
    if (end === lineStart) continue;
    const reason = read(lineStart, end);
    if (reason !== undefined) bad.add(line, end - lineStart, reason);
  }
  return bad.done();
}

/**
 * Collects 'parse-error' warnings for the malformed lines of a text file, so that
 * a wrong file (say a binary given as Module.symvers) yields a short list, not thousands.
 */
class LineProblems {
  private readonly problems: Problem[] = [];
  private skipped = 0;

  constructor(
    private readonly file: string,
    private readonly what: string,
  ) {}

  add(line: number, length: number, reason: string): void {
    if (this.problems.length < MAX_REPORTED) {
      const at = { file: this.file, range: lineRange(line, length) };
      this.problems.push(problem('parse-error', 'warning', at, `malformed ${this.what} line skipped: ${reason}`));
    } else {
      this.skipped++;
    }
  }

  done(): Problem[] {
    if (this.skipped > 0) {
      const last = this.problems[this.problems.length - 1];
      this.problems.push(
        problem('parse-error', 'warning', { file: this.file, range: last.range }, `${this.skipped} more malformed ${this.what} lines skipped`),
      );
    }
    return this.problems;
  }
}
