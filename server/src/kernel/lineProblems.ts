import { problem, type Problem } from '../common/problem';
import { lineRange } from '../common/range';

/** How many malformed lines of one file are reported one by one; the rest are summed up. */
const MAX_REPORTED = 20;

/**
 * Collects 'parse-error' warnings for the malformed lines of a text file, so that
 * a wrong file (say a binary given as Module.symvers) yields a short list, not thousands.
 */
export class LineProblems {
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
