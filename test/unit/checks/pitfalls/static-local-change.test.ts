import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/static-local-change';
import { fixtureContext } from './pitfallContext';

describe('static-local-change', () => {
  it('reports a renamed and a removed static local at the removed declaration', () => {
    const problems = check.run(fixtureContext('static-local-change', 'bad.patch'));
    expect(problems.map((p) => [p.code, p.severity, p.range, p.data])).toEqual([
      [
        'static-local-change',
        'error',
        { start: { line: 6, character: 13 }, end: { line: 6, character: 18 } },
        { function: 'counter_read', variable: 'calls' },
      ],
      [
        'static-local-change',
        'error',
        { start: { line: 19, character: 32 }, end: { line: 19, character: 34 } },
        { function: 'rate_check', variable: 'rs' },
      ],
    ]);
    expect(problems[0].message).toContain('(renamed? counter_read now declares `count`)');
  });

  it('says nothing when the static local is kept (an initializer added) and another added', () => {
    expect(check.run(fixtureContext('static-local-change', 'good.patch'))).toEqual([]);
  });
});
