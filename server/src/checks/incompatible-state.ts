// A livepatch whose states klp_is_patch_compatible() refuses, given the patches enabled when it loads.
import { problem, type Problem } from '../common/problem';
import { isPatchCompatible } from '../simulator/states';
import type { Check } from './check';
import { loadPoints, type LoadPoint } from './seriesWalk';

export interface IncompatibleStateData {
  stateId: number;
}

export const check: Check<IncompatibleStateData> = {
  id: 'incompatible-state',
  severity: 'error',
  title: 'The livepatch\'s states are not compatible with the installed livepatches',
  doc:
    'Before enabling a livepatch, kernel/livepatch/state.c klp_is_patch_compatible() checks every ' +
    'state (struct klp_state) of every installed livepatch: a replace livepatch must carry each of ' +
    'those states, and a livepatch that carries one must have at least the installed version, replace ' +
    'or not. Otherwise klp_enable_patch() fails with -EINVAL ("not compatible with the already ' +
    'installed livepatches") and the livepatch does not load. The installed livepatches are those the ' +
    'series leaves enabled just before each load; the problem points at the offending state entry, or ' +
    'at the livepatch when the state is missing, and relates to the installed state.',
  run(ctx) {
    return loadPoints(ctx).flatMap((point) => {
      const verdict = isPatchCompatible(point.installed.map((i) => i.patch), point.patch);
      return verdict.ok ? [] : [report(point, verdict.stateId, verdict.reason)];
    });
  },
};

function report(point: LoadPoint, stateId: number, reason: string): Problem<IncompatibleStateData> {
  const lp = point.livepatch;
  const mine = lp.states.find((s) => s.id === stateId);
  // klp_get_state(): the first state with that id, in each installed patch.
  const related = point.installed.flatMap(({ livepatch }) => {
    const theirs = livepatch.states.find((s) => s.id === stateId);
    return theirs && (!mine || theirs.version > mine.version)
      ? [{ location: theirs.location, message: `${livepatch.name} has state ${stateId} version ${theirs.version}` }]
      : [];
  });
  return problem(
    check.id,
    check.severity,
    mine?.location ?? lp.location,
    `${lp.name} would be refused when it loads: klp_is_patch_compatible() (kernel/livepatch/state.c) fails, ${reason}`,
    { related, data: { stateId } },
  );
}
