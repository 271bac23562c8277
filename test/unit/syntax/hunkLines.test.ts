// The tokenized sides of a hunk, kept in the session's memo by the hunk's lines.
import { describe, expect, it } from 'vitest';
import { Memo } from '../../../server/src/common/memo';
import { newPatchParseCache, parsePatch } from '../../../server/src/syntax/diff';
import { sideLines } from '../../../server/src/syntax/hunkLines';
import { readFixture } from '../../helpers/fixtures';

describe('sideLines', () => {
  const demo = () => readFixture('diff', 'demo.patch');

  it('tokenizes each side once per memo, with the columns of the patch line', () => {
    const [hunk] = parsePatch(demo(), 'p.patch').files[0].hunks;
    const memo = new Memo();
    const added = sideLines(memo, hunk, 'new').find((l) => l.line.kind === 'add')!;
    expect(added.tokens[0].start).toBe(1 + added.line.text.indexOf(added.tokens[0].text));
    expect(sideLines(memo, hunk, 'new')).toBe(sideLines(memo, hunk, 'new'));
    expect(sideLines(memo, hunk, 'old').some((l) => l.line.kind === 'add')).toBe(false);
    expect(sideLines(memo, hunk, 'new').some((l) => l.line.kind === 'remove')).toBe(false);
    const other = sideLines(new Memo(), hunk, 'new');
    expect(other).not.toBe(sideLines(memo, hunk, 'new'));
    expect(other).toEqual(sideLines(memo, hunk, 'new'));
  });

  it('keeps the tokens of a file the next parse shares (same lines, new hunk objects)', () => {
    const cache = newPatchParseCache();
    const memo = new Memo();
    const [first] = parsePatch(demo(), 'p.patch', cache).files[0].hunks;
    const [again] = parsePatch(demo(), 'p.patch', cache).files[0].hunks;
    expect(again).not.toBe(first);
    expect(sideLines(memo, again, 'old')).toBe(sideLines(memo, first, 'old'));
  });
});
