import { describe, expect, it } from 'vitest';
import { loadPoints } from '../../../../server/src/checks/seriesWalk';
import { functionKey } from '../../../../server/src/model/identity';
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

describe('functionKey', () => {
  it('treats old_sympos 0 and 1 as the same function, 2 as another', () => {
    const [f0, f1, f2, other] = livepatch('x', {
      funcs: [{ name: 'f', sympos: 0 }, { name: 'f', sympos: 1 }, { name: 'f', sympos: 2 }, { name: 'f', object: 'cdrom' }],
    }).objects.flatMap((o) => o.funcs);
    expect(functionKey(f0)).toBe(functionKey(f1));
    expect(functionKey(f2)).not.toBe(functionKey(f1));
    expect(functionKey(other)).not.toBe(functionKey(f0));
  });
});
