import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/duplicate-function';
import { FUNC_LINE, livepatch, series } from '../../../helpers/builders';

describe('duplicate-function', () => {
  it('refuses old_sympos 0 and 1 of one name in one object (same sysfs entry)', () => {
    const lp = livepatch('lpa', { funcs: ['type_show', { name: 'type_show', sympos: 1 }] });
    const [p, ...rest] = check.run(series([lp]));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'duplicate-function', severity: 'error', file: 'lpa.c' });
    expect(p.range.start.line).toBe(FUNC_LINE + 1);
    expect(p.message).toMatch(/`type_show,1`.*kobject_add\(\) fails.*lpa does not load/);
    expect(p.related?.[0].location.range.start.line).toBe(FUNC_LINE);
  });

  it('accepts other positions and the same name in another object', () => {
    const lp = livepatch('lpa', {
      funcs: [{ name: 'type_show', sympos: 1 }, { name: 'type_show', sympos: 2 }, { name: 'type_show', object: 'cdrom' }],
    });
    expect(check.run(series([lp]))).toEqual([]);
  });

  it('does not check diffs (the build tools write one klp_func per function)', () => {
    expect(check.run(series([livepatch('fix', { kind: 'diff', funcs: ['media_changed', 'media_changed'] })]))).toEqual([]);
  });
});
