// Two patches on one function's stack: the later non-replace patch shadows the earlier.
import { problem, type Problem } from '../common/problem';
import { anchorOf } from '../model/livepatch';
import type { Check } from './check';
import { functionKey } from '../model/identity';
import { describeFunction, effectiveFunctions, loadPoints } from './seriesWalk';

export const check: Check = {
  id: 'overlapping-function',
  severity: 'warning',
  title: 'Two livepatches that do not replace each other patch the same function',
  doc:
    'The livepatch core keeps one stack of versions per patched function and runs the newest ' +
    '(kernel/livepatch/patch.c). When a livepatch without `replace` loads while an earlier livepatch ' +
    'that patches the same function (same object, name and symbol position) is still enabled, both ' +
    'stay installed: the later version runs and shadows the earlier one, which comes back if the later ' +
    'patch is disabled. Each side is marked and points to the other. Usually the later patch should ' +
    'be cumulative (`replace`), or the function should be patched in one place only. Nothing is said ' +
    'when the later patch is refused, or of a function a check says never runs (left out by the build, ' +
    'or in an object that never loads).',
  run(ctx) {
    const out: Problem[] = [];
    const seen = new Set<string>();
    for (const later of loadPoints(ctx)) {
      // A replace patch takes the function over; a refused one never stacks.
      if (later.livepatch.replace || !later.ok) continue;
      const b = later.livepatch;
      for (const { livepatch: a } of later.installed) {
        const theirs = effectiveFunctions(ctx, a);
        for (const fb of effectiveFunctions(ctx, b)) {
          const fa = theirs.find((f) => functionKey(f) === functionKey(fb));
          const pairKey = `${a.name}\0${b.name}\0${functionKey(fb)}`;
          if (!fa || seen.has(pairKey)) continue;
          seen.add(pairKey);
          const what = describeFunction(fb);
          out.push(
            problem(
              check.id,
              check.severity,
              anchorOf(fb),
              `${what} is also patched by ${a.name}, still enabled when ${b.name} loads without replace: ` +
                `both stay on the function's stack and ${b.name}'s version runs, shadowing ${a.name}'s`,
              { related: [{ location: anchorOf(fa), message: `${a.name} patches ${what} here` }] },
            ),
            problem(
              check.id,
              check.severity,
              anchorOf(fa),
              `${what} is patched again by ${b.name}, loaded later without replace while ${a.name} is enabled: ` +
                `${b.name}'s version runs and shadows this one until ${b.name} is disabled`,
              { related: [{ location: anchorOf(fb), message: `${b.name} patches ${what} here` }] },
            ),
          );
        }
      }
    }
    return out;
  },
};
