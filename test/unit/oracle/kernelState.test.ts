// The kernel's state in StepResult form from /init's records (oracle/src/kernelState.ts),
// and the comparison with the simulator (oracle/src/compare.ts).
import { describe, expect, it } from 'vitest';
import { compareScenario, compareStep } from '../../../oracle/src/compare';
import { genericLoad } from '../../../oracle/src/genericPatch';
import { kernelResults, kernelWarnings, observedPatch } from '../../../oracle/src/kernelState';
import type { OracleStep } from '../../../oracle/src/scenario';
import type { LogLine, PatchDir, StepRecord } from '../../../oracle/src/serial';
import { simulate } from '../../../server/src/simulator/simulate';
import { toSimStep } from '../../../oracle/src/scenario';

const CMDLINE = { object: 'vmlinux', name: 'cmdline_proc_show', sympos: 1, path: '/proc/cmdline' };
const lpa = genericLoad('lpa', [{ object: 'vmlinux', name: 'cmdline_proc_show', sympos: 0 }]);
const lpb = genericLoad('lpb', [{ object: 'vmlinux', name: 'cmdline_proc_show', sympos: 1 }], { replace: true });

const dir = (name: string, funcs = ['cmdline_proc_show,1']): PatchDir => ({
  name,
  enabled: true,
  transition: false,
  objects: [{ name: 'vmlinux', patched: true, funcs }],
});

function record(index: number, patches: PatchDir[], modules: string[], cmdline: string, rc = 0, log: LogLine[] = []): StepRecord {
  return {
    index,
    rc,
    settled: true,
    words: [],
    err: [],
    log,
    patches,
    modules: new Set(modules),
    observed: new Map([['vmlinux:cmdline_proc_show:1', cmdline]]),
  };
}

const run = (s: OracleStep[]) => simulate(s.map(toSimStep));

describe('kernelResults', () => {
  const steps: OracleStep[] = [lpa, lpb, { action: 'unload', target: 'lpa', args: [] }];
  const records = [
    record(0, [dir('lpa')], ['lpa'], 'klp-oracle lpa'),
    record(1, [dir('lpb')], ['lpa', 'lpb'], 'klp-oracle lpb'),
    record(2, [dir('lpb')], ['lpb'], 'klp-oracle lpb'),
  ];
  const kernel = kernelResults(steps, records, [CMDLINE]);

  it('lists loaded livepatch modules, and a patch that stops being enabled while a replace patch loads as replaced by it', () => {
    expect(kernel[1].result.patches).toEqual([
      { name: 'lpa', replace: false, enabled: false, replacedBy: 'lpb' },
      { name: 'lpb', replace: true, enabled: true, replacedBy: null },
    ]);
    expect(kernel[2].result.patches.map((p) => p.name)).toEqual(['lpb']);
  });

  it('reads the stack from sysfs and the active implementation from the observation', () => {
    expect(kernel[1].result.functions).toEqual([{ object: 'vmlinux', name: 'cmdline_proc_show', sympos: 1, stack: ['lpb'], active: 'lpb' }]);
  });

  it('agrees with the simulator on this series', () => {
    expect(compareScenario(steps, kernel, run).verdicts.map((v) => v.kind)).toEqual(['agree', 'agree', 'agree']);
  });

  it('reports what differs: the active implementation, and a kernel warning the simulator does not give', () => {
    const sim = run(steps);
    const wrong = kernelResults(steps, [record(0, [dir('lpa')], ['lpa'], 'original', 0, [{ facility: 0, level: 4, text: 'WARNING: x' }])], [CMDLINE]);
    expect(compareStep(wrong[0], sim[0])).toEqual(['functions differ', "the kernel's warning is not in the simulator's message: WARNING: x"]);
  });

  it('skips every step from the first one the simulator cannot model that succeeded in the kernel', () => {
    const marked = [steps[0], { ...steps[1], notModelled: 'why' }, steps[2]];
    const compared = compareScenario(marked, kernel, run);
    expect(compared.verdicts.map((v) => v.kind)).toEqual(['agree', 'skipped', 'skipped']);
    expect(compared.simulator[1]).toBeNull();
  });

  it('leaves out of the simulated series a step it cannot model that the kernel refused, and goes on', () => {
    const refused = genericLoad('lpc', [{ object: 'vmlinux', name: 'cmdline_proc_show', sympos: 0 }]);
    const series: OracleStep[] = [lpa, { ...refused, notModelled: 'a callback fails' }, { action: 'disable', target: 'lpa', args: [] }];
    const lpaDir = record(0, [dir('lpa')], ['lpa'], 'klp-oracle lpa');
    const states = kernelResults(series, [lpaDir, { ...lpaDir, index: 1, rc: 1 }, record(2, [], ['lpa'], 'original')], [CMDLINE]);
    const asked: string[][] = [];
    const compared = compareScenario(series, states, (s) => (asked.push(s.map((x) => x.action)), run(s)));
    expect(asked).toEqual([['load', 'disable']]);
    expect(compared.verdicts.map((v) => v.kind)).toEqual(['agree', 'skipped', 'agree']);
  });
});

describe('the kernel log and observations', () => {
  it('keeps kernel warnings, not user lines, taint notices or dump_stack() lines', () => {
    const log: LogLine[] = [
      { facility: 1, level: 4, text: '% modprobe x' },
      { facility: 0, level: 4, text: 'x: loading out-of-tree module taints kernel.' },
      { facility: 0, level: 4, text: 'CPU: 0 PID: 12 Comm: modtool Tainted: G' },
      // 6.12's dump_stack_print_info(): the user id, and the taint flags spelled out on a line of their own.
      { facility: 0, level: 4, text: 'CPU: 0 UID: 0 PID: 2132 Comm: modtool Tainted: G           OE K    6.12.118+deb12-amd64 #1' },
      { facility: 0, level: 4, text: 'Tainted: [O]=OOT_MODULE, [E]=UNSIGNED_MODULE, [K]=LIVEPATCH' },
      { facility: 0, level: 4, text: ' dump_stack_lvl+0x44/0x5c' },
      { facility: 0, level: 3, text: "livepatch: symbol 'f' not found in symbol table" },
      { facility: 0, level: 6, text: 'livepatch: info' },
    ];
    expect(kernelWarnings(log).map((l) => l.text)).toEqual(["livepatch: symbol 'f' not found in symbol table"]);
  });

  it('names the patch a read printed', () => {
    expect(observedPatch('klp-oracle klp_oracle_lp3 42')).toBe('klp_oracle_lp3');
    expect(observedPatch('test_klp_livepatch: this has been live patched')).toBe('test_klp_livepatch');
    expect(observedPatch('BOOT_IMAGE=/vmlinuz')).toBeNull();
    expect(observedPatch('@absent')).toBeNull();
  });
});
