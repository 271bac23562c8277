import { beforeAll, describe, expect, it } from 'vitest';
import { seriesState } from '../../../../server/src/lsp/features/seriesState';
import type { KernelStatus } from '../../../../server/src/lsp/protocol';
import type { AnalysisView } from '../../../../server/src/lsp/view';
import { cursorInFile, rangeInFile } from '../../../helpers/cursor';
import { cliSeries, KERNEL, lspFixture, makeView, uriOf } from '../view';

const KERNEL_STATUS: KernelStatus = { state: 'ready', description: 'test kernel', source: KERNEL.kernel! };

describe('the series state request', () => {
  let cli: AnalysisView;
  let mixed: AnalysisView;
  beforeAll(async () => {
    [cli, mixed] = await Promise.all([makeView([cliSeries()], KERNEL), makeView([lspFixture('mixed')], KERNEL)]);
  });

  it('reference section 3: lpa and lpb replaced by lpc, lpc enabled, each function where its patch changes it', () => {
    const state = seriesState(cli, uriOf(cliSeries('series')), KERNEL_STATUS);
    expect(state.seriesUri).toBe(uriOf(cliSeries('series')));
    expect(state.kernel).toBe(KERNEL_STATUS);
    expect(state.steps).toBe(cli.analysis.results);
    expect(state.patches.map((p) => [p.name, p.kind, p.replace, p.state, p.replacedBy, p.error])).toEqual([
      ['lpa', 'module', false, 'replaced', 'lpc', null],
      ['lpb', 'module', false, 'replaced', 'lpc', null],
      ['lpc', 'module', true, 'enabled', null, null],
    ]);
    const lpb = cliSeries('lpb.c');
    expect(state.patches[1]).toEqual({
      name: 'lpb',
      kind: 'module',
      uri: uriOf(lpb),
      replace: false,
      state: 'replaced',
      replacedBy: 'lpc',
      error: null,
      objects: [
        {
          name: 'vmlinux',
          functions: [
            { key: 'vmlinux:cmdline_proc_show,1', object: 'vmlinux', name: 'cmdline_proc_show', sympos: 1, stack: [], active: null, role: 'replaced', uri: uriOf(lpb), range: rangeInFile(lpb, '.old_name = $0"cmdline_proc_show"$0') },
            { key: 'vmlinux:version_proc_show,1', object: 'vmlinux', name: 'version_proc_show', sympos: 1, stack: ['lpc'], active: 'lpc', role: 'replaced', uri: uriOf(lpb), range: rangeInFile(lpb, '.old_name = $0"version_proc_show"$0') },
          ],
        },
      ],
      dropped: [],
    });
    expect(state.patches[2].dropped.map((d) => `${d.key} from ${d.from} (${d.fromIndex})`)).toEqual(['vmlinux:cmdline_proc_show,1 from lpa (0)']);
  });

  it('the steps are the `state --format json` steps; refused and disabled patches with their message', () => {
    const state = seriesState(mixed, null, KERNEL_STATUS);
    expect(state.seriesUri).toBeNull();
    expect(state.steps.map((s) => `${s.action} ${s.target} ${s.ok}`)).toEqual([
      'load lpa true',
      'load proc_fix true',
      'load bsc1 true',
      'load lpr false',
      'disable bsc1 true',
    ]);
    expect(state.patches.map((p) => [p.name, p.state, p.error?.split('\n')[0] ?? null])).toEqual([
      ['lpa', 'enabled', null],
      ['proc_fix', 'enabled', null],
      ['bsc1', 'disabled', null],
      ['lpr', 'refused', "livepatch: unresolvable ambiguity for symbol 'type_show' in object '(null)'"],
    ]);
    const procFix = state.patches[1];
    const patch = lspFixture('mixed/proc-fix.patch');
    expect(procFix.objects[0].functions.map((f) => [f.name, f.stack, f.active, f.range.start.line])).toEqual([
      ['cmdline_proc_show', ['proc_fix', 'lpa'], 'proc_fix', cursorInFile(patch, "$0-\tseq_putc(m, '\\n');").line],
      ['version_proc_show', ['proc_fix'], 'proc_fix', cursorInFile(patch, '$0-\tseq_printf(m, "Linux version %s\\n"').line],
    ]);
  });
});
