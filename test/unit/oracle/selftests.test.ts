// The selftest scripts read into scenarios (oracle/src/selftests.ts), on the linux-6.1 corpus, and in 6.12's forms.
import fc from 'fast-check';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { SHARED_SELFTESTS } from '../../../oracle/src/modules';
import { selftestScenarios } from '../../../oracle/src/selftests';
import { stepsOf, type Scenario } from '../../../oracle/src/scenario';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { CORPUS, describeShared } from '../../helpers/shared';

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

// 6.12's scripts: loops over modules, bash arrays with a [ ] assertion, insmod test_modules/<mod>.ko in the expected log.
describeShared("a later kernel's selftest script", () => {
  it('is read as the 6.1 ones are, and a test loading a module the oracle does not build is left out and said', async () => {
    const tree = mkdtempSync(path.join(os.tmpdir(), 'klp-selftests-'));
    try {
      const scripts = path.join(tree, 'scripts');
      mkdirSync(scripts);
      cpSync(SHARED_SELFTESTS.modules, path.join(tree, 'modules'), { recursive: true });
      const script = [
        'MOD_LIVEPATCH1=test_klp_livepatch',
        'MOD_LIVEPATCH2=test_klp_callbacks_demo',
        'MOD_OTHER=test_klp_syscall',
        'start_test "two livepatches"',
        'for mod in $MOD_LIVEPATCH1 $MOD_LIVEPATCH2; do',
        '\tload_lp "$mod"',
        'done',
        'mods=(/sys/kernel/livepatch/*)',
        'nmods=${#mods[@]}',
        'if [ "$nmods" -ne 2 ]; then',
        '\tdie "Expecting two modules listed, found $nmods"',
        'fi',
        `loop_until 'mods=(/sys/kernel/livepatch/*); nmods=\${#mods[@]}; [[ "$nmods" -eq 2 ]]' ||`,
        '        die "Expecting two modules listed, found $nmods"',
        'check_result "% insmod test_modules/$MOD_LIVEPATCH1.ko',
        "insmod: ERROR: could not insert module test_modules/$MOD_LIVEPATCH2.ko: Invalid parameters\"",
        'start_test "a syscall"',
        'load_lp $MOD_OTHER',
        'check_result "% insmod test_modules/$MOD_OTHER.ko"',
        '',
      ].join('\n');
      for (const name of ['test-livepatch.sh', 'test-state.sh', 'test-callbacks.sh']) writeFileSync(path.join(scripts, name), name === 'test-livepatch.sh' ? script : '');
      const dropped: string[] = [];
      const parser = await CParser.create();
      const found = selftestScenarios(parser, { modules: path.join(tree, 'modules'), scripts }, (name, why) => dropped.push(`${name}: ${why}`));
      expect(found.map((s) => [s.name, stepsOf(s).map((step) => `${step.action} ${step.target}`), s.expectedLog])).toEqual([
        [
          'selftest-livepatch-two-livepatches',
          ['load test_klp_livepatch', 'load test_klp_callbacks_demo'],
          ['% modprobe test_klp_livepatch', "modprobe: ERROR: could not insert 'test_klp_callbacks_demo': Invalid argument"],
        ],
      ]);
      expect(dropped).toEqual(['selftest-livepatch-a-syscall: test-livepatch.sh:18: it loads test_klp_syscall, which the oracle does not build']);
      // Debian 12's own selftests are replayed whole: by default a test left out fails.
      expect(() => selftestScenarios(parser, { modules: path.join(tree, 'modules'), scripts })).toThrow(/selftest-livepatch-a-syscall: .*test_klp_syscall/);
      // A tree with test_klp_syscall.c (6.12's) has it built and replayed: its old_name is read with x86-64's FN_PREFIX.
      cpSync(path.join(CORPUS, 'upstream-klp-build/torvalds-linux/tools/testing/selftests/livepatch/test_modules/test_klp_syscall.c'), path.join(tree, 'modules', 'test_klp_syscall.c'));
      const syscall = selftestScenarios(parser, { modules: path.join(tree, 'modules'), scripts }).find((s) => s.name === 'selftest-livepatch-a-syscall');
      const patch = syscall && stepsOf(syscall)[0].patch;
      expect(patch?.objects.map((o) => [o.name, o.funcs.map((f) => f.name)])).toEqual([['vmlinux', ['__x64_sys_getpid']]]);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
