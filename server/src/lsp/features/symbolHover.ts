// Hover on a symbol a livepatch uses: who exports it (Module.symvers) and the klp symbol
// that would resolve it (Documentation/livepatch/module-elf-format.rst:
// `.klp.sym.<objname>.<symbol>,<sympos>`); on a klp symbol the livepatch declares:
// whether the livepatch core can resolve it.
import { functionsOf, type KlpSymbolDeclaration, type Livepatch } from '../../model/livepatch';
import { findObjectSymbol } from '../../simulator/sympos';
import type { AnalysisView } from '../view';
import { code } from './links';
import type { SymbolTarget } from './livepatchTargets';

export function symbolMarkdown(view: AnalysisView, target: SymbolTarget): string {
  return target.kind === 'reference'
    ? referenceMarkdown(view, target.livepatch, target.reference.name)
    : klpSymbolMarkdown(view, target.symbol);
}

const klpSymbol = (object: string, name: string, sympos: number | string) => `.klp.sym.${object}.${name},${sympos}`;

function referenceMarkdown(view: AnalysisView, lp: Livepatch, name: string): string {
  const { kernel } = view;
  const head = `**${code(name)}**`;
  if (functionsOf(lp).some((f) => f.newFunc === name)) return `${head}: defined by ${code(lp.name)} itself`;
  const exported = kernel.exports.get(name);
  if (exported?.object === 'vmlinux') {
    return `${head}: exported by ${code('vmlinux')} (${exported.exportType}, Module.symvers)\n\nThe module loader resolves it: no klp symbol is needed.`;
  }
  if (exported) {
    return (
      `${head}: exported by module ${code(exported.object)} (${exported.exportType}, ${code(exported.path)} in Module.symvers)\n\n` +
      `klp symbol: ${code(klpSymbol(exported.object, name, 0))}, resolved by the livepatch core when ${exported.object} is loaded; ` +
      `an ordinary relocation would make ${lp.name} depend on ${exported.object}`
    );
  }
  const notExported = kernel.has.symvers ? 'not exported (Module.symvers)' : 'Module.symvers is not known';
  const holder = holdingObject(view, lp, name);
  if (!holder) {
    const why = kernel.objects.size > 0 ? 'in no symbol table klp-lens has' : 'no symbol table of the kernel is known';
    return `${head}: ${notExported}; ${why}`;
  }
  const { object, count } = holder;
  const symbol =
    count === 1
      ? `klp symbol: ${code(klpSymbol(object, name, 0))}`
      : `${count} symbols named ${code(name)} in ${object}: the klp symbol needs the position of the one meant, ${code(klpSymbol(object, name, `<1..${count}>`))}`;
  return `${head}: ${notExported}; in the symbol table of ${object}\n\n${symbol}`;
}

/** The object whose symbol table has `name`: one the livepatch patches first, then vmlinux, then any module. */
function holdingObject(view: AnalysisView, lp: Livepatch, name: string): { object: string; count: number } | undefined {
  const order = [...lp.objects.map((o) => o.object), ...view.kernel.objects.holders(name)];
  for (const object of order) {
    const count = view.kernel.objects.get(object)?.byName.get(name)?.length ?? 0;
    if (count > 0) return { object, count };
  }
  return undefined;
}

function klpSymbolMarkdown(view: AnalysisView, k: KlpSymbolDeclaration): string {
  const head = `**klp symbol ${code(klpSymbol(k.object, k.name, k.sympos))}**`;
  const table = view.kernel.objects.get(k.object);
  if (!table) return `${head}: the symbol table of ${k.object} is not known`;
  // kernel/livepatch/core.c klp_resolve_symbols() looks each klp symbol up with klp_find_object_symbol().
  const failure = findObjectSymbol((_, name) => table.byName.get(name)?.length ?? 0, k.object, k.name, k.sympos);
  return failure ? `${head}: the livepatch core cannot resolve it:\n\n${code(failure)}` : `${head}: resolves in ${k.object} (${table.file})`;
}
