// The state after a step, as `klp-lens state --format json` prints it.
import { functionKey, shownSympos } from '../model/identity';
import type { FunctionStatus, PatchStatus } from './types';
import type { World } from './world';

export function patchStatuses(world: World): PatchStatus[] {
  return world.modules.map((m) => ({
    name: m.patch.name,
    replace: m.patch.replace,
    enabled: m.enabled,
    replacedBy: m.replacedBy,
  }));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every function a loaded patch names, once per (object, name, sympos as sysfs shows it),
 * ordered by object, name and sympos; with its stack and the patch whose code runs
 * (none when the stack is empty or a nop is on top).
 */
export function functionStatuses(world: World): FunctionStatus[] {
  const seen = new Map<string, FunctionStatus>();
  for (const m of world.modules) {
    for (const obj of m.patch.objects) {
      for (const func of obj.funcs) {
        const sympos = shownSympos(func.sympos);
        const key = functionKey({ object: obj.name, name: func.name, sympos });
        if (seen.has(key)) continue;
        const stack = world.stacks.stack(obj.name, func.name, sympos);
        const top = stack[0];
        seen.set(key, {
          object: obj.name,
          name: func.name,
          sympos,
          stack: stack.map((e) => e.patch),
          active: top && !top.nop ? top.patch : null,
        });
      }
    }
  }
  return [...seen.values()].sort(
    (a, b) => compare(a.object, b.object) || compare(a.name, b.name) || a.sympos - b.sympos,
  );
}
