import { beforeAll, describe, expect, it } from 'vitest';
import type { LocationLink } from 'vscode-languageserver-protocol';
import type { Position } from '../../../../server/src/common/range';
import { definition } from '../../../../server/src/lsp/features/definition';
import type { AnalysisView } from '../../../../server/src/lsp/view';
import { cursorInFile, rangeInFile } from '../../../helpers/cursor';
import { cliSeries, KERNEL, lspFixture, makeView, uriOf } from '../view';

const place = (file: string, p: Position) => `${file}:${p.line}:${p.character}`;
/** "file:line:character" of each target's name, relative to the fake source tree. */
const targets = (links: LocationLink[]) => links.map((l) => place(l.targetUri.replace(`${uriOf(lspFixture('source'))}/`, ''), l.targetSelectionRange.start));
/** The target `targets` shows for the marked name in a file of the fake source tree. */
const target = (file: string, snippet: string) => place(file, cursorInFile(lspFixture('source', file), snippet));
const mixed = (file: string) => lspFixture('mixed', file);
const lpa = mixed('lpa.c');
const cmdline = lspFixture('source/fs/proc/cmdline.c');

describe('go to definition in the kernel source', () => {
  let view: AnalysisView;
  let cli: AnalysisView;
  let noSource: AnalysisView;
  beforeAll(async () => {
    [view, cli, noSource] = await Promise.all([
      makeView([lspFixture('mixed')], KERNEL),
      makeView([cliSeries()], KERNEL),
      makeView([lspFixture('mixed')], { kernel: KERNEL.kernel }),
    ]);
  });

  it("from a module's old_name: the file a diff of the series gives the same function", () => {
    const [link, ...more] = definition(view, lpa, cursorInFile(lpa, '.old_name = "cmdli$0ne_proc_show"'));
    expect(more).toEqual([]);
    expect(link).toEqual({
      originSelectionRange: rangeInFile(lpa, '.old_name = $0"cmdline_proc_show"$0'),
      targetUri: uriOf(cmdline),
      targetRange: { start: cursorInFile(cmdline, '$0static int cmdline_proc_show('), end: cursorInFile(cmdline, '\treturn 0;\n}$0\n\nstatic int __init proc_cmdline_init') },
      targetSelectionRange: rangeInFile(cmdline, 'static int $0cmdline_proc_show$0('),
    });
  });

  it("from a hunk's function: the diff's own file", () => {
    const patch = mixed('proc-fix.patch');
    expect(targets(definition(view, patch, cursorInFile(patch, ' version_proc_show(struct seq_file *m, void *v)\n $0{')))).toEqual([target('fs/proc/version.c', '$0version_proc_show(')]);
    expect(targets(definition(view, patch, cursorInFile(patch, '@$0@ -7,7 +7,7 @@')))).toEqual([target('fs/proc/cmdline.c', 'static int $0cmdline_proc_show(')]);
  });

  it("from a csv row of a module: the C files of the module's directory (from Module.symvers)", () => {
    const csv = mixed('bsc1/patched_funcs.csv');
    expect(targets(definition(view, csv, cursorInFile(csv, 'cdrom medi$0a_changed')))).toEqual([target('drivers/cdrom/cdrom.c', 'static int $0media_changed(')]);
  });

  it('nothing when no diff places a vmlinux function, when the source tree is unknown, or off a function', () => {
    expect(definition(cli, cliSeries('lpa.c'), cursorInFile(cliSeries('lpa.c'), '.old_name = "cmdli$0ne_proc_show"'))).toEqual([]);
    expect(definition(noSource, lpa, cursorInFile(lpa, '.old_name = "cmdli$0ne_proc_show"'))).toEqual([]);
    expect(definition(view, lpa, cursorInFile(lpa, '#in$0clude <linux/kernel.h>'))).toEqual([]);
    // A function the kernel source does not define.
    expect(definition(view, mixed('lpr.c'), cursorInFile(mixed('lpr.c'), '.old_name = "t$0ype_show"'))).toEqual([]);
  });
});
