// Each livepatch's state after the whole series, from its load step and the last step.
import type { LoadStep } from '../checks/check';
import type { Livepatch } from '../model/livepatch';
import type { StepResult } from '../simulator/types';

/** A livepatch's state after the whole series. */
export type FinalPatchState = 'enabled' | 'replaced' | 'disabled' | 'refused' | 'unloaded';

export interface PatchOutcome {
  livepatch: Livepatch;
  state: FinalPatchState;
  /** The replace patch that replaced it. */
  replacedBy: string | null;
  /** The kernel's message when its load was refused. */
  error: string | null;
}

/** One outcome per load of a livepatch, in load order. */
export function patchOutcomes(analysis: { loads: readonly LoadStep[]; results: readonly StepResult[] }): PatchOutcome[] {
  const { loads, results } = analysis;
  const last = results.at(-1);
  return loads.map(({ livepatch, step }, i): PatchOutcome => {
    const result = results[step];
    if (!result?.ok) return { livepatch, state: 'refused', replacedBy: null, error: result?.error ?? null };
    // The last step shows patches by name: a later load of the same name that succeeded is the one it shows.
    const reloaded = loads.slice(i + 1).some((l) => l.livepatch.name === livepatch.name && results[l.step]?.ok);
    const status = reloaded ? undefined : last?.patches.find((p) => p.name === livepatch.name);
    if (!status) return { livepatch, state: 'unloaded', replacedBy: null, error: null };
    const state = status.enabled ? 'enabled' : status.replacedBy ? 'replaced' : 'disabled';
    return { livepatch, state, replacedBy: status.replacedBy, error: null };
  });
}

/** The first line of a kernel message (the one that says why). */
export function firstLine(message: string): string {
  return message.split('\n')[0];
}
