// The features on SUSE's cumulative livepatch (one csv per sub-patch) against the Debian 6.1 kernel.
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { functionsOf } from '../../../../server/src/model/livepatch';
import { hover } from '../../../../server/src/lsp/features/hover';
import { inlayHints } from '../../../../server/src/lsp/features/inlayHints';
import { seriesState } from '../../../../server/src/lsp/features/seriesState';
import type { AnalysisView } from '../../../../server/src/lsp/view';
import { CORPUS, DEBIAN_KERNEL, describeShared } from '../../../helpers/shared';
import { makeView, WHOLE } from '../view';

describeShared('language features on real data', () => {
  let view: AnalysisView;
  beforeAll(async () => {
    view = await makeView([path.join(CORPUS, 'github/SUSE__kernel-livepatch/SLE15-SP6_Update_0')], { kernel: DEBIAN_KERNEL });
  });

  it('every csv row has a hover with its stack and an inlay hint; the series state lists every sub-patch', () => {
    const { livepatches } = view.analysis;
    expect(livepatches.length).toBeGreaterThan(1);
    for (const lp of livepatches) {
      const funcs = functionsOf(lp);
      for (const f of funcs) {
        const h = hover(view, lp.file, f.location.range.start);
        expect(h && 'value' in (h.contents as object) ? (h.contents as { value: string }).value : '', lp.file).toContain(`**${f.object}:${f.name},`);
      }
      expect(inlayHints(view, lp.file, WHOLE), lp.file).toHaveLength(funcs.length);
    }
    const state = seriesState(view, null, { state: 'ready', description: '', source: null });
    expect(state.patches.map((p) => p.name)).toEqual(livepatches.map((lp) => lp.name));
  });
});
