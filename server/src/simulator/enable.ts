// Enabling and disabling a patch: kernel/livepatch/core.c klp_enable_patch() /
// __klp_enable_patch(), and enabled_store() / __klp_disable_patch().
//
// Only one patch may be in transition at a time (-EBUSY otherwise), but steps run one
// after another and every transition completes within its step, so klp_transition_patch
// is always NULL when a step starts: -EBUSY cannot happen here.
import { ftraceFailure } from './ftrace';
import {
  failedToEnablePatch,
  failedToPatchObject,
  noEnabledFile,
  notCompatible,
  notLivepatchModule,
  type KernelFailure,
} from './messages';
import { initPatch } from './init';
import { isPatchCompatible } from './states';
import { completeTransition } from './transition';
import type { SimPatch } from './types';
import { addModule, disable, isObjectLoaded, type LivepatchModule, type World } from './world';

/** klp_enable_patch(), run by the livepatch module's init; null when the patch is enabled. */
export function enablePatch(world: World, patch: SimPatch): KernelFailure | null {
  // An object with funcs == NULL is refused without a message.
  if (patch.objects.some((o) => o.missingFuncs)) return { errno: 'EINVAL', log: [] };
  if (!patch.livepatchModinfo) return { errno: 'EINVAL', log: [notLivepatchModule(patch.name)] };
  const installed = world.klpPatches;
  if (!isPatchCompatible(installed.map((m) => m.patch), patch).ok) {
    return { errno: 'EINVAL', log: [notCompatible(patch.name)] };
  }

  const init = initPatch(world, patch);
  if (!init.ok) return init.failure;

  // __klp_enable_patch(): each loaded object is patched in turn; a failure cancels the whole
  // transition (klp_cancel_transition()), so nothing of the patch stays on a stack.
  for (const obj of init.objects) {
    const failure = isObjectLoaded(world, obj) ? ftraceFailure(world, obj) : null;
    if (failure) return { errno: 'EINVAL', log: [failure, failedToPatchObject(obj.name), failedToEnablePatch(patch.name)] };
  }

  // list_add_tail(&patch->list, &klp_patches), then __klp_enable_patch(): the objects whose
  // target is loaded go on the stacks (pre_patch callbacks are not modelled: they succeed).
  const module: LivepatchModule = { patch, objects: init.objects, enabled: true, replacedBy: null, relocated: init.relocated };
  addModule(world, module);
  for (const obj of module.objects) {
    if (isObjectLoaded(world, obj)) world.stacks.patchObject(patch.name, obj);
  }
  completeTransition(world, module, 'patched');
  return null;
}

/**
 * `echo 0 > /sys/kernel/livepatch/<name>/enabled`: enabled_store() then
 * __klp_disable_patch(). Only enabled patches still have that file in 6.1 (a disabled or
 * replaced patch is freed with its directory), so enabled_store()'s -EINVAL for a patch
 * already disabled is never reached, and a disabled patch can never be enabled again.
 */
export function disablePatch(world: World, name: string): string | null {
  const module = world.modulesByName.get(name);
  if (!module?.enabled) return noEnabledFile(name);
  disable(world, module);
  completeTransition(world, module, 'unpatched');
  return null;
}
