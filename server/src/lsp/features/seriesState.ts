// The klpLens/seriesState request: the steps exactly as `klp-lens state --format json`
// prints them, and each livepatch in load order with its state after the series and,
// for each function it names, the function's stack, this patch's role there and where this
// patch changes it; for a replace patch, the functions it dropped.
import { patchOutcomes } from '../../analysis/outcomes';
import { droppedFunctions, roleReason, stackOf } from '../../analysis/roles';
import { functionKey, shownSympos } from '../../model/identity';
import { anchorOf } from '../../model/livepatch';
import type { KernelStatus, SeriesFunction, SeriesPatch, SeriesState } from '../protocol';
import type { AnalysisView } from '../view';

export function seriesState(view: AnalysisView, seriesUri: string | null, kernel: KernelStatus): Omit<SeriesState, 'findings'> {
  return { steps: view.analysis.results, patches: seriesPatches(view), seriesUri, kernel };
}

/** Every livepatch in load order with its state after the series. */
export function seriesPatches(view: AnalysisView): SeriesPatch[] {
  const outcomes = patchOutcomes(view.analysis);
  return outcomes.map((outcome, index): SeriesPatch => {
    const { livepatch: lp, state, replacedBy, error } = outcome;
    return {
      name: lp.name,
      kind: lp.kind,
      uri: view.toUri(lp.file),
      replace: lp.replace,
      state,
      replacedBy,
      error,
      objects: lp.objects.map((o) => ({
        name: o.object,
        functions: o.funcs.map((f): SeriesFunction => {
          // The stacks' entry of this load (analysis/roles.ts): the one role every shell shows. Every
          // function of every load has one (a patch naming the function twice: its first klp_func's).
          const s = stackOf(view.analysis, f)!;
          const entry = s.entries.find((e) => e.outcome === outcome)!;
          const at = anchorOf(f);
          const reason = roleReason(entry);
          return {
            key: functionKey(f),
            object: f.object,
            name: f.name,
            sympos: shownSympos(f.sympos),
            stack: s.stack,
            active: s.active,
            role: entry.role,
            ...(reason ? { reason } : {}),
            uri: view.toUri(at.file),
            range: at.range,
          };
        }),
      })),
      dropped: droppedFunctions(outcomes, index, view.analysis.verdicts).map(({ from, ...f }) => ({
        ...f,
        key: functionKey(f),
        from: from.livepatch.name,
        fromIndex: outcomes.indexOf(from),
      })),
    };
  });
}
