import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/init-function';
import { contextOf, diffLivepatch, fixtureContext } from './pitfallContext';

describe('init-function', () => {
  it('reports a changed __init function (from the hunk context) and a changed __exit function', () => {
    const problems = check.run(fixtureContext('init-function', 'bad.patch'));
    expect(problems.map((p) => [p.code, p.severity, p.file, p.range.start.line, p.data?.function, p.data?.specifier])).toEqual([
      ['init-function', 'error', 'init-function/bad.patch', 7, 'proc_meminfo_init', '__init'],
      ['init-function', 'error', 'init-function/bad.patch', 18, 'joydev_exit', '__exit'],
    ]);
    expect(problems[0].message).toContain('`proc_meminfo_init` is `__init` code');
    expect(problems[1].message).toContain('only runs when its module unloads');
  });

  it('says nothing of code added after an __init function, at file scope', () => {
    expect(check.run(fixtureContext('init-function', 'good.patch'))).toEqual([]);
  });

  it('reports a function once, with its other hunks as related places', () => {
    const text = [
      '--- a/init/x.c',
      '+++ b/init/x.c',
      '@@ -10,3 +10,4 @@ static int __init x_init(void)',
      ' \ta();',
      '+\tb();',
      ' \tc();',
      '@@ -20,3 +21,4 @@ static int __init x_init(void)',
      ' \td();',
      '+\te();',
      ' \tf();',
      '',
    ].join('\n');
    const [p, ...rest] = check.run(contextOf([diffLivepatch(text, 'x.patch')]));
    expect(rest).toEqual([]);
    expect(p.range.start.line).toBe(4);
    expect(p.related?.map((r) => r.location.range.start.line)).toEqual([8]);
  });
});
