// The livepatch core's runtime structures as the simulator keeps them between steps.
import type { FuncStacks } from './stack';
import type { FtraceLocator, KlpObject, SimPatch, SymbolCounter } from './types';

/** A livepatch module that is loaded (insmod'ed and not rmmod'ed). */
export interface LivepatchModule {
  patch: SimPatch;
  /** patch->obj_list. */
  objects: KlpObject[];
  /** patch->enabled; in 6.1 an enabled patch is exactly one on the klp_patches list. */
  enabled: boolean;
  replacedBy: string | null;
  /** The objects whose livepatch relocation sections this module's patch wrote (klpRelocations.ts). */
  relocated: Set<string>;
}

export interface World {
  /** Livepatch modules, in load order. */
  modules: LivepatchModule[];
  /** Target modules that are not loaded now; every other module name counts as loaded. */
  unloadedTargets: Set<string>;
  /** Module names the kernel has no module of (SimulationOptions.absentModules). */
  absentModules: ReadonlySet<string>;
  stacks: FuncStacks;
  countSymbol?: SymbolCounter;
  hasFtraceLocation?: FtraceLocator;
}

/** kernel/livepatch/core.c klp_patches: the enabled patches, oldest first. */
export function klpPatches(world: World): LivepatchModule[] {
  return world.modules.filter((m) => m.enabled);
}

/** kernel/livepatch/core.c klp_is_module(): a written name, even "vmlinux", makes the object a module. */
export function isModuleObject(obj: Pick<KlpObject, 'name' | 'namedVmlinux'>): boolean {
  return obj.name !== 'vmlinux' || obj.namedVmlinux === true;
}

/**
 * kernel/livepatch/core.h klp_is_object_loaded(): vmlinux always, a module while loaded. A module
 * named vmlinux never is (klp_module_coming() refuses the name), nor one the kernel does not have.
 */
export function isObjectLoaded(world: World, obj: Pick<KlpObject, 'name' | 'namedVmlinux'>): boolean {
  if (!isModuleObject(obj)) return true;
  return obj.name !== 'vmlinux' && !world.absentModules.has(obj.name) && !world.unloadedTargets.has(obj.name);
}

/** The static objects of a patch, as klp_init_patch_early() lists them. */
export function staticObjects(patch: SimPatch): KlpObject[] {
  return patch.objects.map((o) => ({
    name: o.name,
    funcs: o.funcs.map((f) => ({ name: f.name, sympos: f.sympos, nop: false, ...(f.symposFromBuild ? { symposFromBuild: true } : {}) })),
    dynamic: false,
    ...(o.namedVmlinux ? { namedVmlinux: true } : {}),
  }));
}
