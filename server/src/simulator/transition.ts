// kernel/livepatch/transition.c klp_try_complete_transition() / klp_complete_transition().
// The simulator completes every transition at once: no task sleeps on a patched function.
import { completeReplace } from './replace';
import type { LivepatchModule, World } from './world';

export function completeTransition(world: World, patch: LivepatchModule, target: 'patched' | 'unpatched'): void {
  if (target === 'patched') {
    if (patch.patch.replace) completeReplace(world, patch);
    return;
  }
  // Unpatching: the patch's funcs leave every stack (klp_unpatch_objects()); the patch,
  // already marked disabled, is freed (klp_free_patch_async()) and its module reference
  // dropped, so rmmod works from now on.
  for (const obj of patch.objects) world.stacks.unpatchObject(patch.patch.name, obj);
}
