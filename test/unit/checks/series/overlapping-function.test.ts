import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/overlapping-function';
import { FUNC_LINE, livepatch, series } from '../../../helpers/builders';

describe('overlapping-function', () => {
  const lpa = livepatch('lpa', { funcs: ['cmdline_proc_show'] });
  const lpb = livepatch('lpb', { funcs: ['version_proc_show', 'cmdline_proc_show'] });

  it('marks both places when a later non-replace patch stacks on an enabled one', () => {
    const problems = check.run(series([lpa, lpb]));
    expect(problems).toHaveLength(2);
    const [later, earlier] = problems;
    expect(later).toMatchObject({ code: 'overlapping-function', severity: 'warning', file: 'lpb.c' });
    expect(later.range.start.line).toBe(FUNC_LINE + 1);
    expect(later.message).toMatch(/`cmdline_proc_show` in vmlinux is also patched by lpa/);
    expect(later.message).toMatch(/lpb's version runs, shadowing lpa's/);
    expect(later.related).toEqual([{ location: lpa.objects[0].funcs[0].nameLocation, message: expect.stringContaining('lpa') }]);
    expect(earlier.file).toBe('lpa.c');
    expect(earlier.range.start.line).toBe(FUNC_LINE);
    expect(earlier.message).toMatch(/patched again by lpb.*shadows this one/);
    expect(earlier.related?.[0].location).toEqual(lpb.objects[0].funcs[1].nameLocation);
  });

  it('sees old_sympos 0 and 1 as the same function (one stack per address)', () => {
    const b = livepatch('lpb', { funcs: [{ name: 'cmdline_proc_show', sympos: 1 }] });
    expect(check.run(series([lpa, b]))).toHaveLength(2);
  });

  it('is silent when the later patch replaces', () => {
    const c = livepatch('lpc', { replace: true, funcs: ['cmdline_proc_show'] });
    expect(check.run(series([lpa, c]))).toEqual([]);
  });

  it('is silent when the earlier patch was disabled first', () => {
    expect(check.run(series([lpa, { disable: 'lpa' }, lpb]))).toEqual([]);
  });

  it('is silent for other functions, other objects and other positions', () => {
    const b = livepatch('lpb', {
      funcs: ['version_proc_show', { name: 'cmdline_proc_show', object: 'cdrom' }, { name: 'cmdline_proc_show', sympos: 2 }],
    });
    expect(check.run(series([lpa, b]))).toEqual([]);
  });
});
