// What a livepatch module takes from other modules through ordinary relocations: each symbol a
// module (not vmlinux) exports (Module.symvers) that the livepatch's code references and neither
// declares as a klp symbol nor defines itself. modpost records `depends:` on those modules
// (scripts/mod/modpost.c), and the loader needs them loaded and pins them
// (kernel/module/main.c resolve_symbol(), ref_module()).
import { functionsOf, type Livepatch, type SymbolReference } from './livepatch';

export interface ExportUse {
  symbol: string;
  /** The module that exports it. */
  object: string;
  refs: SymbolReference[];
}

/** References to module exports that the livepatch neither declares as klp symbols nor defines itself, by symbol. */
export function moduleExportUses(lp: Livepatch, exporterOf: (name: string) => string | undefined): ExportUse[] {
  const declared = new Set(lp.klpSymbols.flatMap((k) => [k.name, k.localName ?? k.name]));
  const defined = new Set(functionsOf(lp).flatMap((f) => (f.newFunc ? [f.newFunc] : [])));
  const uses = new Map<string, ExportUse>();
  for (const ref of lp.references) {
    const object = exporterOf(ref.name);
    if (!object || object === 'vmlinux' || declared.has(ref.name) || defined.has(ref.name)) continue;
    const use = uses.get(ref.name) ?? { symbol: ref.name, object, refs: [] };
    use.refs.push(ref);
    uses.set(ref.name, use);
  }
  return [...uses.values()];
}
