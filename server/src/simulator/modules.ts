// Target modules coming and going: kernel/livepatch/core.c klp_module_coming() and
// klp_module_going(), called by the module loader (kernel/module/main.c).
import { ftraceFailure } from './ftrace';
import {
  failedToApplyPatch,
  failedToInitializeForModule,
  insmodFailed,
  insmodMessage,
  insmodNoFile,
  isLivepatchModule,
  refusingModule,
  rmmodInUseBy,
  rmmodNotLoaded,
  vmlinuxInvalidModuleName,
  type KernelFailure,
} from './messages';
import { applyKlpRelocations, hasKlpRelocations } from './klpRelocations';
import { findObjectSymbol } from './sympos';
import type { KlpObject } from './types';
import type { LivepatchModule, World } from './world';

/** The first object of each enabled patch, oldest patch first, that targets `mod`. */
function objectsFor(world: World, mod: string): Array<{ module: LivepatchModule; obj: KlpObject }> {
  const found: Array<{ module: LivepatchModule; obj: KlpObject }> = [];
  for (const module of world.klpPatches) {
    const obj = module.objects.find((o) => o.name === mod);
    if (obj) found.push({ module, obj });
  }
  return found;
}

/** insmod of a target module; null when it loads. */
export function loadTargetModule(world: World, mod: string): string | null {
  if (mod === 'vmlinux') return insmodMessage(mod, { errno: 'EINVAL', log: [vmlinuxInvalidModuleName] });
  // A module the kernel does not have: there is no .ko to insert.
  if (world.absentModules.has(mod)) return insmodNoFile(mod);
  // add_unformed_module(): a module of that name is already loaded.
  if (!world.unloadedTargets.has(mod) || world.modulesByName.has(mod)) {
    return insmodFailed(mod, 'EEXIST');
  }
  // klp_module_coming() resolves and patches patch by patch and, on a failure, reverts the
  // patches before (klp_cleanup_module_patches_limited()); checking everything first and
  // patching only when all pass leaves the same stacks (the relocations written stay written).
  const targets = objectsFor(world, mod);
  for (const { module, obj } of targets) {
    const name = module.patch.name;
    const refuse = (failure: KernelFailure, after: string) => insmodMessage(mod, { errno: failure.errno, log: [...failure.log, after, refusingModule(name, mod)] });
    // klp_init_object_loaded() writes the object's livepatch relocation sections (a write
    // stays even when a later step fails), then resolves every function of the object...
    const relocation = applyKlpRelocations(world, module.patch, mod, module.relocated);
    if (relocation) return refuse(relocation, failedToInitializeForModule(name, mod, relocation.errno));
    if (hasKlpRelocations(module.patch, mod)) module.relocated.add(mod);
    for (const func of obj.funcs) {
      const error = findObjectSymbol(world.countSymbol, mod, func.name, func.sympos, func.symposFromBuild);
      if (error) return refuse({ errno: 'EINVAL', log: [error] }, failedToInitializeForModule(name, mod, 'EINVAL'));
    }
    // ...then klp_patch_object() attaches them.
    const failure = ftraceFailure(world, obj);
    if (failure) return refuse({ errno: 'EINVAL', log: [failure] }, failedToApplyPatch(name, mod, 'EINVAL'));
  }
  world.unloadedTargets.delete(mod);
  for (const { module, obj } of targets) world.stacks.patchObject(module.patch.name, obj);
  return null;
}

/** rmmod of a target module; null when it unloads. */
export function unloadTargetModule(world: World, mod: string): string | null {
  if (world.modulesByName.has(mod)) return isLivepatchModule(mod);
  if (mod === 'vmlinux' || world.absentModules.has(mod) || world.unloadedTargets.has(mod)) return rmmodNotLoaded(mod);
  // kernel/module/main.c ref_module(): a loaded module that imports from `mod` holds a
  // reference on it, enabled patch or not, so delete_module() refuses (-EWOULDBLOCK).
  const holders = world.modules.filter((m) => m.patch.imports?.some((i) => !i.livepatch && i.module === mod)).map((m) => m.patch.name);
  if (holders.length > 0) return rmmodInUseBy(mod, holders);
  // klp_module_going() / klp_cleanup_module_patches_limited(): each enabled patch's
  // object for the module leaves the stacks; since 6.3 its livepatch relocations are cleared
  // too (klp_clear_object_relocs()), so that the module's next load writes them again.
  world.unloadedTargets.add(mod);
  for (const { module, obj } of objectsFor(world, mod)) {
    world.stacks.unpatchObject(module.patch.name, obj);
    if (world.rules.clearsModuleRelocations) module.relocated.delete(mod);
  }
  return null;
}
