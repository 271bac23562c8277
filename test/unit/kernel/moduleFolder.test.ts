// The module files of a modules folder (server/src/kernel/moduleFolder.ts): the record of a walk
// is taken while no folder changed, and never once one did, was racy, or the record is damaged.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../../server/src/common/problem';
import { listingFileOf, moduleFilesOf, type ListingCache } from '../../../server/src/kernel/moduleFolder';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'klp-module-folder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Past the racy rule's two seconds, for folders made just now. */
const later = () => Date.now() + 10_000;

let folders = 0;
/** A modules folder with files in nested folders, a hidden folder, a link and a file that is no module; a cache writing at once. */
function folder(): { dir: string; cache: ListingCache } {
  const dir = path.join(scratch, String(folders++));
  mkdirSync(path.join(dir, 'modules', 'kernel', 'fs', 'ext4'), { recursive: true });
  mkdirSync(path.join(dir, 'modules', 'kernel', 'drivers'), { recursive: true });
  mkdirSync(path.join(dir, 'modules', '.hidden'), { recursive: true });
  for (const f of ['kernel/fs/ext4/ext4.ko', 'kernel/drivers/a.ko.xz', 'kernel/drivers/notes.txt', '.hidden/h.ko', 'top.ko.zst']) writeFileSync(path.join(dir, 'modules', f), f);
  return { dir: path.join(dir, 'modules'), cache: { dir: path.join(dir, 'cache'), write: (job) => job() } };
}

const relative = (dir: string, files: string[]) => files.map((f) => path.relative(dir, f));

describe('the module files of a folder', () => {
  it('are walked once, then taken from the record while no folder changes', () => {
    const { dir, cache } = folder();
    const first = moduleFilesOf(dir, 1000, [], cache, later);
    expect(first.walked).toBe(true);
    expect(relative(dir, first.files)).toEqual(['kernel/drivers/a.ko.xz', 'kernel/fs/ext4/ext4.ko', 'top.ko.zst']);
    const again = moduleFilesOf(dir, 1000, [], cache, later);
    expect(again).toEqual({ files: first.files, walked: false });
    // The same folder written otherwise finds the same record and files.
    expect(moduleFilesOf(`${dir}/`, 1000, [], cache, later).files).toEqual(first.files);
  });

  it.each([
    ['a module added in a nested folder', (dir: string) => writeFileSync(path.join(dir, 'kernel/fs/ext4/jbd2.ko'), 'x')],
    ['a module removed', (dir: string) => rmSync(path.join(dir, 'kernel/drivers/a.ko.xz'))],
    ['a module renamed', (dir: string) => renameSync(path.join(dir, 'kernel/fs/ext4/ext4.ko'), path.join(dir, 'kernel/fs/ext4/ext5.ko'))],
    ['a folder added', (dir: string) => mkdirSync(path.join(dir, 'kernel/net'))],
    ['a folder removed', (dir: string) => rmSync(path.join(dir, 'kernel/fs'), { recursive: true })],
    ['a folder replaced by another of the same name', (dir: string) => {
      renameSync(path.join(dir, 'kernel/drivers'), path.join(dir, 'old'));
      mkdirSync(path.join(dir, 'kernel/drivers'));
      writeFileSync(path.join(dir, 'kernel/drivers/b.ko'), 'b');
    }],
  ])('are walked again after %s, and found as a walk finds them', (_, change) => {
    const { dir, cache } = folder();
    moduleFilesOf(dir, 1000, [], cache, later);
    change(dir);
    const seen = moduleFilesOf(dir, 1000, [], cache, later);
    expect(seen.walked).toBe(true);
    expect(seen.files).toEqual(moduleFilesOf(dir, 1000, [], undefined).files);
  });

  it('are not recorded when a folder changed less than two seconds before the walk', () => {
    const { dir, cache } = folder();
    expect(moduleFilesOf(dir, 1000, [], cache).walked).toBe(true);
    expect(moduleFilesOf(dir, 1000, [], cache).walked).toBe(true);
    // Once the folders are old enough, the next walk is recorded.
    moduleFilesOf(dir, 1000, [], cache, later);
    expect(moduleFilesOf(dir, 1000, [], cache).walked).toBe(false);
  });

  it('are walked when the record is damaged, or was made within a larger limit', () => {
    const { dir, cache } = folder();
    const expected = moduleFilesOf(dir, 1000, [], cache, later).files;
    const record = listingFileOf(cache.dir, dir);
    const bytes = readFileSync(record);
    const at = bytes.indexOf('ext4.ko');
    bytes[at] = 'f'.charCodeAt(0);
    writeFileSync(record, bytes);
    expect(moduleFilesOf(dir, 1000, [], cache, later)).toEqual({ files: expected, walked: true });
    expect(moduleFilesOf(dir, 1000, [], cache, later).walked).toBe(false);

    const problems: Problem[] = [];
    const limited = moduleFilesOf(dir, 3, problems, cache, later);
    expect(limited.walked).toBe(true);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^stopped looking for \.ko files under .* after 3 entries/)]);
  });
});
