// The series checks take work linear in the number of livepatches: a folder of thousands of
// patches made the pairwise searches quadratic (10,000 patches: over 120 s).
import { describe, expect, it, vi } from 'vitest';
import type { Check } from '../../../../server/src/checks/check';
import { check as exportedSymbolDependency } from '../../../../server/src/checks/exported-symbol-dependency';
import { check as noFunctionalChange } from '../../../../server/src/checks/no-functional-change';
import { check as unexportedSymbol } from '../../../../server/src/checks/unexported-symbol';
import { check as unsupportedFile } from '../../../../server/src/checks/unsupported-file';
import type { KernelContext } from '../../../../server/src/kernel/types';
import { check as inconsistentSympos } from '../../../../server/src/checks/inconsistent-sympos';
import { loadPoints } from '../../../../server/src/checks/seriesWalk';
import { Memo } from '../../../../server/src/common/memo';
import { lookUpFunctions } from '../../../../server/src/checks/symbolLookup';
import type { Livepatch, PatchedFunction } from '../../../../server/src/model/livepatch';
import { kernel, livepatch, series } from '../../../helpers/builders';
import { diffLivepatch } from '../pitfalls/pitfallContext';
import { simulate } from '../../../../server/src/simulator/simulate';
import { countingArray, countingProperties } from '../../../helpers/scaling';

const COUNT = 300;
/** A replace patch per step, each of its own function, sympos 0; the last writes sympos 1 for the first's. */
const patches = Array.from({ length: COUNT }, (_, i) =>
  livepatch(`lp${i}`, { replace: true, funcs: [{ name: i === COUNT - 1 ? 'fn0' : `fn${i}`, sympos: i === COUNT - 1 ? 1 : 0 }] }),
);

/** A livepatch of these functions (vmlinux's). */
function livepatchOf(funcs: PatchedFunction[]): Livepatch {
  const lp = livepatch('p', { funcs: ['x'] });
  return { ...lp, objects: [{ ...lp.objects[0], funcs }] };
}

/**
 * Reads of the fields `keys` of the livepatches but one when `check` runs again after an edit
 * of that one (a copy of it), in a series of `make(i)` for each of `count`.
 */
function readsOfTheOthers(check: Check, make: (i: number) => Livepatch, k: KernelContext, keys: Array<keyof Livepatch>): number {
  const reads = { count: 0 };
  const lps = Array.from({ length: 20 }, (_, i) => countingProperties(make(i), keys, reads));
  const memo = new Memo();
  const before = check.run(series(lps, k, memo));
  expect(before.length).toBeGreaterThan(0);
  const ctx = series(lps.map((lp, i) => (i === 10 ? { ...lp } : lp)), k, memo);
  reads.count = 0;
  expect(check.run(ctx)).toEqual(before);
  return reads.count;
}

describe('series checks on many livepatches', () => {
  it('loadPoints reads each load a bounded number of times', () => {
    const ctx = series(patches);
    const reads = { count: 0 };
    const points = loadPoints({ ...ctx, loads: ctx.loads.map((l) => countingProperties(l, ['step'], reads)) });
    expect(points.at(-1)?.installed.map((i) => i.livepatch.name)).toEqual([`lp${COUNT - 2}`]);
    // Once or twice per load; a search of the earlier loads per load reads ~COUNT²/2 (45,000).
    expect(reads.count).toBeLessThanOrEqual(2 * COUNT);
  });

  // The state before each load lists every patch loaded so far (replaced ones stay loaded): a
  // result's \`patches\` or \`functions\` read per load makes the walk quadratic in the loads.
  it("loadPoints on the simulator's results builds no step's list of patches or functions", () => {
    const ctx = series(Array.from({ length: COUNT }, (_, i) => livepatch(`lp${i}`, { replace: true, funcs: [{ name: `fn${i}`, sympos: 0 }] })));
    const results = simulate(ctx.steps);
    const lists = { count: 0 };
    for (const result of results) {
      for (const key of ['patches', 'functions'] as const) {
        const { get } = Object.getOwnPropertyDescriptor(result, key) ?? {};
        expect(get, 'simulate() builds each list when it is read').toBeDefined();
        Object.defineProperty(result, key, { configurable: true, get: () => (lists.count++, get?.call(result)) });
      }
    }
    const reads = { count: 0 };
    const points = loadPoints({ ...ctx, results: countingArray(results, reads) });
    expect(points.map((p) => p.installed.map((i) => i.livepatch.name))).toEqual(patches.map((_, i) => (i ? [`lp${i - 1}`] : [])));
    expect(lists.count).toBe(0);
    // A few results per load (the one before it, its own); a search of the results per load reads ~COUNT²/2.
    expect(reads.count).toBeLessThanOrEqual(3 * COUNT);
  });

  // Every function lookup starts at a livepatch's objects.
  it('inconsistent-sympos reads each livepatch a bounded number of times', () => {
    const reads = { count: 0 };
    const problems = inconsistentSympos.run(series(patches.map((lp) => countingProperties(lp, ['objects'], reads))));
    expect(problems.map((p) => p.data?.other)).toEqual(['lp0']);
    // Once per livepatch; a search of every earlier livepatch reads ~COUNT²/2 (45,000).
    expect(reads.count).toBeLessThanOrEqual(4 * COUNT);
  });

  // The language server runs the checks again at every edit, of one livepatch.
  it('inconsistent-sympos, again after an edit of one livepatch, reads that one alone', () => {
    const reads = { count: 0 };
    const counted = patches.map((lp) => countingProperties(lp, ['objects'], reads));
    const memo = new Memo();
    const before = inconsistentSympos.run(series(counted, kernel(), memo));
    const at = COUNT / 2;
    const edited = countingProperties({ ...patches[at] }, ['objects'], reads);
    const ctx = series(counted.map((lp, i) => (i === at ? edited : lp)), kernel(), memo);
    reads.count = 0;
    expect(inconsistentSympos.run(ctx)).toEqual(before);
    // functionsOf() of the edited one; each other livepatch again: COUNT more.
    expect(reads.count).toBeLessThanOrEqual(2);
  });

  it("the symbol look-ups, again after an edit, read only the edited livepatch's new functions", () => {
    /** Reads of the functions' names and objects when a livepatch of `count` functions is read again with one new function. */
    const reads = (count: number) => {
      const read = { count: 0 };
      // fn0 twice: its second klp_func stands for the one an edit made.
      const made = livepatch('p', { funcs: [...Array.from({ length: count }, (_, i) => `fn${i}`), 'fn0'] }).objects[0].funcs;
      const funcs = made.map((f) => countingProperties(f, ['name', 'object'], read));
      const memo = new Memo();
      const k = kernel({ symbols: { vmlinux: funcs.map((f) => f.name) } });
      const lookUps = (list: PatchedFunction[]) => {
        const ctx = series([livepatchOf(list)], k, memo);
        read.count = 0;
        return lookUpFunctions(ctx).length;
      };
      expect(lookUps(funcs.slice(0, count))).toBe(count);
      expect(lookUps([...funcs.slice(1, count), funcs[count]])).toBe(count);
      return read.count;
    };
    expect(reads(40)).toBe(reads(10));
  });

  it('checks that judge each livepatch alone, again after an edit of one, do not read the others', () => {
    const exports = kernel({ exports: { cdrom_check_events: 'cdrom' }, symbols: { vmlinux: ['unexported'] } });
    const referencing = (name: string) => (i: number) => livepatch(`lp${i}`, { funcs: [`f${i}`], references: [name] });
    expect(readsOfTheOthers(exportedSymbolDependency, referencing('cdrom_check_events'), exports, ['name', 'objects', 'kind'])).toBe(0);
    // Declared in the module: the kernel's local symbol.
    const declaring = (i: number) => {
      const lp = referencing('unexported')(i);
      return { ...lp, references: lp.references.map((r) => ({ ...r, declaredInFile: true })) };
    };
    expect(readsOfTheOthers(unexportedSymbol, declaring, exports, ['references', 'objects'])).toBe(0);
    const comment = ['--- a/fs/proc/cmdline.c', '+++ b/fs/proc/cmdline.c', '@@ -7,2 +7,3 @@', ' {', '+\t/* a comment */', ' \tseq_puts(m, saved_command_line);', ''].join('\n');
    expect(readsOfTheOthers(noFunctionalChange, (i) => diffLivepatch(comment, `lp${i}.patch`), exports, ['diff'])).toBe(0);
    const lib = comment.replaceAll('fs/proc/cmdline.c', 'lib/string.c');
    expect(readsOfTheOthers(unsupportedFile, (i) => diffLivepatch(lib, `lp${i}.patch`), exports, ['diff'])).toBe(0);
  });

  it('inconsistent-sympos looks up the functions written with old_sympos 1, not every function of the series', () => {
    /** Map lookups of a run again (as at an edit) on 10 livepatches of `count` functions, one of them written with 1 in the last. */
    const lookups = (count: number) => {
      const lps = Array.from({ length: 10 }, (_, i) =>
        livepatch(`lp${i}`, { funcs: Array.from({ length: count }, (_, j) => ({ name: `fn${j}`, sympos: i === 9 && j === 0 ? 1 : 0 })) }),
      );
      const ctx = series(lps);
      inconsistentSympos.run(ctx);
      const get = vi.spyOn(Map.prototype, 'get');
      try {
        expect(inconsistentSympos.run(ctx)).toHaveLength(9);
        return get.mock.calls.length;
      } finally {
        get.mockRestore();
      }
    };
    lookups(10);
    expect(lookups(40)).toBe(lookups(10));
  });

  it('inconsistent-sympos does not read a livepatch alone', () => {
    const reads = { count: 0 };
    const ctx = series([countingProperties(patches[0], ['objects'], reads)]);
    reads.count = 0;
    expect(inconsistentSympos.run(ctx)).toEqual([]);
    expect(reads.count).toBe(0);
  });
});
