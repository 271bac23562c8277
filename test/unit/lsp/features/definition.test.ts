import { beforeAll, describe, expect, it } from 'vitest';
import type { LocationLink } from 'vscode-languageserver-protocol';
import { definition } from '../../../server/src/lsp/features/definition';
import type { AnalysisView } from '../../../server/src/lsp/view';
import { cliSeries, KERNEL, lspFixture, makeView, uriOf } from './view';

/** "file:line:character" of each target's name, relative to the fake source tree. */
const targets = (links: LocationLink[]) =>
  links.map((l) => `${l.targetUri.replace(`${uriOf(lspFixture('source'))}/`, '')}:${l.targetSelectionRange.start.line}:${l.targetSelectionRange.start.character}`);
const mixed = (file: string) => lspFixture('mixed', file);

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
    const [link, ...more] = definition(view, mixed('lpa.c'), { line: 15, character: 20 });
    expect(more).toEqual([]);
    expect(link).toEqual({
      originSelectionRange: { start: { line: 15, character: 14 }, end: { line: 15, character: 33 } },
      targetUri: uriOf(lspFixture('source/fs/proc/cmdline.c')),
      targetRange: { start: { line: 6, character: 0 }, end: { line: 11, character: 1 } },
      targetSelectionRange: { start: { line: 6, character: 11 }, end: { line: 6, character: 28 } },
    });
  });

  it("from a hunk's function: the diff's own file", () => {
    expect(targets(definition(view, mixed('proc-fix.patch'), { line: 20, character: 1 }))).toEqual(['fs/proc/version.c:8:0']);
    expect(targets(definition(view, mixed('proc-fix.patch'), { line: 5, character: 1 }))).toEqual(['fs/proc/cmdline.c:6:11']);
  });

  it("from a csv row of a module: the C files of the module's directory (from Module.symvers)", () => {
    expect(targets(definition(view, mixed('bsc1/patched_funcs.csv'), { line: 0, character: 10 }))).toEqual(['drivers/cdrom/cdrom.c:11:11']);
  });

  it('nothing when no diff places a vmlinux function, when the source tree is unknown, or off a function', () => {
    expect(definition(cli, cliSeries('lpa.c'), { line: 14, character: 20 })).toEqual([]);
    expect(definition(noSource, mixed('lpa.c'), { line: 15, character: 20 })).toEqual([]);
    expect(definition(view, mixed('lpa.c'), { line: 2, character: 3 })).toEqual([]);
    // A function the kernel source does not define.
    expect(definition(view, mixed('lpr.c'), { line: 14, character: 16 })).toEqual([]);
  });
});
