// What every fix gets, and how it names its result.
import type { Problem } from '../common/problem';
import type { SourceText } from './sourceText';
import type { Fix, TextEdit } from './types';

export interface FixInput {
  problem: Problem;
  source: SourceText;
}

export function fixOf(problem: Problem, title: string, edits: TextEdit[], preferred = false): Fix {
  return { title, code: problem.code, file: problem.file, edits, ...(preferred ? { preferred } : {}) };
}
