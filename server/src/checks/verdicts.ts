// The one place that decides what will not take effect before the series is simulated: the
// static checks' problems, each read through its check's verdict() and tied to the livepatch,
// object or function it concerns, and the reading's own warning that a diff file's object is
// unknown (its functions are patched nowhere). The simulation leaves that out (analysis/toSimPatch.ts), the
// checks that read the series skip it, and every shell shows the problem's words as the reason.
import type { Problem } from '../common/problem';
import type { Range } from '../common/range';
import { functionsOf, type Livepatch, type PatchedFunction } from '../model/livepatch';
import type { FunctionVerdict, StaticCheck, Verdicts } from './check';

/** A static check's problem (severity overrides aside: a silenced check still decides). */
export interface Judged {
  check: StaticCheck;
  problem: Problem;
}

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

export function verdictsOf(livepatches: readonly Livepatch[], judged: readonly Judged[]): Verdicts {
  const unbuilt = new Map<Livepatch, Problem>();
  const functions = new Map<PatchedFunction, FunctionVerdict>();
  const absent = new Set<string>();
  const setFunction = (f: PatchedFunction, verdict: FunctionVerdict) => {
    if (!functions.has(f)) functions.set(f, verdict);
  };
  for (const { check, problem } of judged) {
    const verdict = check.verdict(problem);
    if (!verdict) continue;
    // A problem lies in the file of the livepatch it judges (a file loaded twice is judged the same twice).
    for (const lp of livepatches.filter((l) => l.file === problem.file)) {
      if (verdict.refuses === 'patch') {
        if (!unbuilt.has(lp)) unbuilt.set(lp, problem);
      } else if (verdict.refuses === 'function') {
        const left = functionsOf(lp).filter((f) => f.sourceFile === verdict.file && (f.sourceFunction ?? f.name) === verdict.name);
        for (const f of left) setFunction(f, { role: 'refused', problem });
      } else {
        for (const obj of lp.objects.filter((o) => sameRange((o.nameLocation ?? o.location).range, problem.range))) {
          if (obj.declaredName !== 'vmlinux') absent.add(obj.object);
          for (const f of obj.funcs) setFunction(f, { role: 'never', problem });
        }
      }
    }
  }
  for (const lp of livepatches) {
    for (const { file, problem } of unknownObjects(lp)) {
      absent.add(UNKNOWN);
      for (const f of functionsOf(lp)) if (f.object === UNKNOWN && f.sourceFile === file) setFunction(f, { role: 'never', problem });
    }
  }
  return { unbuilt, functions, absentModules: [...absent] };
}

/** The object model/fromDiff.ts gives a file when nothing says which object it is built into: no module has that name. */
const UNKNOWN = 'unknown';

/** Each file of a diff whose object is unknown, with the reading's warning on its header (unknown-build-object) that says so. */
function unknownObjects(lp: Livepatch): Array<{ file: string; problem: Problem }> {
  return (lp.diff?.files ?? []).flatMap((file) => {
    if (file.object !== UNKNOWN) return [];
    const problem = lp.problems.find((p) => p.code === 'unknown-build-object' && p.file === file.location.file && sameRange(p.range, file.location.range));
    return problem ? [{ file: file.path, problem }] : [];
  });
}
