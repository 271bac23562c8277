// Livepatch relocations (Documentation/livepatch/module-elf-format.rst). kernel/livepatch/core.c
// klp_apply_section_relocs() writes the sections of one object: klp_resolve_symbols() resolves
// their `.klp.sym.<obj>.<sym>,<pos>` symbols with klp_find_object_symbol(), then
// arch/x86/kernel/module.c apply_relocate_add() writes each place. The vmlinux sections are
// written when the livepatch module loads (kernel/module/main.c apply_relocations()); a module's
// when the patch's object for it is initialised with the module there (klp_init_object_loaded():
// at klp_enable_patch(), or at klp_module_coming()).
//
// Before 6.3 a written place is never cleared: when the patched module goes and comes back, the
// places of its sections still hold the first values and apply_relocate_add() refuses them
// (-ENOEXEC). Linux 6.3 clears them when the module goes (klp_clear_object_relocs(),
// "livepatch,x86: Clear relocation targets on a module removal"; KernelRules, modules.ts).
import { findObjectSymbol } from './sympos';
import type { KernelFailure } from './messages';
import { invalidAccessToVmlinux, invalidRelocationTarget } from './messages';
import type { SimPatch } from './types';
import type { World } from './world';

/**
 * Writes the livepatch relocation sections of `object` of `patch`; the failure, or null when
 * they are written (or there are none). `written` names the objects whose sections this loaded
 * livepatch module wrote before: writing them again is refused.
 */
export function applyKlpRelocations(world: World, patch: SimPatch, object: string, written: ReadonlySet<string>): KernelFailure | null {
  for (const section of patch.klpRelocations ?? []) {
    if (section.object !== object) continue;
    // klp_resolve_symbols()
    for (const sym of section.symbols) {
      if (object !== 'vmlinux' && sym.object === 'vmlinux') return { errno: 'EINVAL', log: [invalidAccessToVmlinux(sym.name)] };
      // klp_find_object_symbol() searches a module's kallsyms only while it is there (the coming
      // module is: it is past MODULE_STATE_UNFORMED).
      const there = sym.object === 'vmlinux' || sym.object === object || !(world.unloadedTargets.has(sym.object) || world.absentModules.has(sym.object));
      const error = there ? findObjectSymbol(world.countSymbol, sym.object, sym.name, sym.sympos) : findObjectSymbol(() => 0, sym.object, sym.name, sym.sympos);
      if (error) return { errno: 'EINVAL', log: [error] };
    }
    // apply_relocate_add(): the first place is already written.
    if (written.has(object) && section.symbols.length > 0) return { errno: 'ENOEXEC', log: [invalidRelocationTarget(section.firstType)] };
  }
  return null;
}

export const hasKlpRelocations = (patch: SimPatch, object: string) => (patch.klpRelocations ?? []).some((s) => s.object === object && s.symbols.length > 0);
