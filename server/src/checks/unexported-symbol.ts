// A hand-written livepatch module references a symbol that nothing exports (Module.symvers) but
// that the kernel has (a symbol table names it): modpost refuses the module
// (scripts/mod/modpost.c: `ERROR: modpost: "sym" [lp.ko] undefined!`), and the module loader
// would too (kernel/module/main.c simplify_symbols(): "Unknown symbol"). Such a symbol is
// reached through a klp relocation, resolved by the livepatch core (kernel/livepatch/core.c
// klp_resolve_symbols()): the fix declares it as a klp symbol (edits/klpSymbol.ts), one per
// position when the object has the name several times.
import { problem, type Problem } from '../common/problem';
import { fixOf, type Fix } from '../edits/fix';
import { klpSymbolEdits } from '../edits/klpSymbol';
import type { SourceText } from '../edits/sourceText';
import type { KernelContext, SymbolEntry } from '../kernel/types';
import type { Livepatch, SymbolReference } from '../model/livepatch';
import { loaderReferences, objectRunningIn } from '../model/moduleImports';
import type { Check } from './check';
import { candidateNote, symposCandidates, type SymposCandidate } from './symbolLookup';

export interface UnexportedSymbolData {
  symbol: string;
  /** The object whose symbol table has it (vmlinux first). */
  object: string;
  /** Each position of the name in that table (sympos 1, 2, ..., or 0 when it is unique), with its address and source file. */
  positions: SymposCandidate[];
  /** The patched object whose code makes the reference (its `.klp.rela.<obj>.*` section). */
  relocationObject: string | null;
}

export const check: Check<UnexportedSymbolData> = {
  id: 'unexported-symbol',
  severity: 'error',
  title: 'Reference to a kernel symbol that nothing exports',
  doc:
    'A module can only link against exported symbols: modpost checks every undefined symbol of the ' +
    'module against Module.symvers and stops with `ERROR: modpost: "<sym>" [<lp>.ko] undefined!` ' +
    '(scripts/mod/modpost.c), and the module loader refuses what nothing exports ' +
    '(kernel/module/main.c simplify_symbols(): "Unknown symbol"). A livepatch reaches an unexported ' +
    'function or variable through a klp relocation instead: a `.klp.rela.<obj>.<section>` section ' +
    'flagged SHF_RELA_LIVEPATCH whose symbol `.klp.sym.<obj>.<sym>,<sympos>` the livepatch core ' +
    'resolves with kallsyms when the object is present (Documentation/livepatch/module-elf-format.rst, ' +
    'kernel/livepatch/core.c klp_resolve_symbols()). The fix declares the symbol as a klp symbol with ' +
    'its object and position (KLP_RELOC_SYMBOL, or KLP_RELOC_SYMBOL_POS when the name occurs several ' +
    'times: one fix per position, with its address and, when a vmlinux with its symbol table is at hand, its source file); the module is then built with klp-convert, or ' +
    'converted with `klp-lens convert` on a stock kernel. A name the kernel does not have at all is ' +
    'not reported here, nor a name the kernel has only as a local symbol unless the module declares ' +
    'it itself (an extern declaration or a prototype: it then means the kernel\'s static function, ' +
    'the commonest klp symbol; otherwise it is as often a header\'s static inline the module compiles ' +
    'itself). Nothing is said without Module.symvers.',
  run(ctx) {
    if (!ctx.kernel.has.symvers) return [];
    // Once per kernel and livepatch: an edit of one livepatch of a series reads that one again, not every other.
    const unexported = ctx.memo.get(unexportedWith, ctx.kernel);
    return ctx.livepatches.filter((lp) => lp.kind === 'module').flatMap((lp) => ctx.memo.get(unexported, lp));
  },
  fix: declareKlpSymbol,
};

const unexportedWith = (kernel: KernelContext) => (lp: Livepatch) => unexportedIn(kernel, lp);

function unexportedIn(kernel: KernelContext, lp: Livepatch): Problem<UnexportedSymbolData>[] {
  const byName = new Map<string, SymbolReference[]>();
  for (const ref of loaderReferences(lp)) {
    if (kernel.exports.has(ref.name)) continue;
    byName.set(ref.name, [...(byName.get(ref.name) ?? []), ref]);
  }
  const running = objectRunningIn(lp);
  return [...byName].flatMap(([symbol, refs]) => {
    const held = holder(kernel, symbol, refs.some((r) => r.declaredInFile));
    if (!held) return [];
    const { object, entries } = held;
    const positions = entries.length === 1 ? [{ sympos: 0, address: entries[0].address }] : symposCandidates(entries);
    const where = entries.length === 1 ? `${object} has it once` : `${object} has it ${entries.length} times (old_sympos 1..${entries.length})`;
    return [
      problem(
        check.id,
        check.severity,
        refs[0].location,
        `\`${symbol}\` is not exported (Module.symvers): modpost stops with "\`${symbol}\` undefined!" and the module does not link; ` +
          `${where}. Declare it as a klp symbol (\`.klp.sym.${object}.${symbol},${positions[0].sympos}\`), resolved by the livepatch core`,
        {
          related: refs.slice(1).map((r) => ({ location: r.location, message: `\`${symbol}\` is also referenced here` })),
          data: { symbol, object, positions, relocationObject: relocationObjectFor(running, refs[0], object) },
        },
      ),
    ];
  });
}

/**
 * The object whose table has the name as a symbol a module could link to: vmlinux first, then
 * the modules; a global symbol (an upper-case kallsyms/System.map type, or any in a .ko), since a
 * local one of that name is as often a header's static inline the module compiles itself, unless
 * the livepatch declares the name itself (`declaredInFile`): then it means the kernel's function,
 * static or not (the commonest klp symbol is a static function of the patched file).
 */
function holder(kernel: KernelContext, name: string, declaredInFile: boolean): { object: string; entries: SymbolEntry[] } | undefined {
  for (const table of kernel.objects.holders(name).map((o) => kernel.objects.get(o))) {
    const entries = table?.byName.get(name);
    if (table && entries && (declaredInFile || entries.some((e) => table.source === 'elf' || /^[A-Z]$/.test(e.type)))) return { object: table.object, entries };
  }
  return undefined;
}

/**
 * The object whose `.klp.rela.<obj>.*` section holds the reference. A vmlinux symbol goes in a
 * vmlinux section (kernel/livepatch/core.c klp_resolve_symbols() refuses a vmlinux symbol in a
 * module-specific section); a module's symbol in that module's section, when the code that
 * uses it patches that module (the only object known to run it), else none.
 */
function relocationObjectFor(running: (ref: SymbolReference) => string | undefined, ref: SymbolReference, object: string): string | null {
  if (object === 'vmlinux') return 'vmlinux';
  return running(ref) === object ? object : null;
}

function declareKlpSymbol(p: Problem<UnexportedSymbolData>, source: SourceText): Fix[] {
  if (!p.data || p.data.relocationObject === null || source.slice(p.range) !== p.data.symbol) return [];
  const { symbol, object, positions, relocationObject } = p.data;
  return positions.flatMap((position) => {
    const sympos = position.sympos;
    const edits = klpSymbolEdits(source, p.range.start.line, { symbol, object, sympos, relocationObject });
    const which = positions.length === 1 ? '' : ` at position ${sympos} (${candidateNote(position)})`;
    return edits.length > 0 ? [fixOf(p, `Declare \`${symbol}\` as a klp symbol of ${object}${which}`, edits, positions.length === 1)] : [];
  });
}
