// Random series over a small pool of patches and modules: the simulator never throws,
// and the livepatch core's invariants hold after every step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import type { SimPatch, SimStep, StepResult } from '../../../server/src/simulator/types';

const PATCH_NAMES = ['p0', 'p1', 'p2', 'p3'];
const OBJECTS = ['vmlinux', 'm1', 'm2'];

const simPatch = (name: string): fc.Arbitrary<SimPatch> =>
  fc.record({
    name: fc.constant(name),
    replace: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
    objects: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom('vmlinux', ...OBJECTS),
        // Mostly distinct sysfs directories; duplicates have their own unit tests.
        funcs: fc.uniqueArray(fc.record({ name: fc.constantFrom('f', 'g'), sympos: fc.constantFrom(0, 0, 0, 1, 2) }), {
          maxLength: 3,
          selector: (f) => `${f.name},${f.sympos || 1}`,
        }),
        missingFuncs: fc.integer({ min: 0, max: 29 }).map((n) => (n === 0 ? true : undefined)),
      }),
      { maxLength: 3, selector: (o) => o.name },
    ),
    states: fc.array(fc.record({ id: fc.integer({ min: 1, max: 2 }), version: fc.integer({ min: 1, max: 3 }) }), {
      maxLength: 2,
    }),
    livepatchModinfo: fc.integer({ min: 0, max: 29 }).map((n) => n > 0),
  });

/** Four patches, one per name; the steps load them (again) by index. */
const pool = fc.tuple(...PATCH_NAMES.map(simPatch));

const target = (names: string[], rare: string[]) =>
  fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });
const onPatch = (action: 'disable' | 'unload') =>
  target(PATCH_NAMES, ['m1', 'x']).map((t): SimStep => ({ action, target: t }));
const onModule = (action: 'load-module' | 'unload-module') =>
  target(['m1', 'm2'], ['vmlinux', 'p0', 'x']).map((t): SimStep => ({ action, target: t }));

const series = pool.chain((patches) =>
  fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...patches).map((patch): SimStep => ({ action: 'load', patch })) },
      { weight: 2, arbitrary: onPatch('disable') },
      { weight: 2, arbitrary: onPatch('unload') },
      { weight: 1, arbitrary: onModule('load-module') },
      { weight: 1, arbitrary: onModule('unload-module') },
    ),
    { minLength: 10, maxLength: 30 },
  ),
);

/** Symbol counts per (object, name): mostly unknown or unique, sometimes 0, 2 or 3 occurrences. */
const counts = fc.dictionary(
  fc.constantFrom(...OBJECTS.flatMap((o) => ['f', 'g'].map((n) => `${o}:${n}`))),
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(1) },
    { weight: 1, arbitrary: fc.constantFrom(0, 2, 3) },
  ),
  { maxKeys: 3 },
);

function checkInvariants(steps: SimStep[], results: StepResult[], initiallyUnloaded: string[]): void {
  expect(results).toHaveLength(steps.length);
  const unloaded = new Set(initiallyUnloaded);
  const loadedPatch = new Map<string, SimPatch>();
  let previous: Pick<StepResult, 'patches' | 'functions'> = { patches: [], functions: [] };

  steps.forEach((step, i) => {
    const r = results[i];
    expect(r.ok).toBe(r.error === null);
    if (!r.ok) {
      // A refused step changes nothing.
      expect({ patches: r.patches, functions: r.functions }).toEqual(previous);
    } else if (step.action === 'load') {
      loadedPatch.set(step.patch.name, step.patch);
    } else if (step.action === 'load-module') {
      unloaded.delete(step.target);
    } else if (step.action === 'unload-module') {
      unloaded.add(step.target);
    }
    previous = { patches: r.patches, functions: r.functions };

    const order = r.patches.map((p) => p.name);
    expect(new Set(order).size).toBe(order.length);
    const enabled = new Set(r.patches.filter((p) => p.enabled).map((p) => p.name));

    // At most one enabled replace patch, and it is the oldest enabled one.
    const enabledInOrder = r.patches.filter((p) => p.enabled);
    const replaces = enabledInOrder.filter((p) => p.replace);
    expect(replaces.length).toBeLessThanOrEqual(1);
    if (replaces.length === 1) expect(enabledInOrder[0]).toBe(replaces[0]);
    for (const p of r.patches) if (p.replacedBy !== null) expect(p.enabled).toBe(false);

    const keys = r.functions.map((f) => `${f.object}\0${f.name}\0${String(f.sympos).padStart(3, '0')}`);
    expect(keys).toEqual([...new Set(keys)].sort());

    for (const f of r.functions) {
      // The top of the stack runs (nops never outlive their transition).
      expect(f.active).toBe(f.stack[0] ?? null);
      // Only enabled patches, once each, newest first, and only for loaded objects.
      expect(new Set(f.stack).size).toBe(f.stack.length);
      for (const name of f.stack) expect(enabled.has(name)).toBe(true);
      const positions = f.stack.map((name) => order.indexOf(name));
      expect(positions).toEqual([...positions].sort((a, b) => b - a));
      if (f.object !== 'vmlinux' && unloaded.has(f.object)) expect(f.stack).toEqual([]);
    }

    // Every func of an enabled patch whose object is loaded is on its stack.
    for (const name of enabled) {
      for (const obj of loadedPatch.get(name)?.objects ?? []) {
        if (obj.name !== 'vmlinux' && unloaded.has(obj.name)) continue;
        for (const func of obj.funcs) {
          const sympos = func.sympos === 0 ? 1 : func.sympos;
          const status = r.functions.find((f) => f.object === obj.name && f.name === func.name && f.sympos === sympos);
          expect(status?.stack).toContain(name);
        }
      }
    }
  });
}

describe('simulate on random series', () => {
  it('never throws and keeps the invariants', () => {
    fc.assert(
      fc.property(
        series,
        counts,
        fc.subarray(['m1', 'm2']),
        (steps, table, initiallyUnloaded) => {
          const countSymbol = (object: string, name: string) => table[`${object}:${name}`];
          const results = simulate(steps, { countSymbol, initiallyUnloaded });
          checkInvariants(steps, results, initiallyUnloaded);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('never throws on malformed steps', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 5 }), (junk) => {
        const results = simulate(junk.map((j) => ({ action: 'load', patch: j }) as unknown as SimStep));
        expect(results).toHaveLength(junk.length);
      }),
    );
  });
});
