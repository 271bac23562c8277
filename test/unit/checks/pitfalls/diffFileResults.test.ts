// The pitfall checks' results kept per file group from one analysis to the next
// (checks/diffFileResults.ts): a group that did not change is not computed again, one that
// changed is, one that moved gets its results moved, and every check finds what a fresh
// run finds.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Check, CheckContext } from '../../../../server/src/checks/check';
import { inPatchOrder, movedProblem, perFileGroup, perFunction } from '../../../../server/src/checks/diffFileResults';
import { check as initFunction } from '../../../../server/src/checks/init-function';
import { check as inlineFunction } from '../../../../server/src/checks/inline-function';
import { check as moduleJumpLabel } from '../../../../server/src/checks/module-jump-label';
import { check as onceMacro } from '../../../../server/src/checks/once-macro';
import { check as staticLocalChange } from '../../../../server/src/checks/static-local-change';
import { check as structLayoutChange } from '../../../../server/src/checks/struct-layout-change';
import { Memo } from '../../../../server/src/common/memo';
import { problem, type Problem } from '../../../../server/src/common/problem';
import type { KernelContext } from '../../../../server/src/kernel/types';
import { livepatchFromDiff } from '../../../../server/src/model/fromDiff';
import type { Livepatch } from '../../../../server/src/model/livepatch';
import { parsePatch } from '../../../../server/src/syntax/diff';
import { DiffFileCache } from '../../../../server/src/syntax/diffFileCache';
import { findHunkFunctions } from '../../../../server/src/syntax/hunkFunctions';
import { kernel as kernelWith } from '../../../helpers/builders';
import { readFixture } from '../../../helpers/fixtures';
import { countingProperties } from '../../../helpers/scaling';
import { contextOf, diffLivepatch, livepatchReader, manyFiles, reader } from './pitfallContext';

const checks: Check[] = [initFunction, inlineFunction, structLayoutChange, staticLocalChange, onceMacro, moduleJumpLabel];
const bad = (id: string) => readFixture('checks', id, 'bad.patch');

/** Every pitfall, a file changed twice (the init one, first and last), and keys the patch defines. */
const patch = [
  bad('init-function'),
  bad('inline-function'),
  bad('struct-layout-change'),
  bad('static-local-change'),
  bad('once-macro'),
  bad('module-jump-label'),
  readFixture('checks', 'module-jump-label', 'good.patch'),
  bad('init-function').replace('+\tpr_info', '+\tpr_info_once'),
].join('');

function pitfallKernel(): KernelContext {
  const k = kernelWith({
    symbols: { vmlinux: ['memcg_kmem_enabled_key', 'schedule', 'meminfo_proc_show'], kvm_intel: ['enable_evmcs', 'vmx_hardware_enable'] },
    exports: { __SCK__kvm_x86_vcpu_after_set_cpuid: 'kvm' },
  });
  k.kbuild = { resolve: (file) => ({ file, object: file.startsWith('arch/x86/kvm/vmx/') ? 'kvm_intel' : 'vmlinux', reason: 'arch/x86/kvm/Makefile' }) };
  return k;
}

/** A fresh reading: no cache, and another kernel object (the checks keep their results per kernel). */
function fresh(text: string, k: KernelContext): CheckContext {
  const other: KernelContext = { ...k };
  const diff = findHunkFunctions(parsePatch(text, 'p.patch'));
  return contextOf([livepatchFromDiff(diff, { name: 'p', replace: true, kernel: other })], other);
}

const expectSameFindings = (ctx: CheckContext, text: string, k: KernelContext) => {
  const again = fresh(text, k);
  for (const c of checks) expect(c.run(ctx), c.id).toEqual(c.run(again));
};

describe('perFileGroup', () => {
  /** A value per group: the first line of each hunk, counted. */
  function counting(id: string) {
    let computed = 0;
    const run = (ctx: CheckContext) =>
      perFileGroup(
        ctx,
        id,
        (g) => {
          computed++;
          return g.files.flatMap((f) => f.hunks.map((h) => h.location.range.start.line));
        },
        (lines, delta) => lines.map((l) => l + delta),
      ).map(({ group, value }) => [group.path, value] as const);
    return { run, computed: () => computed };
  }

  it('computes a group once, then only a group an edit changed; a moved group gets moved values', () => {
    const k = pitfallKernel();
    const read = reader(k);
    const { run, computed } = counting('test:groups');
    const ctx = read(patch);
    const first = run(ctx);
    const groups = first.length;
    expect(groups).toBe(new Set(ctx.livepatches[0].diff!.files.map((f) => f.path)).size);
    expect(ctx.livepatches[0].diff!.files.length).toBeGreaterThan(groups);
    expect(first[0][1]).toHaveLength(2);
    expect(run(read(patch))).toEqual(first);
    expect(computed()).toBe(groups);

    const edited = patch.replace('+\tpr_info("joydev: bye\\n");', '+\tpr_info("joydev: bye!\\n");');
    const second = run(read(edited));
    expect(computed()).toBe(groups + 1);

    const moved = run(read(`two lines\nabove\n${edited}`));
    expect(computed()).toBe(groups + 1);
    expect(moved).toEqual(second.map(([path, lines]) => [path, lines.map((l) => l + 2)]));
  });

  it("makes the keys of the groups an edit changed, not of every group (the patch's size aside)", () => {
    /** How often keying the groups of a patch of `files` files reads a file's text, after an edit of one of them. */
    const textReads = (files: number) => {
      const read = reader(pitfallKernel());
      const patch = manyFiles(files);
      const run = (ctx: CheckContext) => perFileGroup(ctx, 'test:keys', (g) => g.path, (path) => path);
      run(read(patch));
      const ctx = read(patch.replace('+\treturn 1;', '+\treturn -1;'));
      const lp = ctx.livepatches[0];
      let reads = 0;
      const counted = lp.diff!.files.map((f) => new Proxy(f, { get: (file, key) => ((reads += key === 'reading' ? 1 : 0), Reflect.get(file, key)) }));
      expect(run({ ...ctx, livepatches: [{ ...lp, diff: { ...lp.diff!, files: counted } }] })).toHaveLength(files);
      return reads;
    };
    // The edited file's text, read once or twice: not each file's.
    expect(textReads(40)).toBe(textReads(10));
    expect(textReads(10)).toBeLessThan(10);
  });

  it("groups an edited livepatch's files again, not the other livepatches' of the series", () => {
    const k = pitfallKernel();
    const memo = new Memo();
    const reads = { count: 0 };
    const other = countingProperties(diffLivepatch(manyFiles(20), 'other.patch', k), ['diff'], reads);
    const edited = diffLivepatch(patch, 'p.patch', k);
    const run = (ctx: CheckContext) => perFileGroup(ctx, 'test:series', (g) => g.path, (path) => path).length;
    const groups = run(contextOf([edited, other], k, memo));
    reads.count = 0;
    expect(run(contextOf([{ ...edited }, other], k, memo))).toBe(groups);
    expect(reads.count).toBe(0);
  });

  it("takes an unchanged livepatch's values as they are, and finds them by key when it changes after", () => {
    const k = pitfallKernel();
    const memo = new Memo();
    const [readA, readB] = [livepatchReader(k, 'a.patch'), livepatchReader(k, 'b.patch')];
    const { run, computed } = counting('test:unchanged');
    const gets = vi.spyOn(DiffFileCache.prototype, 'get');
    try {
      const [a, b] = [readA(patch), readB(manyFiles(20))];
      const groups = run(contextOf([a, b], k, memo)).length;
      expect(computed()).toBe(groups);
      // a edited: b's 20 groups are not looked up again.
      const edited = readA(patch.replace('+\tpr_info("joydev: bye\\n");', '+\tpr_info("joydev: bye!\\n");'));
      gets.mockClear();
      run(contextOf([edited, b], k, memo));
      expect(gets.mock.calls.length).toBe(groups - 20);
      expect(computed()).toBe(groups + 1);
      // Then b edited: its 19 other groups found by key, one computed.
      const text = manyFiles(20).replace('+\treturn 1;', '+\treturn -1;');
      const found = run(contextOf([edited, readB(text)], k, memo));
      expect(computed()).toBe(groups + 2);
      expect(found).toEqual(counting('test:fresh').run(contextOf([edited, livepatchReader(k, 'b.patch')(text)], k)));
    } finally {
      gets.mockRestore();
    }
  });

  it('computes every group again for another kernel', () => {
    const { run, computed } = counting('test:kernels');
    const groups = run(reader(pitfallKernel())(patch)).length;
    run(reader(pitfallKernel())(patch));
    expect(computed()).toBe(2 * groups);
  });
});

describe('perFunction', () => {
  it("reads each hunk's functions once when each file's hunks are together: no function order to work out", () => {
    const ctx = reader(pitfallKernel())(manyFiles(20));
    const lp = ctx.livepatches[0];
    const reads = { count: 0 };
    const files = lp.diff!.files.map((f) => ({ ...f, hunks: f.hunks.map((h) => countingProperties(h, ['functions'], reads)) }));
    const names = perFunction({ ...ctx, livepatches: [{ ...lp, diff: { ...lp.diff!, files } }] }, 'test:together', false, (f) => [f.name], (v) => v);
    expect(names).toEqual(Array.from({ length: 20 }, (_, i) => `f${i}`));
    expect(reads.count).toBe(20);
  });

  it('gives the functions in patch order of their first appearance, a file changed twice included', () => {
    const k = pitfallKernel();
    const ctx = reader(k)(patch);
    const names = perFunction(ctx, 'test:names', false, (f) => [`${f.file.path}:${f.name}:${f.appearances.length}`], (v) => v);
    const naive: string[] = [];
    for (const file of ctx.livepatches[0].diff!.files) {
      for (const fn of file.hunks.flatMap((h) => h.functions)) {
        const all = ctx.livepatches[0].diff!.files.filter((f) => f.path === file.path).flatMap((f) => f.hunks.flatMap((h) => h.functions));
        const key = `${file.path}:${fn.name}:${all.filter((a) => a.name === fn.name && a.changed && !a.isNew).length}`;
        if (fn.changed && !fn.isNew && !naive.includes(key)) naive.push(key);
      }
    }
    expect(names).toEqual(naive);
    expect(names.filter((n) => n.startsWith('fs/proc/meminfo.c:') && n.endsWith(':2'))).not.toEqual([]);
  });
});

describe('inPatchOrder', () => {
  it('orders each livepatch\'s values by line, stable, the livepatches in order', () => {
    const [a, b] = [{ lp: 'a' }, { lp: 'b' }] as unknown as Array<{ lp: Livepatch }>;
    const group = (lp: { lp: Livepatch }) => ({ ...lp, diff: undefined!, path: '', files: [] });
    const found = [
      { group: group(a), value: [5, 1] },
      { group: group(a), value: [3, 1.5] },
      { group: group(b), value: [2] },
    ];
    expect(inPatchOrder(found, Math.floor)).toEqual([1, 1.5, 3, 5, 2]);
  });
});

describe('the pitfall checks with their caches', () => {
  it('find what a fresh run finds, every check finding something', () => {
    const k = pitfallKernel();
    const ctx = reader(k)(patch);
    for (const c of checks) expect(c.run(ctx).length, c.id).toBeGreaterThan(0);
    expectSameFindings(ctx, patch, k);
  });

  it('hand out frozen problems: changing one throws and the next analysis is not affected', () => {
    const k = pitfallKernel();
    const read = reader(k);
    const [found] = structLayoutChange.run(read(patch));
    expect(() => ((found as { message: string }).message = 'changed')).toThrow(TypeError);
    expect(() => (found.range.start as { line: number }).line++).toThrow(TypeError);
    expectSameFindings(read(patch), patch, k);
  });

  it('move the problems of files that moved', () => {
    const k = pitfallKernel();
    const read = reader(k);
    const before = checks.map((c) => c.run(read(patch)));
    const text = `two lines\nabove\n${patch}`;
    const ctx = read(text);
    expect(checks.map((c) => c.run(ctx))).toEqual(before.map((list) => list.map((p) => movedProblem(p, 2))));
    expectSameFindings(ctx, text, k);
  });

  it('find what a fresh run finds after every edit of a series of random edits', () => {
    const lines = patch.split('\n');
    const edit = fc.record({
      at: fc.nat({ max: lines.length - 1 }),
      how: fc.constantFrom('change', 'insert', 'delete'),
      text: fc.constantFrom(
        '+\tpr_warn_once("x");',
        '+\tstatic_branch_unlikely(&enable_evmcs);',
        '+\tint new_member;',
        '-\tstatic int counter;',
        '+DEFINE_STATIC_KEY_FALSE(enable_evmcs);',
        '+static inline int helper(void)',
        ' }',
        '',
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 6 }), (edits) => {
        const k = pitfallKernel();
        const read = reader(k);
        const current = [...lines];
        expectSameFindings(read(current.join('\n')), current.join('\n'), k);
        for (const { at, how, text } of edits) {
          const i = at % current.length;
          if (how === 'change') current[i] = text;
          else if (how === 'insert') current.splice(i, 0, text);
          else current.splice(i, 1);
          expectSameFindings(read(current.join('\n')), current.join('\n'), k);
        }
      }),
      { numRuns: 40 },
    );
  });
});

it('movedProblem moves a problem and its related locations, keeping what else it holds', () => {
  const at = { file: 'p.patch', range: { start: { line: 3, character: 1 }, end: { line: 3, character: 4 } } };
  const p: Problem = problem('x', 'error', at, 'm', { related: [{ location: at, message: 'r' }], data: { a: 1 } });
  const moved = movedProblem(p, 5);
  expect(moved).toEqual({ ...p, range: { start: { line: 8, character: 1 }, end: { line: 8, character: 4 } }, related: [{ location: { file: 'p.patch', range: { start: { line: 8, character: 1 }, end: { line: 8, character: 4 } } }, message: 'r' }] });
  expect(p.range.start.line).toBe(3);
});
