import { isDeepStrictEqual } from 'node:util';
import type { Verdicts } from '../checks/check';
import type { LivepatchExportUse } from '../checks/livepatch-export';
import type { Memo } from '../common/memo';
import type { KernelContext } from '../kernel/types';
import type { Livepatch, PatchedFunction } from '../model/livepatch';
import { moduleExportUses } from '../model/moduleImports';
import type { ModuleImport, SimFunction, SimKlpRelaSection, SimPatch } from '../simulator/types';

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
  const unbuilt = verdicts?.unbuilt.get(lp) !== undefined;
  if (!session) return simPatch(lp, lp.replace, built, imports, unbuilt, simFunctionOf(lp));
  // kpatch-build support_klp_replace(): a diff for a kernel without atomic replace is built without it (checks/kernel-lacks-feature.ts).
  const replace = lp.replace && (lp.kind !== 'diff' || session.kernel.capabilities['atomic-replace'].has);
  // The patch of the last analysis while what it was made of is the same: the simulation cache
  // compares the steps, the same patch at once (analysis/simulationCache.ts).
  const refused: PatchedFunction[] = [];
  for (const o of lp.objects) for (const f of o.funcs) if (!built(f)) refused.push(f);
  const inputs: PatchInputs = { kernel: session.kernel, refused, imports, unbuilt };
  const kept = session.memo.get(keptPatch, lp);
  if (kept.last && kept.last.inputs.kernel === inputs.kernel && isDeepStrictEqual(kept.last.inputs, inputs)) return kept.last.patch;
  // The verdicts were just read: not looked up again for every function (most livepatches have none refused).
  const refusedSet = new Set(refused);
  const patch = simPatch(lp, replace, refused.length === 0 ? () => true : (f) => !refusedSet.has(f), imports, unbuilt, (f) => session.memo.get(simFunctionOf(lp), f));
  kept.last = { inputs, patch };
  return patch;
}

/** What toSimPatch() reads besides the livepatch: the functions the build refuses, its imports, whether it refuses the whole patch. */
interface PatchInputs {
  kernel: KernelContext;
  refused: PatchedFunction[];
  imports: ModuleImport[];
  unbuilt: boolean;
}

/** The last patch made of a livepatch, with what it was made of. */
const keptPatch = (_lp: Livepatch): { last?: { inputs: PatchInputs; patch: SimPatch } } => ({});

function simPatch(lp: Livepatch, replace: boolean, built: (f: PatchedFunction) => boolean, imports: ModuleImport[], unbuilt: boolean, simFunction: (f: PatchedFunction) => SimFunction): SimPatch {
  return {
    name: lp.name,
    replace,
    // Diffs and csv rows go through the build tools, which add MODULE_INFO(livepatch, "Y").
    livepatchModinfo: lp.livepatchModinfo ?? true,
    states: lp.states.map((s) => ({ id: s.id, version: s.version })),
    objects: lp.objects.map((o) => ({
      name: o.object,
      // kpatch-build and klp-build write each function's position from the object file that defines it.
      funcs: o.funcs.filter(built).map(simFunction),
      ...(o.hasFuncs ? {} : { missingFuncs: true }),
      ...(o.declaredName === 'vmlinux' ? { namedVmlinux: true } : {}),
    })),
    ...(imports.length > 0 ? { imports } : {}),
    ...(lp.kind === 'module' ? klpRelocationsOf(lp) : {}),
    ...(unbuilt ? { unbuilt: true } : {}),
  };
}

/**
 * A klp_func as the livepatch core sees it: the same object while the function is (an edit of a
 * diff keeps its other files' functions). kpatch-build and klp-build write each function's
 * position from the object file that defines it.
 */
const simFunctionOf = (lp: Livepatch) => (lp.kind === 'diff' ? builtFunction : writtenFunction);
const writtenFunction = (f: PatchedFunction): SimFunction => ({ name: f.name, sympos: f.sympos });
const builtFunction = (f: PatchedFunction): SimFunction => ({ name: f.name, sympos: f.sympos, symposFromBuild: true });

/**
 * The livepatch relocation sections a hand-written module has once built and converted
 * (`klp-lens build`, klpConvert/convert.ts): one per object, its symbols in declaration order.
 * Which relocation comes first is the compiler's business, so its type is not known here.
 */
function klpRelocationsOf(lp: Livepatch): Pick<SimPatch, 'klpRelocations'> {
  const sections = new Map<string, SimKlpRelaSection>();
  for (const k of lp.klpSymbols) {
    if (!k.relocationObject) continue;
    const section = sections.get(k.relocationObject) ?? { object: k.relocationObject, symbols: [] };
    section.symbols.push({ object: k.object, name: k.name, sympos: k.sympos });
    sections.set(k.relocationObject, section);
  }
  return sections.size > 0 ? { klpRelocations: [...sections.values()] } : {};
}
