// kernel/livepatch/patch.c klp_patch_object() / klp_patch_func(): the first time a function
// is patched, ftrace must know its location (ftrace_location()); a function without an
// fentry call (notrace, or built without ftrace like kernel/trace/) cannot be patched.
import { shownSympos } from '../model/identity';
import { noFtraceLocation } from './messages';
import type { KlpObject } from './types';
import type { World } from './world';

/**
 * The line klp_patch_object() logs for the first function of `obj` that ftrace cannot attach
 * to, or null. Nops are skipped: their function is already patched (klp_find_ops() finds it),
 * so its location is not looked up again.
 */
export function ftraceFailure(world: World, obj: KlpObject): string | null {
  for (const func of obj.funcs) {
    if (func.nop) continue;
    // klp_find_object_symbol() resolved sympos 0 to the only definition.
    if (world.hasFtraceLocation?.(obj.name, func.name, shownSympos(func.sympos)) === false) {
      return noFtraceLocation(func.name);
    }
  }
  return null;
}
