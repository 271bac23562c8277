import { describe, expect, it } from 'vitest';
import { makeRange } from '../../../server/src/common/range';
import { parseSeries } from '../../../server/src/syntax/series';
import { fixturePath, readFixture } from '../../helpers/fixtures';

const at = (line: number, start: number, end: number) => makeRange(line, start, line, end);

describe('parseSeries: every form of line', () => {
  const file = fixturePath('series/series/all-forms.series');
  const series = parseSeries(readFixture('series/series/all-forms.series'), file);

  it('reads it without problems, in order', () => {
    expect(series.problems).toEqual([]);
    expect(series.file).toBe(file);
    expect(series.entries.map((e) => (e.kind === 'patch' ? e.path : `${e.action} ${e.target}`))).toEqual([
      'a-fix.patch',
      'b.diff',
      'c.patch',
      'd.patch',
      'e.patch',
      'f.diff',
      'disable lp_e',
      'unload lp_e',
      'load-module cdrom',
      'unload-module cdrom',
      'dir/with#hash.patch',
      'mod.c',
      'bsc1/patched_funcs.csv',
    ]);
  });

  it('reads the options: -R, --non-replace, --no-replace, name=, and ignores -p<n>', () => {
    const options = series.entries.flatMap((e) => (e.kind === 'patch' ? [[e.path, e.options]] : []));
    expect(Object.fromEntries(options)).toEqual({
      'a-fix.patch': { noReplace: false },
      'b.diff': { noReplace: true },
      'c.patch': { noReplace: true },
      'd.patch': { noReplace: true, name: 'lp-d' },
      'e.patch': { noReplace: false, name: 'lp_e' },
      'f.diff': { noReplace: false },
      'dir/with#hash.patch': { noReplace: false },
      'mod.c': { noReplace: false },
      'bsc1/patched_funcs.csv': { noReplace: false },
    });
  });

  it('locates each entry from its first to its last word, comments and blanks excluded', () => {
    expect(series.entries.map((e) => e.location.range)).toEqual([
      at(1, 0, 11),
      at(2, 0, 9),
      at(3, 0, 21),
      at(4, 0, 30),
      at(5, 0, 26),
      at(6, 1, 11),
      at(8, 0, 12),
      at(9, 0, 11),
      at(10, 0, 17),
      at(11, 0, 19),
      at(12, 0, 19),
      at(14, 0, 5),
      at(15, 0, 22),
    ]);
    expect(series.entries.every((e) => e.location.file === file)).toBe(true);
  });

  it('reads CRLF line endings and a missing final newline', () => {
    const s = parseSeries('a.patch -R\r\n# c\r\ndisable a\r\nb.patch', 's');
    expect(s.problems).toEqual([]);
    expect(s.entries.map((e) => e.location.range)).toEqual([at(0, 0, 10), at(2, 0, 9), at(3, 0, 7)]);
  });

  it('reads an empty file as no entries', () => {
    expect(parseSeries('', 's')).toEqual({ file: 's', entries: [], problems: [] });
    expect(parseSeries('\n  \n# only comments\n', 's').entries).toEqual([]);
  });
});

describe('parseSeries: errors', () => {
  const series = parseSeries(readFixture('series/series/errors.series'), 'errors.series');

  it('skips the bad lines and keeps the others', () => {
    expect(series.entries.map((e) => (e.kind === 'patch' ? e.path : e.action))).toEqual(['good.patch', 'after.patch']);
    expect(series.entries.map((e) => e.location.range.start.line)).toEqual([0, 9]);
  });

  it('reports each error as a parse-error at its exact columns', () => {
    expect(series.problems.every((p) => p.code === 'parse-error' && p.severity === 'error' && p.file === 'errors.series')).toBe(true);
    expect(series.problems.map((p) => [p.range, p.message])).toEqual([
      [at(1, 10, 17), "unknown option '--bogus'"],
      [at(2, 11, 16), "'name=' needs a module name"],
      [at(3, 0, 7), "'disable' needs a livepatch name"],
      [at(4, 9, 10), "'unload' takes one argument"],
      [at(5, 0, 2), expect.stringContaining("not an option ('-R')")],
      [at(5, 3, 14), expect.stringContaining("unexpected argument 'first.patch'")],
      [at(6, 8, 10), "'-p' needs a strip level (e.g. -p1)"],
      [at(7, 8, 13), expect.stringContaining("unexpected argument 'extra'")],
      [at(7, 14, 16), "unknown option '-X'"],
      [at(8, 0, 11), "'load-module' needs a module name"],
    ]);
  });

  it('spans every extra argument of an action', () => {
    const [p] = parseSeries('unload-module a b  c # x', 's').problems;
    expect(p.range).toEqual(at(0, 16, 20));
  });
});
