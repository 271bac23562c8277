// A hunk changes __init or __exit code (kpatch doc/patch-author-guide.md, "Init code changes").
import { problem, type Problem } from '../common/problem';
import { isInitOrExit } from '../syntax/cDefinition';
import { refusesThePatch, type StaticCheck } from './check';
import { movedProblem, perFunction } from './diffFileResults';
import { otherAppearances, type DiffFunction } from './diffFunctions';

export interface InitFunctionData {
  function: string;
  /** The init or exit specifier it is declared with (`__init`, `__exit`, ...). */
  specifier: string;
}

export const check: StaticCheck<InitFunctionData> = {
  id: 'init-function',
  severity: 'error',
  title: 'The patch changes __init or __exit code',
  doc:
    'A livepatch replaces functions that will run again; `__init` code has already run (at boot, or when ' +
    'its module loaded) and its memory was freed afterwards, and `__exit` code only runs when a module ' +
    'unloads (and is dropped altogether from vmlinux). A change there never takes effect on the running ' +
    'system, and kpatch-build refuses it (the init sections are not part of a livepatch). Whatever the ' +
    'initialization should have done differently must be done by the livepatch itself, for example in a ' +
    'pre-patch callback that checks and fixes the state the old init code left; some hardware init ' +
    'changes cannot be livepatched at all.',
  run(ctx) {
    return perFunction(ctx, check.id, false, problemsOf, movedProblem);
  },
  // kpatch-build and klp-build make no module of the patch.
  verdict: refusesThePatch,
};

function problemsOf(f: DiffFunction): Problem<InitFunctionData>[] {
  const section = f.appearances.flatMap(({ fn }) => fn.specifiers).find(isInitOrExit);
  if (!section) return [];
  const when =
    section.includes('exit')
      ? 'it only runs when its module unloads (and is discarded from vmlinux)'
      : 'it already ran, at boot or when its module loaded, and its memory was freed';
  return [
    problem(
      check.id,
      check.severity,
      f.first.location,
      `\`${f.name}\` is \`${section}\` code: ${when}, so this change would never run; kpatch-build refuses ` +
        `changes to init and exit code. Make the fix outside ${f.name} (e.g. a pre-patch callback that corrects what it set up)`,
      { related: otherAppearances(f, `\`${f.name}\` also changes here`), data: { function: f.name, specifier: section } },
    ),
  ];
}
