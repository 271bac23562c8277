// A patched_funcs.csv row whose condition is false for the target's .config: SUSE's
// register-patches.sh writes the condition as an `#if` around the row's klp_func (and the `||`
// of its rows' conditions around an object whose every row has one), so the module built for
// that kernel has no such function. The reading leaves the row out (model/fromCsv.ts
// objectsForTarget()); this says so where the row is.
import { problem, type Problem } from '../common/problem';
import type { Check } from './check';

export interface CompiledOutData {
  object: string;
  name: string;
  condition: string;
}

export const check: Check<CompiledOutData> = {
  id: 'compiled-out',
  severity: 'information',
  title: "A patched_funcs.csv row whose #if condition is false for the target's .config is not in its module",
  doc:
    "SUSE's scripts/register-patches.sh writes a row's fourth column, a cpp condition such as " +
    '`IS_ENABLED(CONFIG_DRM_AMDGPU)`, as `#if <condition>` around the row\'s klp_func in livepatch_main.c, and ' +
    "the `||` of the conditions around an object whose every row has one: where the condition is false the " +
    'module has no such function (and no such object when none of its rows holds). klp-lens evaluates the ' +
    "condition with the target kernel's .config as include/generated/autoconf.h defines it (CONFIG_X 1 for y, " +
    'CONFIG_X_MODULE 1 for m; IS_ENABLED, IS_BUILTIN, IS_MODULE as include/linux/kconfig.h) and the ' +
    "architecture's own macros, leaves such a row out of the livepatch it models (its state, the other " +
    'checks), and says so at the condition. Without a .config, or with a macro it cannot know, the row counts.',
  run(ctx) {
    return ctx.livepatches.flatMap((lp) =>
      (lp.leftOut ?? []).map(
        ({ function: f, condition, conditionLocation }): Problem<CompiledOutData> =>
          problem(
            check.id,
            check.severity,
            conditionLocation,
            `\`${condition}\` is false for the target kernel's .config: register-patches.sh's #if leaves \`${f.name}\` in ${f.object} out of ${lp.name}, which does not patch it on this kernel`,
            { data: { object: f.object, name: f.name, condition } },
          ),
      ),
    );
  },
};
