import { beforeAll, describe, expect, it } from 'vitest';
import type { InlayHint } from 'vscode-languageserver-protocol';
import { inlayHints } from '../../../server/src/lsp/features/inlayHints';
import type { AnalysisView } from '../../../server/src/lsp/view';
import { cliSeries, KERNEL, lspFixture, makeView, uriOf, WHOLE } from './view';

/** "line:character label" for each hint, the label's parts joined. */
const shown = (hints: InlayHint[]) =>
  hints.map((h) => `${h.position.line}:${h.position.character} ${typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')}`);
const mixed = (file: string) => lspFixture('mixed', file);

describe('inlay hints', () => {
  let view: AnalysisView;
  let cli: AnalysisView;
  let waiting: AnalysisView;
  beforeAll(async () => {
    [view, cli, waiting] = await Promise.all([
      makeView([lspFixture('mixed')], KERNEL),
      makeView([cliSeries()], KERNEL),
      makeView([lspFixture('waiting')], KERNEL),
    ]);
  });

  it("on each series line: the patch's state after the series, the kernel's first line when refused", () => {
    const hints = inlayHints(view, mixed('series'), WHOLE);
    expect(shown(hints)).toEqual([
      '1:5 enabled',
      '2:17 enabled',
      '3:25 disabled',
      "4:5 refused: livepatch: unresolvable ambiguity for symbol 'type_show' in object '(null)'",
    ]);
    expect(hints[3].tooltip).toContain('insmod: ERROR: could not insert module lpr.ko: Invalid parameters');
    expect(shown(inlayHints(cli, cliSeries('series'), WHOLE))).toEqual(['1:5 replaced by lpc', '2:5 replaced by lpc', '3:5 enabled']);
  });

  it('on a failed action line', async () => {
    const failing = await makeView([lspFixture('failing-action')], KERNEL);
    expect(shown(inlayHints(failing, lspFixture('failing-action/series'), WHOLE))).toEqual([
      '1:15 failed: bash: /sys/kernel/livepatch/nothing/enabled: No such file or directory',
    ]);
  });

  it('after each klp_func entry: its function and what became of this patch there', () => {
    expect(shown(inlayHints(view, mixed('lpa.c'), WHOLE))).toEqual(['15:34 vmlinux:cmdline_proc_show,1 · shadowed by proc_fix']);
    expect(shown(inlayHints(cli, cliSeries('lpb.c'), WHOLE))).toEqual([
      '20:34 vmlinux:cmdline_proc_show,1 · original runs after lpc',
      '23:34 vmlinux:version_proc_show,1 · replaced by lpc',
    ]);
    expect(shown(inlayHints(cli, cliSeries('lpc.c'), WHOLE))).toEqual(['14:34 vmlinux:version_proc_show,1 · active']);
    expect(shown(inlayHints(view, mixed('lpr.c'), WHOLE))).toEqual(['14:26 vmlinux:type_show,1 · refused']);
  });

  it("on each hunk's @@ line, and after each csv row", () => {
    const hints = inlayHints(view, mixed('proc-fix.patch'), WHOLE);
    expect(shown(hints)).toEqual(['5:15 vmlinux:cmdline_proc_show,1 · overrides lpa', '17:15 vmlinux:version_proc_show,1 · active']);
    expect(hints[0].tooltip).toBe('stack after the series: proc_fix > lpa');
    expect(shown(inlayHints(view, mixed('bsc1/patched_funcs.csv'), WHOLE))).toEqual(['0:43 cdrom:media_changed,1 · disabled']);
    expect(shown(inlayHints(waiting, mixed('bsc1/patched_funcs.csv'), WHOLE))).toEqual(['0:43 cdrom:media_changed,1 · waits for cdrom to load']);
  });

  it('after the head of each patched function in a kernel source file, each patch linking to its entry', () => {
    const [hint, ...others] = inlayHints(view, lspFixture('source/fs/proc/cmdline.c'), WHOLE);
    expect(others).toEqual([]);
    expect(hint.position).toEqual({ line: 6, character: 57 });
    expect(hint.label).toEqual([
      { value: 'proc_fix active', location: { uri: uriOf(mixed('proc-fix.patch')), range: { start: { line: 9, character: 0 }, end: { line: 9, character: 20 } } }, tooltip: 'proc-fix.patch:10' },
      { value: ' · ' },
      { value: 'lpa shadowed', location: { uri: uriOf(mixed('lpa.c')), range: { start: { line: 15, character: 14 }, end: { line: 15, character: 33 } } }, tooltip: 'lpa.c:16' },
    ]);
    // The head of version_proc_show spans two lines: the hint goes after the second.
    expect(shown(inlayHints(view, lspFixture('source/fs/proc/version.c'), WHOLE))).toEqual(['8:46 proc_fix active']);
    expect(shown(inlayHints(cli, lspFixture('source/fs/proc/cmdline.c'), WHOLE))).toEqual([
      '6:57 original runs after lpc · lpb replaced by lpc · lpa replaced by lpc',
    ]);
    expect(shown(inlayHints(view, lspFixture('source/drivers/cdrom/cdrom.c'), WHOLE))).toEqual(['11:66 bsc1 disabled']);
  });

  it('only within the range asked for', () => {
    const range = { start: { line: 2, character: 0 }, end: { line: 3, character: 30 } };
    expect(shown(inlayHints(view, mixed('series'), range))).toEqual(['2:17 enabled', '3:25 disabled']);
    expect(inlayHints(view, mixed('proc-fix.patch'), { start: { line: 6, character: 0 }, end: { line: 16, character: 0 } })).toEqual([]);
  });

  it('none in a file the series does not patch', () => {
    expect(inlayHints(view, lspFixture('source/drivers/Makefile'), WHOLE)).toEqual([]);
    expect(inlayHints(view, lspFixture('klpsym/lpk.c'), WHOLE)).toEqual([]);
  });
});
