import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/missing-replace';
import { livepatch, series } from '../../../helpers/builders';

describe('missing-replace', () => {
  const lpa = livepatch('lpa', { funcs: ['cmdline_proc_show'] });

  it('warns at the replace place when a non-replace patch contains every function of an enabled one', () => {
    const lpb = livepatch('lpb', { funcs: ['cmdline_proc_show', 'version_proc_show'] });
    const [p, ...rest] = check.run(series([lpa, lpb]));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'missing-replace', severity: 'warning', file: 'lpb.c' });
    expect(p.range).toEqual(lpb.replaceLocation?.range);
    expect(p.message).toMatch(/lpb patches every function of lpa .*does not set replace/);
    expect(p.message).toMatch(/set `\.replace = true`/);
    expect(p.related).toEqual([{ location: lpa.location, message: expect.stringContaining('lpa') }]);
  });

  it('informs when it only overlaps', () => {
    const a = livepatch('lpa', { funcs: ['cmdline_proc_show', 'meminfo_proc_show'] });
    const lpb = livepatch('lpb', { funcs: ['cmdline_proc_show'] });
    const [p] = check.run(series([a, lpb]));
    expect(p.severity).toBe('information');
    expect(p.message).toMatch(/patches functions that lpa .*also patches/);
  });

  it('fires for a diff only when the series turns replace off', () => {
    const diff = livepatch('fix2', { kind: 'diff', funcs: ['cmdline_proc_show'] });
    expect(check.run(series([lpa, diff]))).toEqual([]);
    const nonReplace = livepatch('fix2', { kind: 'diff', replace: false, funcs: ['cmdline_proc_show'] });
    const [p] = check.run(series([lpa, nonReplace]));
    expect(p.file).toBe('fix2.patch');
    expect(p.message).toMatch(/drop the option that turns replace off/);
  });

  it('is silent for disjoint patches, for the first patch, and after the earlier one is disabled', () => {
    const lpb = livepatch('lpb', { funcs: ['version_proc_show'] });
    expect(check.run(series([lpa, lpb]))).toEqual([]);
    expect(check.run(series([lpa, { disable: 'lpa' }, livepatch('lpc', { funcs: ['cmdline_proc_show'] })]))).toEqual([]);
  });
});
