// The klpLens/seriesState request: the steps exactly as `klp-lens state --format json`
// prints them, and each livepatch in load order with its state after the series and,
// for each function it names, the function's stack and where this patch changes it.
import { anchorOf, shownSympos } from '../../model/livepatch';
import type { KernelStatus, SeriesFunction, SeriesPatch, SeriesState } from '../protocol';
import type { AnalysisView } from '../view';
import { patchOutcomes } from './patchOutcomes';
import { stackKey } from './patchStack';

export function seriesState(view: AnalysisView, seriesUri: string | null, kernel: KernelStatus): SeriesState {
  return { steps: view.analysis.results, patches: seriesPatches(view), seriesUri, kernel };
}

/** Every livepatch in load order with its state after the series. */
export function seriesPatches(view: AnalysisView): SeriesPatch[] {
  const statuses = new Map((view.analysis.results.at(-1)?.functions ?? []).map((f) => [stackKey(f), f]));
  return patchOutcomes(view.analysis).map(({ livepatch: lp, state, replacedBy, error }): SeriesPatch => ({
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
        const status = statuses.get(stackKey(f));
        const at = anchorOf(f);
        return {
          object: f.object,
          name: f.name,
          sympos: shownSympos(f.sympos),
          stack: status?.stack ?? [],
          active: status?.active ?? null,
          uri: view.toUri(at.file),
          range: at.range,
        };
      }),
    })),
  }));
}
