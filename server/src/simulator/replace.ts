// Atomic replace: the nops of kernel/livepatch/core.c klp_add_nops(), and what
// klp_complete_transition() does when a replace patch finishes patching.
import { functionKey } from '../model/identity';
import type { KernelRules, KlpFunc, KlpObject } from './types';
import type { LivepatchModule, World } from './world';
import { disableOlder, isModuleObject } from './world';

/**
 * klp_find_func() looks for the same old_name and the same old_sympos; since "livepatch: Match
 * old_sympos 0 and 1 in klp_find_func()" (6.19, backported to 6.12.64 and Debian's 6.1) 0 and 1
 * count as equal (both name a unique symbol): the same function key (model/identity.ts).
 * Before, a replace patch writing 1 got a nop for an earlier patch's 0, and both made the sysfs
 * entry `<func>,1` (-EEXIST).
 */
const keyIn = (rules: KernelRules) => (obj: KlpObject, f: KlpFunc) =>
  rules.symposZeroIsOne ? functionKey({ object: obj.name, name: f.name, sympos: f.sympos }) : `${obj.name}:${f.name},${f.sympos}`;

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
export function addNops(objects: KlpObject[], installed: LivepatchModule[], rules: KernelRules): void {
  const keyOf = keyIn(rules);
  // Each object's function keys, nops included as they are added: a search per old func was
  // quadratic in a large patch replacing another.
  const keysOf = new Map<KlpObject, Set<string>>();
  const keys = (obj: KlpObject) => {
    let found = keysOf.get(obj);
    if (!found) keysOf.set(obj, (found = new Set(obj.funcs.map((f) => keyOf(obj, f)))));
    return found;
  };
  for (const oldPatch of installed) {
    for (const oldObj of oldPatch.objects) {
      let obj = findObject(objects, oldObj);
      if (!obj) {
        // klp_alloc_object_dynamic(old_obj->name, patch): the same name, NULL or written.
        obj = { name: oldObj.name, funcs: [], dynamic: true, ...(oldObj.namedVmlinux ? { namedVmlinux: true } : {}) };
        objects.push(obj);
      }
      const found = keys(obj);
      for (const oldFunc of oldObj.funcs) {
        const key = keyOf(obj, oldFunc);
        if (found.has(key)) continue;
        obj.funcs.push({ name: oldFunc.name, sympos: oldFunc.sympos, nop: true });
        found.add(key);
      }
    }
  }
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
