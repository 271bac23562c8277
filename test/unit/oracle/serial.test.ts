// The reader of /init's serial output (oracle/src/serial.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSerial } from '../../../oracle/src/serial';

const SAMPLE = [
  'SeaBIOS noise',
  '\u001b[?7l@@BOOT 6.1.0-56-amd64',
  '@@KSYM ffffffff8140fe70 t seq_show',
  '@@FTRACE-K s_show severities_coverage_open is_copy_from_user',
  '@@FTRACE-F s_show severities_coverage_open',
  '@@SCENARIO gen-1',
  '@@STEP 0 0 yes load klp_oracle_lp0 funcs=vmlinux:cmdline_proc_show:0 replace=1',
  '@@LOG <12>% modprobe klp_oracle_lp0 funcs=vmlinux:cmdline_proc_show:0',
  "@@LOG <5>livepatch: enabling patch 'klp_oracle_lp0'",
  "@@LOG <7>livepatch: 'klp_oracle_lp0': initializing patching transition",
  '@@PATCH klp_oracle_lp0 1 0',
  '@@OBJ klp_oracle_lp0 vmlinux 1',
  '@@FUNC klp_oracle_lp0 vmlinux cmdline_proc_show,1',
  '@@MODULE klp_oracle_lp0 live 1',
  '@@OBS vmlinux:cmdline_proc_show:1 klp-oracle klp_oracle_lp0',
  '@@OBS klp_oracle_ta:ta_a_show:1 @absent',
  '@@END 0',
  '@@STEP 1 1 no disable klp_oracle_lp9',
  '@@ERR sh: can\'t create /sys/kernel/livepatch/klp_oracle_lp9/enabled: nonexistent directory',
  '@@TAILLOG <12>klp_oracle_lp0: this has been live patched',
  '@@RESET disable:klp_oracle_lp0 rmmod:klp_oracle_lp0',
  '@@DONE',
].join('\r\n');

describe('parseSerial', () => {
  const record = parseSerial(SAMPLE.replace(/\r/g, ''));

  it('reads the release, the kallsyms lines and the ftrace locations', () => {
    expect(record.release).toBe('6.1.0-56-amd64');
    expect(record.kallsyms).toEqual(['ffffffff8140fe70 t seq_show']);
    expect(record.ftrace.get('s_show')).toEqual({
      definitions: [['severities_coverage_open', 'is_copy_from_user']],
      records: [['severities_coverage_open']],
    });
  });

  it('reads each step: exit code, settling, words, log levels, sysfs, modules, observations', () => {
    const [first, second] = record.scenarios[0].steps;
    expect(first).toMatchObject({ index: 0, rc: 0, settled: true, words: ['load', 'klp_oracle_lp0', 'funcs=vmlinux:cmdline_proc_show:0', 'replace=1'] });
    expect(first.log.map((l) => [l.facility, l.level])).toEqual([[1, 4], [0, 5], [0, 7]]);
    expect(first.log[1].text).toBe("livepatch: enabling patch 'klp_oracle_lp0'");
    expect(first.patches).toEqual([
      { name: 'klp_oracle_lp0', enabled: true, transition: false, objects: [{ name: 'vmlinux', patched: true, funcs: ['cmdline_proc_show,1'] }] },
    ]);
    expect([...first.modules]).toEqual(['klp_oracle_lp0']);
    expect(first.observed.get('vmlinux:cmdline_proc_show:1')).toBe('klp-oracle klp_oracle_lp0');
    expect(first.observed.get('klp_oracle_ta:ta_a_show:1')).toBe('@absent');
    expect(second).toMatchObject({ rc: 1, settled: false });
    expect(second.err).toHaveLength(1);
  });

  it('reads what the end-of-scenario reset found', () => {
    const scenario = record.scenarios[0];
    expect(scenario.tail.map((l) => l.text)).toEqual(['klp_oracle_lp0: this has been live patched']);
    expect(scenario.leftover).toEqual(['disable:klp_oracle_lp0', 'rmmod:klp_oracle_lp0']);
  });

  it('never throws on random text or on a mutated real output', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseSerial(s)));
    const lines = SAMPLE.split('\r\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(lines.length - 1), fc.string({ maxLength: 12 }))), (edits) => {
        const mutated = [...lines];
        for (const [i, text] of edits) mutated[i] = mutated[i].slice(0, text.length) + text;
        parseSerial(mutated.join('\n'));
      }),
    );
  });
});
