// A klp_object with `.name = "vmlinux"`: the kernel reads it as a module named vmlinux. Its
// fix leaves the name out; only a NULL name means vmlinux.
import { problem, type Problem } from '../common/problem';
import { fixOf, type Fix } from '../edits/fix';
import { nullName } from '../edits/objectName';
import type { SourceText } from '../edits/sourceText';
import type { StaticCheck } from './check';

export interface ObjectNamedVmlinuxData {
  replacement: 'NULL';
  /** The livepatch has a NULL-named object too. */
  hasNullObject?: true;
}

export const check: StaticCheck<ObjectNamedVmlinuxData> = {
  id: 'object-named-vmlinux',
  severity: 'error',
  title: 'klp_object named "vmlinux" instead of NULL',
  doc:
    'Only a NULL name means vmlinux: kernel/livepatch/core.c klp_is_module() is `return obj->name;`, so ' +
    'an object named "vmlinux" is taken for a module. klp_find_object_module() then looks for a loaded ' +
    'module called vmlinux, finds none, and leaves obj->mod NULL, so klp_is_object_loaded() is false: ' +
    'klp_enable_patch() succeeds and the patch shows as enabled, but none of this object\'s functions ' +
    'are patched and its pre_patch/post_patch callbacks never run. They would be patched when a module ' +
    'named vmlinux loads, which klp_module_coming() refuses ("vmlinux.ko: invalid module name"), so ' +
    'never. If the patch also has a NULL-named object, both get the sysfs directory `vmlinux` and ' +
    'kobject_add() makes klp_enable_patch() fail with -EEXIST. Leave `.name` out (or set it to NULL).',
  run(ctx) {
    return ctx.livepatches.flatMap((lp) => {
      if (lp.kind !== 'module') return [];
      const realVmlinux = lp.objects.find((o) => o.declaredName === null);
      return lp.objects.filter((o) => o.declaredName === 'vmlinux').map((obj) => {
        const consequence = realVmlinux
          ? `and since ${lp.name} also has a NULL-named (vmlinux) object, both objects get the sysfs directory \`vmlinux\`: ` +
            `kobject_add() fails and klp_enable_patch() returns -EEXIST, so ${lp.name} does not load`
          : `so klp_enable_patch() succeeds but ${neverApplied(obj.funcs.map((f) => f.name))} (no module named vmlinux ever loads: ` +
            `klp_module_coming() refuses that name)`;
        return problem(
          check.id,
          check.severity,
          obj.nameLocation ?? obj.location,
          `.name = "vmlinux" does not mean vmlinux: only NULL does (klp_is_module() tests obj->name). The livepatch core looks for ` +
            `a loaded module named vmlinux, finds none and treats this object as a module that is not loaded, ${consequence}; ` +
            `leave .name out or set it to NULL`,
          {
            related: realVmlinux ? [{ location: realVmlinux.location, message: 'the NULL-named object, also shown as vmlinux' }] : [],
            data: { replacement: 'NULL', ...(realVmlinux ? { hasNullObject: true } : {}) },
          },
        );
      });
    });
  },
  // Beside a NULL-named object the patch does not load at all (-EEXIST, simulated); alone, the object never loads.
  verdict: (p) => (p.data?.hasNullObject ? undefined : { refuses: 'object' }),
  fix: removeVmlinuxName,
};

function removeVmlinuxName(problem: Problem<ObjectNamedVmlinuxData>, source: SourceText): Fix[] {
  // With a NULL-named object beside it, a second NULL one still clashes in sysfs (`vmlinux`
  // twice, kobject_add() fails): its functions belong in that object, a move left to the author.
  if (source.slice(problem.range) !== '"vmlinux"' || problem.data?.hasNullObject) return [];
  const change = nullName(source, problem.range);
  if (!change) return [];
  const title = change.removed ? 'Remove .name = "vmlinux" (NULL means vmlinux)' : 'Replace "vmlinux" with NULL (NULL means vmlinux)';
  return [fixOf(problem, title, change.edits, true)];
}

function neverApplied(funcs: string[]): string {
  if (funcs.length === 0) return "this object's callbacks never run";
  const names = funcs.length > 3 ? `${funcs.slice(0, 3).join(', ')}, ...` : funcs.join(', ');
  return `${names} ${funcs.length === 1 ? 'is' : 'are'} never patched and this object's callbacks never run`;
}
