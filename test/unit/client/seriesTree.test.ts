import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_FINDINGS, type SeriesPatch, type SeriesState } from '../../../server/src/lsp/protocol';
import { functionKey } from '../../../server/src/model/identity';
import { buildSeriesTree, type SeriesTreeNode } from '../../../client/src/seriesTree';
import { renderStateGrid } from '../../../client/src/stateGrid';
import { REFUSAL, REFUSAL_LINE, sampleState, uriOf } from './sampleState';

function walk(nodes: SeriesTreeNode[]): SeriesTreeNode[] {
  return nodes.flatMap((n) => [n, ...walk(n.children)]);
}

const find = (nodes: SeriesTreeNode[], id: string) => walk(nodes).find((n) => n.id === id);

describe('buildSeriesTree', () => {
  const tree = buildSeriesTree(sampleState());

  it('lists the patches in load order: their state after the series, what of them does not run, their findings', () => {
    expect(tree.map((n) => [n.id, n.label, n.description])).toEqual([
      ['patch:lph', 'lph', 'unloaded'],
      ['patch:lpa', 'lpa', 'replaced by lpc · 1 info'],
      ['patch:lpb', 'lpb', 'replaced by lpc'],
      ['patch:lpc', 'lpc', 'enabled, replace · 1 shadowed, 2 dropped (nop)'],
      ['patch:lpd', 'lpd', 'enabled · 2 warnings'],
      ['patch:lpe', 'lpe', `refused: ${REFUSAL_LINE} · 1 error`],
      ['patch:lpf', 'lpf', 'enabled · 1 waiting'],
      ['patch:lpg', 'lpg', 'disabled'],
    ]);
    expect(tree[3].tooltip).toBe('lpc: patch diff, replace (cumulative).\nAfter the series: enabled.\nFile: /work/lp/lpc.c');
    expect(tree.every((n) => !n.label.includes('\n') && !n.description.includes('\n'))).toBe(true);
    // The refusal in full, and the findings, in the tooltip.
    expect(tree[5].tooltip).toBe(`lpe: livepatch module in C, not replace.\nAfter the series: refused: ${REFUSAL_LINE}.\n${REFUSAL}\nIn its file: 1 error.\nFile: /work/lp/lpe.c`);
    expect(tree.map((n) => [n.icon, n.iconColor])).toEqual([
      ['close', undefined],
      ['arrow-swap', undefined],
      ['arrow-swap', undefined],
      ['pass', 'testing.iconPassed'],
      ['warning', 'list.warningForeground'],
      ['error', 'errorForeground'],
      ['pass', 'testing.iconPassed'],
      ['circle-slash', undefined],
    ]);
    // Those with findings open at first sight.
    expect(tree.filter((n) => n.expanded).map((n) => n.label)).toEqual(['lpa', 'lpd', 'lpe']);
    expect(tree.every((n) => n.open?.uri === uriOf(n.label) && n.kind === 'patch')).toBe(true);
  });

  it('expands a patch to its objects and functions, and a replace patch to the functions it drops', () => {
    const lpc = tree[3];
    expect(lpc.children.map((n) => [n.id, n.description])).toEqual([
      ['obj:lpc:vmlinux', '2 functions, 1 dropped'],
      ['obj:lpc:cdrom', '0 functions, 1 dropped'],
    ]);
    expect(tree[4].children.map((n) => [n.id, n.description])).toEqual([['obj:lpd:vmlinux', '1 function']]);
    expect(lpc.children[0].children.map((n) => [n.id, n.kind, n.label, n.description])).toEqual([
      ['fn:lpc:vmlinux:cmdline_proc_show,1', 'function', 'cmdline_proc_show', 'runs'],
      ['fn:lpc:vmlinux:uptime_proc_show,1', 'function', 'uptime_proc_show', 'shadowed by lpd'],
      ['nop:lpc:vmlinux:version_proc_show,1', 'nop', 'version_proc_show', 'dropped (nop), from lpa'],
    ]);
    expect(lpc.children[1].children.map((n) => n.id)).toEqual(['nop:lpc:cdrom:cdrom_open,1']);
  });

  it('describes each function of a patch by what that patch means for it', () => {
    expect(find(tree, 'fn:lpa:vmlinux:cmdline_proc_show,1')?.description).toBe('replaced by lpc');
    expect(find(tree, 'fn:lpe:vmlinux:cmdline_proc_show,1')?.description).toBe('refused');
    expect(find(tree, 'fn:lpf:cdrom:cdrom_ioctl,1')?.description).toBe('waits for cdrom to load');
    expect(find(tree, 'fn:lph:vmlinux:cmdline_proc_show,1')?.description).toBe('unloaded');
    const meminfo = find(tree, 'fn:lpg:vmlinux:meminfo_proc_show,2');
    expect([meminfo?.label, meminfo?.description]).toEqual(['meminfo_proc_show,2', 'disabled']);
    expect(find(tree, 'fn:lpc:vmlinux:uptime_proc_show,1')?.tooltip).toBe(
      [
        'vmlinux:uptime_proc_show,1 in lpc',
        "lpd's version of uptime_proc_show (vmlinux) runs on top of lpc's, which runs again if lpd is disabled.",
        'After the series: lpd runs.',
        'Stack, newest first: lpd, lpc.',
      ].join('\n'),
    );
  });

  it("shows each function's stack, newest first, each entry opening that patch's version", () => {
    const fn = find(tree, 'fn:lpc:vmlinux:uptime_proc_show,1')!;
    expect(fn.children.map((n) => [n.id, n.label, n.description])).toEqual([
      ['stack:lpc:vmlinux:uptime_proc_show,1:lpd', 'lpd', 'top of the stack, runs'],
      ['stack:lpc:vmlinux:uptime_proc_show,1:lpc', 'lpc', 'below lpd'],
    ]);
    expect(fn.children[0].open).toEqual({ uri: uriOf('lpd'), range: { start: { line: 10, character: 4 }, end: { line: 10, character: 20 } } });
    expect(fn.children[1].open?.range?.start.line).toBe(11);
    expect(find(tree, 'fn:lpf:cdrom:cdrom_ioctl,1')?.children).toEqual([]);
  });

  it('opens a function where the patch changes it, and a nop where the dropped patch did', () => {
    expect(find(tree, 'fn:lpa:vmlinux:version_proc_show,1')?.open).toEqual({
      uri: uriOf('lpa'),
      range: { start: { line: 11, character: 4 }, end: { line: 11, character: 21 } },
    });
    expect(find(tree, 'nop:lpc:vmlinux:version_proc_show,1')?.open?.uri).toBe(uriOf('lpa'));
    expect(find(tree, 'nop:lpc:cdrom:cdrom_open,1')?.open?.uri).toBe(uriOf('lpb'));
  });

  it('gives every node a distinct id, also when a patch name comes back', () => {
    const state = sampleState();
    state.patches.push({ ...state.patches[1], state: 'enabled', replacedBy: null });
    const ids = walk(buildSeriesTree(state)).map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('patch:lpa#2');
    expect(ids).toContain('fn:lpa#2:vmlinux:cmdline_proc_show,1');
  });

  it('keeps ids when the state is sent again', () => {
    const ids = (t: SeriesTreeNode[]) => walk(t).map((n) => n.id);
    expect(ids(buildSeriesTree(sampleState()))).toEqual(ids(tree));
  });
});

describe('tree and grid on any series state', () => {
  const name = fc.constantFrom('lpa', 'lpb', 'lpc', 'a:b', '<x>', 'x"y');
  const func = fc
    .record({
    object: fc.constantFrom('vmlinux', 'cdrom', 'x&y'),
    name: fc.constantFrom('f', 'g', 'h'),
    sympos: fc.integer({ min: 1, max: 3 }),
    stack: fc.array(name, { maxLength: 3 }),
    active: fc.option(name),
    uri: fc.constant('file:///x.c'),
    range: fc.constant({ start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }),
    role: fc.constantFrom('active', 'shadowed', 'waiting', 'replaced', 'disabled', 'unloaded', 'refused'),
  })
    .map((f) => ({ ...f, key: functionKey(f) }));
  const patch: fc.Arbitrary<SeriesPatch> = fc.record({
    name,
    kind: fc.constantFrom('diff', 'module', 'csv'),
    uri: fc.constantFrom('file:///p.c', 'not a uri'),
    replace: fc.boolean(),
    state: fc.constantFrom('enabled', 'replaced', 'disabled', 'refused', 'unloaded'),
    replacedBy: fc.option(name),
    error: fc.option(fc.string()),
    objects: fc.array(fc.record({ name: fc.constantFrom('vmlinux', 'cdrom'), functions: fc.array(func, { maxLength: 3 }) }), { maxLength: 2 }),
    dropped: fc.array(func.map((f) => ({ key: f.key, object: f.object, name: f.name, sympos: f.sympos, from: 'lpa', fromIndex: 0 })), { maxLength: 2 }),
  });
  const state: fc.Arbitrary<SeriesState> = fc.record({
    steps: fc.constant([]),
    patches: fc.array(patch, { maxLength: 6 }),
    seriesUri: fc.option(fc.constant('file:///series')),
    kernel: fc.record({ state: fc.constantFrom('none', 'indexing', 'ready'), description: fc.string(), source: fc.option(fc.string()) }),
    findings: fc.record({ total: fc.constant(NO_FINDINGS), byUri: fc.dictionary(fc.constantFrom('file:///p.c', 'not a uri'), fc.constant({ ...NO_FINDINGS, warning: 1 })) }),
  });

  it('never throws, gives distinct tree ids, and escapes every name in the grid', () => {
    fc.assert(
      fc.property(state, (s) => {
        const ids = walk(buildSeriesTree(s)).map((n) => n.id);
        const html = renderStateGrid(s, 'n');
        return new Set(ids).size === ids.length && !html.includes('<x>') && !html.includes('x"y');
      }),
    );
  });
});
