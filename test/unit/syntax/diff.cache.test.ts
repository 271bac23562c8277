// parsePatch with a PatchParseCache: a file read from the same lines at the same place as
// last time is not read again (it shares last time's frozen lines), any other file is, and
// the result is always the one of a fresh parse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePatch } from '../../../bench/patchGenerator';
import { newPatchParseCache, parsePatch, type PatchParseCache } from '../../../server/src/syntax/diff';
import { fileTextKey } from '../../../server/src/syntax/diffFileCache';
import type { ParsedPatch } from '../../../server/src/syntax/diffTypes';
import { readFixture } from '../../helpers/fixtures';

const patch = generatePatch(7, 900).text;

/** The patch's files whose hunks share their line arrays with `before`'s file at the same index. */
function shared(after: ParsedPatch, before: ParsedPatch): number[] {
  return after.files.flatMap((f, i) => (f.hunks.length > 0 && f.hunks.every((h, k) => h.lines === before.files[i]?.hunks[k]?.lines) ? [i] : []));
}

function parseBoth(text: string, cache: PatchParseCache): ParsedPatch {
  const cached = parsePatch(text, 'p.patch', cache);
  expect(cached).toEqual(parsePatch(text, 'p.patch'));
  return cached;
}

describe('parsePatch with a cache', () => {
  const files = parsePatch(patch, 'p.patch').files.length;

  it('has files enough to tell', () => expect(files).toBeGreaterThan(5));

  it('gives every file of an unchanged patch as the parse before kept it: the same frozen file (found again by identity)', () => {
    const cache = newPatchParseCache();
    parseBoth(patch, cache);
    const first = parseBoth(patch, cache);
    const second = parseBoth(patch, cache);
    expect(shared(second, first)).toHaveLength(files);
    expect(second.files[0]).toBe(first.files[0]);
    expect(Object.isFrozen(second.files[0].hunks[0])).toBe(true);
  });

  it('reads again only the file an edit touched', () => {
    const cache = newPatchParseCache();
    const first = parseBoth(patch, cache);
    const lines = patch.split('\n');
    const at = lines.findIndex((l, i) => i > first.files[2].hunks[0].location.range.start.line && l.startsWith('+\t'));
    lines[at] += ' /* edited */';
    const second = parseBoth(lines.join('\n'), cache);
    expect(shared(second, first)).toEqual([...Array(files).keys()].filter((i) => i !== 2));
  });

  it('reads again the files that moved (their results move downstream, syntax/diffFileCache.ts)', () => {
    const cache = newPatchParseCache();
    const first = parseBoth(patch, cache);
    const lines = patch.split('\n');
    const at = first.files[3].location.range.start.line;
    lines.splice(at, 0, 'one more line between the files');
    const second = parseBoth(lines.join('\n'), cache);
    // The file before: the lines after it, which could have made it go on, changed.
    expect(shared(second, first)).toEqual([0, 1]);
    expect(second.files[3].location.range.start.line).toBe(at + 1);
    expect(fileTextKey('p.patch', second.files[5])).toMatchObject({ text: fileTextKey('p.patch', first.files[5]).text, base: first.files[5].location.range.start.line + 1 });
  });

  it('reads a file again when the lines after it change where it ends', () => {
    const cache = newPatchParseCache();
    const first = parseBoth(patch, cache);
    const lines = patch.split('\n');
    // The next file's `diff --git` line read as a context line: the file before goes on.
    lines[first.files[2].location.range.start.line] = ` ${lines[first.files[2].location.range.start.line]}`;
    const second = parseBoth(lines.join('\n'), cache);
    expect(shared(second, first)).toEqual([...Array(files).keys()].filter((i) => i !== 1 && i !== 2));
    expect(second.files[2].location.range.start.line).toBe(first.files[2].location.range.start.line + 2);
  });

  it('gives a reused file its parse problems again', () => {
    const cache = newPatchParseCache();
    const bad = readFixture('diff', 'bad-counts.patch');
    const first = parseBoth(bad, cache);
    expect(first.problems.length).toBeGreaterThan(0);
    const second = parseBoth(bad, cache);
    expect(second.problems).toEqual(first.problems);
  });

  it('gives a reused file the problems found in its header lines', () => {
    const cache = newPatchParseCache();
    const lines = patch.split('\n');
    const at = parsePatch(patch, 'p.patch').files[0].location.range.start.line;
    lines[at + 1] = '@@ -1,2 +1,2 @@';
    const first = parseBoth(lines.join('\n'), cache);
    expect(first.problems.map((p) => p.range.start.line)).toEqual([at + 1]);
    lines[0] = 'an edit above the files';
    const second = parseBoth(lines.join('\n'), cache);
    expect(shared(second, first)).toContain(0);
  });

  it('reads a file again when a line appears after it where the text ended (a newline at the end)', () => {
    const cache = newPatchParseCache();
    const cut = readFixture('diff', 'demo.patch').trimEnd().split('\n').slice(0, -2).join('\n');
    const first = parseBoth(cut, cache);
    expect(first.problems).not.toEqual([]);
    const second = parseBoth(`${cut}\n`, cache);
    expect(shared(second, first)).toEqual([]);
  });

  it('parses as a fresh parse does after every edit of a series of random edits', () => {
    const lines = patch.split('\n');
    // Edits near the file headers and the end are the ones that change where files start and end.
    const headers = parsePatch(patch, 'p.patch').files.flatMap((f) => [-1, 0, 1, 2, 3, 4].map((d) => f.location.range.start.line + d));
    const near = fc.constantFrom(...headers, lines.length - 2, lines.length - 1);
    const patchy = fc.constantFrom('+\tx = 1;', '-\ty = 2;', ' \tz();', '', '@@ -1,2 +1,2 @@', 'diff --git a/a.c b/a.c', '--- a/a.c', '+++ b/a.c', '\\ No newline at end of file', '-- ');
    const edit = fc.record({
      at: fc.oneof(fc.nat({ max: lines.length - 1 }), near),
      how: fc.constantFrom('change', 'insert', 'delete', 'append'),
      text: fc.oneof(patchy, fc.string({ maxLength: 12 })),
    });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 10 }), (edits) => {
        const cache = newPatchParseCache();
        const current = [...lines];
        parseBoth(current.join('\n'), cache);
        for (const { at, how, text } of edits) {
          const i = at % current.length;
          const line = text.replace(/[\r\n]/g, '');
          if (how === 'change') current[i] = line;
          else if (how === 'insert') current.splice(i, 0, line);
          else if (how === 'delete') current.splice(i, 1);
          else current[i] += line;
          const diff = parseBoth(current.join('\n'), cache);
          const fresh = parsePatch(current.join('\n'), 'p.patch');
          expect(diff.files.map((f) => fileTextKey('p.patch', f))).toEqual(fresh.files.map((f) => fileTextKey('p.patch', f)));
        }
      }),
      { numRuns: 100 },
    );
  });
});
