// Sorted lines and the Map over them (server/src/kernel/sortedLines.ts): a lookup, a prefix and
// an iteration give what the Map the lines were made from gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedLines, SortedMap, sortedLines } from '../../../server/src/kernel/sortedLines';

/** A Map as sorted lines, each value with its rank, and the SortedMap over them. */
function sortedMapOf(map: Map<string, string>): SortedMap<string> {
  const ranked = new Map([...map].map(([k, v], rank) => [k, `${rank}\t${v}`]));
  return new SortedMap(new SortedLines(sortedLines([...ranked.keys()].sort(), (k) => ranked.get(k))), (value) => value);
}

const key = fc.stringMatching(/^[a-z_.]{1,6}$/);

describe('sorted lines', () => {
  it('find and withPrefix search the keys in sorted order', () => {
    const values = new Map<string, string | undefined>([['foo.isra.0', 'x'], ['bar', 'y'], ['foo', undefined], ['foo.cold', 'z'], ['fop', 'w']]);
    const lines = new SortedLines(sortedLines([...values.keys()].sort(), (k) => values.get(k)));
    expect([0, 1, 2, 3, 4].map((i) => lines.keyAt(i))).toEqual(['bar', 'foo', 'foo.cold', 'foo.isra.0', 'fop']);
    expect(lines.find('foo')).toBe(1);
    expect(lines.valueAt(1)).toBe('');
    expect(lines.valueAt(2)).toBe('z');
    expect(lines.find('fo')).toBe(-1);
    expect(lines.withPrefix('foo.')).toEqual([2, 4]);
    expect(lines.withPrefix('zz')).toEqual([5, 5]);
  });

  it('reads a whole line as the key when the lines have no values', () => {
    const lines = new SortedLines(sortedLines(['a', 'a\tb']), false);
    expect(lines.find('a\tb')).toBe(1);
    expect(lines.keyAt(1)).toBe('a\tb');
  });

  it('gives no line for empty bytes', () => {
    expect(new SortedLines({ text: Buffer.alloc(0), offsets: Buffer.alloc(0) }).find('a')).toBe(-1);
  });
});

describe('a SortedMap', () => {
  it('answers get, has, size, keysWithPrefix and iterates as the Map it was made from', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, fc.string({ maxLength: 5 }).filter((v) => !v.includes('\n'))), { selector: (e) => e[0] }), fc.array(key), (entries, asked) => {
        const map = new Map(entries);
        const sorted = sortedMapOf(map);
        expect(sorted.size).toBe(map.size);
        for (const k of asked) {
          expect(sorted.has(k)).toBe(map.has(k));
          expect(sorted.get(k)).toBe(map.get(k));
          expect(sorted.keysWithPrefix(k)).toEqual([...map.keys()].filter((n) => n.startsWith(k)).sort());
          expect(sorted.hasKeyWithPrefix(k)).toBe([...map.keys()].some((n) => n.startsWith(k)));
        }
        expect([...sorted]).toEqual([...map]);
        expect(sorted.size).toBe(map.size);
      }),
    );
  });

  it('keeps the values it gave once it iterates, and takes a set after all its values', () => {
    const sorted = sortedMapOf(new Map([['b', '1'], ['a', '2']]));
    const decoded = new SortedMap(sorted.lines, (value) => ({ value }));
    const b = decoded.get('b');
    expect([...decoded.values()][0]).toBe(b);
    sorted.set('c', '3');
    expect([...sorted.keys()]).toEqual(['b', 'a', 'c']);
    sorted.delete('b');
    expect(sorted.size).toBe(2);
    expect(sorted.has('b')).toBe(false);
  });
});
