// A "once" macro added by the patch (kpatch doc/patch-author-guide.md, "Once macros").
import type { Memo } from '../common/memo';
import { problem, type Problem } from '../common/problem';
import { functionsByLine, lineLocation, sideLines } from '../syntax/hunkLines';
import { refusesThePatch, type StaticCheck } from './check';
import { problemsPerFileGroup } from './diffFileResults';
import type { FileGroup } from './diffFunctions';

export interface OnceMacroData {
  macro: string;
  /** The function it is used in, when the hunk tells. */
  function?: string;
}

/**
 * Macros that keep their "done" flag in a static variable of their own section
 * (include/linux/once_lite.h DO_ONCE_LITE: `.data.once`; older printk_once:
 * `.data..read_mostly`). WARN_ON_ONCE is not one: its flag is `__warned`, which
 * kpatch-build handles, or a bug-table flag (x86 __WARN_FLAGS).
 */
const ONCE = /^((printk|printk_deferred|pr_\w+|dev_\w+|netdev_\w+|ibdev_\w+|wiphy_\w+|drm_\w+)_once|WARN_ONCE|WARN_TAINT_ONCE|dev_WARN_ONCE|DO_ONCE|DO_ONCE_SLEEPABLE|DO_ONCE_LITE|DO_ONCE_LITE_IF|(net_)?get_random_once(_wait)?)$/;

export const check: StaticCheck<OnceMacroData> = {
  id: 'once-macro',
  severity: 'error',
  title: 'The patch adds a printk_once / pr_*_once / DO_ONCE style macro',
  doc:
    '`printk_once()`, `pr_warn_once()` and the other "once" macros (DO_ONCE, DO_ONCE_LITE, WARN_ONCE, ' +
    'get_random_once) keep their "already done" flag in a static variable placed in a section of its own ' +
    '(`.data.once`, or `.data..read_mostly` on older kernels). kpatch-build does not accept changes to ' +
    'those sections ("unsupported section change") and refuses the patch; and a livepatch that did carry ' +
    'such a flag would start with a fresh one, so the message prints again. Write the "once" logic by ' +
    'hand with an ordinary static flag: `static bool done; if (!done) { done = true; pr_warn(...); }`. ' +
    '`WARN_ON_ONCE()` is not concerned.',
  run(ctx) {
    return problemsPerFileGroup(ctx, check.id, (g) => problemsOf(ctx.memo, g));
  },
  // kpatch-build and klp-build make no module of the patch.
  verdict: refusesThePatch,
};

function problemsOf(memo: Memo, { lp, files }: FileGroup): Problem<OnceMacroData>[] {
  return files.flatMap((file) =>
    file.hunks.flatMap((hunk) => {
      const functionOf = functionsByLine(hunk);
      return sideLines(memo, hunk, 'new')
        .filter(({ line, preprocessor }) => line.kind === 'add' && !preprocessor)
        .flatMap(({ line, tokens }) =>
          tokens
            .filter((t, i) => ONCE.test(t.text) && tokens[i + 1]?.text === '(')
            .map((t) => {
              const fn = functionOf.get(line.patchLine)?.name;
              return problem(
                check.id,
                check.severity,
                lineLocation(lp.file, line, t),
                `\`${t.text}()\`${fn ? ` (in ${fn})` : ''} keeps its "done" flag in a static variable in a section ` +
                  'kpatch-build does not accept changes to (.data.once / .data..read_mostly): the build fails. Use an ' +
                  'ordinary `static bool` flag and the plain macro instead',
                { data: { macro: t.text, ...(fn ? { function: fn } : {}) } },
              );
            }),
        );
    }),
  );
}
