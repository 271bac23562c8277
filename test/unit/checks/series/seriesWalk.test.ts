import { describe, expect, it } from 'vitest';
import { loadPoints } from '../../../../server/src/checks/seriesWalk';
import { livepatch, series } from '../../../helpers/builders';

const names = (ctx: ReturnType<typeof series>) =>
  Object.fromEntries(loadPoints(ctx).map((p) => [p.livepatch.name, p.installed.map((i) => i.livepatch.name)]));

describe('loadPoints', () => {
  const a = livepatch('lpa', { funcs: ['f'] });
  const b = livepatch('lpb', { funcs: ['g'] });
  const c = livepatch('lpc', { replace: true, funcs: ['g'] });
  const d = livepatch('lpd', { funcs: ['h'] });

  it('lists the patches still enabled before each load, oldest first', () => {
    expect(names(series([a, b, c, d]))).toEqual({ lpa: [], lpb: ['lpa'], lpc: ['lpa', 'lpb'], lpd: ['lpc'] });
  });

  it('leaves out a disabled patch and a patch whose load failed', () => {
    expect(names(series([a, { fail: b }, { disable: 'lpa' }, d]))).toEqual({ lpa: [], lpb: ['lpa'], lpd: [] });
  });

  it('reads disabled patches that the results still list as not installed', () => {
    const ctx = series([a, b]);
    ctx.results[0].patches = [{ name: 'lpa', replace: false, enabled: false, replacedBy: 'x' }];
    expect(names(ctx)).toEqual({ lpa: [], lpb: [] });
  });

  it('skips load steps of patches that are not in the series model', () => {
    const ctx = series([a, b]);
    ctx.livepatches = [b];
    expect(names(ctx)).toEqual({ lpb: [] });
  });
});
