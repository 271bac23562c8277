// What of one load of a livepatch never runs, whatever the series does, as a plain list: the
// static checks' verdicts (checks/verdicts.ts) in the form `klp-lens state` prints them.
import type { LoadStep, Verdicts } from '../checks/check';
import type { Problem } from '../common/problem';
import { shownSympos } from '../model/identity';
import { functionsOf } from '../model/livepatch';

/** A patch the build refuses, or one of its functions that never runs; in the words of the check that says so. */
export interface Refusal {
  patch: string;
  /** `object:name,sympos` for a function; absent for the whole patch. */
  function?: string;
  /** refused: by the build (the patch, or the function it leaves out); never: its object never loads. */
  role: 'refused' | 'never';
  code: string;
  message: string;
}

export function refusalsOf({ livepatch }: LoadStep, verdicts: Verdicts): Refusal[] {
  const refusal = (role: Refusal['role'], p: Problem, fn?: string): Refusal => ({
    patch: livepatch.name,
    ...(fn ? { function: fn } : {}),
    role,
    code: p.code,
    message: p.message,
  });
  const unbuilt = verdicts.unbuilt.get(livepatch);
  if (unbuilt) return [refusal('refused', unbuilt)];
  return functionsOf(livepatch).flatMap((f) => {
    const v = verdicts.functions.get(f);
    return v ? [refusal(v.role, v.problem, `${f.object}:${f.name},${shownSympos(f.sympos)}`)] : [];
  });
}
