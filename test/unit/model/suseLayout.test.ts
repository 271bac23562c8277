import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource, type FileSource } from '../../../server/src/common/fileSource';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { functionsOf } from '../../../server/src/model/livepatch';
import { planSeries } from '../../../server/src/model/plan';
import { livepatchFromSuse, suseLayoutAt } from '../../../server/src/model/suseLayout';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { fixturePath, readFixture } from '../../helpers/fixtures';
import { stubFiles } from '../../helpers/stubFiles';

const ROOT = fixturePath('suse/release');
const fs = nodeFileSource();

/** The fixture tree with some files replaced (text) or taken away (undefined); directories follow the files. */
function variant(changes: Record<string, string | undefined>): FileSource {
  const overrides = new Map(Object.entries(changes).map(([file, text]) => [path.join(ROOT, file), text]));
  const gone = (file: string) => overrides.has(file) && overrides.get(file) === undefined;
  const added = [...overrides].filter(([, text]) => text !== undefined).map(([file]) => file);
  return stubFiles({
    readText: (file) => (overrides.has(file) ? overrides.get(file) : fs.readText(file)),
    isDirectory: (dir) => fs.isDirectory(dir) || added.some((f) => f.startsWith(dir + path.sep)),
    listDir: (dir) => {
      const names = new Set((fs.listDir(dir) ?? []).filter((n) => !gone(path.join(dir, n))));
      for (const f of added) if (f.startsWith(dir + path.sep)) names.add(f.slice(dir.length + 1).split(path.sep)[0]);
      return names.size > 0 ? [...names].sort() : undefined;
    },
  });
}

describe('SUSE layout: recognition', () => {
  it('finds the parts as register-patches.sh does: rpm/, scripts/, uname_patch/ left out, each with its csv, header and .c files', () => {
    const layout = suseLayoutAt(ROOT, fs);
    expect(layout?.main).toBe(path.join(ROOT, 'livepatch_main.c'));
    expect(layout?.parts.map((p) => [p.name, path.relative(ROOT, p.csv), path.relative(ROOT, p.header), p.sources.map((s) => path.relative(ROOT, s))])).toEqual([
      ['bsc1000001', 'bsc1000001/patched_funcs.csv', 'bsc1000001/livepatch_bsc1000001.h', ['bsc1000001/livepatch_bsc1000001.c']],
      ['bsc1000002', 'bsc1000002/patched_funcs.csv', 'bsc1000002/livepatch_bsc1000002.h', ['bsc1000002/livepatch_bsc1000002.c']],
    ]);
  });

  it('leaves out a build directory (one holding a livepatch_main.c) and hidden ones', () => {
    const tree = variant({ 'build/livepatch_main.c': 'x', 'build/patched_funcs.csv': 'vmlinux a b\n', '.git/patched_funcs.csv': 'vmlinux a b\n' });
    expect(suseLayoutAt(ROOT, tree)?.parts.map((p) => p.name)).toEqual(['bsc1000001', 'bsc1000002']);
  });

  it.each([
    ['no scripts/register-patches.sh', { 'scripts/register-patches.sh': undefined }],
    ['a livepatch_main.c without the placeholder (a module already filled in)', { 'livepatch_main.c': readFixture('suse/release/livepatch_main.c').replace('@@KLP_PATCHES_OBJS@@', '{ }') }],
    ['no livepatch_main.c', { 'livepatch_main.c': undefined }],
    ['no part with a patched_funcs.csv', { 'bsc1000001/patched_funcs.csv': undefined, 'bsc1000002/patched_funcs.csv': undefined }],
  ])('is not recognised with %s', (_, changes) => {
    expect(suseLayoutAt(ROOT, variant(changes))).toBeUndefined();
  });

  it('is not recognised in a folder of csv files alone, nor does it throw on an unreadable folder', () => {
    expect(suseLayoutAt(path.join(ROOT, 'bsc1000001'), fs)).toBeUndefined();
    expect(suseLayoutAt(path.join(ROOT, 'no-such-dir'), fs)).toBeUndefined();
  });

  it('plans the tree as one livepatch named after its folder; a series line naming the folder is the same livepatch', () => {
    const plan = planSeries([ROOT], undefined, fs);
    expect(plan.problems).toEqual([]);
    expect(plan.items.map((i) => i.kind === 'patch' && [i.livepatchKind, i.file, i.name, i.suse?.parts.length])).toEqual([['csv', ROOT, 'release', 2]]);
    // A series beside the tree: its line names the folder.
    const seriesFile = path.join(path.dirname(ROOT), 'series');
    const withSeries: FileSource = { ...fs, readText: (file) => (file === seriesFile ? 'release/ name=lp_release\n' : fs.readText(file)) };
    const fromSeries = planSeries([], seriesFile, withSeries);
    expect(fromSeries.problems).toEqual([]);
    expect(fromSeries.items.map((i) => i.kind === 'patch' && [i.file, i.name, i.suse?.root, i.location?.range.start.line])).toEqual([[ROOT, 'lp_release', ROOT, 0]]);
  });
});

describe('SUSE layout: the cumulative livepatch', () => {
  let parser: CParser;
  beforeAll(async () => {
    parser = await CParser.create();
  });
  const read = (tree: FileSource = fs) => livepatchFromSuse(suseLayoutAt(ROOT, tree)!, tree, parser, { name: 'release' });
  const rel = (file: string) => path.relative(ROOT, file);

  it('is replace, as livepatch_main.c says, with its modinfo, and points at its klp_patch', () => {
    const lp = read();
    expect([lp.kind, lp.file, lp.replace, lp.livepatchModinfo, lp.problems]).toEqual(['csv', ROOT, true, true, []]);
    expect([rel(lp.location.file), lp.location.range.start.line]).toEqual(['livepatch_main.c', 9]);
    expect([rel(lp.replaceLocation!.file), lp.replaceLocation!.range.start.line]).toEqual(['livepatch_main.c', 12]);
  });

  it('has the objects register-patches.sh generates: vmlinux first, each with the rows of every part in directory order', () => {
    const lp = read();
    expect(lp.objects.map((o) => [o.object, o.declaredName, o.funcs.map((f) => `${rel(f.part!)}:${f.name}`)])).toEqual([
      ['vmlinux', null, ['bsc1000001:unix_gc', 'bsc1000002:unix_stream_read_generic']],
      ['net/bluetooth/bluetooth', 'net/bluetooth/bluetooth', ['bsc1000002:hci_conn_del_sysfs']],
    ]);
  });

  it("keeps each function's csv row and finds its new function's definition in the part's .c", () => {
    const at = (l?: { file: string; range: { start: { line: number; character: number }; end: { character: number } } }) =>
      l && `${rel(l.file)}:${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`;
    expect(functionsOf(read()).map((f) => [f.newFunc, at(f.location), at(f.newFuncLocation), at(f.newFuncDefinition)])).toEqual([
      ['klpp_unix_gc', 'bsc1000001/patched_funcs.csv:0:0-28', 'bsc1000001/patched_funcs.csv:0:16-28', 'bsc1000001/livepatch_bsc1000001.c:2:5-17'],
      ['klpp_unix_stream_read_generic', 'bsc1000002/patched_funcs.csv:0:0-62', 'bsc1000002/patched_funcs.csv:0:33-62', 'bsc1000002/livepatch_bsc1000002.c:2:4-33'],
      // The return type on the line before the name, as kernel style allows.
      ['klpp_hci_conn_del_sysfs', 'bsc1000002/patched_funcs.csv:1:0-88', 'bsc1000002/patched_funcs.csv:1:43-66', 'bsc1000002/livepatch_bsc1000002.c:9:0-23'],
    ]);
  });

  it('leaves a new function out when only a declaration names it', () => {
    const tree = variant({ 'bsc1000001/livepatch_bsc1000001.c': 'void klpp_unix_gc(void);\n' });
    const [gc] = functionsOf(read(tree));
    expect([gc.newFunc, gc.newFuncDefinition]).toEqual(['klpp_unix_gc', undefined]);
  });

  it("says the script stops on a part without its header or csv, and still reads the others' rows", () => {
    const tree = variant({ 'bsc1000001/livepatch_bsc1000001.h': undefined, 'bsc1000003/livepatch_bsc1000003.h': 'int x;\n' });
    const lp = read(tree);
    expect(lp.problems.map((p) => [p.code, p.severity, rel(p.file), p.message])).toEqual([
      ['unreadable-input', 'error', 'livepatch_main.c', 'bsc1000001/ has no livepatch_bsc1000001.h: scripts/register-patches.sh stops ("error: bsc1000001/ doesn\'t have a bsc1000001/livepatch_bsc1000001.h")'],
      ['unreadable-input', 'error', 'livepatch_main.c', 'bsc1000003/ has no patched_funcs.csv: scripts/register-patches.sh stops ("error: bsc1000003/ doesn\'t have a bsc1000003/patched_funcs.csv")'],
    ]);
    expect(functionsOf(lp)).toHaveLength(3);
  });
});

describe('SUSE layout: the analysis', () => {
  let session: AnalysisSession;
  beforeAll(async () => {
    session = new AnalysisSession(await CParser.create());
  });
  const run = (tree: FileSource) => analyze({ paths: [ROOT], kernel: emptyKernelContext(), fs: tree, session });

  it('loads the parts as one replace livepatch: no dropped-function between them, the bad object name still found', () => {
    const analysis = run(fs);
    expect(analysis.livepatches.map((lp) => lp.name)).toEqual(['release']);
    expect(analysis.results.map((r) => r.ok)).toEqual([true]);
    expect(analysis.problems.map((p) => [p.code, path.relative(ROOT, p.file), p.range.start.line])).toEqual([['unknown-object', 'bsc1000002/patched_funcs.csv', 1]]);
  });

  it('reports two parts patching one function (the kernel refuses the duplicate klp_func), naming the other part', () => {
    const tree = variant({ 'bsc1000002/patched_funcs.csv': 'vmlinux unix_gc klpp_unix_gc2\n' });
    const duplicates = run(tree).problems.filter((p) => p.code === 'duplicate-function');
    // The related place is in the other part's file: its message names the part.
    expect(duplicates.map((p) => [path.relative(ROOT, p.file), p.related?.map((r) => [path.relative(ROOT, r.location.file), r.message])])).toEqual([
      ['bsc1000002/patched_funcs.csv', [['bsc1000001/patched_funcs.csv', 'bsc1000001: `unix_gc` is first patched here']]],
    ]);
  });
});

describe('SUSE layout: files named beside the tree', () => {
  it('takes its template and its parts\' csv files as the cumulative livepatch\'s, with or without a series', () => {
    const csv = path.join(ROOT, 'bsc1000002/patched_funcs.csv');
    const main = path.join(ROOT, 'livepatch_main.c');
    expect(planSeries([ROOT, csv, main], undefined, fs).items.map((i) => i.kind === 'patch' && i.file)).toEqual([ROOT]);
    const seriesFile = path.join(path.dirname(ROOT), 'series');
    const withSeries: FileSource = { ...fs, readText: (file) => (file === seriesFile ? 'release\n' : fs.readText(file)) };
    const plan = planSeries([csv, main], seriesFile, withSeries);
    expect([plan.items.map((i) => i.kind === 'patch' && i.file), plan.problems]).toEqual([[ROOT], []]);
  });
});
