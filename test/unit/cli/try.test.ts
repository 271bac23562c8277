// `klp-lens try`'s arguments and text (the VM run itself is the oracle tier's: test/oracle/try.test.ts).
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../server/src/cli/args';
import { formatTryText } from '../../../server/src/cli/try';
import type { TryReport } from '../../../oracle/src/trySeries';
import type { StepResult } from '../../../server/src/simulator/types';

describe('klp-lens try', () => {
  it('reads the VM kernel and the modules built elsewhere', () => {
    const args = parseCliArgs(['try', '--vm-kernel', '6.1.0-57-amd64', '--ko', 'a.ko', '--ko', 'b.ko', 'ws']);
    expect(args).toMatchObject({ command: 'try', paths: ['ws'], vm: { release: '6.1.0-57-amd64', kos: ['a.ko', 'b.ko'] } });
  });

  it('says per step whether the kernel agreed, with the differences and the kernel log', () => {
    const ok = (target: string): StepResult => ({ action: 'load', target, ok: true, error: null, patches: [{ name: target, replace: false, enabled: true, replacedBy: null }], functions: [] });
    const report: TryReport = {
      release: '6.1.0-57-amd64',
      leftOut: ['p.patch: klp-lens cannot build a patch diff'],
      preloadFailures: [],
      machine: '/cache/try/run/machine',
      steps: [
        { action: 'load', target: 'lp', predicted: ok('lp'), kernel: ok('lp'), log: ["livepatch: enabling patch 'lp'"], differences: [] },
        { action: 'load', target: 'lq', predicted: ok('lq'), kernel: { ...ok('lq'), ok: false, error: 'insmod: ERROR' }, log: [], differences: ['ok: kernel false, simulator true'] },
      ],
    };
    const text = formatTryText(report);
    expect(text).toContain('left out: p.patch');
    expect(text).toContain("1. load lp: agree\n   predicted: ok\n   kernel:    ok\n   patch lp: enabled\n   log: livepatch: enabling patch 'lp'");
    expect(text).toContain('2. load lq: DIFFER');
    expect(text).toContain('   differs: ok: kernel false, simulator true');
    expect(text.trim().split('\n').at(-1)).toBe('1 of 2 steps differ');
  });
});
