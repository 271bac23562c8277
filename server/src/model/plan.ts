// What the user points at, turned into the ordered steps of a series: which
// livepatches load, in which order, under which names, and the actions between.
//
// Decisions:
// - The series is the file given, else a single path argument named `series`,
//   else the file `series` directly inside a single directory argument.
// - With a series, its entries resolve against the series file's folder, in its
//   order. A file the user passed explicitly that the series does not list is
//   loaded after the series' entries, with an information problem
//   ('not-in-series'); directories passed alongside a series are not searched.
// - A series entry that is a directory stands for the one livepatch under it.
//   A series entry with a name of no known kind is a diff (quilt lists patches
//   whatever their names).
// - Without a series, the paths are taken in the order given; the livepatches
//   under a directory are found recursively and sorted by path. A file reached
//   twice is planned once.
// - name= is read as kbuild spells module names ('-' as '_').
// - A directory with SUSE's layout (model/suseLayout.ts) is one livepatch, the cumulative
//   module its parts make, named after the directory (the module's real name,
//   livepatch-<rpm release>, is not in the tree); its parts are not searched apart.
import * as path from 'node:path';
import type { FileSource } from '../common/fileSource';
import { problem, type Problem } from '../common/problem';
import { FILE_START, location, type Location } from '../common/range';
import { moduleNameOf } from '../kernel/types';
import { parseSeries } from '../syntax/series';
import type { Series } from '../syntax/seriesTypes';
import { csvLivepatchName } from './fromCsv';
import type { LivepatchKind } from './livepatch';
import { suseLayoutAt, type SuseLayout } from './suseLayout';

export type PlanItem =
  | {
      kind: 'patch';
      /** The livepatch's file; for SUSE's layout, its root directory. */
      file: string;
      livepatchKind: LivepatchKind;
      name: string;
      noReplace: boolean;
      location?: Location;
      /** SUSE's cumulative livepatch: the parts it is made of. */
      suse?: SuseLayout;
    }
  | {
      kind: 'action';
      action: 'disable' | 'unload' | 'load-module' | 'unload-module';
      target: string;
      location?: Location;
    };

export interface SeriesPlan {
  items: PlanItem[];
  /** The series read, when there was one. */
  series?: Series;
  /** Every problem met, the series' parse errors included. */
  problems: Problem[];
}

const SERIES_NAME = 'series';
const CSV_NAME = 'patched_funcs.csv';
/** How deep directories are searched (a bound against symlink loops). */
const MAX_DEPTH = 16;

interface Found {
  file: string;
  kind: LivepatchKind;
  suse?: SuseLayout;
}

/** The kind a file's name tells: .patch or .diff, .c, or SUSE's patched_funcs.csv. */
export function livepatchKindOf(file: string): LivepatchKind | undefined {
  const base = path.basename(file);
  if (base === CSV_NAME) return 'csv';
  if (/\.(patch|diff)$/.test(base)) return 'diff';
  if (base.endsWith('.c')) return 'module';
  return undefined;
}

/** Whether a file with this text is a livepatch: a diff or csv by its name, a C file when it defines a struct klp_patch. */
export function isLivepatchFile(file: string, text: string): boolean {
  const kind = livepatchKindOf(file);
  return kind !== undefined && (kind !== 'module' || definesKlpPatch(text));
}

/** A cheap text test for a C file that defines a livepatch (`struct klp_patch patch = {`). */
function definesKlpPatch(text: string): boolean {
  return /\bstruct\s+klp_patch\s+[A-Za-z_]\w*\s*=/.test(text);
}

function defaultName(found: Found): string {
  if (found.suse) return moduleNameOf(path.basename(path.resolve(found.suse.root)));
  return found.kind === 'csv' ? csvLivepatchName(found.file) : moduleNameOf(found.file);
}

/** The files a livepatch is read from, resolved: SUSE's template and its parts' csv files are never livepatches apart. */
function filesOf(found: Found): string[] {
  const files = found.suse ? [found.file, found.suse.main, ...found.suse.parts.map((p) => p.csv)] : [found.file];
  return files.map((f) => path.resolve(f));
}

function byPath(a: Found, b: Found): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

/**
 * What one plan has walked: each real directory and file once (links are followed once, so a
 * file reached through two links is one livepatch and links to a parent end), at most
 * fs.limits.workspaceEntries entries, and nothing whose real path leaves the roots (the
 * folders the user gave, the series' folder): a link to `/` or to /dev/zero is not followed.
 */
interface Walk {
  fs: FileSource;
  roots: string[];
  visited: Set<string>;
  entries: number;
  problems: Problem[];
}

function newWalk(fs: FileSource, roots: string[], problems: Problem[]): Walk {
  return { fs, roots: roots.map((r) => fs.realPath(r)), visited: new Set(), entries: 0, problems };
}

/** Whether a real path is one of the roots or under one. */
function contained(walk: Walk, real: string): boolean {
  return walk.roots.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
}

/** Every livepatch under a directory, sorted by path; hidden directories are skipped. */
function livepatchesUnder(dir: string, walk: Walk): Found[] {
  const { fs } = walk;
  const found: Found[] = [];
  const limit = fs.limits.workspaceEntries;
  /** The path's real path when the walk may enter it: inside the roots, not seen before. */
  const enter = (file: string): string | undefined => {
    const real = fs.realPath(file);
    if (walk.visited.has(real)) return undefined;
    walk.visited.add(real);
    if (contained(walk, real)) return real;
    walk.problems.push(problem('outside-workspace', 'warning', location(file, FILE_START), `${file} leads to ${real}, outside the workspace: not read`));
    return undefined;
  };
  const visit = (folder: string, depth: number): void => {
    const suse = suseLayoutAt(folder, fs);
    if (suse) {
      found.push({ file: suse.root, kind: 'csv', suse });
      return;
    }
    for (const name of fs.listDir(folder) ?? []) {
      if (++walk.entries > limit) {
        if (walk.entries === limit + 1) {
          walk.problems.push(
            problem('unreadable-input', 'warning', location(folder, FILE_START), `stopped looking for livepatches after ${limit} entries (klpLens.limits.workspaceEntries, --limit-workspace-entries)`),
          );
        }
        return;
      }
      const file = path.join(folder, name);
      if (fs.isDirectory(file)) {
        if (!name.startsWith('.') && depth < MAX_DEPTH && enter(file) !== undefined) visit(file, depth + 1);
        continue;
      }
      const kind = livepatchKindOf(name);
      if (kind === undefined || enter(file) === undefined) continue;
      if (kind === 'module' && !definesKlpPatch(fs.readText(file) ?? '')) continue;
      found.push({ file, kind });
    }
  };
  if (enter(dir) !== undefined) visit(dir, 0);
  return found.sort(byPath);
}

/** The series file in use: the one given, else one found among the paths as the header says. */
export function findSeriesFile(paths: string[], seriesFile: string | undefined, fs: FileSource): string | undefined {
  if (seriesFile !== undefined) return seriesFile;
  if (paths.length !== 1) return undefined;
  const [only] = paths;
  if (!fs.isDirectory(only)) return path.basename(only) === SERIES_NAME ? only : undefined;
  const inside = path.join(only, SERIES_NAME);
  return !fs.isDirectory(inside) && fs.readText(inside) !== undefined ? inside : undefined;
}

export function planSeries(paths: string[], seriesFile: string | undefined, fs: FileSource): SeriesPlan {
  const problems: Problem[] = [];
  const unreadable = (at: Location, message: string) => problems.push(problem('unreadable-input', 'error', at, message));
  const atStart = (file: string) => location(file, FILE_START);
  const patchItem = (found: Found, name = defaultName(found), noReplace = false, at?: Location): PlanItem => ({
    kind: 'patch',
    file: found.file,
    livepatchKind: found.kind,
    name,
    noReplace,
    ...(at && { location: at }),
    ...(found.suse && { suse: found.suse }),
  });

  /** A file the user named directly. */
  const explicitFile = (file: string): Found | undefined => {
    if (fs.readText(file) === undefined) {
      unreadable(atStart(file), `cannot read ${file}: ${fs.whyUnreadable(file)}`);
      return undefined;
    }
    const kind = livepatchKindOf(file);
    if (kind === undefined) unreadable(atStart(file), `${file} is not a livepatch: expected a .patch, .diff, .c or ${CSV_NAME}`);
    return kind && { file, kind };
  };

  /** What a series entry names: a file, or the one livepatch under a directory; inside the series' folder or a folder given. */
  const seriesTarget = (file: string, at: Location): Found | undefined => {
    // A walk of its own: a series may list a patch again (after an unload).
    const walk = newWalk(fs, [folder, ...givenDirs], problems);
    const real = fs.realPath(file);
    if (!contained(walk, real) && !givenFiles.has(real)) {
      const where = real === path.resolve(file) ? 'is' : `leads to ${real},`;
      problems.push(problem('outside-workspace', 'error', at, `${file} ${where} outside the series' folder and the workspace: not read`));
      return undefined;
    }
    if (fs.isDirectory(file)) {
      const found = livepatchesUnder(file, walk);
      if (found.length === 1) return found[0];
      unreadable(
        at,
        found.length === 0
          ? `no livepatch under ${file}`
          : `${found.length} livepatches under ${file} (${found.map((f) => path.basename(f.file)).join(', ')}): name one of them`,
      );
      return undefined;
    }
    if (fs.readText(file) === undefined) {
      unreadable(at, `cannot read ${file}: ${fs.whyUnreadable(file)}`);
      return undefined;
    }
    return { file, kind: livepatchKindOf(file) ?? 'diff' };
  };

  const seriesPath = findSeriesFile(paths, seriesFile, fs);
  const seriesText = seriesPath === undefined ? undefined : fs.readText(seriesPath);
  if (seriesPath !== undefined && seriesText === undefined) unreadable(atStart(seriesPath), `cannot read the series file ${seriesPath}: ${fs.whyUnreadable(seriesPath)}`);
  const folder = seriesPath === undefined ? '' : path.dirname(seriesPath);
  const givenDirs = paths.filter((p) => fs.isDirectory(p));
  const givenFiles = new Set(paths.filter((p) => !fs.isDirectory(p)).map((p) => fs.realPath(p)));

  if (seriesPath === undefined || seriesText === undefined) {
    const items: PlanItem[] = [];
    const seen = new Set<string>();
    const walk = newWalk(fs, givenDirs, problems);
    for (const given of paths) {
      let found: Found[];
      if (fs.isDirectory(given)) {
        found = livepatchesUnder(given, walk);
        if (found.length === 0) unreadable(atStart(given), `no livepatch under ${given}`);
      } else {
        found = [explicitFile(given)].filter((f): f is Found => f !== undefined);
      }
      for (const f of found) {
        const files = filesOf(f);
        if (seen.has(files[0])) continue;
        for (const file of files) seen.add(file);
        items.push(patchItem(f));
      }
    }
    return { items, problems };
  }

  const series = parseSeries(seriesText, seriesPath);
  problems.push(...series.problems);
  const items: PlanItem[] = [];
  const listed = new Set<string>();
  for (const entry of series.entries) {
    if (entry.kind === 'action') {
      items.push({ kind: 'action', action: entry.action, target: entry.target, location: entry.location });
      continue;
    }
    const found = seriesTarget(path.isAbsolute(entry.path) ? entry.path : path.join(folder, entry.path), entry.location);
    if (!found) continue;
    for (const file of filesOf(found)) listed.add(file);
    const name = entry.options.name?.replace(/-/g, '_') ?? defaultName(found);
    items.push(patchItem(found, name, entry.options.noReplace, entry.location));
  }

  const seriesKey = path.resolve(seriesPath);
  /** A path as the series would list it (relative to its folder), or as given when outside it. */
  const seriesRelative = (file: string) => {
    const relative = path.relative(folder, path.resolve(file));
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  };
  for (const given of paths) {
    if (fs.isDirectory(given) || path.resolve(given) === seriesKey) continue;
    const found = explicitFile(given);
    if (!found || listed.has(path.resolve(found.file))) continue;
    listed.add(path.resolve(found.file));
    problems.push(
      problem('not-in-series', 'information', atStart(given), `${seriesRelative(given)} is not in the series: it loads after the series' entries`, {
        related: [{ location: atStart(seriesPath), message: 'the series' }],
      }),
    );
    items.push(patchItem(found));
  }
  return { items, series, problems };
}
