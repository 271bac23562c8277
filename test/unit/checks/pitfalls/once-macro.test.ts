import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/once-macro';
import { fixtureContext } from './pitfallContext';

describe('once-macro', () => {
  it('reports each once macro on an added line, at the macro', () => {
    const problems = check.run(fixtureContext('once-macro', 'bad.patch'));
    expect(problems.map((p) => [p.code, p.severity, p.range, p.data])).toEqual([
      [
        'once-macro',
        'error',
        { start: { line: 8, character: 3 }, end: { line: 8, character: 15 } },
        { macro: 'pr_warn_once', function: 'tcp_shifted_skb' },
      ],
      [
        'once-macro',
        'error',
        { start: { line: 9, character: 2 }, end: { line: 9, character: 9 } },
        { macro: 'DO_ONCE', function: 'tcp_shifted_skb' },
      ],
    ]);
    expect(problems[0].message).toContain('`pr_warn_once()` (in tcp_shifted_skb)');
  });

  it('says nothing of WARN_ON_ONCE, hand-written once flags, comments and strings', () => {
    expect(check.run(fixtureContext('once-macro', 'good.patch'))).toEqual([]);
  });
});
