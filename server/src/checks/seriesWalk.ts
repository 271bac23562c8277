// Which livepatches are installed when each livepatch of the series loads, read
// from the simulator's state after the step before each load, and when two klp_funcs
// name the same function.
import type { Livepatch, PatchedFunction } from '../model/livepatch';
import { shownSympos } from '../model/livepatch';
import type { SimPatch } from '../simulator/types';
import type { CheckContext } from './check';

export interface LoadedPatch {
  livepatch: Livepatch;
  /** What the livepatch core was given for it (the load step's patch). */
  patch: SimPatch;
}

export interface LoadPoint extends LoadedPatch {
  /** Index of the load step in ctx.steps. */
  step: number;
  /** The other patches enabled just before this load, oldest first. */
  installed: LoadedPatch[];
}

/**
 * Every load step of the series whose patch is one of ctx.livepatches, with the patches
 * still enabled at that moment (a patch disabled, replaced, or whose own load failed is not).
 */
export function loadPoints(ctx: CheckContext): LoadPoint[] {
  const byName = new Map(ctx.livepatches.map((lp) => [lp.name, lp]));
  const lastLoad = new Map<string, SimPatch>();
  const points: LoadPoint[] = [];
  ctx.steps.forEach((step, i) => {
    if (step.action !== 'load') return;
    const livepatch = byName.get(step.patch.name);
    if (livepatch) {
      const before = i > 0 ? (ctx.results[i - 1]?.patches ?? []) : [];
      const installed: LoadedPatch[] = [];
      for (const status of before) {
        const lp = byName.get(status.name);
        const patch = lastLoad.get(status.name);
        if (status.enabled && status.name !== livepatch.name && lp && patch) installed.push({ livepatch: lp, patch });
      }
      points.push({ step: i, livepatch, patch: step.patch, installed });
    }
    lastLoad.set(step.patch.name, step.patch);
  });
  return points;
}

/**
 * Identity of the function a klp_func patches. sympos 0 and 1 are the same function:
 * kernel/livepatch/core.c klp_find_func() matches them (6.1), and both resolve to the
 * same address for a unique symbol, so they share one ftrace handler and one stack.
 */
export function functionKey(f: PatchedFunction): string {
  return `${f.object}\0${f.name}\0${shownSympos(f.sympos)}`;
}

/** "`name` in object" (with the sympos when it disambiguates), for messages. */
export function describeFunction(f: PatchedFunction): string {
  return `\`${f.name}\`${f.sympos > 1 ? ` (sympos ${f.sympos})` : ''} in ${f.object}`;
}
