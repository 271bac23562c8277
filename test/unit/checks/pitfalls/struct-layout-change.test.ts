import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/struct-layout-change';
import { fixtureContext } from './pitfallContext';

describe('struct-layout-change', () => {
  it('reports each changed struct once, at its first changed member, naming what changed', () => {
    const problems = check.run(fixtureContext('struct-layout-change', 'bad.patch'));
    expect(problems.map((p) => [p.code, p.severity, p.range, p.data])).toEqual([
      [
        'struct-layout-change',
        'warning',
        { start: { line: 8, character: 20 }, end: { line: 8, character: 29 } },
        { struct: 'struct cifs_ses', members: [{ kind: 'add', member: 'local_nls' }] },
      ],
      [
        'struct-layout-change',
        'warning',
        { start: { line: 16, character: 6 }, end: { line: 16, character: 17 } },
        {
          struct: 'struct cifs_tcon',
          members: [
            { kind: 'remove', member: 'stats_flags' },
            { kind: 'add', member: 'stats_flags' },
            { kind: 'remove', member: 'dfs_ses_list' },
          ],
        },
      ],
    ]);
    expect(problems[1].message).toContain('member `stats_flags` changed (type or size), member `dfs_ses_list` removed');
    expect(problems[1].related?.map((r) => r.location.range.start.line)).toEqual([17, 25]);
  });

  it('says nothing of comments, spacing, new structs and initializers', () => {
    expect(check.run(fixtureContext('struct-layout-change', 'good.patch'))).toEqual([]);
  });
});
