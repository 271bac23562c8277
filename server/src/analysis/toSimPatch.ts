import type { Verdicts } from '../checks/check';
import type { LivepatchExportUse } from '../checks/livepatch-export';
import type { Memo } from '../common/memo';
import type { KernelContext } from '../kernel/types';
import type { Livepatch, PatchedFunction } from '../model/livepatch';
import { moduleExportUses } from '../model/moduleImports';
import type { ModuleImport, SimPatch } from '../simulator/types';

/**
 * What the livepatch core (and the module loader) sees of a livepatch when it loads. A
 * hand-written module imports the module exports it references (model/moduleImports.ts); a diff
 * does not: kpatch-build and klp-build turn such references into klp relocations. Either imports
 * what other livepatch modules of the series export. With the static checks' verdicts: no module
 * at all when the build refuses the diff, and without the functions the build leaves out.
 */
export function toSimPatch(
  lp: Livepatch,
  session?: { kernel: KernelContext; memo: Memo; verdicts?: Verdicts; livepatchExports?: readonly LivepatchExportUse[] },
): SimPatch {
  const fromModules = session && lp.kind === 'module' ? moduleExportUses(session.memo, session.kernel, lp) : [];
  // Exports of other livepatch modules (checks/livepatch-export.ts): the loader needs the exporter loaded.
  const imports: ModuleImport[] = [
    ...fromModules.map((use) => ({ symbol: use.symbol, module: use.object })),
    ...(session?.livepatchExports ?? []).filter((use) => use.user === lp).map((use) => ({ symbol: use.symbol, module: use.exporter.name, livepatch: true })),
  ];
  const verdicts = session?.verdicts;
  const built = (f: PatchedFunction) => verdicts?.functions.get(f)?.role !== 'refused';
  return {
    name: lp.name,
    replace: lp.replace,
    // Diffs and csv rows go through the build tools, which add MODULE_INFO(livepatch, "Y").
    livepatchModinfo: lp.livepatchModinfo ?? true,
    states: lp.states.map((s) => ({ id: s.id, version: s.version })),
    objects: lp.objects.map((o) => ({
      name: o.object,
      // kpatch-build and klp-build write each function's position from the object file that defines it.
      funcs: o.funcs.filter(built).map((f) => ({ name: f.name, sympos: f.sympos, ...(lp.kind === 'diff' ? { symposFromBuild: true } : {}) })),
      ...(o.hasFuncs ? {} : { missingFuncs: true }),
      ...(o.declaredName === 'vmlinux' ? { namedVmlinux: true } : {}),
    })),
    ...(imports.length > 0 ? { imports } : {}),
    ...(verdicts?.unbuilt.get(lp) ? { unbuilt: true } : {}),
  };
}
