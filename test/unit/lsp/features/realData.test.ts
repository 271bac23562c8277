// The features on SUSE's cumulative livepatch (one csv per part) against the Debian 6.1 kernel.
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { functionsOf } from '../../../../server/src/model/livepatch';
import { seriesState } from '../../../../server/src/lsp/features/seriesState';
import { partDefinition, partHover } from '../../../../server/src/lsp/features/suseParts';
import type { AnalysisView } from '../../../../server/src/lsp/view';
import { CORPUS, DEBIAN_KERNEL, describeShared } from '../../../helpers/shared';
import { makeView, uriOf } from '../view';

describeShared('language features on real data', () => {
  let view: AnalysisView;
  beforeAll(async () => {
    view = await makeView([path.join(CORPUS, 'github/SUSE__kernel-livepatch/SLE15-SP6_Update_0')], { kernel: DEBIAN_KERNEL });
  });

  it("every part's row has a hover with its stack, and its new_func column leads to the klpp_ definition; the series state lists the one livepatch", () => {
    const { livepatches } = view.analysis;
    expect(livepatches).toHaveLength(1);
    const funcs = functionsOf(livepatches[0]);
    // 67 rows, one compiled out on Debian's x86-64 (bsc1225310's `defined(CONFIG_S390)`, checks/compiled-out.ts).
    expect(funcs).toHaveLength(66);
    expect(livepatches[0].leftOut?.map((l) => l.function.name)).toEqual(['drm_client_modeset_probe']);
    for (const f of funcs) {
      const h = partHover(view, f.location.file, f.location.range.start);
      expect(h && 'value' in (h.contents as object) ? (h.contents as { value: string }).value : '', f.location.file).toContain(`**${f.object}:${f.name},`);
      const [link] = partDefinition(view, f.location.file, f.newFuncLocation!.range.start) ?? [];
      expect(link?.targetUri, f.newFunc).toBe(uriOf(f.newFuncDefinition!.file));
    }
    const state = seriesState(view, null, { state: 'ready', description: '', source: null });
    // Refused on Debian's kernel: two of its vmlinux functions are not in its symbol table (unknown-symbol).
    expect(state.patches.map((p) => [p.name, p.state])).toEqual([['SLE15_SP6_Update_0', 'refused']]);
  });
});
