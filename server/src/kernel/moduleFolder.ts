// The module files of a kernel's modules folder: found by walking it, or taken from the record
// of an earlier walk (a cache file) while none of its folders changed since. A folder's stat
// changes when an entry is added to it, removed from it or renamed in it (its mtime and ctime,
// POSIX rename(2), unlink(2), creat(2)), so a folder whose stat is the same lists the same
// entries: a full kernel's 882 readdir calls become as many stats. A file changed in place
// changes no folder; the index's key stats each file for that (moduleIndex.ts indexKey()).
// Each folder is stat'ed before it is read, and a walk is recorded only when no folder changed
// less than two seconds before it (git's racy rule, common/diskCache.ts): a change in the same
// tick of the file system's clock would leave the stat as it was.
import { readdirSync, type BigIntStats, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { racy, stampOf, statOf } from '../common/diskCache';
import { problem, type Problem } from '../common/problem';
import { FILE_START } from '../common/range';
import { cacheFileOf, openSectionFile, SectionWriter } from './sectionFile';

const MAGIC = Buffer.from('KLPMLST1');
const FORMAT = 1;
const MODULE_FILE = /\.ko(\.xz|\.zst|\.gz)?$/;

/** A walk as recorded: the folder, the entries it visited, each folder read (relative, with its stamp) and the module files found (relative, sorted). */
interface Record {
  format: number;
  dir: string;
  visited: number;
  folders: Array<[path: string, stamp: string]>;
  files: string[];
}

export interface ModuleFiles {
  /** The module files, sorted, each its folder's path joined with its own. */
  files: string[];
  /** Whether the folders were read (else the record of a walk was taken). */
  walked: boolean;
}

/** Where the record of a walk of modules folder `dir` is kept, and how it is written (now, or when the caller has time). */
export interface ListingCache {
  dir: string;
  write(job: () => void): void;
}

/** The cache file holding the record of a walk of `modulesDir`, in `cacheDir`. */
export function listingFileOf(cacheDir: string, modulesDir: string): string {
  return cacheFileOf(cacheDir, 'module-listing', modulesDir);
}

/**
 * The module files under `dir`, sorted, without following symbolic links (build/ and source/ of
 * /lib/modules); at most `limit` entries visited. From the record in `cache` when it holds, else
 * walked (and recorded there when the walk may be trusted later). `now`: the racy rule's clock.
 */
export function moduleFilesOf(dir: string, limit: number, problems: Problem[], cache?: ListingCache, now: () => number = Date.now): ModuleFiles {
  const base = path.join(dir);
  const file = cache && listingFileOf(cache.dir, dir);
  const recorded = file === undefined ? undefined : recordedFiles(base, file, limit);
  if (recorded) return { files: recorded, walked: false };
  const walkedAt = now();
  const walk = walkModuleFolder(base, limit, problems);
  if (cache && file !== undefined && walk.complete && !walk.folders.some((f) => racy(f.stats, walkedAt))) {
    const prefix = childPath(base, '');
    const record: Record = {
      format: FORMAT,
      dir: path.resolve(base),
      visited: walk.visited,
      folders: walk.folders.map((f) => [f.path === base ? '' : f.path.slice(prefix.length), stampOf(f.stats)]),
      files: walk.files.map((f) => f.slice(prefix.length)),
    };
    cache.write(() => new SectionWriter().write(file, MAGIC, record));
  }
  return { files: walk.files, walked: true };
}

/** The files of the record in `file` when it is one of `dir` within `limit` and every folder it read has the stat it had. */
function recordedFiles(dir: string, file: string, limit: number): string[] | undefined {
  const record = openSectionFile(file, MAGIC)?.header as Partial<Record> | undefined;
  if (!record || record.format !== FORMAT || record.dir !== path.resolve(dir) || !Array.isArray(record.folders) || !Array.isArray(record.files)) return undefined;
  if (typeof record.visited !== 'number' || record.visited > limit) return undefined;
  const prefix = childPath(dir, '');
  for (const [folder, stamp] of record.folders) {
    const stats = statOf(folder === '' ? dir : prefix + folder);
    if (!stats?.isDirectory() || stampOf(stats) !== stamp) return undefined;
  }
  return record.files.map((f) => prefix + f);
}

interface Walk {
  files: string[];
  visited: number;
  /** Each folder read, with its stat taken before it was read. */
  folders: Array<{ path: string; stats: BigIntStats }>;
  /** Every folder was stat'ed and read, and the limit not reached. */
  complete: boolean;
}

/** Walks the folders under `dir` (not those whose name starts with a dot), stat'ing each before reading it. */
function walkModuleFolder(dir: string, limit: number, problems: Problem[]): Walk {
  const walk: Walk = { files: [], visited: 0, folders: [], complete: true };
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const stats = statOf(current);
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      walk.complete = false;
      continue;
    }
    if (stats) walk.folders.push({ path: current, stats });
    else walk.complete = false;
    walk.visited += entries.length;
    if (walk.visited > limit) {
      problems.push(problem('unreadable-input', 'warning', { file: dir, range: FILE_START }, `stopped looking for .ko files under ${dir} after ${limit} entries (klpLens.limits.moduleEntries, --limit-module-entries)`));
      walk.complete = false;
      break;
    }
    for (const entry of entries) {
      const full = childPath(current, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) pending.push(full);
      else if (entry.isFile() && MODULE_FILE.test(entry.name)) walk.files.push(full);
    }
  }
  walk.files.sort();
  return walk;
}

/** path.join(parent, name) of a name readdir gave (no separator, never `.` or `..`) in a normalized parent, without normalizing it again. */
export function childPath(parent: string, name: string): string {
  return parent === '.' ? name : parent.endsWith(path.sep) ? parent + name : parent + path.sep + name;
}
