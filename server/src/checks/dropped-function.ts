// A replace patch that leaves out a function an enabled earlier patch fixes (seed 000's partial revert).
import { problem, type Problem } from '../common/problem';
import { anchorOf } from '../model/livepatch';
import type { Check } from './check';
import { functionKey } from '../model/identity';
import { describeFunction, effectiveFunctions, loadPoints } from './seriesWalk';

/** The function dropped, and the livepatch that patches it. */
export interface DroppedFunctionData {
  from: string;
  object: string;
  name: string;
  sympos: number;
}

export const check: Check<DroppedFunctionData> = {
  id: 'dropped-function',
  severity: 'warning',
  title: 'A replace livepatch drops a function an enabled livepatch patches',
  doc:
    'When a replace (cumulative) livepatch loads, the livepatch core adds a nop for every function of ' +
    'the enabled livepatches that it does not patch itself (kernel/livepatch/core.c klp_add_nops()); ' +
    'once its transition completes, the earlier livepatches are disabled and the nops removed ' +
    '(kernel/livepatch/transition.c klp_complete_transition()), so those functions run the original ' +
    'code again: a partial revert. That is right when the fix is meant to go; otherwise the replace ' +
    'patch must carry every function of the patches it replaces. Functions a check says never run ' +
    '(left out by the build, or in an object that never loads) are not counted, nor a replace patch that is refused.',
  run(ctx) {
    const out: Problem<DroppedFunctionData>[] = [];
    const seen = new Set<string>();
    for (const point of loadPoints(ctx)) {
      const lp = point.livepatch;
      if (!lp.replace || !point.ok) continue;
      const mine = new Set(effectiveFunctions(ctx, lp).map(functionKey));
      for (const { livepatch: earlier } of point.installed) {
        for (const f of effectiveFunctions(ctx, earlier)) {
          const key = `${lp.name}\0${earlier.name}\0${functionKey(f)}`;
          if (mine.has(functionKey(f)) || seen.has(key)) continue;
          seen.add(key);
          const what = describeFunction(f);
          out.push(
            problem(
              check.id,
              check.severity,
              lp.location,
              `${lp.name} replaces ${earlier.name} but does not patch ${what}, which ${earlier.name} patches: ` +
                `once ${lp.name} takes over, ${f.name} runs the original code again`,
              {
                related: [{ location: anchorOf(f), message: `${earlier.name} patches ${what} here` }],
                data: { from: earlier.name, object: f.object, name: f.name, sympos: f.sympos },
              },
            ),
          );
        }
      }
    }
    return out;
  },
};
