// A patch diff that changes no code: only blank lines, white space or comments.
//
// kpatch-build compiles each object the patch touches before and after and compares them
// (kpatch-build/create-diff-object.c kpatch_compare_sections()); a function whose code differs
// only in a line number that WARN/BUG/might_sleep/printk embed is reverted to unchanged
// (kpatch_line_macro_change_only()). With nothing else changed, create-diff-object exits with
// "no changed functions were found" (EXIT_STATUS_NO_CHANGE) and kpatch-build dies with "no
// functional changes found". kpatch's test/integration/*/warn-detect-FAIL.patch is this case.
import type { Memo } from '../common/memo';
import { problem } from '../common/problem';
import type { Livepatch, LivepatchDiff } from '../model/livepatch';
import { sameCode } from '../syntax/sameCode';
import { refusesThePatch, type StaticCheck } from './check';

export interface NoFunctionalChangeData {
  /** How many hunks the patch has, all of them without a code change. */
  hunks: number;
}

const C_FILE = /\.[ch]$/;

export const check: StaticCheck<NoFunctionalChangeData> = {
  id: 'no-functional-change',
  severity: 'error',
  title: 'The patch diff changes no code: only blank lines, white space or comments',
  doc:
    'kpatch-build and klp-build compile every object the patch touches before and after the change and ' +
    'compare the result function by function. A patch whose hunks change only blank lines, white space ' +
    'or comments changes no function: at most the line numbers that `WARN()`, `BUG()`, `might_sleep()` ' +
    'or `printk()` embed shift in the functions below the hunk, and kpatch-build reverts such line-only ' +
    'changes (create-diff-object.c kpatch_line_macro_change_only()). With nothing left, the build fails ' +
    'with "no functional changes found" (kpatch\'s warn-detect-FAIL test). Check that the patch holds ' +
    'the intended change; reported only when every file of the patch is C and no hunk changes a token ' +
    'or a string.',
  run(ctx) {
    const unchanged = ctx.memo.get(unchangedIn, ctx.memo);
    return ctx.livepatches.flatMap((lp) => {
      const hunks = ctx.memo.get(unchanged, lp);
      if (hunks === undefined) return [];
      return [
        problem(
          check.id,
          check.severity,
          lp.location,
          `${lp.name} changes no code: its ${hunks === 1 ? 'hunk changes' : `${hunks} hunks change`} only blank lines, white space or ` +
            'comments. The compiled functions differ at most in the line numbers WARN/BUG/might_sleep/printk embed, which ' +
            'kpatch-build reverts as line-only changes, so it finds no changed function and fails: "no functional changes found"',
          { data: { hunks } },
        ),
      ];
    });
  },
  // kpatch-build and klp-build make no module of the patch.
  verdict: refusesThePatch,
};

/** unchangedCode() of a livepatch's diff, once per livepatch: an edit of one livepatch of a series reads that one again, not every other. */
const unchangedIn = (memo: Memo) => (lp: Livepatch): number | undefined => lp.diff && unchangedCode(memo, lp.diff);

/** How many hunks the diff has when none of them changes a C token; undefined when one does, or a file is not C. */
function unchangedCode(memo: Memo, diff: LivepatchDiff): number | undefined {
  let hunks = 0;
  for (const file of diff.files) {
    if (file.isBinary || !C_FILE.test(file.path) || file.hunks.length === 0) return undefined;
    for (const hunk of file.hunks) {
      if (!sameCode(memo, hunk)) return undefined;
      hunks++;
    }
  }
  return hunks > 0 ? hunks : undefined;
}
