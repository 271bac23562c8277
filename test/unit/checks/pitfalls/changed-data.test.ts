import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/changed-data';
import { contextOf, diffLivepatch, fixtureContext } from './pitfallContext';

const variables = (patch: string) => check.run(contextOf([diffLivepatch(patch, 'p.patch')])).map((p) => p.data?.variable);
const hunk = (context: string, lines: string[]) => `--- a/f.c\n+++ b/f.c\n@@ -1,${lines.length} +1,${lines.length} @@ ${context}\n${lines.join('\n')}\n`;

describe('changed-data', () => {
  it('refuses a changed initializer, a changed member of a table, and a change inside an array whose head is the @@ context', () => {
    const problems = check.run(fixtureContext('changed-data', 'bad.patch'));
    expect(problems.map((p) => [p.severity, p.range.start.line, p.data?.variable])).toEqual([
      ['error', 6, 'cmdline_shown'],
      ['error', 18, 'cmdline_proc_ops'],
      ['error', 27, 'cmdline_table'],
    ]);
  });

  it('accepts new and removed variables, static locals, declarations and function code', () => {
    expect(check.run(fixtureContext('changed-data', 'good.patch'))).toEqual([]);
    expect(variables(hunk('', [' int a;', '-static int gone = 1;', ' int b;']))).toEqual([]);
    expect(variables(hunk('static int f(void)', [' {', '-\tstatic int calls = 0;', '+\tstatic int calls = 1;', ' }']))).toEqual([]);
    expect(variables(hunk('', ['-extern int x;', '+extern long x;']))).toEqual([]);
    expect(variables(hunk('static int f(void)', ['\tint a = 1;', '-\treturn a;', '+\treturn a + 1;']))).toEqual([]);
  });

  it('reads the name past brackets and annotations', () => {
    expect(variables(hunk('', ['-int sysctl_limit __read_mostly = 1;', '+int sysctl_limit __read_mostly = 2;']))).toEqual(['sysctl_limit']);
    expect(variables(hunk('', ['-static const char * const names[2] = { "a", "b" };', '+static const char * const names[2] = { "a", "c" };']))).toEqual(['names']);
  });
});
