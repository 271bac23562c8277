import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/inconsistent-sympos';
import { livepatch, series } from '../../../helpers/builders';

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
});
