import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/inconsistent-sympos';
import { kernelCapabilities } from '../../../../server/src/kernel/capabilities';
import { parseKernelVersion } from '../../../../server/src/kernel/kernelVersion';
import { kernel, livepatch, series } from '../../../helpers/builders';

describe('inconsistent-sympos', () => {
  const lpa = livepatch('lpa', { funcs: [{ name: 'cmdline_proc_show', sympos: 0 }] });
  const lpb = livepatch('lpb', { replace: true, funcs: [{ name: 'cmdline_proc_show', sympos: 1 }] });

  it('warns when a replace patch meets an enabled patch that wrote the other position', () => {
    const [p, ...rest] = check.run(series([lpa, lpb]));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'inconsistent-sympos', severity: 'warning', file: 'lpb.c', data: { sympos: 0 } });
    expect(p.range).toEqual(lpb.objects[0].funcs[0].symposLocation?.range);
    expect(p.message).toMatch(/old_sympos 1 here and 0 in lpa.*klp_find_func\(\).*nop.*`cmdline_proc_show,1`.*refuses lpb/);
    expect(p.related?.[0]).toEqual({ location: lpa.objects[0].funcs[0].symposLocation, message: 'lpa writes old_sympos 0' });
  });

  it('only informs when no replace is involved', () => {
    const b = livepatch('lpb', { funcs: [{ name: 'cmdline_proc_show', sympos: 1 }] });
    expect(check.run(series([lpa, b])).map((p) => p.severity)).toEqual(['information']);
  });

  it('is silent for the same position, other positions, other objects', () => {
    const b = livepatch('lpb', {
      replace: true,
      funcs: [{ name: 'cmdline_proc_show', sympos: 0 }, { name: 'cmdline_proc_show', sympos: 2, object: 'x' }],
    });
    const c = livepatch('lpc', { funcs: [{ name: 'cmdline_proc_show', sympos: 1, object: 'cdrom' }] });
    expect(check.run(series([lpa, b, c]))).toEqual([]);
  });

  // kernel/capabilities.ts 'sympos-zero-is-one': 6.19 (139560e8b973), 6.12.64, Debian's 6.1.170, 5.15.198.
  const on = (version: string) => ({ ...kernel(), capabilities: kernelCapabilities(parseKernelVersion(version, 'the test')) });

  it('is an error for a replacement on a target whose klp_find_func() compares old_sympos exactly, and says which', () => {
    const [p] = check.run(series([lpa, lpb], on('6.6.10')));
    expect(p.severity).toBe('error');
    expect(p.message).toMatch(/the target's klp_find_func\(\) .*compares old_sympos exactly \(.*6\.6\.10.*\).*refuses lpb/);
    const b = livepatch('lpb', { funcs: [{ name: 'cmdline_proc_show', sympos: 1 }] });
    expect(check.run(series([lpa, b], on('6.12.10'))).map((x) => x.severity)).toEqual(['information']);
  });

  it('only informs on a target that takes 0 and 1 as one function, saying other kernels refuse it', () => {
    for (const version of ['6.19.0', '6.12.64', '5.15.198']) {
      const [p] = check.run(series([lpa, lpb], on(version)));
      expect(p.severity, version).toBe('information');
      expect(p.message, version).toMatch(/the target's klp_find_func\(\) takes 0 and 1 as one .*on kernels that compare old_sympos exactly lpb, replacing lpa, .*refuses lpb/);
    }
  });
});
