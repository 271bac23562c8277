// The livepatch core's runtime structures as the simulator keeps them between steps.
import type { FuncStacks } from './stack';
import type { FtraceLocator, KernelRules, KlpObject, SimPatch, SymbolCounter } from './types';

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
  /** Livepatch modules, in load order (loaded and unloaded through addModule() and removeModule()). */
  modules: LivepatchModule[];
  /** The same by name: the loader refuses a second module of a name. */
  modulesByName: Map<string, LivepatchModule>;
  /**
   * kernel/livepatch/core.c klp_patches: the enabled patches, oldest first (a patch is enabled
   * only by its load, so this is their load order). Kept as the kernel keeps it, so that a step
   * reads no more than the patches it concerns.
   */
  klpPatches: LivepatchModule[];
  /** Target modules that are not loaded now; every other module name counts as loaded. */
  unloadedTargets: Set<string>;
  /** Module names the kernel has no module of (SimulationOptions.absentModules). */
  absentModules: ReadonlySet<string>;
  stacks: FuncStacks;
  countSymbol?: SymbolCounter;
  hasFtraceLocation?: FtraceLocator;
  rules: KernelRules;
}

/** A world before the first step. */
export function newWorld(fields: Omit<World, 'modules' | 'modulesByName' | 'klpPatches'>): World {
  return { modules: [], modulesByName: new Map(), klpPatches: [], ...fields };
}

/** The module loaded with its patch enabled (klp_enable_patch(): list_add_tail(&patch->list, &klp_patches)). */
export function addModule(world: World, module: LivepatchModule): void {
  world.modules.push(module);
  world.modulesByName.set(module.patch.name, module);
  world.klpPatches.push(module);
}

/** The patches of klp_patches older than `module`, disabled (a replace patch's transition done). */
export function disableOlder(world: World, module: LivepatchModule): LivepatchModule[] {
  const older = world.klpPatches.splice(0, world.klpPatches.indexOf(module));
  for (const old of older) old.enabled = false;
  return older;
}

/** The module's patch disabled (list_del(&patch->list) in klp_free_patch_start()). */
export function disable(world: World, module: LivepatchModule): void {
  module.enabled = false;
  world.klpPatches.splice(world.klpPatches.indexOf(module), 1);
}

/** rmmod of a livepatch module whose patch is disabled. */
export function removeModule(world: World, module: LivepatchModule): void {
  world.modules.splice(world.modules.indexOf(module), 1);
  world.modulesByName.delete(module.patch.name);
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
