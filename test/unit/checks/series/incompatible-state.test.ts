import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/incompatible-state';
import { livepatch, series } from '../../../helpers/builders';

describe('incompatible-state', () => {
  const lpa = livepatch('lpa', { funcs: ['f'], states: [{ id: 7, version: 2 }] });

  it('points at the state entry that is older than the installed one', () => {
    const lpb = livepatch('lpb', { funcs: ['f'], states: [{ id: 3, version: 1 }, { id: 7, version: 1 }] });
    const [p, ...rest] = check.run(series([lpa, { fail: lpb }]));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'incompatible-state', severity: 'error', file: 'lpb.c', data: { stateId: 7 } });
    expect(p.range).toEqual(lpb.states[1].location.range);
    expect(p.message).toMatch(/^lpb would be refused when it loads: klp_is_patch_compatible\(\).*state 7/);
    expect(p.related).toEqual([{ location: lpa.states[0].location, message: 'lpa has state 7 version 2' }]);
  });

  it('points at a replace patch that lacks an installed state', () => {
    const lpb = livepatch('lpb', { replace: true, funcs: ['f'] });
    const [p] = check.run(series([lpa, lpb]));
    expect(p.range).toEqual(lpb.location.range);
    expect(p.related?.[0].location).toEqual(lpa.states[0].location);
  });

  it('accepts a newer version, a non-replace patch without the state, and a patch loaded after the holder is gone', () => {
    const newer = livepatch('lpb', { replace: true, funcs: ['f'], states: [{ id: 7, version: 3 }] });
    const stacked = livepatch('lpc', { funcs: ['g'] });
    expect(check.run(series([lpa, stacked, newer]))).toEqual([]);
    const older = livepatch('lpd', { funcs: ['f'], states: [{ id: 7, version: 1 }] });
    expect(check.run(series([lpa, { disable: 'lpa' }, older]))).toEqual([]);
  });
});
