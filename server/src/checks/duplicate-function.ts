// Two klp_funcs of one object with the same sysfs name.
import { problem, type Problem } from '../common/problem';
import { shownSympos } from '../model/identity';
import { anchorOf, type PatchedFunction } from '../model/livepatch';
import type { Check } from './check';

export const check: Check = {
  id: 'duplicate-function',
  severity: 'error',
  title: 'The same function twice in one object of a livepatch',
  doc:
    'Each klp_func gets the sysfs directory `/sys/kernel/livepatch/<patch>/<object>/<func>,<sympos>`, ' +
    'with `old_sympos` 0 shown as 1 (kernel/livepatch/core.c klp_init_func()). Two klp_funcs of one ' +
    'object with the same name and the same shown position (0 and 1 count as the same) make ' +
    'kobject_add() fail, and the livepatch does not load. Not checked for patch diffs: the build ' +
    'tools write one klp_func per changed function.',
  run(ctx) {
    const out: Problem[] = [];
    for (const lp of ctx.livepatches) {
      if (lp.kind === 'diff') continue;
      for (const obj of lp.objects) {
        const first = new Map<string, PatchedFunction>();
        for (const f of obj.funcs) {
          const dir = `${f.name},${shownSympos(f.sympos)}`;
          const earlier = first.get(dir);
          if (!earlier) {
            first.set(dir, f);
            continue;
          }
          out.push(
            problem(
              check.id,
              check.severity,
              anchorOf(f),
              `\`${f.name}\` (old_sympos ${f.sympos}) is already patched in ${obj.object} by this livepatch ` +
                `(old_sympos ${earlier.sympos}): both are the sysfs entry \`${dir}\`, so kobject_add() fails in ` +
                `klp_init_func() (kernel/livepatch/core.c) and ${lp.name} does not load`,
              { related: [{ location: anchorOf(earlier), message: `\`${f.name}\` is first patched here` }] },
            ),
          );
        }
      }
    }
    return out;
  },
};
