import type { Livepatch } from '../model/livepatch';
import type { SimPatch } from '../simulator/types';

/** What the livepatch core sees of a livepatch when klp_enable_patch() runs. */
export function toSimPatch(lp: Livepatch): SimPatch {
  return {
    name: lp.name,
    replace: lp.replace,
    // Diffs and csv rows go through the build tools, which add MODULE_INFO(livepatch, "Y").
    livepatchModinfo: lp.livepatchModinfo ?? true,
    states: lp.states.map((s) => ({ id: s.id, version: s.version })),
    objects: lp.objects.map((o) => ({
      name: o.object,
      funcs: o.funcs.map((f) => ({ name: f.name, sympos: f.sympos })),
      ...(o.hasFuncs ? {} : { missingFuncs: true }),
    })),
  };
}
