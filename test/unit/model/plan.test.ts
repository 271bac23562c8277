import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSource, type FileSource } from '../../../server/src/common/fileSource';
import { makeRange } from '../../../server/src/common/range';
import { planSeries, livepatchKindOf, type PlanItem } from '../../../server/src/model/plan';
import { fixturePath } from '../../helpers/fixtures';
import { stubFiles } from '../../helpers/stubFiles';

const fs = nodeFileSource();
const WITH = fixturePath('series/plan/with-series');
const WITHOUT = fixturePath('series/plan/no-series');
const at = (line: number, start: number, end: number) => makeRange(line, start, line, end);

/** A short form of an item: kind, file relative to `base`, name, noReplace / action target. */
function brief(items: PlanItem[], base: string): string[] {
  return items.map((i) =>
    i.kind === 'patch'
      ? `${i.livepatchKind} ${path.relative(base, i.file)} ${i.name}${i.noReplace ? ' no-replace' : ''}`
      : `${i.action} ${i.target}`,
  );
}

/** An in-memory tree: files by path; directories are the folders above them. */
function memoryFileSource(files: Record<string, string>): FileSource {
  const isDirectory = (p: string) => Object.keys(files).some((f) => f.startsWith(p.replace(/\/$/, '') + '/'));
  return stubFiles({
    readText: (p) => files[p],
    isDirectory,
    listDir: (p) =>
      isDirectory(p)
        ? [...new Set(Object.keys(files).filter((f) => f.startsWith(p + '/')).map((f) => f.slice(p.length + 1).split('/')[0]))].sort()
        : undefined,
  });
}

const EXPECTED_WITH_SERIES = [
  'diff first-fix.patch first_fix',
  'module mod-dir/livepatch_mod.c livepatch_mod no-replace',
  'diff sub/second.diff my_lp',
  'disable first_fix',
  'csv bsc1/patched_funcs.csv bsc1 no-replace',
  'diff quilt-no-ext quilt_no_ext',
  'load-module cdrom',
];

describe('planSeries with a series', () => {
  const plan = planSeries([WITH], undefined, fs);

  it('finds the series inside a single directory and follows its order', () => {
    expect(plan.series?.file).toBe(path.join(WITH, 'series'));
    expect(brief(plan.items, WITH)).toEqual(EXPECTED_WITH_SERIES);
  });

  it('keeps each item at its series line', () => {
    expect(plan.items.map((i) => i.location?.range.start.line)).toEqual([1, 2, 3, 4, 5, 9, 10]);
    expect(plan.items[1].location).toEqual({ file: path.join(WITH, 'series'), range: at(2, 0, 10) });
  });

  it('drops missing files, and directories holding no or several livepatches, with an error at their line', () => {
    expect(plan.problems.map((p) => [p.code, p.severity, p.range, p.file])).toEqual([
      ['unreadable-input', 'error', at(6, 0, 13), path.join(WITH, 'series')],
      ['unreadable-input', 'error', at(7, 0, 5), path.join(WITH, 'series')],
      ['unreadable-input', 'error', at(8, 0, 5), path.join(WITH, 'series')],
    ]);
    expect(plan.problems[1].message).toContain('2 livepatches');
    expect(plan.problems[1].message).toContain('a.patch, b.patch');
    expect(plan.problems[2].message).toContain('no livepatch');
  });

  it('takes the series given, and one given as the only path', () => {
    expect(brief(planSeries([], path.join(WITH, 'series'), fs).items, WITH)).toEqual(EXPECTED_WITH_SERIES);
    expect(brief(planSeries([path.join(WITH, 'series')], undefined, fs).items, WITH)).toEqual(EXPECTED_WITH_SERIES);
  });

  it('loads explicit files the series does not list after it, with an information problem', () => {
    const extra = path.join(WITH, 'extra.patch');
    const listed = path.join(WITH, 'sub/../first-fix.patch');
    const p = planSeries([extra, listed, WITH], path.join(WITH, 'series'), fs);
    expect(brief(p.items, WITH)).toEqual([...EXPECTED_WITH_SERIES, 'diff extra.patch extra']);
    expect(p.items.at(-1)?.location).toBeUndefined();
    const info = p.problems.filter((q) => q.severity === 'information');
    expect(info.map((q) => [q.code, q.file, q.range])).toEqual([['not-in-series', extra, at(0, 0, 0)]]);
    expect(info[0].related?.[0].location.file).toBe(path.join(WITH, 'series'));
  });

  it('includes the series parse errors and still plans the good lines', () => {
    const mem = memoryFileSource({ '/s/series': 'a.patch --bogus\nb.patch\n', '/s/a.patch': '', '/s/b.patch': '' });
    const p = planSeries(['/s'], undefined, mem);
    expect(brief(p.items, '/s')).toEqual(['diff b.patch b']);
    expect(p.problems.map((q) => [q.code, q.range])).toEqual([['parse-error', at(0, 8, 15)]]);
    expect(p.series?.problems).toHaveLength(1);
  });

  it('resolves absolute entries as they are, and relative ones against the series folder', () => {
    const mem = memoryFileSource({ '/s/series': '/s/x.patch\nin/y.patch name=why-not\n', '/s/x.patch': '', '/s/in/y.patch': '' });
    expect(brief(planSeries([], '/s/series', mem).items, '/')).toEqual(['diff s/x.patch x', 'diff s/in/y.patch why_not']);
  });

  it('reads no entry outside the series folder and the folders given: an outside-workspace error on its line', () => {
    const series = '/elsewhere/x.patch\n../../etc/passwd\n/\nin/y.patch\n/ws/z.patch\n';
    const mem = memoryFileSource({ '/s/series': series, '/elsewhere/x.patch': '', '/etc/passwd': 'root:x:0:0', '/s/in/y.patch': '', '/ws/z.patch': '' });
    const p = planSeries(['/ws'], '/s/series', mem);
    expect(brief(p.items, '/')).toEqual(['diff s/in/y.patch y', 'diff ws/z.patch z']);
    expect(p.problems.map((q) => [q.code, q.severity, q.range.start.line, q.message])).toEqual([
      ['outside-workspace', 'error', 0, "/elsewhere/x.patch is outside the series' folder and the workspace: not read"],
      ['outside-workspace', 'error', 1, "/etc/passwd is outside the series' folder and the workspace: not read"],
      ['outside-workspace', 'error', 2, "/ is outside the series' folder and the workspace: not read"],
    ]);
  });

  it('reports an unreadable series and plans the paths without it', () => {
    const p = planSeries([path.join(WITHOUT, 'a.patch')], '/nowhere/series', fs);
    expect(p.series).toBeUndefined();
    expect(p.problems.map((q) => [q.code, q.severity, q.file])).toEqual([['unreadable-input', 'error', '/nowhere/series']]);
    expect(brief(p.items, WITHOUT)).toEqual(['diff a.patch a']);
  });
});

describe('planSeries without a series', () => {
  it('finds every livepatch under a directory, recursively, sorted by path', () => {
    const p = planSeries([WITHOUT], undefined, fs);
    expect(p.series).toBeUndefined();
    expect(p.problems).toEqual([]);
    // .hidden/ is skipped; helper.c defines no struct klp_patch; notes.txt is no livepatch.
    expect(brief(p.items, WITHOUT)).toEqual([
      'diff a.patch a',
      'diff a/b/two.patch two',
      'diff a/one.diff one',
      'csv bsc-2/patched_funcs.csv bsc_2',
      'module lp.c lp',
      'diff z-last.patch z_last',
    ]);
    expect(p.items.every((i) => i.location === undefined)).toBe(true);
  });

  it('takes the paths in the order given, each file once', () => {
    const p = planSeries(
      [path.join(WITHOUT, 'z-last.patch'), path.join(WITHOUT, 'a.patch'), path.join(WITHOUT, 'a'), path.join(WITHOUT, 'a.patch')],
      undefined,
      fs,
    );
    expect(brief(p.items, WITHOUT)).toEqual(['diff z-last.patch z_last', 'diff a.patch a', 'diff a/b/two.patch two', 'diff a/one.diff one']);
  });

  it('takes a .c given directly as a module, and does not look for a series among several paths', () => {
    const p = planSeries([path.join(WITHOUT, 'helper.c'), WITH, path.join(WITHOUT, 'lp.c')], undefined, fs);
    expect(p.series).toBeUndefined();
    expect(brief(p.items, fixturePath('series/plan'))).toEqual([
      'module no-series/helper.c helper',
      'csv with-series/bsc1/patched_funcs.csv bsc1',
      'diff with-series/extra.patch extra',
      'diff with-series/first-fix.patch first_fix',
      'module with-series/mod-dir/livepatch_mod.c livepatch_mod',
      'diff with-series/multi/a.patch a',
      'diff with-series/multi/b.patch b',
      'diff with-series/sub/second.diff second',
      'module no-series/lp.c lp',
    ]);
  });

  it('reports missing files, files of no known kind and empty directories as unreadable inputs', () => {
    const missing = path.join(WITHOUT, 'absent.patch');
    const notes = path.join(WITHOUT, 'notes.txt');
    const empty = path.join(WITH, 'empty');
    const p = planSeries([missing, notes, empty], undefined, fs);
    expect(p.items).toEqual([]);
    expect(p.problems.map((q) => [q.code, q.severity, q.file, q.range])).toEqual([
      ['unreadable-input', 'error', missing, at(0, 0, 0)],
      ['unreadable-input', 'error', notes, at(0, 0, 0)],
      ['unreadable-input', 'error', empty, at(0, 0, 0)],
    ]);
    expect(p.problems[1].message).toContain('not a livepatch');
  });

  it('ends on a directory that never ends (a symlink loop)', () => {
    const loop: FileSource = stubFiles({ readText: () => undefined, isDirectory: () => true, listDir: () => ['loop'] });
    const p = planSeries(['/l'], undefined, loop);
    expect(p.items).toEqual([]);
    expect(p.problems.map((q) => q.code)).toEqual(['unreadable-input']);
  });
});

describe('livepatchKindOf', () => {
  it('tells the kind by extension, and patched_funcs.csv by name', () => {
    expect(['x.patch', 'x.diff', 'x.c', 'd/patched_funcs.csv', 'other.csv', 'x.patch.orig', 'series'].map(livepatchKindOf)).toEqual([
      'diff',
      'diff',
      'module',
      'csv',
      undefined,
      undefined,
      undefined,
    ]);
  });
});
