// The one place that decides what will not take effect before the series is simulated: the
// static checks' problems, each read through its check's verdict() and tied to the livepatch,
// object or function it concerns, and the reading's own warning that a diff file's object is
// unknown (its functions are patched nowhere). The simulation leaves that out (analysis/toSimPatch.ts), the
// checks that read the series skip it, and every shell shows the problem's words as the reason.
import { groupBy } from '../common/groupBy';
import { Memo } from '../common/memo';
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

/**
 * `memo`: the session's (analysis/session.ts), where what a livepatch alone decides is kept per
 * livepatch, so that an edit of one livepatch of a series reads that one again, not every other.
 */
export function verdictsOf(livepatches: readonly Livepatch[], judged: readonly Judged[], memo = new Memo()): Verdicts {
  const unbuilt = new Map<Livepatch, Problem>();
  const functions = new Map<PatchedFunction, FunctionVerdict>();
  const absent = new Set<string>();
  const setFunction = (f: PatchedFunction, verdict: FunctionVerdict) => {
    if (!functions.has(f)) functions.set(f, verdict);
  };
  const byFile = groupBy(livepatches, (l) => l.file);
  const functionsFrom = (lp: Livepatch) => memo.get(bySource, lp);
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
    const unknown = memo.get(unknownVerdicts, lp);
    if (!unknown) continue;
    absent.add(UNKNOWN);
    unknown.functions.forEach((f, i) => setFunction(f, unknown.verdicts[i]));
  }
  return { unbuilt, functions, absentModules: [...absent] };
}

/** A livepatch's functions by source file and function (the name a 'function' verdict gives). */
function bySource(lp: Livepatch): Map<string, PatchedFunction[]> {
  return groupBy(functionsOf(lp).filter((f) => f.sourceFile !== undefined), (f) => `${f.sourceFile}\0${f.sourceFunction ?? f.name}`);
}

/** The functions of files whose object is unknown and, at the same index, their verdicts; undefined when the livepatch has no such file. */
function unknownVerdicts(lp: Livepatch): { functions: PatchedFunction[]; verdicts: FunctionVerdict[] } | undefined {
  const unknowns = unknownObjects(lp);
  if (unknowns.size === 0) return undefined;
  const found = { functions: [] as PatchedFunction[], verdicts: [] as FunctionVerdict[] };
  const take = (f: PatchedFunction, verdict: FunctionVerdict | undefined) => {
    if (!verdict) return;
    found.functions.push(f);
    found.verdicts.push(verdict);
  };
  const parts = lp.functionParts;
  // A diff's functions file by file: those of the files whose object is unknown, without reading each function.
  if (parts && lp.diff) lp.diff.files.forEach((file, i) => file.object === UNKNOWN && parts[i].forEach((f) => take(f, unknowns.get(file.path))));
  // Else one pass over the functions (a patch of many files of an unknown kernel has thousands), one verdict per file.
  else {
    for (const f of functionsOf(lp)) {
      const file = f.object === UNKNOWN ? f.sourceFile : undefined;
      take(f, file === undefined ? undefined : unknowns.get(file));
    }
  }
  return found;
}

/** The object model/fromDiff.ts gives a file when nothing says which object it is built into: no module has that name. */
const UNKNOWN = 'unknown';

/** By path, the first file of a diff whose object is unknown with the reading's warning on its header (unknown-build-object) that says so: the verdict of its functions, that warning's. */
function unknownObjects(lp: Livepatch): Map<string, FunctionVerdict> {
  const found = new Map<string, FunctionVerdict>();
  const files = (lp.diff?.files ?? []).filter((file) => file.object === UNKNOWN);
  if (files.length === 0) return found;
  // By line, without a key per place: the first warning at a place, as a search of the problems in order finds it.
  const warnings = groupBy(lp.problems.filter((p) => p.code === 'unknown-build-object'), (p) => String(p.range.start.line));
  for (const { path, location } of files) {
    const problem = found.has(path) ? undefined : warnings.get(String(location.range.start.line))?.find((p) => p.file === location.file && sameRange(p.range, location.range));
    if (problem) found.set(path, { role: 'never', problem });
  }
  return found;
}

