// old_sympos 0 for a name that occurs more than once in its object. Its fix, shared with
// sympos-not-found, writes old_sympos: one fix per occurrence of the name in its object.
import { problem, type Problem } from '../common/problem';
import type { Fix } from '../edits/fix';
import { setSympos, type SymposPlace } from '../edits/oldSympos';
import type { SourceText } from '../edits/sourceText';
import { anchorOf } from '../model/livepatch';
import type { Check } from './check';
import { candidateNote, lookUpFunctions, refusalConsequence, symbolSeverity, symposCandidates, type SymposCandidate } from './symbolLookup';

export interface AmbiguousSymbolData extends SymposPlace {
  object: string;
  candidates: SymposCandidate[];
}

export const check: Check<AmbiguousSymbolData> = {
  id: 'ambiguous-symbol',
  severity: 'error',
  title: 'The patched function name is not unique in its object',
  doc:
    'With `old_sympos` 0 (or absent) the livepatch core requires the name to be unique in the ' +
    'object (kernel/livepatch/core.c klp_find_object_symbol(): "unresolvable ambiguity"). When the ' +
    'symbol table of the target kernel has the name more than once (static functions such as ' +
    '`type_show` occur many times in vmlinux), the patch is refused: set `old_sympos` to the ' +
    '1-based position of the intended occurrence: the fixes list each with its address and, when a vmlinux with its symbol table is at hand (a build tree\'s, or Debian\'s linux-image-<release>-dbg), its source file. ' +
    'For a patch diff this is information only: kpatch-build and klp-build compute the position from ' +
    'the object file that defines the function.',
  run(ctx) {
    return lookUpFunctions(ctx)
      .filter(({ func, occurrences }) => func.sympos === 0 && occurrences.length > 1)
      .map(({ livepatch, func, table, occurrences }) => {
        const count = occurrences.length;
        const candidates = symposCandidates(occurrences);
        const head = `\`${func.name}\` occurs ${count} times in ${func.object} (${table.file})`;
        const message =
          livepatch.kind === 'diff'
            ? `${head}; the build tools pick its position from the object file that defines it`
            : `${head} and old_sympos is 0: klp_find_object_symbol() (kernel/livepatch/core.c) refuses it ` +
              `as an unresolvable ambiguity, so ${refusalConsequence(func, livepatch)}; set old_sympos to 1..${count}`;
        return problem(check.id, symbolSeverity(livepatch, check.severity), anchorOf(func), message, {
          data: {
            object: func.object,
            name: func.name,
            candidates,
            ...(func.symposLocation ? { oldSympos: { range: func.symposLocation.range, value: func.sympos } } : {}),
          },
        });
      });
  },
  fix: setSymposToCandidate,
};

/** One fix per candidate, with its source file (when known) and address. */
export function setSymposToCandidate(problem: Problem<AmbiguousSymbolData>, source: SourceText): Fix[] {
  if (!problem.data) return [];
  return setSympos(problem, source, problem.data, problem.data.candidates.map((c) => ({ sympos: c.sympos, note: candidateNote(c) })));
}
