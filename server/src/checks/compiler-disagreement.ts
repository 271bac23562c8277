// Where the compiler's answer (asked for with "Verify with the compiler" or `klp-lens changed`)
// differs from what klp-lens predicted while the author typed. The compiler wins: the
// livepatch is already read as the compiler says (model/withCompilerAnswer.ts); this says
// where and why the prediction was wrong, and that a patch the compiler cannot build makes no
// module at all.
import { problem, type Problem } from '../common/problem';
import type { StaticCheck } from './check';

export interface CompilerDisagreementData {
  kind: 'missed' | 'extra' | 'error';
  object?: string;
  function?: string;
}

export const check: StaticCheck<CompilerDisagreementData> = {
  id: 'compiler-disagreement',
  severity: 'warning',
  title: 'The compiler changes other functions than klp-lens predicted',
  doc:
    'While you type, klp-lens predicts the functions a patch diff changes from its hunks, the kernel\'s ' +
    'symbol tables and the call graph of the original source. kpatch-build and klp-build act on what GCC ' +
    'produced: they compile the changed objects before and after the patch with -ffunction-sections and ' +
    'compare them function by function. "Verify with the compiler" (or `klp-lens changed`) does the same in ' +
    'a copy of the kernel tree configured with the target\'s .config, and from then on, until the patch ' +
    'changes, the livepatch is what the compiler says. This check names each function the compiler changed ' +
    'that the prediction missed (an inlining or a struct layout the prediction did not see: it is patched), ' +
    'each one the prediction had that the compiler did not change (it is not patched), and a patch the ' +
    'compiler cannot build (no module is made of it).',
  run(ctx) {
    return ctx.livepatches.flatMap((lp) => {
      const v = lp.compilerVerdict;
      if (!v) return [];
      const problems: Problem<CompilerDisagreementData>[] = [
        ...v.missed.map((d) =>
          problem(check.id, check.severity, d.location, `the compiler changes \`${d.name}\` in ${d.object}, which the prediction missed: the livepatch patches it`, {
            data: { kind: 'missed' as const, object: d.object, function: d.name },
          }),
        ),
        ...v.extra.map((d) =>
          problem(check.id, check.severity, d.location, `the compiler does not change \`${d.name}\` in ${d.object}: the livepatch does not patch it, although the prediction had it`, {
            data: { kind: 'extra' as const, object: d.object, function: d.name },
          }),
        ),
        ...v.errors.map((e) => problem(check.id, 'error', e.location, `the compiler cannot build this patch: ${e.message}`, { data: { kind: 'error' as const } })),
      ];
      return problems;
    });
  },
  // A patch that does not compile makes no module.
  verdict: (p) => (p.data?.kind === 'error' ? { refuses: 'patch' } : undefined),
};
