// old_sympos beyond the number of occurrences of the name. Its fix is ambiguous-symbol's: one per occurrence.
import { problem } from '../common/problem';
import { anchorOf } from '../model/livepatch';
import { setSymposToCandidate, type AmbiguousSymbolData } from './ambiguous-symbol';
import type { Check } from './check';
import { lookUpFunctions, refusalConsequence, symbolSeverity, symposCandidates } from './symbolLookup';

export interface SymposNotFoundData extends AmbiguousSymbolData {
  /** How many times the name occurs in its object. */
  count: number;
}

export const check: Check<SymposNotFoundData> = {
  id: 'sympos-not-found',
  severity: 'error',
  title: 'old_sympos is beyond the occurrences of the name',
  doc:
    'A positive `old_sympos` N asks for the N-th occurrence of the name in the object, in the order ' +
    'the livepatch core walks the symbols (kallsyms order for vmlinux, the module\'s symbol table ' +
    'otherwise). When the target kernel has fewer occurrences, kernel/livepatch/core.c ' +
    'klp_find_object_symbol() fails ("symbol position ... not found") and the patch is refused (for a ' +
    'module object: the module is refused when it loads). A name that does not occur at all is ' +
    'reported by unknown-symbol instead.',
  run(ctx) {
    return lookUpFunctions(ctx)
      .filter(({ func, occurrences }) => occurrences.length > 0 && func.sympos > occurrences.length)
      .map(({ livepatch, func, table, occurrences }) => {
        const count = occurrences.length;
        return problem(
          check.id,
          symbolSeverity(livepatch, check.severity),
          func.symposLocation ?? anchorOf(func),
          `old_sympos ${func.sympos} for \`${func.name}\`, but ${func.object} has only ${count} ` +
            `${count === 1 ? 'occurrence' : 'occurrences'} of it (${table.file}): klp_find_object_symbol() ` +
            `(kernel/livepatch/core.c) does not find that position, so ${refusalConsequence(func, livepatch)}`,
          {
            data: {
              object: func.object,
              name: func.name,
              count,
              candidates: symposCandidates(occurrences),
              ...(func.symposLocation ? { oldSympos: { range: func.symposLocation.range, value: func.sympos } } : {}),
            },
          },
        );
      });
  },
  fix: setSymposToCandidate,
};
