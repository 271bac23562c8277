import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/dropped-function';
import { livepatch, series } from '../../../helpers/builders';

describe('dropped-function', () => {
  // Reference section 3: lpa, lpb non-replace, lpc replace with version_proc_show only.
  const lpa = livepatch('lpa', { funcs: ['cmdline_proc_show'] });
  const lpb = livepatch('lpb', { funcs: ['cmdline_proc_show', 'version_proc_show'] });
  const lpc = livepatch('lpc', { replace: true, funcs: ['version_proc_show'] });

  it('reports each function of each enabled patch the replace patch leaves out', () => {
    const problems = check.run(series([lpa, lpb, lpc]));
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^lpc replaces lpa but does not patch `cmdline_proc_show` in vmlinux.*runs the original code again/),
      expect.stringMatching(/^lpc replaces lpb but does not patch `cmdline_proc_show` in vmlinux/),
    ]);
    for (const p of problems) expect(p).toMatchObject({ code: 'dropped-function', severity: 'warning', file: 'lpc.c', range: lpc.location.range });
    expect(problems[1].related).toEqual([{ location: lpb.objects[0].funcs[0].nameLocation, message: 'lpb patches `cmdline_proc_show` in vmlinux here' }]);
    expect(problems[0].data).toEqual({ from: 'lpa', object: 'vmlinux', name: 'cmdline_proc_show', sympos: 0 });
  });

  it('is silent when the replace patch is cumulative or the earlier patch is gone', () => {
    const cumulative = livepatch('lpc', { replace: true, funcs: ['cmdline_proc_show', { name: 'version_proc_show', sympos: 1 }] });
    expect(check.run(series([lpa, lpb, cumulative]))).toEqual([]);
    expect(check.run(series([lpa, { disable: 'lpa' }, lpc]))).toEqual([]);
  });

  it('is silent for a non-replace patch', () => {
    expect(check.run(series([lpa, livepatch('lpd', { funcs: ['version_proc_show'] })]))).toEqual([]);
  });
});
