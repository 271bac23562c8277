// The transition states, include/linux/livepatch.h, spelled as the target kernel does not:
// "livepatch: Rename KLP_* to KLP_TRANSITION_*" (6.10) renamed KLP_UNDEFINED, KLP_UNPATCHED and
// KLP_PATCHED to KLP_TRANSITION_IDLE, KLP_TRANSITION_UNPATCHED and KLP_TRANSITION_PATCHED, and
// kept no alias: code written for one side does not build on the other (a fix backported from
// a newer kernel, a module written for an older one). Its fix writes the target's spelling.
import { problem, type Problem } from '../common/problem';
import { fixOf, type Fix } from '../edits/fix';
import type { SourceText } from '../edits/sourceText';
import type { Check } from './check';

/** Each state, as before 6.10 and since. */
const SPELLINGS: ReadonlyArray<readonly [before: string, since: string]> = [
  ['KLP_UNDEFINED', 'KLP_TRANSITION_IDLE'],
  ['KLP_UNPATCHED', 'KLP_TRANSITION_UNPATCHED'],
  ['KLP_PATCHED', 'KLP_TRANSITION_PATCHED'],
];

export interface TransitionStateSpellingData {
  written: string;
  /** The target's spelling of the same state. */
  replacement: string;
}

export const check: Check<TransitionStateSpellingData> = {
  id: 'transition-state-spelling',
  severity: 'error',
  title: 'A transition state spelled as the target kernel does not (KLP_PATCHED before 6.10, KLP_TRANSITION_PATCHED since)',
  doc:
    'Linux 6.10 ("livepatch: Rename KLP_* to KLP_TRANSITION_*") renamed the transition states of ' +
    'include/linux/livepatch.h: KLP_UNDEFINED became KLP_TRANSITION_IDLE, KLP_UNPATCHED ' +
    'KLP_TRANSITION_UNPATCHED and KLP_PATCHED KLP_TRANSITION_PATCHED, with no alias left. A hand-written ' +
    'module, or the added lines of a patch diff, that use the other kernel\'s names do not build against ' +
    "the target. The target's version comes from klpLens.kernel.version, the source tree, the .config or the " +
    'release; its own livepatch.h decides first. The fix writes the target\'s name.',
  run(ctx) {
    const since = ctx.kernel.capabilities['transition-state-names'];
    const wrong = new Map(SPELLINGS.map(([before, after]) => (since.has ? [before, after] : [after, before])));
    return ctx.livepatches.flatMap((lp) =>
      lp.references.flatMap((ref) => {
        const replacement = wrong.get(ref.name);
        if (replacement === undefined) return [];
        return [
          problem(
            check.id,
            check.severity,
            ref.location,
            `\`${ref.name}\` is ${since.has ? 'the name before' : 'the name since'} Linux 6.10 ("livepatch: Rename KLP_* to KLP_TRANSITION_*"); ` +
              `the target (${since.because}) names it \`${replacement}\`, so this does not build`,
            { data: { written: ref.name, replacement } },
          ),
        ];
      }),
    );
  },
  fix: respell,
};

function respell(problem: Problem<TransitionStateSpellingData>, source: SourceText): Fix[] {
  if (!problem.data || source.slice(problem.range) !== problem.data.written) return [];
  return [fixOf(problem, `Write \`${problem.data.replacement}\``, [{ range: problem.range, newText: problem.data.replacement }], true)];
}
