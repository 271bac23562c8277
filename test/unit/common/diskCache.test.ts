import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskCache } from '../../../server/src/common/diskCache';
import { DEFAULT_LIMITS } from '../../../server/src/common/fileRead';
import { nodeFileSource, type FileSource } from '../../../server/src/common/fileSource';

/** A clock ten seconds ahead: everything on disk is old enough to be trusted (no racy entries). */
const later = () => Date.now() + 10_000;

/** What a source says of each path: text, listing, kind, real path. */
function seen(fs: FileSource, files: string[]) {
  return files.map((f) => ({ f, text: fs.readText(f), list: fs.listDir(f), dir: fs.isDirectory(f), real: fs.realPath(f) }));
}

describe('DiskCache through nodeFileSource', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'klp-disk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file again only when its stat changed, and then sees the new text (same size)', () => {
    const file = path.join(dir, 'a.patch');
    writeFileSync(file, 'one\n');
    const disk = new DiskCache(later);
    expect(nodeFileSource(new Map(), DEFAULT_LIMITS, disk).readText(file)).toBe('one\n');
    expect(nodeFileSource(new Map(), DEFAULT_LIMITS, disk).readText(file)).toBe('one\n');
    expect(disk.reads).toBe(1);
    writeFileSync(file, 'two\n');
    // Another mtime for certain: two writes within one tick of the file system's clock keep their stamp (the racy rule's case, below).
    utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(nodeFileSource(new Map(), DEFAULT_LIMITS, disk).readText(file)).toBe('two\n');
    expect(disk.reads).toBe(2);
  });

  it('does not trust what changed less than two seconds before it was read: read again until older', () => {
    const file = path.join(dir, 'a.patch');
    writeFileSync(file, 'one\n');
    const disk = new DiskCache();
    for (let i = 0; i < 3; i++) expect(nodeFileSource(new Map(), DEFAULT_LIMITS, disk).readText(file)).toBe('one\n');
    expect(disk.reads).toBe(3);
  });

  it('does not hand out a text kept under a larger limit under a smaller one', () => {
    const file = path.join(dir, 'a.patch');
    writeFileSync(file, 'a longer text\n');
    const disk = new DiskCache(later);
    expect(nodeFileSource(new Map(), DEFAULT_LIMITS, disk).readText(file)).toBe('a longer text\n');
    expect(nodeFileSource(new Map(), { ...DEFAULT_LIMITS, textBytes: 4 }, disk).readText(file)).toBeUndefined();
  });

  it('answers as the disk does, round after round, while entries come, go, change kind and links change target', () => {
    const disk = new DiskCache(later);
    const p = (...parts: string[]) => path.join(dir, ...parts);
    mkdirSync(p('sub'));
    mkdirSync(p('other'));
    writeFileSync(p('sub', 'x.patch'), 'x\n');
    writeFileSync(p('other', 'y.patch'), 'y\n');
    symlinkSync(p('sub'), p('link'));
    const paths = [dir, p('sub'), p('other'), p('link'), p('sub', 'x.patch'), p('link', 'x.patch'), p('link', 'y.patch'), p('gone'), p('new')];
    const changes = [
      () => writeFileSync(p('sub', 'z.patch'), 'z\n'),
      () => unlinkSync(p('sub', 'x.patch')),
      () => {
        unlinkSync(p('link'));
        symlinkSync(p('other'), p('link'));
      },
      () => mkdirSync(p('new')),
      () => {
        rmSync(p('new'), { recursive: true });
        writeFileSync(p('new'), 'a file now\n');
      },
      () => renameSync(p('other', 'y.patch'), p('sub', 'x.patch')),
    ];
    for (const change of [() => undefined, ...changes]) {
      change();
      // Every folder's mtime set apart from the last round's: a change within one tick of the clock is the racy rule's (above).
      for (const d of [dir, p('sub'), p('other')]) utimesSync(d, new Date(), new Date(2000 + changes.indexOf(change) + 1, 0, 1));
      const cached = nodeFileSource(new Map(), DEFAULT_LIMITS, disk);
      // The walk's order: a folder listed before its entries are asked about.
      for (const d of [dir, p('sub'), p('link')]) cached.listDir(d);
      expect(seen(cached, paths)).toEqual(seen(nodeFileSource(), paths));
    }
  });
});
