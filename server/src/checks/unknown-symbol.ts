// old_name absent from its object's symbol table.
import { closestName } from '../common/closestName';
import type { Memo } from '../common/memo';
import { problem, type Problem } from '../common/problem';
import { clonesOf } from '../kernel/symbolClones';
import type { KernelContext, ObjectSymbols } from '../kernel/types';
import { fixOf, type Fix } from '../edits/fix';
import type { SourceText } from '../edits/sourceText';
import type { PatchedFunction } from '../model/livepatch';
import type { Check } from './check';
import { lookUpFunctions, refusalConsequence, symbolSeverity, type LookedUpFunction } from './symbolLookup';

/** The function, its object, and the compiler clones of it that the table has. */
export interface UnknownSymbolData {
  object: string;
  name: string;
  clones: readonly string[];
  /** A name of the table close enough to be what a typo meant (hand-written livepatches only). */
  suggestion?: string;
}

export const check: Check<UnknownSymbolData> = {
  id: 'unknown-symbol',
  severity: 'error',
  title: 'The patched function is not in its object\'s symbol table',
  doc:
    'kernel/livepatch/core.c klp_find_object_symbol() looks the name up in the object\'s symbols ' +
    '(kallsyms for vmlinux, the module\'s own table otherwise); when it is absent ("symbol ... not found ' +
    'in symbol table") the patch is refused (for a module object: the module is refused when it loads). ' +
    'The usual reasons: the function was inlined into its callers, or the compiler emitted it only as a ' +
    'clone with a suffix (`foo.isra.0`, `foo.constprop.0`, `foo.part.0`, `foo.cold`), which the message ' +
    'names when the table has one; or the function lives in another object. Nothing is said when the ' +
    'object\'s symbol table is unknown. For a patch diff this is information only: the build tools ' +
    'patch the callers of an inlined function, or the clone, themselves.',
  run(ctx) {
    const known = ctx.memo.get(reported, ctx.kernel);
    return lookUpFunctions(ctx)
      .filter(({ occurrences }) => occurrences.length === 0)
      .map((found) => {
        // An unchanged function of an unchanged livepatch kind and name keeps its problem: a large patch has hundreds.
        const key = `${found.livepatch.kind}\0${found.livepatch.name}`;
        const last = known.get(found.func);
        if (last?.key === key) return last.problem;
        const made = report(ctx.memo, found);
        known.set(found.func, { key, problem: made });
        return made;
      });
  },
  fix: renameFunction,
};

/** The problems reported so far, per kernel and klp_func (with the kind and name of its livepatch). */
const reported = (_kernel: KernelContext) => new WeakMap<PatchedFunction, { key: string; problem: Problem<UnknownSymbolData> }>();

function report(memo: Memo, { livepatch, func, table }: LookedUpFunction): Problem<UnknownSymbolData> {
  const clones = clonesOf(memo, table, func.name);
  const why =
    clones.length > 0
      ? `the compiler emitted it as ${clones.map((c) => `\`${c}\``).join(', ')} (a clone with a suffix)`
      : 'it may have been inlined into its callers, or live in another object';
  const consequence =
    livepatch.kind === 'diff' ? '' : `: klp_find_object_symbol() (kernel/livepatch/core.c) fails, so ${refusalConsequence(func, livepatch)}`;
  // A diff's functions come from its hunks; a name written by hand may be a typo.
  const suggestion = livepatch.kind === 'diff' || clones.length > 0 ? undefined : closestName(func.name, likelyNames(table, func.name));
  return problem(
    check.id,
    symbolSeverity(livepatch, check.severity),
    func.nameLocation ?? func.location,
    `\`${func.name}\` is not in the symbol table of ${func.object} (${table.file})${consequence}; ${why}${suggestion ? `. Did you mean \`${suggestion}\`?` : ''}`,
    { data: { object: func.object, name: func.name, clones, ...(suggestion ? { suggestion } : {}) } },
  );
}

/** The table's names that share the typo's first or last two characters: a typo rarely hits both ends, and vmlinux has 150,000 names. */
function likelyNames(table: ObjectSymbols, name: string): string[] {
  const head = name.slice(0, 2);
  const tail = name.slice(-2);
  return [...table.byName.keys()].filter((n) => n.startsWith(head) || n.endsWith(tail));
}

/** "Change to `version_proc_show`": the name in the string literal (or csv cell) replaced. */
function renameFunction(p: Problem<UnknownSymbolData>, source: SourceText): Fix[] {
  const { name, suggestion } = p.data ?? {};
  if (!name || !suggestion) return [];
  const written = source.slice(p.range);
  const newText = written === JSON.stringify(name) ? JSON.stringify(suggestion) : written === name ? suggestion : undefined;
  return newText === undefined ? [] : [fixOf(p, `Change to \`${suggestion}\``, [{ range: p.range, newText }], false)];
}
