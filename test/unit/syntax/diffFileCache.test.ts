// Content keys of a patch's files and the DiffFileCache that keeps results by them.
import { describe, expect, it } from 'vitest';
import { lineRange, location, type Location } from '../../../server/src/common/range';
import { parsePatch } from '../../../server/src/syntax/diff';
import { DiffFileCache, fileContentKey, fileTextKey, movedLocation } from '../../../server/src/syntax/diffFileCache';
import type { ParsedFile } from '../../../server/src/syntax/diffTypes';
import { findHunkFunctions, newHunkFunctionCache } from '../../../server/src/syntax/hunkFunctions';
import { readFixture } from '../../helpers/fixtures';

const demo = () => readFixture('diff', 'demo.patch');
const moved = (text: string) => `Subject: [PATCH] demo\n\nTwo more lines above the diff.\n${text}`;

describe('fileTextKey', () => {
  it('is the same for a file read from the same text elsewhere in the patch, with its own base', () => {
    const [a] = parsePatch(demo(), 'p.patch').files;
    const [b] = parsePatch(moved(demo()), 'p.patch').files;
    expect(fileTextKey('p.patch', b)).toEqual({ ...fileTextKey('p.patch', a), base: fileTextKey('p.patch', a).base + 3 });
  });

  it('differs for another patch name, another text, or a file parsePatch did not make', () => {
    const [a] = parsePatch(demo(), 'p.patch').files;
    const key = fileTextKey('p.patch', a);
    const [other] = parsePatch(demo().replace('+\treturn x * 3;', '+\treturn x * 4;'), 'p.patch').files;
    expect(fileTextKey('p.patch', other).text).not.toBe(key.text);
    expect(fileTextKey('q.patch', a).rest).not.toBe(key.rest);
    // A file parsePatch did not make (without the reading it keeps) is keyed by its fields, positions relative.
    const fieldsOf = ({ reading: _reading, ...file }: ParsedFile): ParsedFile => structuredClone(file);
    const copy = fieldsOf(a);
    const [copyMoved] = parsePatch(moved(demo()), 'p.patch').files.map(fieldsOf);
    expect(fileTextKey('p.patch', copy).text).not.toBe(key.text);
    expect(fileTextKey('p.patch', copy)).toEqual({ ...fileTextKey('p.patch', copyMoved), base: key.base });
    const [line, ...lines] = copy.hunks[0].lines;
    const changed = { ...copy, hunks: [{ ...copy.hunks[0], lines: [{ ...line, text: 'changed' }, ...lines] }, ...copy.hunks.slice(1)] };
    expect(fileTextKey('p.patch', structuredClone(changed)).text).not.toBe(fileTextKey('p.patch', copyMoved).text);
  });
});

describe('fileContentKey', () => {
  it('follows the functions: a file findHunkFunctions made by its functions key, any other by value', () => {
    const cache = newHunkFunctionCache();
    const read = (text: string) => {
      const diff = findHunkFunctions(parsePatch(text, 'p.patch'), { cache });
      return diff.files[0];
    };
    const first = fileContentKey('p.patch', read(demo()));
    expect(fileContentKey('p.patch', read(demo()))).toEqual(first);
    expect(fileContentKey('p.patch', read(moved(demo())))).toEqual({ ...first, base: first.base + 3 });

    // Read without a cache: the same key.
    expect(fileContentKey('p.patch', findHunkFunctions(parsePatch(demo(), 'p.patch')).files[0])).toEqual(first);

    // A file findHunkFunctions did not make (without the functions key it gives).
    const { functionsKey: _key, ...uncached } = findHunkFunctions(parsePatch(demo(), 'p.patch')).files[0];
    const byValue = fileContentKey('p.patch', uncached);
    expect(byValue.text).toBe(first.text);
    expect(byValue.rest).not.toBe(first.rest);
    const renamed = { ...uncached, hunks: uncached.hunks.map((h, i) => (i > 0 ? h : { ...h, functions: h.functions.map((f) => ({ ...f, name: `${f.name}2` })) })) };
    expect(fileContentKey('p.patch', renamed).rest).not.toBe(byValue.rest);
  });
});

describe('DiffFileCache', () => {
  const at = (line: number): Location => location('p.patch', lineRange(line, 4));
  const keyOf = (text: string, base: number) => ({ text, rest: '', base });
  const cache = () => new DiffFileCache<Location[]>();
  const move = (list: Location[], delta: number) => list.map((l) => movedLocation(l, delta));

  it('computes a value once per key, and moves it for a file that moved', () => {
    const c = cache();
    const first = c.get(keyOf('a', 10), () => [at(12)], move);
    expect(c.get(keyOf('a', 10), () => [at(99)], move)).toBe(first);
    expect(c.get(keyOf('a', 15), () => [at(99)], move)).toEqual([at(17)]);
    expect(c.get(keyOf('b', 15), () => [at(20)], move)).toEqual([at(20)]);
    expect(c.computed).toBe(2);
  });

  it('hands out frozen values: a reader cannot change what the next one gets', () => {
    const c = cache();
    const value = c.get(keyOf('a', 0), () => [at(1)], move);
    expect(() => value.push(at(2))).toThrow(TypeError);
    expect(() => ((value[0].range.start as { line: number }).line = 7)).toThrow(TypeError);
    expect(c.get(keyOf('a', 0), () => [], move)).toEqual([at(1)]);
  });

  it('forgets at each reading what the reading before did not use, and everything for another context', () => {
    const c = cache();
    const kernel = {};
    c.startReading(kernel);
    c.get(keyOf('a', 0), () => [at(1)], move);
    c.get(keyOf('b', 0), () => [at(2)], move);
    c.startReading(kernel);
    c.get(keyOf('a', 0), () => [at(9)], move);
    c.startReading(kernel);
    expect(c.get(keyOf('a', 0), () => [at(9)], move)).toEqual([at(1)]);
    expect(c.get(keyOf('b', 0), () => [at(9)], move)).toEqual([at(9)]);
    c.startReading({});
    expect(c.get(keyOf('a', 0), () => [at(5)], move)).toEqual([at(5)]);
  });

  it('keys by text and rest together', () => {
    const c = cache();
    c.get({ text: 'a', rest: 'x', base: 0 }, () => [at(1)], move);
    expect(c.get({ text: 'a', rest: 'y', base: 0 }, () => [at(2)], move)).toEqual([at(2)]);
    expect(c.get({ text: 'a', rest: 'x', base: 0 }, () => [at(3)], move)).toEqual([at(1)]);
  });
});
