// Runs a check on a module text read by the real module reader, the way the language server
// will: the problems of the text, the fixes of a problem, and the text with a fix applied.
import { expect } from 'vitest';
import type { Check, CheckContext } from '../../../server/src/checks/check';
import { fixesFor as registryFixesFor } from '../../../server/src/checks/index';
import { errorMessage, type Problem } from '../../../server/src/common/problem';
import type { Fix } from '../../../server/src/edits/fix';
import { applyEdits } from '../../../server/src/edits/textEdits';
import type { Livepatch } from '../../../server/src/model/livepatch';
import { livepatchFromModule } from '../../../server/src/model/fromModule';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { readFixture } from '../../helpers/fixtures';

let parser: Promise<CParser> | undefined;

/** `text` read as the module in `file` (named after it, as the kernel would). */
export async function readModule(text: string, file: string): Promise<Livepatch> {
  parser ??= CParser.create();
  return livepatchFromModule(await parser, text, file, { name: file.replace(/\.c$/, '').replace(/-/g, '_') });
}

export function fixture(fix: string, file: string): string {
  return readFixture('fixes', fix, file);
}

/** A check and the context it runs in, given the module under test. */
export interface Scenario<D = unknown> {
  check: Check<D>;
  file: string;
  context: (lp: Livepatch) => CheckContext | Promise<CheckContext>;
}

export async function problemsOf<D>(scenario: Scenario<D>, text: string): Promise<Problem<D>[]> {
  return scenario.check.run(await scenario.context(await readModule(text, scenario.file)));
}

/** The one problem the check finds in `text`. */
export async function theProblem<D>(scenario: Scenario<D>, text: string): Promise<Problem<D>> {
  const problems = await problemsOf(scenario, text);
  expect(problems).toHaveLength(1);
  return problems[0];
}

/** The fixes of `problem` given `text`, by the registry; a fix that throws fails the test. */
export function fixesFor(problem: Problem, text: string): Fix[] {
  return registryFixesFor(problem, text, (message, cause) => expect.fail(`${message}: ${errorMessage(cause)}`));
}

/** The one fix offered for `problem`. */
export function theFix(problem: Problem, text: string): Fix {
  const fixes = fixesFor(problem, text);
  expect(fixes).toHaveLength(1);
  return fixes[0];
}

export function applied(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

/** Several fixes of the same text (for different problems) applied together. */
export function appliedAll(text: string, fixes: Fix[]): string {
  return applyEdits(text, fixes.flatMap((f) => f.edits));
}

/** `text` with its first `before` replaced by `after`, failing when `before` is not there. */
export function edited(text: string, before: string, after: string): string {
  expect(text).toContain(before);
  return text.replace(before, after);
}

/** The same text with one line added at the top: every range of the old text is off by one line. */
export function shifted(text: string): string {
  return `// a line added above\n${text}`;
}
