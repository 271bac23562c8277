// A static local variable removed or renamed in a changed function (kpatch
// doc/patch-author-guide.md, "Removing references to static local variables").
import type { Memo } from '../common/memo';
import { problem, type Problem } from '../common/problem';
import type { CToken } from '../syntax/cLine';
import { lineLocation, sideLines, type TokenizedLine } from '../syntax/hunkLines';
import { refusesThePatch, type StaticCheck } from './check';
import { movedProblem, perFunction } from './diffFileResults';
import type { DiffFunction } from './diffFunctions';

export interface StaticLocalChangeData {
  function: string;
  /** The static local variable removed. */
  variable: string;
}

export const check: StaticCheck<StaticLocalChangeData> = {
  id: 'static-local-change',
  severity: 'error',
  title: 'A static local variable is removed or renamed in a changed function',
  doc:
    'A static local variable lives as long as the kernel, like a global: the patched function must keep ' +
    'using the one the original function has used so far, not a fresh copy starting from zero. kpatch-build ' +
    'correlates the static locals of the old and new function by name, and refuses the patch when the new ' +
    'function no longer references one the old function used. Keep the declaration (and a reference to the ' +
    'variable, e.g. through a harmless read the compiler cannot drop) in the patched function, under its ' +
    'old name. The check sees declarations in the hunks; a reference removed while the declaration stays ' +
    'is not detected.',
  run(ctx) {
    return perFunction(ctx, check.id, false, (f) => problemsOf(ctx.memo, f), movedProblem);
  },
  // kpatch-build and klp-build make no module of the patch.
  verdict: refusesThePatch,
};

function problemsOf(memo: Memo, f: DiffFunction): Problem<StaticLocalChangeData>[] {
  const removed = staticLocals(memo, f, 'old', 'remove');
  if (removed.length === 0) return [];
  const kept = new Set(staticLocals(memo, f, 'new', 'add').map((s) => s.name.text));
  const added = [...kept];
  return removed
    .filter((s) => !kept.has(s.name.text))
    .map(({ name, line }) =>
      problem(
        check.id,
        check.severity,
        lineLocation(f.lp.file, line.line, name),
        `the static local variable \`${name.text}\` of \`${f.name}\` is removed` +
          (added.length > 0 ? ` (renamed? ${f.name} now declares ${added.map((a) => `\`${a}\``).join(', ')})` : '') +
          `: its value lives on in the running kernel and the patched ${f.name} must keep using it; kpatch-build ` +
          'refuses a patched function that no longer references a static local of the original. Keep the ' +
          'declaration under its old name',
        { data: { function: f.name, variable: name.text } },
      ),
    );
}

interface StaticLocal {
  name: CToken;
  line: TokenizedLine;
}

/** The static locals declared on the function's lines of kind `kind` (on one side of its hunks). */
function staticLocals(memo: Memo, f: DiffFunction, side: 'old' | 'new', kind: 'add' | 'remove'): StaticLocal[] {
  return f.appearances.flatMap(({ hunk, fn }) => {
    const mine = new Set(fn.lines ?? []);
    return sideLines(memo, hunk, side)
      .filter((tl) => tl.line.kind === kind && mine.has(tl.line.patchLine) && !tl.preprocessor && /^\s/.test(tl.line.text))
      .flatMap((line) => declaredStatics(line.tokens).map((name) => ({ name, line })));
  });
}

/** `static int a, b = 1;`, `static DEFINE_MUTEX(lock);`: the names declared, or none when not a static declaration. */
function declaredStatics(tokens: readonly CToken[]): CToken[] {
  if (tokens[0]?.text !== 'static') return [];
  if (/^(DEFINE|DECLARE)_\w+$/.test(tokens[1]?.text ?? '') && tokens[2]?.text === '(' && tokens[3]?.kind === 'ident') return [tokens[3]];
  const names: CToken[] = [];
  let depth = 0;
  let inInitializer = false;
  for (const [i, t] of tokens.entries()) {
    if (t.text === '(' || t.text === '{' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === '}' || t.text === ']') depth--;
    else if (depth === 0 && t.text === '=') inInitializer = true;
    else if (depth === 0 && t.text === ',') inInitializer = false;
    const next = tokens[i + 1]?.text;
    if (!inInitializer && depth === 0 && t.kind === 'ident' && (next === ';' || next === ',' || next === '=' || next === '[')) names.push(t);
  }
  return names;
}
