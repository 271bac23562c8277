// The state after each step was a copy of every loaded patch and every function they name,
// steps × loaded patches of objects (10,000 patches ran out of memory): steps now share them.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import { countingProperties, timeRatio } from '../../helpers/scaling';
import { load, patch } from './builders';

/** A replace patch per step, each of its own function: every patch stays loaded, one is enabled. */
const series = (count: number) => Array.from({ length: count }, (_, i) => load(patch(`lp${i}`, { replace: true, funcs: [`fn${i}`] })));

describe('the simulator on many livepatches', () => {
  it('shares the statuses a step did not change with the step before', () => {
    const COUNT = 300;
    const results = simulate(series(COUNT));
    const patches = new Set(results.flatMap((r) => r.patches));
    const functions = new Set(results.flatMap((r) => r.functions));
    expect(results.at(-1)?.patches).toHaveLength(COUNT);
    // Each patch has two statuses (enabled, then replaced), each function one stack; a copy per step makes ~COUNT²/2 (45,000).
    expect(patches.size).toBeLessThanOrEqual(2 * COUNT);
    expect(functions.size).toBeLessThanOrEqual(2 * COUNT);
  });

  // klp_add_nops() looked for each function of the replaced patch among the new patch's (and
  // the nops added so far) one by one: quadratic in a large patch replacing another.
  it('adds the nops of a large replaced patch in about the time the same patches take without replace', () => {
    const pair = (replace: boolean) => [
      load(patch('old', { funcs: Array.from({ length: 1_000 }, (_, i) => `old_${i}`) })),
      load(patch('new', { replace, funcs: Array.from({ length: 1_000 }, (_, i) => `new_${i}`) })),
    ];
    expect(simulate(pair(true)).every((r) => r.ok)).toBe(true);
    // The same patching work, plus 1,000 nops added then removed: ~3x measured; a search per
    // function, ~150x. Two inputs of one size, timed in turn: no cache or garbage collector
    // regime of a larger input to tell apart from the algorithm.
    expect(timeRatio(pair(false), pair(true), (steps) => simulate(steps))).toBeLessThan(30);
  });

  // A load looked for a module of its name, and for each livepatch it imports from, among all
  // the loaded ones, and each step filtered the enabled ones from them (klp_patches): the world
  // now keeps both, by name and as a list.
  it("reads each patch's name a bounded number of times", () => {
    const COUNT = 300;
    const reads = { count: 0 };
    const steps = Array.from({ length: COUNT }, (_, i) => load(countingProperties(patch(`lp${i}`, { funcs: [`fn${i}`] }), ['name'], reads)));
    const results = simulate([...steps, { action: 'disable', target: 'lp0' }, { action: 'unload', target: 'lp0' }]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.at(-1)?.patches).toHaveLength(COUNT - 1);
    // A few reads per load; a search of the loaded modules per load reads ~COUNT²/2 (45,000).
    expect(reads.count).toBeLessThanOrEqual(20 * COUNT);
  });
});
