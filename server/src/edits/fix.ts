// Quick fixes as plain data: the edits that resolve one diagnostic. The language server
// turns them into code actions tied to the diagnostic and the document version; the
// engine knows nothing of LSP.
import type { Problem } from '../common/problem';
import type { Range } from '../common/range';

/** Replace `range` (0-based, as everywhere in the core) with `newText`; an empty range inserts. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  /** The diagnostic code it fixes */
  code: string;
  /** The file the edits apply to: the problem's file. */
  file: string;
  /** Non-overlapping; inserts at the same position apply in array order (as in LSP). */
  edits: TextEdit[];
  /** The one obvious fix (LSP isPreferred): set when there is no choice to make. */
  preferred?: boolean;
}

/** A fix of `problem`, in its file. */
export function fixOf(problem: Pick<Problem, 'code' | 'file'>, title: string, edits: TextEdit[], preferred = false): Fix {
  return { title, code: problem.code, file: problem.file, edits, ...(preferred ? { preferred } : {}) };
}
