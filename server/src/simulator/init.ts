// kernel/livepatch/core.c klp_init_patch(), klp_init_object(), klp_init_func() and
// klp_init_object_loaded(): the nops, the sysfs directories and the symbol lookups a
// patch needs before it can be enabled. Nothing here changes the world.
import { shownSympos } from '../model/identity';
import { duplicateDirectory, type KernelFailure } from './messages';
import { hasKlpRelocations, applyKlpRelocations } from './klpRelocations';
import { addNops } from './replace';
import { findObjectSymbol } from './sympos';
import type { KlpObject, SimPatch } from './types';
import { isModuleObject, isObjectLoaded, staticObjects, type World } from './world';

// include/linux/module.h MODULE_NAME_LEN (64 - sizeof(unsigned long)) and
// include/linux/kallsyms.h KSYM_NAME_LEN in 6.1.
const MODULE_NAME_LEN = 56;
const KSYM_NAME_LEN = 512;

// The attribute files already in the directories: klp_patch_attrs (those of every kernel here,
// then the rules' own: KernelRules.patchAttributes) and klp_object_attrs.
const PATCH_ATTRIBUTES = ['enabled', 'transition', 'force'];
const OBJECT_ATTRIBUTES = ['patched'];

const encoder = new TextEncoder();
/** UTF-8 bytes; an ASCII name (nearly all) without encoding it: every load measures every function name. */
const byteLength = (s: string) => (/^[\x00-\x7f]*$/.test(s) ? s.length : encoder.encode(s).length);

/** `relocated`: the objects whose livepatch relocation sections were written (vmlinux's when the module loaded). */
export type InitResult = { ok: true; objects: KlpObject[]; relocated: Set<string> } | { ok: false; failure: KernelFailure };

/** A kobject_add() into a directory that already holds `name` fails with -EEXIST. */
function addDirectory(world: World, entries: Set<string>, parentPath: string, name: string): KernelFailure | null {
  if (entries.has(name)) return { errno: 'EEXIST', log: duplicateDirectory(parentPath, name, world.rules.kobjectLogPrefix) };
  entries.add(name);
  return null;
}

export function initPatch(world: World, patch: SimPatch): InitResult {
  const objects = staticObjects(patch);
  if (patch.replace) addNops(objects, world.klpPatches, world.rules);

  const patchPath = `/kernel/livepatch/${patch.name}`;
  const patchEntries = new Set([...PATCH_ATTRIBUTES, ...world.rules.patchAttributes]);
  const relocated = new Set(hasKlpRelocations(patch, 'vmlinux') ? ['vmlinux'] : []);
  for (const obj of objects) {
    const failure = initObject(world, patch, obj, patchPath, patchEntries, relocated);
    if (failure) return { ok: false, failure };
  }
  return { ok: true, objects, relocated };
}

function initObject(world: World, patch: SimPatch, obj: KlpObject, patchPath: string, patchEntries: Set<string>, relocated: Set<string>): KernelFailure | null {
  if (isModuleObject(obj) && byteLength(obj.name) >= MODULE_NAME_LEN) return { errno: 'EINVAL', log: [] };
  const dirFailure = addDirectory(world, patchEntries, patchPath, obj.name);
  if (dirFailure) return dirFailure;

  // klp_init_func(): the directory is "<func>,<sympos>" with sympos 0 shown as 1.
  const objPath = `${patchPath}/${obj.name}`;
  const objEntries = new Set(OBJECT_ATTRIBUTES);
  for (const func of obj.funcs) {
    if (byteLength(func.name) >= KSYM_NAME_LEN) return { errno: 'EINVAL', log: [] };
    const failure = addDirectory(world, objEntries, objPath, `${func.name},${shownSympos(func.sympos)}`);
    if (failure) return failure;
  }

  // Only an object whose target is loaded is resolved now; the others wait for
  // klp_module_coming().
  if (!isObjectLoaded(world, obj)) return null;
  // klp_init_object_loaded(): a module's livepatch relocation sections first.
  if (isModuleObject(obj)) {
    const failure = applyKlpRelocations(world, patch, obj.name, relocated);
    if (failure) return failure;
    if (hasKlpRelocations(patch, obj.name)) relocated.add(obj.name);
  }
  for (const func of obj.funcs) {
    const error = findObjectSymbol(world.countSymbol, obj.name, func.name, func.sympos, func.symposFromBuild);
    if (error) return { errno: 'EINVAL', log: [error] };
  }
  return null;
}
