// Atomic replace: the nops of kernel/livepatch/core.c klp_add_nops(), and what
// klp_complete_transition() does when a replace patch finishes patching.
import type { KlpFunc, KlpObject } from './types';
import type { LivepatchModule, World } from './world';
import { disableOlder, isModuleObject } from './world';

/**
 * klp_find_func(): the same old_name and the same old_sympos, where 6.1 counts 0 and 1
 * as equal (both name a unique symbol). The reference page says "exactly"; the kernel wins.
 */
const sameSympos = (a: number, b: number) => a === b || (a === 0 && b === 1) || (a === 1 && b === 0);

/** Whether klp_find_func() finds `old` in an object whose funcs' positions by name are `byName`. */
function hasFunc(byName: ReadonlyMap<string, number[]>, old: KlpFunc): boolean {
  return byName.get(old.name)?.some((sympos) => sameSympos(sympos, old.sympos)) ?? false;
}

/**
 * klp_find_object(): the first object that is vmlinux when `old` is, or a module of the same
 * name when `old` is a module (klp_is_module(): a module named "vmlinux" is no vmlinux object).
 */
function findObject(objects: KlpObject[], old: KlpObject): KlpObject | undefined {
  return objects.find((o) => isModuleObject(o) === isModuleObject(old) && o.name === old.name);
}

/**
 * klp_add_nops() / klp_add_object_nops(): for every func of every installed patch that
 * `objects` (the new patch's, modified in place) lacks, a nop func; in a new dynamic
 * object when the new patch has no such object (klp_find_object(), first match).
 * The search covers the nops already added, so each function gets one nop.
 */
export function addNops(objects: KlpObject[], installed: LivepatchModule[]): void {
  // Each object's funcs by name, nops included as they are added: a search per old func was
  // quadratic in a large patch replacing another.
  const funcsOf = new Map<KlpObject, Map<string, number[]>>();
  const byNameOf = (obj: KlpObject) => {
    let byName = funcsOf.get(obj);
    if (!byName) {
      funcsOf.set(obj, (byName = new Map()));
      for (const f of obj.funcs) addFunc(byName, f);
    }
    return byName;
  };
  for (const oldPatch of installed) {
    for (const oldObj of oldPatch.objects) {
      let obj = findObject(objects, oldObj);
      if (!obj) {
        // klp_alloc_object_dynamic(old_obj->name, patch): the same name, NULL or written.
        obj = { name: oldObj.name, funcs: [], dynamic: true, ...(oldObj.namedVmlinux ? { namedVmlinux: true } : {}) };
        objects.push(obj);
      }
      const byName = byNameOf(obj);
      for (const oldFunc of oldObj.funcs) {
        if (hasFunc(byName, oldFunc)) continue;
        const nop = { name: oldFunc.name, sympos: oldFunc.sympos, nop: true };
        obj.funcs.push(nop);
        addFunc(byName, nop);
      }
    }
  }
}

function addFunc(byName: Map<string, number[]>, f: KlpFunc): void {
  const list = byName.get(f.name);
  if (list) list.push(f.sympos);
  else byName.set(f.name, [f.sympos]);
}

/**
 * klp_unpatch_replaced_patches(), klp_discard_nops() and klp_free_replaced_patches_async():
 * every older patch on klp_patches (replace or not) is disabled and leaves every stack;
 * then the new patch's nops leave the stacks and its dynamic objects and nops are freed.
 */
export function completeReplace(world: World, patch: LivepatchModule): void {
  for (const old of disableOlder(world, patch)) {
    old.replacedBy = patch.patch.name;
    for (const obj of old.objects) world.stacks.unpatchObject(old.patch.name, obj);
  }
  for (const obj of patch.objects) world.stacks.unpatchObject(patch.patch.name, obj, true);
  patch.objects = patch.objects
    .filter((o) => !o.dynamic)
    .map((o) => ({ ...o, funcs: o.funcs.filter((f) => !f.nop) }));
}
