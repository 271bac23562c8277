// System states and livepatch compatibility: kernel/livepatch/state.c.
import type { SimPatch, SimState } from './types';

export type Compatibility = { ok: true } | { ok: false; stateId: number; reason: string };

/** klp_for_each_state(): the states array ends at the first state with id 0. */
export function klpStates(patch: SimPatch): SimState[] {
  const end = patch.states.findIndex((s) => s.id === 0);
  return end < 0 ? patch.states : patch.states.slice(0, end);
}

/**
 * klp_is_patch_compatible(): every state of every installed patch must be handled by
 * `patch` (klp_is_state_compatible()). A missing state is allowed only in a non-replace
 * patch; a present one must not be older, replace or not. New state ids are free.
 */
export function isPatchCompatible(installed: SimPatch[], patch: SimPatch): Compatibility {
  const mine = klpStates(patch);
  for (const old of installed) {
    for (const oldState of klpStates(old)) {
      // klp_get_state(): the first state with that id.
      const state = mine.find((s) => s.id === oldState.id);
      if (!state) {
        if (!patch.replace) continue;
        return {
          ok: false,
          stateId: oldState.id,
          reason:
            `state ${oldState.id} (version ${oldState.version}) of installed livepatch '${old.name}' is missing: ` +
            'a cumulative (replace) livepatch must handle all already modified states',
        };
      }
      if (state.version < oldState.version) {
        return {
          ok: false,
          stateId: oldState.id,
          reason:
            `state ${oldState.id} has version ${state.version}, older than version ${oldState.version} ` +
            `of installed livepatch '${old.name}'`,
        };
      }
    }
  }
  return { ok: true };
}
