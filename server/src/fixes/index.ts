// The quick fixes of a problem, as plain edits of the problem's file. Every fix here edits the
// C source of a hand-written livepatch module: for a patch diff the build tools decide what
// these fixes change, and patched_funcs.csv rows get none yet.
import type { Problem } from '../common/problem';
import { livepatchKindOf } from '../model/plan';
import { addLivepatchModinfo } from './add-livepatch-modinfo';
import { addReplace } from './add-replace';
import { addTerminator } from './add-terminator';
import type { FixInput } from './fixInput';
import { convertToKlpSymbol } from './klp-symbol';
import { asRange } from './problemData';
import { removeVmlinuxName } from './remove-vmlinux-name';
import { renameObject } from './rename-object';
import { setSymposAsOther, setSymposToCandidate } from './set-sympos';
import { SourceText } from './sourceText';
import type { Fix } from './types';

export type { Fix, TextEdit } from './types';
export { applyEdits } from './textEdits';

/** By diagnostic code (the check's id). */
const FIXES: Record<string, (input: FixInput) => Fix[]> = {
  'missing-replace': addReplace,
  'ambiguous-symbol': setSymposToCandidate,
  'sympos-not-found': setSymposToCandidate,
  'inconsistent-sympos': setSymposAsOther,
  'missing-livepatch-modinfo': addLivepatchModinfo,
  'missing-terminator': addTerminator,
  'object-named-vmlinux': removeVmlinuxName,
  'unknown-object': renameObject,
  'exported-symbol-dependency': convertToKlpSymbol,
};

/**
 * The fixes for `problem`, given the current `text` of problem.file: none when the problem's
 * data does not allow one, or when the text no longer holds at the problem's range what the
 * check saw there (the document changed since).
 */
export function fixesFor(problem: Problem, text: string): Fix[] {
  try {
    const fix = Object.hasOwn(FIXES, problem.code) ? FIXES[problem.code] : undefined;
    const range = asRange(problem.range);
    if (!fix || !range || typeof text !== 'string' || livepatchKindOf(problem.file) !== 'module') return [];
    return fix({ problem: { ...problem, range }, source: new SourceText(text) });
  } catch {
    // A problem that is not one (it crosses the language server as JSON), or a bug of ours on
    // an unusual text, must not take the editor's code actions down.
    return [];
  }
}
