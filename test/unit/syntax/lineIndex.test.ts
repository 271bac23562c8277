import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../../server/src/syntax/lineIndex';

describe('LineIndex', () => {
  it('turns offsets into 0-based lines and UTF-16 columns', () => {
    const lines = new LineIndex('ab\n😀c\n\nd');
    expect(lines.position(0)).toEqual({ line: 0, character: 0 });
    expect(lines.position(5)).toEqual({ line: 1, character: 2 });
    expect(lines.position(7)).toEqual({ line: 2, character: 0 });
    expect(lines.location('f', 8, 9).range).toEqual({ start: { line: 3, character: 0 }, end: { line: 3, character: 1 } });
  });

  it('gives each line and runs of lines as split() does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'bc', '\n', '\r\n', '😀'), { maxLength: 30 }), fc.nat(12), fc.nat(12), (parts, from, to) => {
        const text = parts.join('');
        const split = text.split('\n');
        const index = new LineIndex(text);
        expect(index.lineCount).toBe(split.length);
        split.forEach((line, n) => expect(text.slice(index.start(n), index.end(n))).toBe(line));
        expect(index.lines(from, to)).toBe(from > to || from >= split.length ? '' : split.slice(from, to + 1).join('\n'));
      }),
    );
  });

  it('indexes texts one after the other as split() does, short and long (past its kept scratch of line starts)', () => {
    for (const count of [5, 10_000, 3, 300_000, 7]) {
      const text = Array.from({ length: count }, (_, i) => `line ${i}`).join('\n');
      const index = new LineIndex(text);
      expect(index.lineCount).toBe(count);
      for (const n of [0, count >> 1, count - 1]) expect(text.slice(index.start(n), index.end(n))).toBe(`line ${n}`);
    }
  });
});
