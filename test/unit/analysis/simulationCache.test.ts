// The simulation of the last analysis (server/src/analysis/simulationCache.ts): reused while the
// steps and the absent modules are the same, whatever objects hold them; simulated again as soon
// as anything the simulator reads differs.
import { describe, expect, it } from 'vitest';
import type { Verdicts } from '../../../server/src/checks/check';
import { SimulationCache, simulationOptions } from '../../../server/src/analysis/simulationCache';
import { simulate } from '../../../server/src/simulator/simulate';
import type { SimStep } from '../../../server/src/simulator/types';
import { kernel } from '../../helpers/builders';

const k = kernel({ symbols: { vmlinux: ['fn_a', 'fn_b'], mod: ['fn_m'] } });
const verdicts = (absentModules: string[] = []): Verdicts => ({ unbuilt: new Map(), functions: new Map(), absentModules });

/** Two livepatches, the second replacing the first; `change` edits a copy of them. */
function steps(change: (s: SimStep[]) => void = () => undefined): SimStep[] {
  const made: SimStep[] = [
    { action: 'load', patch: { name: 'lp1', replace: false, livepatchModinfo: true, states: [], objects: [{ name: 'vmlinux', funcs: [{ name: 'fn_a', sympos: 0 }] }, { name: 'mod', funcs: [{ name: 'fn_m', sympos: 0 }] }] } },
    { action: 'load', patch: { name: 'lp2', replace: true, livepatchModinfo: true, states: [], objects: [{ name: 'vmlinux', funcs: [{ name: 'fn_b', sympos: 0 }] }] } },
  ];
  change(made);
  return made;
}

const patchOf = (step: SimStep) => (step.action === 'load' ? step.patch! : undefined)!;

describe('the simulation cache', () => {
  it('gives the last results for steps equal to the last ones, made anew', () => {
    const cache = new SimulationCache();
    const first = cache.run(steps(), k, verdicts());
    expect(cache.run(steps(), k, verdicts())).toBe(first);
  });

  it.each([
    ['a function added', (s: SimStep[]) => patchOf(s[1]).objects[0].funcs.push({ name: 'fn_a', sympos: 0 })],
    ['an old_sympos', (s: SimStep[]) => (patchOf(s[0]).objects[0].funcs[0].sympos = 2)],
    ['the replace flag', (s: SimStep[]) => (patchOf(s[1]).replace = false)],
    ['a step taken out', (s: SimStep[]) => s.pop()],
    ['a function left out by the build', (s: SimStep[]) => (patchOf(s[0]).objects[1].funcs = [])],
  ])('simulates again after %s, as a fresh simulation does', (_, change) => {
    const cache = new SimulationCache();
    const first = cache.run(steps(), k, verdicts());
    const changed = steps(change);
    const again = cache.run(changed, k, verdicts());
    expect(again).not.toBe(first);
    expect(again).toEqual(simulate(changed, simulationOptions(k, verdicts())));
  });

  it('simulates again when a module becomes absent, or with another kernel', () => {
    const cache = new SimulationCache();
    const first = cache.run(steps(), k, verdicts());
    expect(cache.run(steps(), k, verdicts(['mod']))).not.toBe(first);
    const other = cache.run(steps(), { ...k }, verdicts(['mod']));
    expect(other).toEqual(simulate(steps(), simulationOptions(k, verdicts(['mod']))));
  });
});
