// The registry: every check, in the order the README lists them, and the quick fixes of a
// problem, found by its code.
import type { Problem } from '../common/problem';
import { asRange } from '../common/range';
import type { Fix } from '../edits/fix';
import { SourceText } from '../edits/sourceText';
import { livepatchKindOf } from '../model/plan';
import type { Check } from './check';
import { check as alreadyLoaded } from './already-loaded';
import { check as ambiguousSymbol } from './ambiguous-symbol';
import { check as droppedFunction } from './dropped-function';
import { check as changedData } from './changed-data';
import { check as compilerDisagreement } from './compiler-disagreement';
import { check as compiledOut } from './compiled-out';
import { check as lineShift } from './line-shift';
import { check as duplicateFunction } from './duplicate-function';
import { check as exportedSymbolDependency } from './exported-symbol-dependency';
import { check as incompatibleState } from './incompatible-state';
import { check as inconsistentSympos } from './inconsistent-sympos';
import { check as initFunction } from './init-function';
import { check as kernelLacksFeature } from './kernel-lacks-feature';
import { check as inlineFunction } from './inline-function';
import { check as livepatchExport } from './livepatch-export';
import { check as missingLivepatchModinfo } from './missing-livepatch-modinfo';
import { check as missingReplace } from './missing-replace';
import { check as missingTerminator } from './missing-terminator';
import { check as moduleJumpLabel } from './module-jump-label';
import { check as noFunctionalChange } from './no-functional-change';
import { check as objectNamedVmlinux } from './object-named-vmlinux';
import { check as onceMacro } from './once-macro';
import { check as overlappingFunction } from './overlapping-function';
import { check as staticLocalChange } from './static-local-change';
import { check as structLayoutChange } from './struct-layout-change';
import { check as symbolVersionChange } from './symbol-version-change';
import { check as symposNotFound } from './sympos-not-found';
import { check as transitionStateSpelling } from './transition-state-spelling';
import { check as unknownObject } from './unknown-object';
import { check as unknownStepTarget } from './unknown-step-target';
import { check as unsupportedFile } from './unsupported-file';
import { check as unexportedSymbol } from './unexported-symbol';
import { check as unknownSymbol } from './unknown-symbol';

export const allChecks: readonly Check[] = [
  // the series and the kernel's symbols
  exportedSymbolDependency,
  unexportedSymbol,
  overlappingFunction,
  missingReplace,
  droppedFunction,
  incompatibleState,
  ambiguousSymbol,
  symposNotFound,
  unknownSymbol,
  inconsistentSympos,
  duplicateFunction,
  unknownStepTarget,
  alreadyLoaded,
  // the target kernel's livepatch core
  kernelLacksFeature,
  transitionStateSpelling,
  compiledOut,
  // hand-written modules
  livepatchExport,
  missingLivepatchModinfo,
  missingTerminator,
  objectNamedVmlinux,
  unknownObject,
  // authoring pitfalls in diffs
  initFunction,
  inlineFunction,
  structLayoutChange,
  staticLocalChange,
  onceMacro,
  moduleJumpLabel,
  noFunctionalChange,
  symbolVersionChange,
  unsupportedFile,
  changedData,
  lineShift,
  // the compiler's answer
  compilerDisagreement,
];

const byId = new Map(allChecks.map((c) => [c.id, c]));

/**
 * The quick fixes of `problem` (by its check), as plain edits of problem.file given its current
 * `text`: none when the problem's data does not allow one, or when the text no longer holds at
 * the problem's range what the check saw there (the document changed since). A fix edits the C
 * source of a hand-written livepatch module, or a patch diff itself (line-shift's `#line`
 * directive, a change the build tools' own scripts make); patched_funcs.csv rows get none yet. A fix that throws (a bug of ours
 * on an unusual text) is reported to `onError` (with what it threw) and gives none: it must not
 * take the editor's code actions down.
 */
export function fixesFor(problem: Problem, text: string, onError: (message: string, cause: unknown) => void): Fix[] {
  try {
    const check = byId.get(problem.code);
    const range = asRange(problem.range);
    // A file of no livepatch kind is the series file.
    const kind = check?.fixes ?? 'module';
    if (!check?.fix || !range || typeof text !== 'string' || (livepatchKindOf(problem.file) ?? 'series') !== kind) return [];
    return check.fix({ ...problem, range }, new SourceText(text));
  } catch (err) {
    const code: unknown = (problem as Partial<Problem> | null | undefined)?.code;
    onError(`the quick fixes of ${typeof code === 'string' ? code : 'a problem'} failed`, err);
    return [];
  }
}
