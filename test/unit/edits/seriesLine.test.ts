import { expect, it } from 'vitest';
import { appendSeriesLine } from '../../../server/src/edits/seriesLine';
import { applyEdits } from '../../../server/src/edits/textEdits';

it('appends a series line, after a newline when the last line lacks one, in the file\'s own line ends', () => {
  const add = (text: string) => applyEdits(text, [appendSeriesLine(text, 'lp-new.c')]);
  expect(add('a.patch\nb.c\n')).toBe('a.patch\nb.c\nlp-new.c\n');
  expect(add('a.patch\nb.c')).toBe('a.patch\nb.c\nlp-new.c\n');
  expect(add('a.patch\r\n')).toBe('a.patch\r\nlp-new.c\r\n');
  expect(add('')).toBe('lp-new.c\n');
});
