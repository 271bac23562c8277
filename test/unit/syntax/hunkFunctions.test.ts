import { beforeAll, describe, expect, it } from 'vitest';
import { parsePatch } from '../../../server/src/syntax/diff';
import type { HunkFunction, PatchDiff } from '../../../server/src/syntax/diffTypes';
import { findHunkFunctions } from '../../../server/src/syntax/hunkFunctions';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { readFixture } from '../../helpers/fixtures';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

const source = () => readFixture('diff', 'source', 'kernel', 'demo.c');

function found(name: string, options: Parameters<typeof findHunkFunctions>[1] = {}, text = readFixture('diff', name)): PatchDiff {
  const diff = findHunkFunctions(parsePatch(text, name), options);
  return diff;
}

/** name, isNew, changed, source, specifiers, 0-based line of the location, per hunk. */
const summary = (diff: PatchDiff) =>
  diff.files.flatMap((f) => f.hunks.map((h) => h.functions.map((fn: HunkFunction) => [fn.name, fn.isNew, fn.changed, fn.source, fn.specifiers.join(' '), fn.location.range.start.line])));

describe('findHunkFunctions without the source (the hunk alone)', () => {
  it('finds definitions that start in the hunk, macro-made ones too, and the diff -p context function', () => {
    expect(summary(found('demo.patch'))).toEqual([
      [
        ['demo_init', false, true, 'hunk-body', 'static __init', 6],
        ['__do_sys_demo', false, true, 'hunk-body', 'static inline', 14],
      ],
      [
        ['split_head', false, true, 'hunk-context', '', 23],
        ['helper', false, true, 'hunk-body', 'static inline', 30],
        ['added_func', true, true, 'hunk-body', '', 35],
        ['counter_read', false, true, 'hunk-body', 'static', 43],
      ],
    ]);
  });

  it('leaves out a function the patch deletes (kpatch-build does not patch it)', () => {
    const names = found('demo.patch').files[0].hunks[1].functions.map((f) => f.name);
    expect(names).not.toContain('removed_func');
  });

  it('lists the hunk lines of each function', () => {
    const [h1] = found('demo.patch').files[0].hunks;
    const demoInit = h1.functions[0];
    expect(demoInit.lines).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(h1.functions[1].lines?.[0]).toBe(12);
  });

  it('names the function the change is in, not the diff -p context before it (seed 004)', () => {
    expect(summary(found('cdrom-media-changed.patch'))).toEqual([[['media_changed', false, true, 'hunk-body', 'static', 19]]]);
  });

  it('goes on in the function the previous hunk ended in when the context is a label', () => {
    expect(summary(found('labels.patch'))).toEqual([
      [['fib_create_info', false, true, 'hunk-context', '', 6]],
      [['fib_create_info', false, true, 'hunk-context', '', 14]],
      [
        ['fib_init', false, false, 'hunk-context', 'static __init', 18],
        ['kpatch_helper', true, true, 'hunk-body', '', 23],
      ],
    ]);
  });

  it('ignores files that are not C and binary files', () => {
    const diff = found('x', {}, '--- a/Makefile\n+++ b/Makefile\n@@ -1 +1 @@\n-obj-y += a.o\n+obj-y += b.o\n');
    expect(diff.files[0].hunks[0].functions).toEqual([]);
  });
});

describe('findHunkFunctions with the original source (tree-sitter)', () => {
  it('maps every changed line to its definition in the old or new text', () => {
    const diff = found('demo.patch', { parser, readSource: (p) => (p === 'kernel/demo.c' ? source() : undefined) });
    expect(summary(diff)).toEqual([
      [
        ['demo_init', false, true, 'tree-sitter', 'static __init', 6],
        ['__do_sys_demo', false, true, 'tree-sitter', 'static inline', 14],
      ],
      [
        ['split_head', false, true, 'tree-sitter', 'static', 23],
        ['helper', false, true, 'tree-sitter', 'static inline', 30],
        ['added_func', true, true, 'tree-sitter', '', 35],
        ['counter_read', false, true, 'tree-sitter', 'static', 43],
      ],
    ]);
  });

  it('places hunks whose line numbers are off, as patch does', () => {
    const shifted = found('demo-shifted.patch', { parser, readSource: () => source() });
    expect(summary(shifted)).toEqual(summary(found('demo.patch', { parser, readSource: () => source() })));
  });

  it('falls back to the hunk alone for a hunk that does not match the source', () => {
    const other = source().replace('\tdemo_value = 1;\n', '\tdemo_value = 7;\n');
    const diff = found('demo.patch', { parser, readSource: () => other });
    expect(diff.files[0].hunks[0].functions.map((f) => [f.name, f.source])).toEqual([
      ['demo_init', 'hunk-body'],
      ['__do_sys_demo', 'hunk-body'],
    ]);
    expect(diff.files[0].hunks[1].functions.every((f) => f.source === 'tree-sitter')).toBe(true);
  });

  it('reads the hunks alone when readSource throws or has no file', () => {
    const throwing = found('demo.patch', {
      parser,
      readSource: () => {
        throw new Error('EACCES');
      },
    });
    expect(summary(throwing)).toEqual(summary(found('demo.patch')));
    expect(summary(found('demo.patch', { parser, readSource: () => undefined }))).toEqual(summary(found('demo.patch')));
  });

  it('takes every function of a new file as new', () => {
    const diff = found('x', { parser }, '--- /dev/null\n+++ b/lib/n.c\n@@ -0,0 +1,4 @@\n+static int __init n_init(void)\n+{\n+\treturn 0;\n+}\n');
    expect(summary(diff)).toEqual([[['n_init', true, true, 'tree-sitter', 'static __init', 3]]]);
  });
});
