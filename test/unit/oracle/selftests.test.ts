// The selftest scripts read into scenarios (oracle/src/selftests.ts), on the linux-6.1 corpus.
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { selftestScenarios } from '../../../oracle/src/selftests';
import { stepsOf, type Scenario } from '../../../oracle/src/scenario';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { describeShared } from '../../helpers/shared';

describeShared('the kernel selftests as oracle scenarios', () => {
  let scenarios: Scenario[];
  beforeAll(async () => {
    scenarios = selftestScenarios(await CParser.create());
  });

  it('makes one scenario per start_test of test-livepatch.sh, test-state.sh and test-callbacks.sh, each with its expected log', () => {
    const count = (prefix: string) => scenarios.filter((s) => s.name.startsWith(prefix)).length;
    expect([count('selftest-livepatch-'), count('selftest-state-'), count('selftest-callbacks-')]).toEqual([3, 4, 11]);
    for (const s of scenarios) expect(s.expectedLog?.length, s.name).toBeGreaterThan(0);
  });

  it('turns the script calls into steps, with the patches klp-lens reads from the modules', () => {
    const basic = scenarios.find((s) => s.name === 'selftest-livepatch-basic-function-patching');
    expect(basic && stepsOf(basic).map((s) => `${s.action} ${s.target}`)).toEqual([
      'load test_klp_livepatch',
      'disable test_klp_livepatch',
      'unload test_klp_livepatch',
    ]);
    expect(basic?.expectedLog?.[0]).toBe('% modprobe test_klp_livepatch');
    const patch = basic && stepsOf(basic)[0].patch;
    expect(patch?.objects).toEqual([{ name: 'vmlinux', funcs: [{ name: 'cmdline_proc_show', sympos: 0 }] }]);
  });

  it('applies the replace= parameter and reads test_klp_state3.c through its #include', () => {
    const replace = scenarios.find((s) => s.name === 'selftest-livepatch-atomic-replace-livepatch');
    const replaced = replace && stepsOf(replace).find((s) => s.target === 'test_klp_atomic_replace');
    expect(replaced?.patch?.replace).toBe(true);
    const compatible = scenarios.find((s) => s.name === 'selftest-state-compatible-cumulative-livepatches');
    const state3 = compatible && stepsOf(compatible).find((s) => s.target === 'test_klp_state3');
    expect(state3?.patch).toMatchObject({ replace: true, states: [{ id: 1, version: 2 }] });
  });

  it('keeps harness commands and marks what the simulator cannot model', () => {
    const grep = scenarios.find((s) => s.name === 'selftest-livepatch-multiple-livepatches');
    expect(grep?.items.filter((i) => 'command' in i)).toHaveLength(8);
    const busy = scenarios.find((s) => s.name === 'selftest-callbacks-busy-target-module');
    const steps = busy ? stepsOf(busy) : [];
    expect(steps[1].notModelled).toMatch(/load_lp_nowait/);
    // The target loads and unloads while the transition is held: they wait for no transition.
    expect(steps.slice(1, 4).every((s) => s.nowait)).toBe(true);
    const enodev = scenarios.find((s) => s.name === 'selftest-callbacks-module-coming-pre-patch-callback-ENODEV');
    expect(enodev && stepsOf(enodev)[1].notModelled).toMatch(/pre_patch_ret/);
  });

  it('names every scenario so that --only can pick it', () => {
    fc.assert(fc.property(fc.constantFrom(...scenarios), (s) => /^selftest-[a-z]+-[A-Za-z0-9-]+$/.test(s.name)));
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
  });
});
