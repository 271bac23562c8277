import { beforeAll, describe, expect, it } from 'vitest';
import type { InlayHint } from 'vscode-languageserver-protocol';
import type { Position } from '../../../../server/src/common/range';
import { inlayHints } from '../../../../server/src/lsp/features/inlayHints';
import type { AnalysisView } from '../../../../server/src/lsp/view';
import { cursorInFile, rangeInFile } from '../../../helpers/cursor';
import { cliSeries, KERNEL, lspFixture, makeView, uriOf, WHOLE } from '../view';

const place = (p: Position, label: string) => `${p.line}:${p.character} ${label}`;
/** "line:character label" for each hint, the label's parts joined. */
const shown = (hints: InlayHint[]) => hints.map((h) => place(h.position, typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
/** What `shown` gives for a hint with `label` at the marked place of a file. */
const hintAt = (file: string, snippet: string, label: string) => place(cursorInFile(file, snippet), label);
const mixed = (file: string) => lspFixture('mixed', file);
const series = mixed('series');
const lpa = mixed('lpa.c');
const patch = mixed('proc-fix.patch');
const csv = mixed('bsc1/patched_funcs.csv');
const waitingCsv = lspFixture('waiting', 'bsc1/patched_funcs.csv');
const cmdline = lspFixture('source/fs/proc/cmdline.c');
const cmdlineHead = 'static int cmdline_proc_show(struct seq_file *m, void *v)$0';

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
    const hints = inlayHints(view, series, WHOLE);
    expect(shown(hints)).toEqual([
      hintAt(series, 'lpa.c$0', 'enabled'),
      hintAt(series, 'proc-fix.patch -R$0', 'enabled'),
      hintAt(series, 'bsc1/patched_funcs.csv -R$0', 'disabled'),
      hintAt(series, 'lpr.c$0', "refused: livepatch: unresolvable ambiguity for symbol 'type_show' in object '(null)'"),
    ]);
    expect(hints[3].tooltip).toContain('insmod: ERROR: could not insert module lpr.ko: Invalid parameters');
    const cliList = cliSeries('series');
    expect(shown(inlayHints(cli, cliList, WHOLE))).toEqual([
      hintAt(cliList, 'lpa.c$0', 'replaced by lpc'),
      hintAt(cliList, 'lpb.c$0', 'replaced by lpc'),
      hintAt(cliList, 'lpc.c$0', 'enabled'),
    ]);
  });

  it('on a failed action line', async () => {
    const failing = await makeView([lspFixture('failing-action')], KERNEL);
    const failingSeries = lspFixture('failing-action/series');
    expect(shown(inlayHints(failing, failingSeries, WHOLE))).toEqual([
      hintAt(failingSeries, 'disable nothing$0', 'failed: bash: /sys/kernel/livepatch/nothing/enabled: No such file or directory'),
    ]);
  });

  it('after each klp_func entry: what became of this patch there, its function in the tooltip', () => {
    const [shadowed] = inlayHints(view, lpa, WHOLE);
    expect(shown([shadowed])).toEqual([hintAt(lpa, '.old_name = "cmdline_proc_show",$0', 'shadowed by proc_fix')]);
    expect(shadowed.tooltip).toBe('vmlinux:cmdline_proc_show,1\nstack after the series: proc_fix > lpa');
    const [lpb, lpc, lpr] = [cliSeries('lpb.c'), cliSeries('lpc.c'), mixed('lpr.c')];
    expect(shown(inlayHints(cli, lpb, WHOLE))).toEqual([
      hintAt(lpb, '.old_name = "cmdline_proc_show",$0', 'original runs after lpc'),
      hintAt(lpb, '.old_name = "version_proc_show",$0', 'replaced by lpc'),
    ]);
    expect(shown(inlayHints(cli, lpc, WHOLE))).toEqual([hintAt(lpc, '.old_name = "version_proc_show",$0', '▲ active')]);
    expect(shown(inlayHints(view, lpr, WHOLE))).toEqual([hintAt(lpr, '.old_name = "type_show",$0', 'refused')]);
  });

  it("on each hunk's @@ line, and after each csv row", () => {
    const hints = inlayHints(view, patch, WHOLE);
    expect(shown(hints)).toEqual([
      hintAt(patch, '@@ -7,7 +7,7 @@$0', '▲ active over lpa'),
      hintAt(patch, '@@ -8,7 +8,7 @@$0', '▲ active'),
    ]);
    expect(hints[0].tooltip).toBe('vmlinux:cmdline_proc_show,1\nstack after the series: proc_fix > lpa');
    expect(shown(inlayHints(view, csv, WHOLE))).toEqual([hintAt(csv, 'livepatch_media_changed$0', 'disabled')]);
    expect(shown(inlayHints(waiting, waitingCsv, WHOLE))).toEqual([hintAt(waitingCsv, 'livepatch_media_changed$0', 'waits for cdrom to load')]);
  });

  it('after the head of each patched function in a kernel source file, each patch linking to its entry', () => {
    const [hint, ...others] = inlayHints(view, cmdline, WHOLE);
    expect(others).toEqual([]);
    expect(hint.position).toEqual(cursorInFile(cmdline, cmdlineHead));
    expect(hint.label).toEqual([
      { value: 'proc_fix active', location: { uri: uriOf(patch), range: rangeInFile(patch, "$0-\tseq_putc(m, '\\n');$0") }, tooltip: 'proc-fix.patch:10' },
      { value: ' · ' },
      { value: 'lpa shadowed', location: { uri: uriOf(lpa), range: rangeInFile(lpa, '.old_name = $0"cmdline_proc_show"$0') }, tooltip: 'lpa.c:16' },
    ]);
    // The head of version_proc_show spans two lines: the hint goes after the second.
    const version = lspFixture('source/fs/proc/version.c');
    expect(shown(inlayHints(view, version, WHOLE))).toEqual([hintAt(version, 'version_proc_show(struct seq_file *m, void *v)$0', 'proc_fix active')]);
    expect(shown(inlayHints(cli, cmdline, WHOLE))).toEqual([hintAt(cmdline, cmdlineHead, 'original runs after lpc · lpb replaced by lpc · lpa replaced by lpc')]);
    const cdrom = lspFixture('source/drivers/cdrom/cdrom.c');
    expect(shown(inlayHints(view, cdrom, WHOLE))).toEqual([hintAt(cdrom, 'static int media_changed(struct cdrom_device_info *cdi, int queue)$0', 'bsc1 disabled')]);
  });

  it('only within the range asked for', () => {
    // The lines of proc-fix.patch and of the csv, not the hints of the lines around them.
    const range = rangeInFile(series, '\n$0proc-fix.patch -R\nbsc1/patched_funcs.csv -R\n$0');
    expect(shown(inlayHints(view, series, range))).toEqual([hintAt(series, 'proc-fix.patch -R$0', 'enabled'), hintAt(series, 'bsc1/patched_funcs.csv -R$0', 'disabled')]);
    // From the line after the first @@ line up to the second file's +++ line: no @@ line.
    const hunk = { start: cursorInFile(patch, '@@ -7,7 +7,7 @@\n$0'), end: cursorInFile(patch, '$0+++ b/fs/proc/version.c') };
    expect(inlayHints(view, patch, hunk)).toEqual([]);
  });

  it('none in a file the series does not patch', () => {
    expect(inlayHints(view, lspFixture('source/drivers/Makefile'), WHOLE)).toEqual([]);
    expect(inlayHints(view, lspFixture('klpsym/lpk.c'), WHOLE)).toEqual([]);
  });
});
