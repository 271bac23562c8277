// The patch diffs of a series, as the authoring-pitfall checks read them: their hunks,
// and the functions those hunks change (once per file and name, with every hunk).
import type { Location } from '../common/range';
import type { Livepatch } from '../model/livepatch';
import type { DiffFile, DiffHunk, HunkFunction, PatchDiff } from '../syntax/diffTypes';
import type { CheckContext } from './check';

export interface DiffHunkSite {
  lp: Livepatch;
  diff: PatchDiff;
  file: DiffFile;
  hunk: DiffHunk;
}

/** A function a diff changes (or adds), with its appearance in each hunk. */
export interface DiffFunction {
  lp: Livepatch;
  diff: PatchDiff;
  file: DiffFile;
  name: string;
  /** The first changed appearance. */
  first: HunkFunction;
  appearances: Array<{ hunk: DiffHunk; fn: HunkFunction }>;
}

/** Every hunk of every diff of the series (binary files have none). */
export function diffHunks(ctx: CheckContext): DiffHunkSite[] {
  return ctx.livepatches.flatMap((lp) => {
    const diff = lp.kind === 'diff' ? lp.diff : undefined;
    return diff ? diff.files.flatMap((file) => file.hunks.map((hunk) => ({ lp, diff, file, hunk }))) : [];
  });
}

/** The functions the diffs change (and, with `withNew`, the ones they add), in patch order. */
export function diffFunctions(ctx: CheckContext, withNew = false): DiffFunction[] {
  const byKey = new Map<string, DiffFunction>();
  for (const { lp, diff, file, hunk } of diffHunks(ctx)) {
    for (const fn of hunk.functions) {
      if (!fn.changed || (fn.isNew && !withNew)) continue;
      const key = `${lp.name}\0${lp.file}\0${file.path}\0${fn.name}`;
      const found = byKey.get(key);
      if (found) found.appearances.push({ hunk, fn });
      else byKey.set(key, { lp, diff, file, name: fn.name, first: fn, appearances: [{ hunk, fn }] });
    }
  }
  return [...byKey.values()];
}

/** The other places a function changes, as related information. */
export function otherAppearances(f: DiffFunction, message: string): Array<{ location: Location; message: string }> {
  return f.appearances.slice(1).map(({ fn }) => ({ location: fn.location, message }));
}
