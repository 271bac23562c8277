// The one place that decides what will not take effect before the series is simulated: the
// static checks' problems, each read through its check's verdict() and tied to the livepatch,
// object or function it concerns, and the reading's own warning that a diff file's object is
// unknown (its functions are patched nowhere). The simulation leaves that out (analysis/toSimPatch.ts), the
// checks that read the series skip it, and every shell shows the problem's words as the reason.
import { groupBy } from '../common/groupBy';
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
  const byFile = groupBy(livepatches, (l) => l.file);
  const bySource = new Map<Livepatch, Map<string, PatchedFunction[]>>();
  const functionsFrom = (lp: Livepatch) => {
    let index = bySource.get(lp);
    if (!index) bySource.set(lp, (index = groupBy(functionsOf(lp).filter((f) => f.sourceFile !== undefined), (f) => `${f.sourceFile}\0${f.sourceFunction ?? f.name}`)));
    return index;
  };
  for (const { check, problem } of judged) {
    const verdict = check.verdict(problem);
    if (!verdict) continue;
    // A problem lies in the file of the livepatch it judges (a file loaded twice is judged the same twice).
    for (const lp of byFile.get(problem.file) ?? []) {
      if (verdict.refuses === 'patch') {
        if (!unbuilt.has(lp)) unbuilt.set(lp, problem);
      } else if (verdict.refuses === 'function') {
        for (const f of functionsFrom(lp).get(`${verdict.file}\0${verdict.name}`) ?? []) setFunction(f, { role: 'refused', problem });
      } else {
        for (const obj of lp.objects.filter((o) => sameRange((o.nameLocation ?? o.location).range, problem.range))) {
          if (obj.declaredName !== 'vmlinux') absent.add(obj.object);
          for (const f of obj.funcs) setFunction(f, { role: 'never', problem });
        }
      }
    }
  }
  for (const lp of livepatches) {
    const unknowns = unknownObjects(lp);
    if (unknowns.length === 0) continue;
    absent.add(UNKNOWN);
    const unknownFunctions = groupBy(functionsOf(lp).filter((f) => f.object === UNKNOWN && f.sourceFile !== undefined), (f) => f.sourceFile!);
    for (const { file, problem } of unknowns) for (const f of unknownFunctions.get(file) ?? []) setFunction(f, { role: 'never', problem });
  }
  return { unbuilt, functions, absentModules: [...absent] };
}

/** The object model/fromDiff.ts gives a file when nothing says which object it is built into: no module has that name. */
const UNKNOWN = 'unknown';

/** Each file of a diff whose object is unknown, with the reading's warning on its header (unknown-build-object) that says so. */
function unknownObjects(lp: Livepatch): Array<{ file: string; problem: Problem }> {
  const files = (lp.diff?.files ?? []).filter((file) => file.object === UNKNOWN);
  if (files.length === 0) return [];
  // The first such warning at each place, as a search of the problems in order finds it.
  const warnings = new Map<string, Problem>();
  for (const p of lp.problems) if (p.code === 'unknown-build-object' && !warnings.has(placeKey(p.file, p.range))) warnings.set(placeKey(p.file, p.range), p);
  return files.flatMap((file) => {
    const problem = warnings.get(placeKey(file.location.file, file.location.range));
    return problem ? [{ file: file.path, problem }] : [];
  });
}

const placeKey = (file: string, r: Range) => `${file}\0${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

