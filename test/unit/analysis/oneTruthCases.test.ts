// The four contradictions between the state and the checks that issue 10 names, each now one
// truth: the check's finding and what the hovers, inlay hints, series view and `klp-lens state` show.
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { patchOutcomes } from '../../../server/src/analysis/outcomes';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { formatStateText } from '../../../server/src/cli/formatState';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { emptyKernelContext, type KernelContext } from '../../../server/src/kernel/types';
import { hover } from '../../../server/src/lsp/features/hover';
import { inlayHints } from '../../../server/src/lsp/features/inlayHints';
import { seriesPatches } from '../../../server/src/lsp/features/seriesState';
import type { AnalysisView } from '../../../server/src/lsp/view';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { cursorIn } from '../../helpers/cursor';
import { readFixture } from '../../helpers/fixtures';
import { kernel } from '../../helpers/builders';
import { memoryFiles } from '../../helpers/memoryFiles';
import { WHOLE } from '../lsp/view';

/** A hand-written livepatch of `func` in the object `.name = object` (left out: NULL). */
function moduleSource(func: string, opts: { object?: string; modinfo?: boolean; replace?: boolean } = {}): string {
  return [
    '#include <linux/module.h>',
    '#include <linux/livepatch.h>',
    `static int livepatch_${func}(void) { return 0; }`,
    'static struct klp_func funcs[] = {',
    `\t{ .old_name = "${func}", .new_func = livepatch_${func}, }, { }`,
    '};',
    'static struct klp_object objs[] = {',
    `\t{ ${opts.object ? `.name = "${opts.object}", ` : ''}.funcs = funcs, }, { }`,
    '};',
    `static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs,${opts.replace ? ' .replace = true,' : ''} };`,
    'static int livepatch_init(void) { return klp_enable_patch(&patch); }',
    'module_init(livepatch_init);',
    'MODULE_LICENSE("GPL");',
    ...(opts.modinfo === false ? [] : ['MODULE_INFO(livepatch, "Y");']),
    '',
  ].join('\n');
}

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

/** The analysis of the files in /ws (with a `series` among them) as the language server would show it. */
function viewOf(files: Record<string, string>, kernel: KernelContext = emptyKernelContext()): AnalysisView {
  const fs = memoryFiles(files);
  const analysis = analyze({ paths: ['/ws'], kernel, fs, session: new AnalysisSession(parser) });
  return { analysis, kernel, parser, toUri: (f) => `file://${f}`, toFile: (u) => u.slice('file://'.length), readText: (f) => files[f] };
}

const codes = (view: AnalysisView) => view.analysis.problems.map((p) => p.code);
/** Each hint as "<the function its tooltip names> · <label>". */
const hintLabels = (view: AnalysisView, file: string) => inlayHints(view, file, WHOLE).map((h) => `${String(h.tooltip).split('\n')[0]} · ${String(h.label)}`);
/** The hover's markdown at the `$0` of `snippet`. */
function hoverText(view: AnalysisView, file: string, snippet: string): string {
  const contents = hover(view, file, cursorIn(view.readText(file)!, snippet))?.contents;
  return contents && typeof contents === 'object' && 'value' in contents ? contents.value : '';
}
const roles = (view: AnalysisView) =>
  seriesPatches(view).map((p) => [p.name, p.state, ...p.objects.flatMap((o) => o.functions.map((f) => `${f.key} ${f.role}`))]);

describe('one truth, case by case', () => {
  it('an object named "vmlinux": never patched, in the check, the hints, the series view and the state', () => {
    const view = viewOf({
      '/ws/series': 'bad.c\nlpb.c\n',
      '/ws/bad.c': moduleSource('cmdline_proc_show', { object: 'vmlinux' }),
      '/ws/lpb.c': moduleSource('cmdline_proc_show'),
    });
    expect(codes(view)).toEqual(['object-named-vmlinux']); // no overlap: bad's version never ran
    const message = view.analysis.problems[0].message;
    expect(hintLabels(view, '/ws/bad.c')).toContain('vmlinux:cmdline_proc_show,1 · never patched');
    expect(hintLabels(view, '/ws/lpb.c')).toContain('vmlinux:cmdline_proc_show,1 · ▲ active');
    expect(hoverText(view, '/ws/bad.c', '"$0cmdline_proc_show"')).toContain(`never patched: ${message} (object-named-vmlinux)`);
    expect(roles(view)).toEqual([
      ['bad', 'enabled', 'vmlinux:cmdline_proc_show,1 never'],
      ['lpb', 'enabled', 'vmlinux:cmdline_proc_show,1 active'],
    ]);
    const state = formatStateText(view.analysis);
    expect(state).toContain('vmlinux:cmdline_proc_show,1 runs lpb [stack: lpb]');
    expect(state).toContain(`vmlinux:cmdline_proc_show,1 of bad never patched: ${message} (object-named-vmlinux)`);
  });

  it('an object named "cdrm" (a typo of cdrom), with the example kernel\'s Module.symvers alone: diagnosed, and never patched', async () => {
    const kernel = await loadKernelContext({ kernel: path.resolve(__dirname, '../../../examples/kernel') });
    const view = viewOf({ '/ws/lp_cdrm.c': moduleSource('media_changed', { object: 'cdrm' }) }, kernel);
    const found = view.analysis.problems.find((p) => p.code === 'unknown-object');
    expect(found?.severity).toBe('warning');
    expect(found?.message).toMatch(/^no module named cdrm is known to this kernel .* Did you mean "cdrom"\?$/);
    expect(hintLabels(view, '/ws/lp_cdrm.c')).toContain('cdrm:media_changed,1 · never patched');
    expect(roles(view)).toEqual([['lp_cdrm', 'enabled', 'cdrm:media_changed,1 never']]);
    expect(seriesPatches(view)[0].objects[0].functions[0].reason).toBe(`${found!.message} (unknown-object)`);
    expect(formatStateText(view.analysis)).toContain('cdrm:media_changed,1 runs original');
    // A `load-module cdrm` cannot load what the kernel does not have.
    const loaded = viewOf({ '/ws/series': 'lp_cdrm.c\nload-module cdrm\n', '/ws/lp_cdrm.c': moduleSource('media_changed', { object: 'cdrm' }) }, kernel);
    expect(loaded.analysis.results[1].error).toBe('insmod: ERROR: could not load module cdrm.ko: No such file or directory');
  });

  it('a module without MODULE_INFO(livepatch, "Y"): refused in the hover, and no overlap warning says its version runs', () => {
    const view = viewOf({
      '/ws/series': 'lpa.c\nbad.c\n',
      '/ws/lpa.c': moduleSource('cmdline_proc_show'),
      '/ws/bad.c': moduleSource('cmdline_proc_show', { modinfo: false }),
    });
    expect(codes(view)).toEqual(['missing-livepatch-modinfo']); // neither overlapping-function nor missing-replace
    const shown = hoverText(view, '/ws/bad.c', '"$0cmdline_proc_show"');
    expect(shown).toContain('`bad`: refused: livepatch: module bad is not marked as a livepatch module');
    expect(shown).toContain('`lpa`: active');
    expect(hintLabels(view, '/ws/bad.c')).toContain('vmlinux:cmdline_proc_show,1 · refused');
    expect(roles(view)).toEqual([
      ['lpa', 'enabled', 'vmlinux:cmdline_proc_show,1 active'],
      ['bad', 'refused', 'vmlinux:cmdline_proc_show,1 refused'],
    ]);
  });

  it('an __init change: the build refuses the patch, and the hover on its other function says so in the check\'s words', () => {
    const patch = [
      'diff -Nupr src.orig/fs/proc/meminfo.c src/fs/proc/meminfo.c',
      '--- src.orig/fs/proc/meminfo.c',
      '+++ src/fs/proc/meminfo.c',
      '@@ -31,6 +31,7 @@ static void show_val_kb(struct seq_file *m, const char *s, unsigned long num)',
      ' ',
      ' static int meminfo_proc_show(struct seq_file *m, void *v)',
      ' {',
      '+\tseq_puts(m, "patched\\n");',
      ' \tstruct sysinfo i;',
      ' \tunsigned long committed;',
      ' \tlong available;',
      '@@ -171,6 +172,7 @@ static int meminfo_proc_show(struct seq_',
      ' ',
      ' static int __init proc_meminfo_init(void)',
      ' {',
      '+\tpr_info("meminfo: init\\n");',
      ' \tproc_create_single("meminfo", 0, NULL, meminfo_proc_show);',
      ' \treturn 0;',
      ' }',
      '',
    ].join('\n');
    const view = viewOf({ '/ws/bad.patch': patch });
    const init = view.analysis.problems.filter((p) => p.code === 'init-function');
    expect(init).toHaveLength(1);
    const [outcome] = patchOutcomes(view.analysis);
    expect([outcome.state, outcome.error, outcome.unbuilt]).toEqual(['refused', init[0].message, init[0]]);
    expect(view.analysis.results[0].error).toBe('insmod: ERROR: could not load module bad.ko: No such file or directory');
    const shown = hoverText(view, '/ws/bad.patch', 'static int $0meminfo_proc_show(struct seq_file *m, void');
    expect(shown).toContain(`\`bad\`: refused by the build: ${init[0].message} (init-function)`);
    expect(shown).not.toMatch(/active|runs`/);
    const labels = hintLabels(view, '/ws/bad.patch');
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label).toMatch(/,1 · refused by the build$/);
    expect(formatStateText(view.analysis).split('\n').slice(0, 2)).toEqual([
      '1. load bad: FAILED: insmod: ERROR: could not load module bad.ko: No such file or directory',
      `   bad refused by the build: ${init[0].message} (init-function)`,
    ]);
  });

  it('a livepatch that uses another livepatch\'s export, loaded before it: insmod fails, as livepatch-export says', () => {
    const main = moduleSource('cmdline_proc_show').replace('MODULE_LICENSE', 'int lp_shared(void) { return 1; }\nEXPORT_SYMBOL_GPL(lp_shared);\nMODULE_LICENSE');
    const user = moduleSource('version_proc_show').replace('{ return 0; }', '{ return lp_shared(); }').replace('#include <linux/livepatch.h>', '#include <linux/livepatch.h>\nextern int lp_shared(void);');
    const view = viewOf({ '/ws/series': 'lp_user.c\nlp_main.c\n', '/ws/lp_main.c': main, '/ws/lp_user.c': user });
    const use = view.analysis.problems.find((p) => p.code === 'livepatch-export' && p.file === '/ws/lp_user.c');
    expect(use?.message).toContain('insmod of lp_user fails on the unknown symbol `lp_shared`');
    expect(view.analysis.results[0].error).toContain('lp_user: Unknown symbol lp_shared (err -2)');
    expect(roles(view)).toEqual([
      ['lp_user', 'refused', 'vmlinux:version_proc_show,1 refused'],
      ['lp_main', 'enabled', 'vmlinux:cmdline_proc_show,1 active'],
    ]);
  });

  it('a diff of a function whose name occurs many times: information only, since the build writes its position, and the patch loads', () => {
    const patch = [
      'diff -Nupr src.orig/drivers/base/cacheinfo.c src/drivers/base/cacheinfo.c',
      '--- src.orig/drivers/base/cacheinfo.c',
      '+++ src/drivers/base/cacheinfo.c',
      '@@ -400,6 +400,7 @@ static ssize_t type_show(struct device *dev,',
      ' \t\t\t struct device_attribute *attr, char *buf)',
      ' {',
      ' \tstruct cacheinfo *this_leaf = dev_get_drvdata(dev);',
      '+\tpr_debug("type\\n");',
      ' \tconst char *output;',
      ' ',
      ' \tswitch (this_leaf->type) {',
      '',
    ].join('\n');
    const view = viewOf({ '/ws/amb.patch': patch }, kernel({ symbols: { vmlinux: ['type_show', 'other', 'type_show'] } }));
    const ambiguous = view.analysis.problems.filter((p) => p.code === 'ambiguous-symbol');
    expect(ambiguous.map((p) => p.severity)).toEqual(['information']);
    expect(view.analysis.results[0].ok).toBe(true);
    expect(roles(view)).toEqual([['amb', 'enabled', 'vmlinux:type_show,1 active']]);
  });

  it('a function the build leaves out (inline): refused by the build, the rest of the patch loads', () => {
    const view = viewOf({ '/ws/bad.patch': readFixture('checks', 'inline-function', 'bad.patch') });
    const inline = view.analysis.problems.filter((p) => p.code === 'inline-function');
    expect(inline.length).toBeGreaterThan(0);
    expect(patchOutcomes(view.analysis)[0].state).toBe('enabled');
    for (const p of inline) {
      const fn = seriesPatches(view)[0].objects.flatMap((o) => o.functions).find((f) => f.name === (p.data as { function: string }).function);
      expect([fn?.role, fn?.reason]).toEqual(['refused', `${p.message} (inline-function)`]);
    }
    expect(view.analysis.results[0].functions).toEqual([]);
  });
});
