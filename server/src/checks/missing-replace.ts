// A livepatch that looks cumulative (or overlaps its predecessors) but does not replace them.
import { problem, type Problem } from '../common/problem';
import { functionsOf, type Livepatch } from '../model/livepatch';
import type { Check } from './check';
import { functionKey } from '../model/identity';
import { loadPoints } from './seriesWalk';

export const check: Check = {
  id: 'missing-replace',
  severity: 'warning',
  title: 'A cumulative-looking livepatch does not set replace',
  doc:
    'A livepatch without `replace` that patches every function of a livepatch still enabled when it ' +
    'loads looks cumulative, yet it only stacks on top: the earlier patch stays enabled underneath, ' +
    'its functions come back if the new one is disabled, and its states and callbacks stay in force ' +
    '(a warning). A livepatch without `replace` that only shares some functions with enabled ' +
    'livepatches is reported as information. Setting `.replace = true` makes the livepatch core ' +
    'disable every earlier patch once the new one is in place (kernel/livepatch/transition.c ' +
    'klp_complete_transition()). kpatch-build and klp-build build replace patches by default, so for ' +
    'a patch diff this fires only when the series turns replace off.',
  run(ctx) {
    const out: Problem[] = [];
    const reported = new Set<string>();
    for (const point of loadPoints(ctx)) {
      const lp = point.livepatch;
      if (lp.replace || reported.has(lp.name)) continue;
      const mine = new Set(functionsOf(lp).map(functionKey));
      const contained: Livepatch[] = [];
      const overlapping: Livepatch[] = [];
      for (const { livepatch: earlier } of point.installed) {
        const theirs = functionsOf(earlier).map(functionKey);
        if (theirs.length > 0 && theirs.every((k) => mine.has(k))) contained.push(earlier);
        else if (theirs.some((k) => mine.has(k))) overlapping.push(earlier);
      }
      if (contained.length === 0 && overlapping.length === 0) continue;
      reported.add(lp.name);
      const names = (lps: Livepatch[]) => lps.map((e) => e.name).join(', ');
      const message =
        contained.length > 0
          ? `${lp.name} patches every function of ${names(contained)} (still enabled when it loads) but does not set replace: ` +
            `it stacks on top instead of taking over, and ${names(contained)} stays enabled underneath`
          : `${lp.name} patches functions that ${names(overlapping)} (still enabled when it loads) also patches, without replace: ` +
            `it stacks on top and the earlier versions stay installed underneath`;
      const fix = lp.kind === 'module' ? 'set `.replace = true`' : 'drop the option that turns replace off';
      const related = [...contained, ...overlapping].map((e) => ({
        location: e.location,
        message: `${e.name}, enabled when ${lp.name} loads`,
      }));
      out.push(
        problem(check.id, contained.length > 0 ? check.severity : 'information', lp.replaceLocation ?? lp.location, `${message}; ${fix}`, {
          related,
          data: { fix: 'add-replace' },
        }),
      );
    }
    return out;
  },
};
