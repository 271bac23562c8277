import { expect, it } from 'vitest';
import { pinLines } from '../../../server/src/edits/linePins';

const patch = [
  '--- a/kernel/foo.c',
  '+++ b/kernel/foo.c',
  '@@ -10,5 +10,6 @@ int foo(void)',
  ' \ta();',
  '-\tb();',
  '+\tc();',
  '+\td();',
  ' \te();',
  ' \tf();',
  ' \tg();',
  '@@ -40,3 +41,2 @@',
  ' \th();',
  '-\ti();',
  ' \tj();',
  '--- a/Makefile',
  '+++ b/Makefile',
  '@@ -1,2 +1,3 @@',
  ' a',
  '+b',
  ' c',
  '',
].join('\n');

it('pins the next context line of each change group to its original number, as fix-patch-lines does', () => {
  const lines = pinLines(patch).split('\n');
  // Line 10 is a(), 11 the removed b(): e() was line 12 of the original.
  expect(lines.slice(2, 11)).toEqual(['@@ -10,5 +10,7 @@ int foo(void)', ' \ta();', '-\tb();', '+\tc();', '+\td();', '+#line 12', ' \te();', ' \tf();', ' \tg();']);
  expect(lines.slice(11, 16)).toEqual(['@@ -40,3 +41,3 @@', ' \th();', '-\ti();', '+#line 42', ' \tj();']);
});

it('leaves files other than C sources and headers alone', () => {
  expect(pinLines(patch).split('\n').slice(-6)).toEqual(['--- a/Makefile', '+++ b/Makefile', '@@ -1,2 +1,3 @@', ' a', '+b', ' c', ''].slice(-6));
});

it('adds nothing after a change that ends the hunk', () => {
  const tail = ['--- a/x.c', '+++ b/x.c', '@@ -1,2 +1,2 @@', ' a', '-b', '+c', '\\ No newline at end of file'].join('\n');
  expect(pinLines(tail)).toBe(tail);
});
