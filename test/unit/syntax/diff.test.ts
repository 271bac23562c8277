import { describe, expect, it } from 'vitest';
import { parsePatch, stripPrefix } from '../../../server/src/syntax/diff';
import { readFixture } from '../../helpers/fixtures';

const parse = (name: string) => parsePatch(readFixture('diff', name), name);

describe('parsePatch: diff -Nupr output', () => {
  const diff = parse('diff-nupr.patch');

  it('reads every file, with its header at the diff line', () => {
    expect(diff.problems).toEqual([]);
    expect(diff.files.map((f) => [f.path, f.location.range.start.line])).toEqual([
      ['fs/proc/meminfo.c', 0],
      ['fs/proc/kpatch.c', 14],
    ]);
    expect(diff.files[0].oldPath).toBe('linux-3.10.0.old/fs/proc/meminfo.c');
    expect(diff.files[0].newPath).toBe('linux-3.10.0/fs/proc/meminfo.c');
  });

  it('reads hunk headers, their diff -p context, and counts that default to 1', () => {
    const [h1, h2] = diff.files[0].hunks;
    expect(h1).toMatchObject({ oldStart: 31, oldLines: 6, newStart: 31, newLines: 7, context: 'static int meminfo_proc_show(struct seq_' });
    expect(h1.location.range.start.line).toBe(3);
    expect(h2).toMatchObject({ oldStart: 202, oldLines: 1, newStart: 203, newLines: 1 });
  });

  it('numbers every line in the patch, the old file and the new file', () => {
    const [h1] = diff.files[0].hunks;
    expect(h1.lines[3]).toEqual({ kind: 'add', text: '\tprintk("a\\n");', patchLine: 7, newLine: 34 });
    expect(h1.lines[4]).toEqual({ kind: 'context', text: '/*', patchLine: 8, oldLine: 34, newLine: 35 });
    expect(diff.files[0].hunks[1].lines.map((l) => [l.kind, l.oldLine, l.newLine])).toEqual([
      ['remove', 202, undefined],
      ['add', undefined, 203],
    ]);
  });

  it('takes a -0,0 hunk as a new file (diff -N) and skips "\\ No newline at end of file"', () => {
    const f = diff.files[1];
    expect(f.isNew).toBe(true);
    expect(f.hunks[0].lines).toHaveLength(4);
    expect(f.hunks[0].lines.every((l) => l.kind === 'add')).toBe(true);
  });
});

describe('parsePatch: git format-patch mail', () => {
  const diff = parse('git-format-patch.patch');
  const byPath = new Map(diff.files.map((f) => [f.path, f]));

  it('reads the subject without its [PATCH] tag, folded lines joined', () => {
    expect(diff.subject).toBe('proc: fix the version line and a folded subject');
  });

  it('ignores the message, the diffstat and the signature', () => {
    expect(diff.problems).toEqual([]);
    expect(diff.files.map((f) => f.path)).toEqual([
      'fs/proc/version.c',
      'fs/proc/old.c',
      'fs/proc/new.c',
      'fs/proc/b.c',
      'firmware/blob.bin',
      'firmware/logo.png',
      'fs/proc/last.c',
    ]);
    // The last hunk stops at its counts: the `-- ` signature is not a removed line.
    expect(byPath.get('fs/proc/last.c')!.hunks[0].lines.map((l) => l.kind)).toEqual(['context', 'remove', 'add', 'context']);
  });

  it('reads new, deleted, renamed and binary files', () => {
    expect(byPath.get('fs/proc/old.c')).toMatchObject({ isDeleted: true, isNew: false, newPath: '/dev/null' });
    expect(byPath.get('fs/proc/new.c')).toMatchObject({ isNew: true, oldPath: '/dev/null' });
    expect(byPath.get('fs/proc/b.c')).toMatchObject({ oldPath: 'fs/proc/a.c', newPath: 'fs/proc/b.c', hunks: [] });
    expect(byPath.get('firmware/blob.bin')).toMatchObject({ isBinary: true, hunks: [] });
    expect(byPath.get('firmware/logo.png')).toMatchObject({ isBinary: true, isNew: true, hunks: [] });
  });

  it('places each file at its diff --git line', () => {
    const at = (p: string) => byPath.get(p)!.location.range.start.line;
    expect(at('fs/proc/version.c')).toBe(16);
    expect(at('fs/proc/last.c')).toBe(62);
  });
});

describe('parsePatch: quilt Index: headers', () => {
  it('reads each file from its Index: line and strips the src/ prefix', () => {
    const diff = parse('quilt.patch');
    expect(diff.problems).toEqual([]);
    expect(diff.files.map((f) => [f.path, f.location.range.start.line, f.hunks.length])).toEqual([
      ['fs/proc/cmdline.c', 2, 1],
      ['fs/proc/uptime.c', 15, 1],
    ]);
  });
});

describe('parsePatch: hunk counts that do not match the body', () => {
  const diff = parse('bad-counts.patch');

  it('reports each such hunk once, at its header, and reads the rest of the patch', () => {
    expect(diff.problems.map((p) => [p.code, p.severity, p.range.start.line])).toEqual([
      ['parse-error', 'error', 3],
      ['parse-error', 'error', 7],
    ]);
    expect(diff.problems[0].message).toContain('the header says 5 old and 6 new lines, the body has 2 old and 3 new lines (the body ends before them)');
    expect(diff.problems[1].message).toContain('the body goes on past them');
    expect(diff.files.map((f) => f.path)).toEqual(['fs/proc/a.c', 'fs/proc/b.c']);
    expect(diff.files[1].hunks[0].lines).toHaveLength(3);
  });

  it('keeps the lines past the counts in the hunk', () => {
    expect(diff.files[0].hunks[1].lines.map((l) => l.text)).toEqual(['int x;', 'int y;', 'int z;', 'int w;', 'int v;']);
  });

  it('reports a malformed hunk header and a hunk without a file', () => {
    const bad = parsePatch('@@ -1,1 +1,1 @@\n-a\n+b\n--- a/x.c\n+++ b/x.c\n@@ -x +1 @@\n-a\n', 'p.patch');
    expect(bad.problems.map((p) => [p.range.start.line, p.message])).toEqual([
      [0, 'hunk without a file header (--- and +++ lines) before it'],
      [5, "malformed hunk header: expected '@@ -start,count +start,count @@'"],
    ]);
    expect(bad.files).toHaveLength(1);
  });
});

describe('parsePatch: damaged and odd input', () => {
  it('reads a context line whose leading blank was eaten (GNU patch does)', () => {
    const diff = parsePatch('--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,4 @@\n\treturn 0;\n }\n+int y;\n\n', 'p.patch');
    expect(diff.problems).toEqual([]);
    expect(diff.files[0].hunks[0].lines.map((l) => [l.kind, l.text])).toEqual([
      ['context', '\treturn 0;'],
      ['context', '}'],
      ['add', 'int y;'],
      ['context', ''],
    ]);
  });

  it('handles CRLF line ends and empty input', () => {
    const diff = parsePatch('--- a/x.c\r\n+++ b/x.c\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n', 'p.patch');
    expect(diff.files[0].hunks[0].lines.map((l) => l.text)).toEqual(['a', 'b']);
    expect(parsePatch('', 'e.patch')).toEqual({ file: 'e.patch', files: [], problems: [] });
  });

  it('reads git quoted paths and paths with blanks', () => {
    const diff = parsePatch('diff --git "a/dir/na\\303\\257ve.c" "b/dir/na\\303\\257ve.c"\nnew file mode 100644\n', 'p.patch');
    expect(diff.files[0].path).toBe('dir/na\u00efve.c');
    const spaced = parsePatch('diff --git a/my file.c b/my file.c\ndeleted file mode 100644\n', 'p.patch');
    expect(spaced.files[0]).toMatchObject({ path: 'my file.c', isDeleted: true });
  });
});

describe('stripPrefix', () => {
  it.each([
    ['a/fs/proc/version.c', 'fs/proc/version.c'],
    ['b/fs/proc/version.c', 'fs/proc/version.c'],
    ['src.orig/fs/proc/meminfo.c', 'fs/proc/meminfo.c'],
    ['linux-3.10.0-1133.el7.x86_64.old/drivers/cdrom/cdrom.c', 'drivers/cdrom/cdrom.c'],
    ['fs/proc/version.c', 'fs/proc/version.c'],
    ['./drivers/cdrom/cdrom.c', 'drivers/cdrom/cdrom.c'],
    ['Makefile', 'Makefile'],
    ['/dev/null', '/dev/null'],
  ])('%s -> %s', (input, expected) => {
    expect(stripPrefix(input)).toBe(expected);
  });
});

describe('parsePatch: several mails in one file', () => {
  it('does not give a hunk quoted in the second mail\'s message to the first mail\'s file', () => {
    const first = readFixture('diff', 'git-format-patch.patch');
    const second = first.replace('The message says what changes. A line in it:', 'It quotes a hunk header:\n@@ -1 +1 @@');
    const diff = parsePatch(`${first}${second}`, 'series.mbox');
    expect(diff.files).toHaveLength(14);
    expect(diff.files[6].hunks).toHaveLength(1);
    expect(diff.problems.map((p) => p.message)).toEqual(['hunk without a file header (--- and +++ lines) before it']);
  });
});
