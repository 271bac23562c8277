// A hunk that adds or removes lines shifts the __LINE__ of every later function that expands
// it (model/lineShifts.ts): kpatch-build finds those functions changed and patches them too,
// or fails when one cannot be patched. klp-build neutralises it with `#line` directives
// (scripts/livepatch/fix-patch-lines); the quick fix writes the same directive into the patch.
import { problem } from '../common/problem';
import { fixOf, type Fix } from '../edits/fix';
import { pinnedHunkAt } from '../edits/linePins';
import type { SourceText } from '../edits/sourceText';
import type { StaticCheck } from './check';

export interface LineShiftData {
  /** The later functions whose __LINE__ expansions move. */
  functions: string[];
  delta: number;
}

export const check: StaticCheck<LineShiftData> = {
  id: 'line-shift',
  severity: 'warning',
  title: 'A hunk shifts the line numbers of later functions that expand __LINE__',
  doc:
    'WARN(), BUG(), might_sleep() and the lockdep assertions embed the line they are written on in the ' +
    'code or in the bug table. A hunk that adds or removes lines moves every function after it in the ' +
    'file, so those functions compile differently although their source did not change: kpatch-build ' +
    'finds them changed (create-diff-object.c recognises only some line-only changes) and patches them ' +
    'too, or fails when one cannot be patched; kpatch\'s warn-detect-FAIL test is this case. klp-build ' +
    'avoids it by adding a `#line N` directive after each change (scripts/livepatch/fix-patch-lines), ' +
    'which keeps the lines after it at their original numbers. The quick fix adds that directive to the ' +
    'hunk. The check needs the original source (klpLens.kernel.sourceDir, --source) to know the later functions.',
  run(ctx) {
    return ctx.livepatches.flatMap((lp) =>
      (lp.diff?.files ?? []).flatMap((file) =>
        (file.lineShifts ?? []).map((shift) => {
          const names = shift.functions.map((f) => `\`${f}\``);
          const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
          const lines = `${Math.abs(shift.delta)} line${Math.abs(shift.delta) === 1 ? '' : 's'}`;
          return problem(
            check.id,
            check.severity,
            shift.location,
            `this hunk ${shift.delta > 0 ? 'adds' : 'removes'} ${lines}, which moves the __LINE__ that later functions of ${file.path} ` +
              `expand (WARN/BUG/might_sleep/lockdep): ${shown} compile differently though unchanged; kpatch-build patches them too. ` +
              'Add a `#line` directive after the change (klp-build\'s fix-patch-lines does)',
            { data: { functions: shift.functions, delta: shift.delta } },
          );
        }),
      ),
    );
  },
  // Nothing is refused: the functions are patched too, or kept by the #line directive.
  verdict: () => undefined,
  fix: pinHunk,
  fixes: 'diff',
};

/** The hunk at the problem's @@ line with `#line` directives after its change groups (edits/linePins.ts). */
function pinHunk(p: { code: string; file: string; range: { start: { line: number } } }, source: SourceText): Fix[] {
  const lines: string[] = [];
  for (let n = 0; n < source.lineCount; n++) lines.push(source.line(n));
  const at = p.range.start.line;
  const pinned = pinnedHunkAt(lines, at);
  if (!pinned || pinned.lines.length === pinned.end - at) return [];
  const edit = { range: { start: { line: at, character: 0 }, end: { line: pinned.end, character: 0 } }, newText: pinned.lines.map((l) => `${l}${source.eol}`).join('') };
  return [fixOf(p, 'Add #line directives after the changes of this hunk (as klp-build does)', [edit], true)];
}
