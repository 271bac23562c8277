// What a livepatch module takes from other modules through ordinary relocations: each symbol a
// module (not vmlinux) exports (Module.symvers) that the livepatch's code references and neither
// declares as a klp symbol nor defines itself. modpost records `depends:` on those modules
// (scripts/mod/modpost.c), and the loader needs them loaded and pins them
// (kernel/module/main.c resolve_symbol(), ref_module()).
import type { Memo } from '../common/memo';
import type { KernelContext } from '../kernel/types';
import { functionsOf, type Livepatch, type PatchedFunction, type SymbolReference } from './livepatch';

export interface ExportUse {
  symbol: string;
  /** The module that exports it. */
  object: string;
  refs: SymbolReference[];
}

/**
 * The references the module loader resolves when the livepatch loads: all but its klp symbols
 * (the livepatch core resolves those) and the names the livepatch defines itself (its new
 * functions and its exports).
 */
export function loaderReferences(lp: Livepatch): SymbolReference[] {
  const own = ownNames(lp);
  return lp.references.filter((ref) => !own.has(ref.name));
}

/**
 * The names a livepatch resolves itself: its klp symbols, its exports, its new functions; with
 * `among`, those of them only, and `newFuncsIn`, a diff's new functions file by file when that
 * asks less than a pass over its functions (Livepatch.functionParts).
 */
function ownNames(lp: Livepatch, among?: ReadonlySet<string>, newFuncsIn?: (part: readonly PatchedFunction[]) => ReadonlySet<string>): Set<string> {
  // Loops, not spread arrays: every analysis asks this of every livepatch of the series, twice.
  const own = new Set<string>();
  const add = (name: string) => {
    if (among === undefined || among.has(name)) own.add(name);
  };
  for (const k of lp.klpSymbols) {
    add(k.name);
    add(k.localName ?? k.name);
  }
  for (const e of lp.exports) add(e.name);
  const parts = lp.functionParts;
  // The functions counted only when there are parts to take instead (not for loaderReferences()).
  if (among && newFuncsIn && parts && among.size * parts.length < parts.reduce((n, part) => n + part.length, 0)) {
    for (const part of parts) {
      const names = newFuncsIn(part);
      for (const name of among) if (names.has(name)) own.add(name);
    }
  } else for (const o of lp.objects) for (const f of o.funcs) if (f.newFunc) add(f.newFunc);
  return own;
}

/**
 * The livepatch's loader references to module exports, by symbol; once per kernel and
 * livepatch in a session (analyze() gives them to the simulator, a check reports them).
 */
export function moduleExportUses(memo: Memo, kernel: KernelContext, lp: Livepatch): readonly ExportUse[] {
  return memo.get(memo.get(usesIn, kernel), lp);
}

const usesIn = (kernel: KernelContext) => {
  // Per list of references (a diff's are per file, Livepatch.referenceParts), the uses it makes,
  // by symbol: an edit looks up the names of the files it changed.
  const usesInList = new WeakMap<readonly SymbolReference[], ReadonlyMap<string, ExportUse>>();
  const listUses = (refs: readonly SymbolReference[]): ReadonlyMap<string, ExportUse> => {
    let found = usesInList.get(refs);
    if (found) return found;
    const made = new Map<string, ExportUse>();
    for (const ref of refs) {
      const object = kernel.exports.get(ref.name)?.object;
      if (!object || object === 'vmlinux') continue;
      const use = made.get(ref.name) ?? { symbol: ref.name, object, refs: [] };
      use.refs.push(ref);
      made.set(ref.name, use);
    }
    usesInList.set(refs, (found = made));
    return found;
  };
  // Per list of a diff's functions (Livepatch.functionParts), their new functions' names.
  const newFuncsInPart = new WeakMap<readonly PatchedFunction[], ReadonlySet<string>>();
  const newFuncsIn = (part: readonly PatchedFunction[]): ReadonlySet<string> => {
    let names = newFuncsInPart.get(part);
    if (!names) newFuncsInPart.set(part, (names = new Set(part.flatMap((f) => (f.newFunc ? [f.newFunc] : [])))));
    return names;
  };
  return (lp: Livepatch): readonly ExportUse[] => {
    // The loader references (loaderReferences()) that a module exports: the exports looked up
    // first, since few references are a module's, then the livepatch's own names among them.
    // Most lists use no module export: only the others are walked.
    const lists = (lp.referenceParts ?? [lp.references]).map(listUses).filter((list) => list.size > 0);
    const symbols = new Set<string>();
    for (const list of lists) for (const symbol of list.keys()) symbols.add(symbol);
    if (symbols.size === 0) return [];
    const own = ownNames(lp, symbols, newFuncsIn);
    const uses = new Map<string, ExportUse>();
    for (const list of lists) {
      for (const [symbol, { object, refs }] of list) {
        if (own.has(symbol)) continue;
        const use = uses.get(symbol) ?? { symbol, object, refs: [] };
        for (const ref of refs) use.refs.push(ref);
        uses.set(symbol, use);
      }
    }
    return [...uses.values()];
  };
};

/**
 * The patched object whose code makes a reference, and so whose klp relocation section
 * (`.klp.rela.<obj>.*`) would hold it: the object of the klp_func whose new_func makes it, else
 * the only object the livepatch patches. kernel/livepatch/core.c klp_apply_object_relocs() writes
 * such sections only for the patch's own objects, so a klp symbol needs one (the klp-symbol
 * quick fixes read it). Asked per module export used and per unexported symbol: the first
 * SEARCHES look-ups search the functions (a search stops at the first match, and an index of a
 * large diff's 2,936 functions costs more than a few), the later ones an index made once.
 */
export function objectRunningIn(lp: Livepatch): (ref: SymbolReference) => string | undefined {
  const objects = new Set(lp.objects.map((o) => o.object));
  const only = objects.size === 1 ? [...objects][0] : undefined;
  let searches = 0;
  let byNewFunc: Map<string, string> | undefined;
  return ({ inFunction }) => {
    if (inFunction === undefined) return only;
    if (!byNewFunc && ++searches <= SEARCHES) return functionsOf(lp).find((f) => f.newFunc === inFunction)?.object ?? only;
    if (!byNewFunc) {
      byNewFunc = new Map();
      for (const f of functionsOf(lp)) {
        const name = f.newFunc;
        if (name !== undefined && !byNewFunc.has(name)) byNewFunc.set(name, f.object);
      }
    }
    return byNewFunc.get(inFunction) ?? only;
  };
}

const SEARCHES = 8;
