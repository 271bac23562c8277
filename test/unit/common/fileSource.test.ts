import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { fixturePath, readFixture } from '../../helpers/fixtures';

describe('nodeFileSource', () => {
  const dir = fixturePath('series/plan/no-series');
  const fs = nodeFileSource();

  it('reads files, and gives undefined for what it cannot read', () => {
    expect(fs.readText(path.join(dir, 'notes.txt'))).toBe('notes\n');
    expect(fs.readText(path.join(dir, 'absent'))).toBeUndefined();
    expect(fs.readText(dir)).toBeUndefined();
  });

  it('lists directories sorted, hidden entries included', () => {
    expect(fs.listDir(dir)).toEqual(['.hidden', 'a', 'a.patch', 'bsc-2', 'helper.c', 'lp.c', 'notes.txt', 'z-last.patch']);
    expect(fs.listDir(path.join(dir, 'notes.txt'))).toBeUndefined();
    expect(fs.listDir(path.join(dir, 'absent'))).toBeUndefined();
  });

  it('tells directories', () => {
    expect([fs.isDirectory(dir), fs.isDirectory(path.join(dir, 'lp.c')), fs.isDirectory(path.join(dir, 'absent'))]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('lays the overrides over the disk, whatever the spelling of their paths', () => {
    const relative = path.relative(process.cwd(), path.join(dir, 'lp.c'));
    const over = nodeFileSource(new Map([[relative, 'unsaved'], [path.join(dir, 'new.patch'), 'not on disk']]));
    expect(over.readText(path.join(dir, 'lp.c'))).toBe('unsaved');
    expect(over.readText(path.join(dir, 'new.patch'))).toBe('not on disk');
    expect(over.readText(path.join(dir, 'helper.c'))).toBe(readFixture('series/plan/no-series/helper.c'));
    expect(over.listDir(dir)).toContain('new.patch');
    expect(over.listDir(dir)?.filter((n) => n === 'lp.c')).toHaveLength(1);
  });
});
