import { describe, expect, it } from 'vitest';
import { makeRange } from '../../../server/src/common/range';
import { applyEdits } from '../../../server/src/edits/textEdits';

const edit = (line: number, start: number, endLine: number, end: number, newText: string) => ({ range: makeRange(line, start, endLine, end), newText });

describe('applyEdits', () => {
  it('applies edits whatever their order in the array, each at its place in the original text', () => {
    const text = 'static int a;\nstatic int b;\n';
    expect(applyEdits(text, [edit(1, 11, 1, 12, 'bee'), edit(0, 11, 0, 12, 'ay'), edit(2, 0, 2, 0, 'MODULE_INFO(livepatch, "Y");\n')])).toBe(
      'static int ay;\nstatic int bee;\nMODULE_INFO(livepatch, "Y");\n',
    );
  });

  it('puts inserts at the same position in array order, before a replacement starting there', () => {
    expect(applyEdits('ab', [edit(0, 1, 0, 2, 'B'), edit(0, 1, 0, 1, '1'), edit(0, 1, 0, 1, '2')])).toBe('a12B');
  });

  it('leaves out an edit that overlaps an earlier one', () => {
    expect(applyEdits('abcdef', [edit(0, 1, 0, 4, 'X'), edit(0, 2, 0, 5, 'Y')])).toBe('aXef');
  });

  it('clamps positions to the text, and a range that ends before it starts inserts', () => {
    expect(applyEdits('ab\ncd', [edit(0, 99, 0, 99, '!'), edit(7, 0, 9, 0, '?'), edit(1, 1, 0, 0, '-')])).toBe('ab!\nc-d?');
  });

  it('counts columns without the \\r of a CRLF line', () => {
    expect(applyEdits('ab\r\ncd\r\n', [edit(0, 2, 1, 0, ',\r\n')])).toBe('ab,\r\ncd\r\n');
    expect(applyEdits('ab\r\ncd', [edit(0, 9, 0, 9, '!')])).toBe('ab!\r\ncd');
  });
});
