import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/no-functional-change';
import { readFixture } from '../../../helpers/fixtures';
import { contextOf, diffLivepatch, fixtureContext } from './pitfallContext';

const noop = readFixture('checks', 'no-functional-change', 'bad.patch');

describe('no-functional-change', () => {
  it('refuses a patch whose hunks change only blank lines, white space and comments, at the patch', () => {
    const problems = check.run(fixtureContext('no-functional-change', 'bad.patch'));
    expect(problems.map((p) => [p.code, p.severity, p.range.start.line, p.data])).toEqual([['no-functional-change', 'error', 3, { hunks: 2 }]]);
    expect(problems[0].message).toContain('no functional changes found');
  });

  it('says nothing when a string changes, when another file changes code, or when a file is not C', () => {
    expect(check.run(fixtureContext('no-functional-change', 'good.patch'))).toEqual([]);
    const withCode = `${noop}--- a/fs/proc/version.c\n+++ b/fs/proc/version.c\n@@ -1,1 +1,1 @@\n-int x = 1;\n+int x = 2;\n`;
    expect(check.run(contextOf([diffLivepatch(withCode, 'with-code.patch')]))).toEqual([]);
    const withMakefile = `${noop}--- a/fs/proc/Makefile\n+++ b/fs/proc/Makefile\n@@ -1,1 +1,1 @@\n-obj-y += a.o\n+obj-y  += a.o\n`;
    expect(check.run(contextOf([diffLivepatch(withMakefile, 'with-makefile.patch')]))).toEqual([]);
  });

  it('sees code that moves from one statement to another, and a comment that opens or closes code', () => {
    const moved = '--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n-f("a"); g();\n+f(); g("a");\n';
    expect(check.run(contextOf([diffLivepatch(moved, 'moved.patch')]))).toEqual([]);
    const commentedOut = '--- a/f.c\n+++ b/f.c\n@@ -1,1 +1,1 @@\n-f(); g();\n+f(); /* g(); */\n';
    expect(check.run(contextOf([diffLivepatch(commentedOut, 'commented-out.patch')]))).toEqual([]);
  });
});
