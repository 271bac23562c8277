// Each livepatch's state after the whole series, from its load step and the last step.
import type { LoadStep, Verdicts } from '../checks/check';
import type { Memo } from '../common/memo';
import type { Problem } from '../common/problem';
import type { Livepatch } from '../model/livepatch';
import type { StepResult } from '../simulator/types';

/** A livepatch's state after the whole series. */
export type FinalPatchState = 'enabled' | 'replaced' | 'disabled' | 'refused' | 'unloaded';

export interface PatchOutcome {
  livepatch: Livepatch;
  state: FinalPatchState;
  /** The replace patch that replaced it. */
  replacedBy: string | null;
  /**
   * Why its load was refused: the kernel's message or, when the build tools make no module of
   * it, the words of the check that says so (`unbuilt`).
   */
  error: string | null;
  /** The static check's problem that says the build makes no module of it. */
  unbuilt: Problem | null;
}

type Series = { loads: readonly LoadStep[]; results: readonly StepResult[]; verdicts: Verdicts; memo: Memo };

/** One outcome per load of a livepatch, in load order (the same objects for every shell: computed once per analysis). */
export function patchOutcomes(analysis: Series): PatchOutcome[] {
  return analysis.memo.get(outcomesOf, analysis);
}

function outcomesOf(analysis: Series): PatchOutcome[] {
  const { loads, results, verdicts } = analysis;
  const last = new Map((results.at(-1)?.patches ?? []).map((p) => [p.name, p]));
  // The last step shows patches by name: the last load of a name that succeeded is the one it shows.
  const shown = new Map(loads.filter((l) => results[l.step]?.ok).map((l) => [l.livepatch.name, l]));
  return loads.map((load): PatchOutcome => {
    const { livepatch, step } = load;
    const result = results[step];
    const unbuilt = verdicts.unbuilt.get(livepatch) ?? null;
    if (!result?.ok) return { livepatch, state: 'refused', replacedBy: null, error: unbuilt?.message ?? result?.error ?? null, unbuilt };
    const status = shown.get(livepatch.name) === load ? last.get(livepatch.name) : undefined;
    if (!status) return { livepatch, state: 'unloaded', replacedBy: null, error: null, unbuilt };
    const state = status.enabled ? 'enabled' : status.replacedBy ? 'replaced' : 'disabled';
    return { livepatch, state, replacedBy: status.replacedBy, error: null, unbuilt };
  });
}

/** The first line of a kernel message (the one that says why). */
export function firstLine(message: string): string {
  return message.split('\n')[0];
}
