// The patch diffs of a series, as the authoring-pitfall checks read them: their files,
// grouped by path (a patch may change a file in several places), and the functions those
// files change (once per file path and name, with every hunk).
import type { Location } from '../common/range';
import type { Livepatch, LivepatchDiff, LivepatchDiffFile } from '../model/livepatch';
import type { DiffHunk, HunkFunction } from '../syntax/diffTypes';

/** The files of one diff that have the same path, in patch order. */
export interface FileGroup {
  lp: Livepatch;
  diff: LivepatchDiff;
  path: string;
  files: LivepatchDiffFile[];
}

/** A function a diff changes (or adds), with its appearance in each hunk. */
export interface DiffFunction {
  lp: Livepatch;
  diff: LivepatchDiff;
  file: LivepatchDiffFile;
  name: string;
  /** The first changed appearance. */
  first: HunkFunction;
  appearances: Array<{ hunk: DiffHunk; fn: HunkFunction }>;
}

/** The file groups of a livepatch's diff (none for another kind), in patch order of their first file. */
export function fileGroups(lp: Livepatch): FileGroup[] {
  const diff = lp.kind === 'diff' ? lp.diff : undefined;
  if (!diff) return [];
  const byPath = new Map<string, FileGroup>();
  for (const file of diff.files) {
    const group = byPath.get(file.path);
    if (group) group.files.push(file);
    else byPath.set(file.path, { lp, diff, path: file.path, files: [file] });
  }
  return [...byPath.values()];
}

/** The functions the files of one group change (and, with `withNew`, add), in patch order of their first appearance. */
export function groupFunctions({ lp, diff, files }: FileGroup, withNew = false): DiffFunction[] {
  const byName = new Map<string, DiffFunction>();
  for (const file of files) {
    for (const hunk of file.hunks) {
      for (const fn of hunk.functions) {
        if (!fn.changed || (fn.isNew && !withNew)) continue;
        const found = byName.get(fn.name);
        if (found) found.appearances.push({ hunk, fn });
        else byName.set(fn.name, { lp, diff, file, name: fn.name, first: fn, appearances: [{ hunk, fn }] });
      }
    }
  }
  return [...byName.values()];
}

/** The other places a function changes, as related information. */
export function otherAppearances(f: DiffFunction, message: string): Array<{ location: Location; message: string }> {
  return f.appearances.slice(1).map(({ fn }) => ({ location: fn.location, message }));
}
