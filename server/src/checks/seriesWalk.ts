// Which livepatches are installed when each livepatch of the series loads, read
// from the simulator's enabled patches after the step before each load, and when two klp_funcs
// name the same function.
import { functionsOf, type Livepatch, type PatchedFunction } from '../model/livepatch';
import { enabledPatches } from '../simulator/snapshot';
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
  /** The load succeeded (the patch was enabled). */
  ok: boolean;
  /** The other patches enabled just before this load, oldest first. */
  installed: LoadedPatch[];
}

/**
 * Every load step of the series whose livepatch is one of ctx.livepatches, with the patches still enabled at that moment (a patch
 * disabled, replaced, or whose own load failed is not). The state before a step names
 * patches; each is the last load of that name before the step.
 */
export function loadPoints(ctx: CheckContext): LoadPoint[] {
  const known = new Set(ctx.livepatches);
  // The last load of each name so far (ctx.loads is in series order).
  const lastLoad = new Map<string, LoadedPatch>();
  return ctx.loads
    .filter((l) => known.has(l.livepatch))
    .map(({ step, livepatch, patch }) => {
      const before = step > 0 && ctx.results[step - 1] ? enabledPatches(ctx.results[step - 1]) : [];
      const installed = before.flatMap((status): LoadedPatch[] => {
        const load = status.name !== livepatch.name ? lastLoad.get(status.name) : undefined;
        return load ? [load] : [];
      });
      lastLoad.set(livepatch.name, { livepatch, patch });
      return { step, livepatch, patch, ok: ctx.results[step]?.ok === true, installed };
    });
}

/** The klp_funcs of `lp` that take effect while it is enabled: none that a static check's verdict says never runs. */
export function effectiveFunctions(ctx: CheckContext, lp: Livepatch): PatchedFunction[] {
  return functionsOf(lp).filter((f) => !ctx.verdicts.functions.get(f));
}

/** "`name` in object" (with the sympos when it disambiguates), for messages. */
export function describeFunction(f: PatchedFunction): string {
  return `\`${f.name}\`${f.sympos > 1 ? ` (sympos ${f.sympos})` : ''} in ${f.object}`;
}
