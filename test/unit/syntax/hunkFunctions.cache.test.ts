// findHunkFunctions with a HunkFunctionCache: a file whose hunks and source did not change
// since the last reading is not read again, and gets the same functions as a fresh reading.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePatch } from '../../../server/src/syntax/diff';
import type { PatchDiff } from '../../../server/src/syntax/diffTypes';
import { findHunkFunctions, newHunkFunctionCache, type HunkFunctionCache } from '../../../server/src/syntax/hunkFunctions';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { readFixture } from '../../helpers/fixtures';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

/** demo.patch twice: kernel/demo.c, then the same hunks for kernel/other.c. */
const twoFiles = () => {
  const demo = readFixture('diff', 'demo.patch');
  return demo + demo.replaceAll('kernel/demo.c', 'kernel/other.c');
};

/** A parser that counts the trees it makes (two per file read with its source: old and new text). */
function countingParser(): { parser: CParser; trees: () => number } {
  let trees = 0;
  const counting = Object.create(parser) as CParser;
  counting.withTree = (text, use) => {
    trees++;
    return parser.withTree(text, use);
  };
  return { parser: counting, trees: () => trees };
}

function read(text: string, options: Parameters<typeof findHunkFunctions>[1]): PatchDiff {
  const diff = findHunkFunctions(parsePatch(text, 'p.patch'), options);
  return diff;
}

const functions = (diff: PatchDiff) => diff.files.map((f) => f.hunks.map((h) => h.functions));

describe('findHunkFunctions with a cache', () => {
  const source = () => readFixture('diff', 'source', 'kernel', 'demo.c');

  it('does not read again a patch that did not change, and finds the same functions', () => {
    const counting = countingParser();
    const cache = newHunkFunctionCache();
    const first = read(twoFiles(), { parser: counting.parser, readSource: source, cache });
    expect(counting.trees()).toBe(4);
    const second = read(twoFiles(), { parser: counting.parser, readSource: source, cache });
    expect(counting.trees()).toBe(4);
    expect(functions(second)).toEqual(functions(first));
    expect(functions(second)).toEqual(functions(read(twoFiles(), { parser, readSource: source })));
  });

  it('reads again only the file whose hunk changed', () => {
    const counting = countingParser();
    const cache = newHunkFunctionCache();
    read(twoFiles(), { parser: counting.parser, readSource: source, cache });
    const edited = twoFiles().replace('+\treturn x * 3;', '+\treturn x * 4;');
    const diff = read(edited, { parser: counting.parser, readSource: source, cache });
    expect(counting.trees()).toBe(6);
    expect(functions(diff)).toEqual(functions(read(edited, { parser, readSource: source })));
  });

  it('reads a file again when its original source changed', () => {
    const counting = countingParser();
    const cache = newHunkFunctionCache();
    read(twoFiles(), { parser: counting.parser, readSource: source, cache });
    const other = source().replace('\tdemo_value = 1;\n', '\tdemo_value = 7;\n');
    const diff = read(twoFiles(), { parser: counting.parser, readSource: (p) => (p === 'kernel/other.c' ? other : source()), cache });
    expect(counting.trees()).toBe(6);
    expect(diff.files[1].hunks[0].functions.map((f) => f.source)).toEqual(['hunk-body', 'hunk-body']);
    expect(diff.files[0].hunks[0].functions.map((f) => f.source)).toEqual(['tree-sitter', 'tree-sitter']);
  });

  it('moves the functions of a file that only moved in the patch, without reading it again', () => {
    const counting = countingParser();
    const cache = newHunkFunctionCache();
    read(twoFiles(), { parser: counting.parser, readSource: source, cache });
    const longer = `Subject: [PATCH] demo\n\nTwo more lines above the diff.\n${twoFiles()}`;
    const moved = read(longer, { parser: counting.parser, readSource: source, cache });
    expect(counting.trees()).toBe(4);
    const fresh = read(longer, { parser, readSource: source });
    expect(functions(moved)).toEqual(functions(fresh));
    expect(moved.files[1].hunks[0].functions[0].location.range.start.line).toBe(fresh.files[1].hunks[0].functions[0].location.range.start.line);
  });

  it('hands an unchanged file that did not move the same frozen functions, one that moved moved copies', () => {
    const cache = newHunkFunctionCache();
    const first = read(twoFiles(), { parser, readSource: source, cache });
    const again = read(twoFiles(), { parser, readSource: source, cache });
    expect(again.files[1].hunks[0].functions[0]).toBe(first.files[1].hunks[0].functions[0]);
    expect(Object.isFrozen(again.files[1].hunks[0].functions[0].location.range)).toBe(true);
    const moved = read(`\n${twoFiles()}`, { parser, readSource: source, cache });
    expect(moved.files[1].hunks[0].functions[0]).not.toBe(first.files[1].hunks[0].functions[0]);
    expect(moved.files[1].hunks[0].functions[0].lines).toEqual(first.files[1].hunks[0].functions[0].lines!.map((l) => l + 1));
    // Moved once: the reading after hands out the moved file itself, frozen.
    const after = read(`\n${twoFiles()}`, { parser, readSource: source, cache });
    expect(after.files[1]).toBe(moved.files[1]);
    expect(Object.isFrozen(after.files[1].hunks[0].functions[0].location.range)).toBe(true);
  });

  it('keeps only the files of the last reading', () => {
    const cache: HunkFunctionCache = newHunkFunctionCache();
    read(twoFiles(), { cache });
    expect(cache.files.size).toBe(2);
    read(readFixture('diff', 'labels.patch'), { cache });
    expect(cache.files.size).toBe(1);
  });

  it('finds what a fresh reading finds after every edit of a series of edits (lines changed, added, removed)', () => {
    const lines = twoFiles().split('\n');
    const edit = fc.record({ at: fc.nat({ max: lines.length - 1 }), how: fc.constantFrom('change', 'insert', 'delete'), text: fc.string({ maxLength: 12 }) });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 8 }), (edits) => {
        const cache = newHunkFunctionCache();
        const current = [...lines];
        read(current.join('\n'), { cache });
        for (const { at, how, text } of edits) {
          const line = `+${text.replace(/[\r\n]/g, '')}`;
          const i = at % current.length;
          if (how === 'change') current[i] = line;
          else if (how === 'insert') current.splice(i, 0, line);
          else current.splice(i, 1);
          const patch = current.join('\n');
          expect(functions(read(patch, { cache }))).toEqual(functions(read(patch, {})));
        }
      }),
      { numRuns: 100 },
    );
  });
});
