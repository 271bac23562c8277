import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../../server/src/analysis/analyze';
import { patchOutcomes } from '../../../../server/src/analysis/outcomes';
import { patchStackOf, patchStacks, type PatchStack } from '../../../../server/src/analysis/roles';
import type { AnalysisView } from '../../../../server/src/lsp/view';
import { livepatch, series } from '../../../helpers/builders';
import { cursorInFile } from '../../../helpers/cursor';
import { cliSeries, KERNEL, lspFixture, makeView } from '../view';

/** name: stack / active / each entry as "patch role", newest first / droppedBy. */
function summary(stacks: PatchStack[]): string[] {
  return stacks.map(
    (s) =>
      `${s.object}:${s.name},${s.sympos} [${s.stack.join(' ')}] ${s.active ?? 'original'}: ` +
      s.entries.map((e) => `${e.outcome.livepatch.name} ${e.role}`).join(', ') +
      (s.droppedBy ? ` (dropped by ${s.droppedBy.livepatch.name})` : '') +
      (s.sourceFile ? ` in ${s.sourceFile}` : ''),
  );
}

describe('patch stacks after the series', () => {
  let cli: AnalysisView;
  let mixed: AnalysisView;
  let waiting: AnalysisView;
  beforeAll(async () => {
    [cli, mixed, waiting] = await Promise.all([
      makeView([cliSeries()], KERNEL),
      makeView([lspFixture('mixed')], KERNEL),
      makeView([lspFixture('waiting')], KERNEL),
    ]);
  });

  it('one function\'s stack, built alone, is the one of all the stacks', () => {
    for (const view of [cli, mixed, waiting]) {
      const all = patchStacks(view.analysis);
      expect(all.length).toBeGreaterThan(0);
      for (const s of all) expect(patchStackOf(view.analysis, s)).toEqual(s);
    }
    expect(patchStackOf(cli.analysis, { object: 'vmlinux', name: 'no_such_function', sympos: 0 })).toBeUndefined();
  });

  it("builds one function's stack without the sorted list of every function after the series (a hover in a series of thousands)", async () => {
    const view = await makeView([lspFixture('mixed')], KERNEL);
    const last = view.analysis.results.at(-1)!;
    const stack = patchStacks(mixed.analysis)[0];
    expect(patchStackOf(view.analysis, stack)).toEqual(stack);
    // Still the getter that builds it on the first read (simulator/snapshot.ts lazy()).
    expect(Object.getOwnPropertyDescriptor(last, 'functions')?.get).toBeDefined();
  });

  it('reference section 3: lpc replaces lpa and lpb; the function lpc drops runs the original', () => {
    expect(summary(patchStacks(cli.analysis))).toEqual([
      'vmlinux:cmdline_proc_show,1 [] original: lpb replaced, lpa replaced (dropped by lpc)',
      'vmlinux:version_proc_show,1 [lpc] lpc: lpc active, lpb replaced',
    ]);
  });

  it('active, shadowed, disabled and refused in one series; a diff gives the source file', () => {
    expect(summary(patchStacks(mixed.analysis))).toEqual([
      'vmlinux:cmdline_proc_show,1 [proc_fix lpa] proc_fix: proc_fix active, lpa shadowed in fs/proc/cmdline.c',
      'vmlinux:version_proc_show,1 [proc_fix] proc_fix: proc_fix active in fs/proc/version.c',
      'cdrom:media_changed,1 [] original: bsc1 disabled',
      'vmlinux:type_show,1 [] original: lpr refused',
    ]);
  });

  it('an enabled patch of a module that is not loaded waits for it', () => {
    expect(summary(patchStacks(waiting.analysis))).toEqual(['cdrom:media_changed,1 [] original: bsc1 waiting']);
  });

  it('keeps where each patch changes the function', () => {
    const [cmdline] = patchStacks(mixed.analysis);
    const [patch, lpa] = [lspFixture('mixed/proc-fix.patch'), lspFixture('mixed/lpa.c')];
    expect(cmdline.entries.map((e) => [e.func.location.file, e.func.location.range.start.line])).toEqual([
      [patch, cursorInFile(patch, "$0-\tseq_putc(m, '\\n');").line],
      [lpa, cursorInFile(lpa, '$0\t{\n\t\t.old_name = "cmdline_proc_show"').line],
    ]);
  });
});

describe('patch outcomes', () => {
  let mixed: AnalysisView;
  beforeAll(async () => {
    mixed = await makeView([lspFixture('mixed')], KERNEL);
  });

  it('read each patch from its load step and the last step', () => {
    expect(patchOutcomes(mixed.analysis).map((o) => [o.livepatch.name, o.state, o.replacedBy, o.error])).toEqual([
      ['lpa', 'enabled', null, null],
      ['proc_fix', 'enabled', null, null],
      ['bsc1', 'disabled', null, null],
      [
        'lpr',
        'refused',
        null,
        "livepatch: unresolvable ambiguity for symbol 'type_show' in object '(null)'\ninsmod: ERROR: could not insert module lpr.ko: Invalid parameters",
      ],
    ]);
  });

  const analysisOf = (ctx: ReturnType<typeof series>): Analysis => ({ ...ctx, plan: [], problems: [] });

  it('an rmmod-ed patch is unloaded; a later load of the same name is the one the last step shows', () => {
    const first = livepatch('lpa', { funcs: ['f'] });
    const second = livepatch('lpa', { funcs: ['g'] });
    const outcomes = patchOutcomes(analysisOf(series([first, { disable: 'lpa' }, { unload: 'lpa' }, second])));
    expect(outcomes.map((o) => [o.livepatch === first ? 'first' : 'second', o.state])).toEqual([
      ['first', 'unloaded'],
      ['second', 'enabled'],
    ]);
  });
});
