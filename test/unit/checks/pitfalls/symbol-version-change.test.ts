import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/symbol-version-change';
import { emptyKernelContext } from '../../../../server/src/kernel/types';
import { readFixture } from '../../../helpers/fixtures';
import { contextOf, diffLivepatch, fixtureContext } from './pitfallContext';

describe('symbol-version-change', () => {
  it('warns at an #include added to a C file', () => {
    const problems = check.run(fixtureContext('symbol-version-change', 'bad.patch'));
    expect(problems.map((p) => [p.code, p.severity, p.range.start.line, p.data])).toEqual([
      ['symbol-version-change', 'warning', 9, { header: '<linux/blktrace_api.h>', file: 'drivers/base/core.c' }],
    ]);
    expect(problems[0].message).toContain('disagrees about version of symbol');
  });

  it("says nothing of the livepatch tools' own headers", () => {
    expect(check.run(fixtureContext('symbol-version-change', 'good.patch'))).toEqual([]);
  });

  it('says nothing when the known .config has no CONFIG_MODVERSIONS, and warns when it has', () => {
    const text = readFixture('checks', 'symbol-version-change', 'bad.patch');
    const withConfig = (modversions: boolean) => {
      const k = emptyKernelContext();
      k.config = new Map(modversions ? [['CONFIG_MODVERSIONS', 'y']] : [['CONFIG_MODULES', 'y']]);
      k.has.config = true;
      return check.run(contextOf([diffLivepatch(text, 'bad.patch', k)], k));
    };
    expect(withConfig(false)).toEqual([]);
    expect(withConfig(true)).toHaveLength(1);
  });
});
