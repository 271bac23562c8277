// A reference to a symbol a module exports makes the livepatch depend on that module
// (seed 004, case B; reference section 7).
//
// Its fix, "Convert to a klp symbol", makes the reference to a module's export a klp
// relocation, resolved by the livepatch core when the module is there, so that modpost records
// no `depends:` on it.
//
// The declaration it writes is edits/klpSymbol.ts's (SUSE's KLP_RELOC_SYMBOL spelling).
import { problem, type Problem, type RelatedInformation } from '../common/problem';
import { fixOf, type Fix } from '../edits/fix';
import { klpSymbolEdits } from '../edits/klpSymbol';
import type { SourceText } from '../edits/sourceText';
import type { KernelContext } from '../kernel/types';
import type { Livepatch, SymbolReference } from '../model/livepatch';
import { moduleExportUses, objectRunningIn, type ExportUse } from '../model/moduleImports';
import type { Check } from './check';

export interface ExportedSymbolDependencyData {
  symbol: string;
  /** The module that exports it. */
  object: string;
  /** An export is unique in its module. */
  sympos: 0;
  klpSymbol: string;
  /**
   * The patched object whose klp relocation section would hold the reference, written only when
   * it is not the exporting module; null when no patched object is known to run the code.
   */
  relocationObject?: string | null;
}

export const check: Check<ExportedSymbolDependencyData> = {
  id: 'exported-symbol-dependency',
  severity: 'warning',
  title: 'Reference to a symbol exported by a module',
  doc:
    'A livepatch that uses a symbol exported by a module (not by vmlinux) through an ordinary ' +
    'relocation gets `depends: <module>` from modpost: the module loader then loads that module with ' +
    'the livepatch and takes a reference on it, so the module can no longer be unloaded while the ' +
    'livepatch is loaded. That defeats late module patching, where the livepatch core deliberately ' +
    'takes no reference on the modules it patches, and it is worst when the module is one the ' +
    'livepatch patches. Exports of vmlinux are fine. For a hand-written module this is a warning: ' +
    'declare the symbol as a klp symbol (`.klp.sym.<module>.<symbol>,0`, e.g. with KLP_RELOC_SYMBOL) ' +
    'so that the livepatch core resolves it when the module is there. For a patch diff it is ' +
    'information only: kpatch-build and klp-build turn such references into klp relocations themselves.',
  run(ctx) {
    const reported = ctx.memo.get(reportsIn, ctx.kernel);
    return ctx.livepatches.flatMap((lp) => reported(lp, moduleExportUses(ctx.memo, ctx.kernel, lp)));
  },
  fix: convertToKlpSymbol,
};

/**
 * A livepatch's problems, made once for its uses (the same array while the livepatch and the
 * kernel are the same, model/moduleImports.ts): an edit of one livepatch of a series reports
 * that one again, not every other.
 */
const reportsIn = (_kernel: KernelContext) => {
  const made = new WeakMap<readonly ExportUse[], Problem<ExportedSymbolDependencyData>[]>();
  // Each reference's related entry, once per reference: an edited livepatch's other references are the same objects.
  const entries = new WeakMap<SymbolReference, RelatedInformation>();
  const entryOf = (ref: SymbolReference) => {
    let entry = entries.get(ref);
    if (!entry) entries.set(ref, (entry = { location: ref.location, message: `\`${ref.name}\` is also referenced here` }));
    return entry;
  };
  return (lp: Livepatch, uses: readonly ExportUse[]) => {
    let problems = made.get(uses);
    if (!problems) {
      const running = objectRunningIn(lp);
      made.set(uses, (problems = uses.map((use) => report(lp, use, entryOf, running))));
    }
    return problems;
  };
};

function report(
  lp: Livepatch,
  { symbol, object, refs }: ExportUse,
  entryOf: (ref: SymbolReference) => RelatedInformation,
  running: (ref: SymbolReference) => string | undefined,
): Problem<ExportedSymbolDependencyData> {
  const klpSymbol = `.klp.sym.${object}.${symbol},0`;
  const patchedHere = lp.objects.find((o) => o.object === object);
  const related: RelatedInformation[] = [
    ...(patchedHere ? [{ location: patchedHere.location, message: `${lp.name} patches ${object} here` }] : []),
    ...refs.slice(1).map(entryOf),
  ];
  const dependency =
    `\`${symbol}\` is exported by module ${object} (Module.symvers): an ordinary relocation to it makes ` +
    `${lp.name} depend on ${object} (modpost writes \`depends: ${object}\`), so loading ${lp.name} loads ${object} ` +
    `and ${object} cannot be unloaded while ${lp.name} is loaded, which defeats late module patching`;
  const worst = patchedHere
    ? `. Worse, ${lp.name} patches that module: the livepatch core takes no reference on the modules it patches, and this dependency pins ${object} anyway`
    : '';
  const relocation = running(refs[0]);
  // Only when it is not the exporting module itself; null when no patched object is known to run the code.
  const data: ExportedSymbolDependencyData = { symbol, object, sympos: 0, klpSymbol, ...(relocation !== object ? { relocationObject: relocation ?? null } : {}) };
  if (lp.kind === 'diff') {
    return problem(
      check.id,
      'information',
      refs[0].location,
      `${dependency}${worst}. kpatch-build and klp-build turn this reference into the klp symbol \`${klpSymbol}\`, resolved by the livepatch core instead`,
      { related, data },
    );
  }
  return problem(
    check.id,
    check.severity,
    refs[0].location,
    `${dependency}${worst}. Declare it as the klp symbol \`${klpSymbol}\` (e.g. KLP_RELOC_SYMBOL) so that the livepatch core resolves it`,
    { related, data },
  );
}

function convertToKlpSymbol(problem: Problem<ExportedSymbolDependencyData>, source: SourceText): Fix[] {
  if (!problem.data) return [];
  const { symbol, object } = problem.data;
  const relocationObject = relocationObjectOf(problem.data);
  if (!relocationObject || source.slice(problem.range) !== symbol) return [];
  // An export is unique in its module: sympos 0 (the check's data says so).
  const edits = klpSymbolEdits(source, problem.range.start.line, { symbol, object, sympos: 0, relocationObject });
  return edits.length > 0 ? [fixOf(problem, `Convert \`${symbol}\` to a klp symbol (KLP_RELOC_SYMBOL)`, edits)] : [];
}

/**
 * The object whose `.klp.rela.<obj>.*` section holds the reference: the check's
 * `relocationObject` (null when no patched object is known to run the code), the exporting
 * module when it gives none. kernel/livepatch/core.c klp_apply_object_relocs() writes such a
 * section only for an object of the patch, and klp_resolve_symbols() resolves a module symbol
 * for a vmlinux section when the livepatch loads, failing while the module is absent:
 * vmlinux code that needs a module's export keeps the ordinary relocation (no fix).
 */
function relocationObjectOf({ object, relocationObject }: ExportedSymbolDependencyData): string | undefined {
  const given = relocationObject === undefined ? object : relocationObject ?? undefined;
  return given === 'vmlinux' ? undefined : given;
}
