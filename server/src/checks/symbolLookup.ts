// What klp_find_object_symbol() would find for each klp_func, from the kernel's symbol tables.
import type { Severity } from '../common/problem';
import type { KernelContext, ObjectSymbols, SymbolEntry } from '../kernel/types';
import { functionsOf, type Livepatch, type PatchedFunction } from '../model/livepatch';
import type { CheckContext } from './check';

export interface LookedUpFunction {
  livepatch: Livepatch;
  func: PatchedFunction;
  table: ObjectSymbols;
  /** Every symbol named old_name in the object, in walk order (position n is occurrences[n - 1]). */
  occurrences: SymbolEntry[];
}

/**
 * Every klp_func of the series whose object's symbol table is known. Like
 * kernel/livepatch/core.c klp_find_callback(), it counts every symbol of that name
 * in that object alone, whatever its type.
 */
export function lookUpFunctions(ctx: CheckContext): LookedUpFunction[] {
  const lookUp = ctx.memo.get(lookUpIn, ctx.kernel);
  return ctx.livepatches.flatMap((livepatch) => ctx.memo.get(lookUp, livepatch));
}

/** One livepatch's look-ups, once per kernel and livepatch: several checks ask at every edit. */
const lookUpIn = (kernel: KernelContext) => {
  // And once per klp_func: an edited diff's unchanged functions are the same objects, whose fields cost more to read again than a lookup.
  const found = new WeakMap<PatchedFunction, Pick<LookedUpFunction, 'table' | 'occurrences'> | null>();
  return (livepatch: Livepatch): readonly LookedUpFunction[] => {
    const out: LookedUpFunction[] = [];
    for (const func of functionsOf(livepatch)) {
      let symbols = found.get(func);
      if (symbols === undefined) {
        const table = kernel.objects.get(func.object);
        found.set(func, (symbols = table ? { table, occurrences: table.byName.get(func.name) ?? [] } : null));
      }
      if (symbols) out.push({ livepatch, func, ...symbols });
    }
    return out;
  };
};

/** An occurrence of a name as an old_sympos choice: its position in the walk (1-based), its address, its source file when known. */
export interface SymposCandidate {
  sympos: number;
  address: string;
  sourceFile?: string;
}

export function symposCandidates(occurrences: SymbolEntry[]): SymposCandidate[] {
  return occurrences.map((e, i) => ({ sympos: i + 1, address: e.address, ...(e.sourceFile !== undefined ? { sourceFile: e.sourceFile } : {}) }));
}

/** A candidate as a fix's title or a list names it: `hashtab.c, ffffffff812321d0`, or the address alone. */
export function candidateNote({ address, sourceFile }: Pick<SymposCandidate, 'address' | 'sourceFile'>): string {
  return sourceFile !== undefined ? `${sourceFile}, ${address}` : address;
}

/** What the refusal of klp_find_object_symbol() (kernel/livepatch/core.c klp_init_object_loaded()) costs. */
export function refusalConsequence(f: PatchedFunction, lp: Livepatch): string {
  return f.object === 'vmlinux'
    ? `klp_enable_patch() fails and ${lp.name} does not load`
    : `${lp.name} does not load while ${f.object} is loaded, and loading ${f.object} later is refused (klp_module_coming())`;
}

/**
 * Diffs do not write old_sympos: kpatch-build and klp-build find each function in the
 * object file that defines it and compute its position themselves, so the kernel's
 * lookup rules only inform; for modules and csv rows they decide whether the patch loads.
 */
export function symbolSeverity(lp: Livepatch, forModules: Severity): Severity {
  return lp.kind === 'diff' ? 'information' : forModules;
}
