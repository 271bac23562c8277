// A klp_func the target kernel does not compile: a patched_funcs.csv row whose condition is
// false for its .config (SUSE's register-patches.sh writes the condition as an `#if` around the
// row's klp_func, and the `||` of its rows' conditions around an object whose every row has one),
// or a hand-written module's klp_func or klp_object on an #if branch the target does not take.
// The reading leaves it out (model/fromCsv.ts objectsForTarget(), model/module/klpStructures.ts);
// this says so at the condition.
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
  title: "A klp_func under an #if the target kernel does not compile (a patched_funcs.csv row's condition, a module's #if branch) is not in its module",
  doc:
    "SUSE's scripts/register-patches.sh writes a row's fourth column, a cpp condition such as " +
    '`IS_ENABLED(CONFIG_DRM_AMDGPU)`, as `#if <condition>` around the row\'s klp_func in livepatch_main.c, and ' +
    "the `||` of the conditions around an object whose every row has one: where the condition is false the " +
    'module has no such function (and no such object when none of its rows holds). klp-lens evaluates the ' +
    "condition with the target kernel's .config as include/generated/autoconf.h defines it (CONFIG_X 1 for y, " +
    'CONFIG_X_MODULE 1 for m; IS_ENABLED, IS_BUILTIN, IS_MODULE as include/linux/kconfig.h) and the ' +
    "architecture's own macros, leaves such a row out of the livepatch it models (its state, the other " +
    'checks), and says so at the condition. A hand-written module\'s klp_func or klp_object on a branch of ' +
    '`#if`, `#ifdef` or `#elif` lines the target does not take (`defined(__aarch64__)` on x86-64, ' +
    '`LINUX_VERSION_CODE < KERNEL_VERSION(5, 7, 0)` on 6.1) is left out the same way. Without a .config, or ' +
    'with a macro it cannot know (a header\'s), the function counts.',
  run(ctx) {
    return ctx.livepatches.flatMap((lp) =>
      (lp.leftOut ?? []).map(
        ({ function: f, condition, conditionLocation }): Problem<CompiledOutData> =>
          problem(
            check.id,
            check.severity,
            conditionLocation,
            lp.kind === 'csv'
              ? `\`${condition}\` is false for the target kernel's .config: register-patches.sh's #if leaves \`${f.name}\` in ${f.object} out of ${lp.name}, which does not patch it on this kernel`
              : `the target kernel does not compile this branch (\`${condition}\`): ${lp.name} built for it has no klp_func for \`${f.name}\` in ${f.object}, and does not patch it there`,
            { data: { object: f.object, name: f.name, condition } },
          ),
      ),
    );
  },
};
