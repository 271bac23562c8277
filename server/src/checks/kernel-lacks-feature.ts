// A livepatch that asks for a feature of the livepatch core the target kernel does not have
// (kernel/capabilities.ts): atomic replace (Linux 5.1, "livepatch: Add atomic replace") or
// system states (5.5, "livepatch: Basic API to track system state changes").
//
// A hand-written module then does not build: include/linux/livepatch.h of the target has no
// klp_patch.replace member, or no struct klp_state and klp_patch.states. kpatch-build builds a
// patch diff for such a kernel without replace (kpatch-build support_klp_replace(), RHEL from
// 4.18.0-193.el8): the simulation then stacks it on the earlier patches (analysis/toSimPatch.ts).
import { problem, type Problem } from '../common/problem';
import type { Capability, CapabilityId } from '../kernel/capabilities';
import type { Livepatch } from '../model/livepatch';
import { refusesThePatch, type StaticCheck } from './check';

export interface KernelLacksFeatureData {
  capability: CapabilityId;
  /** The module does not build (a hand-written one); a diff is built without the feature. */
  builds: boolean;
}

export const check: StaticCheck<KernelLacksFeatureData> = {
  id: 'kernel-lacks-feature',
  severity: 'error',
  title: 'The livepatch uses a livepatch core feature the target kernel lacks (atomic replace before 5.1, system states before 5.5)',
  doc:
    'Atomic replace (`.replace = true`) came with Linux 5.1 ("livepatch: Add atomic replace"; RHEL 8 from ' +
    '4.18.0-193.el8), system states (`struct klp_state`, `.states`) with 5.5 ("livepatch: Basic API to track ' +
    'system state changes"). On an older target a hand-written module that uses them does not build: the ' +
    "kernel's include/linux/livepatch.h has no such member. kpatch-build builds a patch diff for such a kernel " +
    'without replace (its support_klp_replace()): the livepatch then adds its functions on top of the earlier ' +
    "patches' instead of replacing them, and the state shown follows. The target's version comes from " +
    'klpLens.kernel.version, the source tree, the .config or the release; the source tree\'s own livepatch.h ' +
    'decides first.',
  run(ctx) {
    const capabilities = ctx.kernel.capabilities;
    return ctx.livepatches.flatMap((lp) => [
      ...(lp.replace && !capabilities['atomic-replace'].has ? [lacks(lp, 'atomic-replace', capabilities['atomic-replace'])] : []),
      ...(lp.states.length > 0 && !capabilities.states.has ? [lacks(lp, 'states', capabilities.states)] : []),
    ]);
  },
  // A module that does not build is no module; a diff is built without replace (toSimPatch.ts).
  verdict: (p) => (p.data?.builds === false ? refusesThePatch() : undefined),
};

function lacks(lp: Livepatch, capability: CapabilityId, found: Capability): Problem<KernelLacksFeatureData> {
  const feature = capability === 'atomic-replace' ? 'atomic replace (klp_patch.replace)' : 'system states (struct klp_state, klp_patch.states)';
  const at = capability === 'atomic-replace' ? lp.replaceLocation ?? lp.location : lp.states[0].location;
  if (lp.kind === 'diff') {
    return problem(check.id, 'information', at, `the target kernel has no ${feature} (${found.because}): kpatch-build builds ${lp.name} without replace, so it stacks on the earlier livepatches instead of replacing them`, {
      data: { capability, builds: true },
    });
  }
  return problem(check.id, check.severity, at, `the target kernel has no ${feature} (${found.because}): its include/linux/livepatch.h lacks the member, so ${lp.name} does not build`, {
    data: { capability, builds: false },
  });
}
