// The state after each step was a copy of every loaded patch and every function they name,
// steps × loaded patches of objects (10,000 patches ran out of memory): steps now share them.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import { countingProperties } from '../../helpers/scaling';
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
