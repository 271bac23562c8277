// What a check finds in the series' patch diffs, computed per file group (the files of a
// diff that share a path, checks/diffFunctions.ts) and kept from one analysis to the next
// of the same session (ctx.memo) with the same kernel: the language server analyses the workspace again at every edit,
// and a group whose files did not change since (same text, functions and objects; maybe
// moved in its patch, syntax/diffFileCache.ts) gets the findings of last time, moved,
// without running the check's logic again. The findings are the same either way; a value
// computed from a group must depend on nothing but the group and the kernel.
import type { Problem } from '../common/problem';
import type { KernelContext } from '../kernel/types';
import type { Livepatch, LivepatchDiff } from '../model/livepatch';
import type { DiffHunk } from '../syntax/diffTypes';
import { DiffFileCache, fileContentKey, movedLocation, movedRange, type FileKey } from '../syntax/diffFileCache';
import type { StaticContext } from './check';
import { fileGroups, groupFunctions, type DiffFunction, type FileGroup } from './diffFunctions';

interface Slot {
  /**
   * The analysis the cache was last read for (another one starts a new reading), by its number
   * (readingOf()): the slot lives as long as the session, and holding the analysis itself
   * would keep it and every patch it read. Not a WeakRef: V8 keeps every WeakRef target made
   * or dereferenced during a synchronous job alive until the job ends, so a loop of analyses
   * (the CLI, the tests) kept them all.
   */
  reading: number;
  cache: DiffFileCache<unknown>;
  /**
   * The values of each livepatch's groups (by its keyed list, Groups), and of each group (by
   * its key): a livepatch unchanged since (the same object) takes its values as they are, not
   * from the cache group by group. Its groups are then not read from the cache, which forgets
   * them: when it changes, a group with the same key takes its value from here, and a group
   * that moved (in that first edit only) is computed again.
   */
  byLivepatch: WeakMap<object, { values: unknown[]; byKey: boolean }>;
  byKey: WeakMap<FileKey, { value: unknown }>;
}

/** Each analysis' number, without keeping the analysis (a WeakMap holds its keys weakly). */
const readings = new WeakMap<StaticContext, number>();
let lastReading = 0;

function readingOf(ctx: StaticContext): number {
  let n = readings.get(ctx);
  if (n === undefined) readings.set(ctx, (n = ++lastReading));
  return n;
}

/** Per session and kernel (forgotten with it), per cache id. */
const slotsOf = (_kernel: KernelContext) => new Map<string, Slot>();

function slotFor(ctx: StaticContext, id: string): Slot {
  const slots = ctx.memo.get(slotsOf, ctx.kernel);
  const reading = readingOf(ctx);
  let slot = slots.get(id);
  if (!slot) slots.set(id, (slot = { reading, cache: new DiffFileCache(), byLivepatch: new WeakMap(), byKey: new WeakMap() }));
  else if (slot.reading !== reading) {
    slot.reading = reading;
    slot.cache.startReading();
  }
  return slot;
}

/** The file groups of a context with their keys, and the order of their functions (see perFunction). */
interface Groups {
  keyed: Array<{ group: FileGroup; key: FileKey }>;
  /** `keyed` livepatch by livepatch, each list the same while its livepatch is. */
  perLivepatch: Array<ReadonlyArray<{ group: FileGroup; key: FileKey }>>;
  /** Each group's files follow one another in their patch (most patches change a file in one place). */
  together: boolean;
  order: Map<boolean, Array<[group: number, index: number]>>;
}

function groupsOf(ctx: StaticContext): Groups {
  return ctx.memo.get(newGroups, ctx);
}

function newGroups(ctx: StaticContext): Groups {
  // Per livepatch: an edit of one livepatch of a series groups and keys that one's files again, not every other's.
  const groupsIn = ctx.memo.get(keyedGroups, ctx.kernel);
  const keyed: Groups['keyed'] = [];
  const perLivepatch: Groups['perLivepatch'] = [];
  let allTogether = true;
  for (const lp of ctx.livepatches) {
    const found = ctx.memo.get(groupsIn, lp);
    for (const k of found.keyed) keyed.push(k);
    perLivepatch.push(found.keyed);
    allTogether &&= found.together;
  }
  return { keyed, perLivepatch, together: allTogether, order: new Map() };
}

/** Per session and kernel: each livepatch's file groups with their keys (keptKey), and whether each group's files are together. */
const keyedGroups = (_kernel: KernelContext) => {
  const kept = new WeakMap<readonly DiffHunk[], KeptKey>();
  return (lp: Livepatch): Pick<Groups, 'keyed' | 'together'> => {
    const groups = fileGroups(lp);
    return { keyed: groups.map((group) => ({ group, key: keptKey(kept, group) })), together: groups.length === 0 || together(groups[0].diff) };
  };
};

/** Whether each path's files follow one another in the diff. */
function together(diff: LivepatchDiff): boolean {
  const seen = new Set<string>();
  let last: string | undefined;
  for (const { path } of diff.files) {
    if (path === last) continue;
    if (seen.has(path)) return false;
    seen.add((last = path));
  }
  return true;
}

/** What a group's key was made of: its files' hunks (the same array while the parse reuses the file), objects, patch. */
interface KeptKey {
  hunks: ReadonlyArray<readonly DiffHunk[]>;
  objects: ReadonlyArray<string | undefined>;
  reasons: ReadonlyArray<string | undefined>;
  lpFile: string;
  patchFile: string;
  key: FileKey;
}

/**
 * groupKey(group), the last one made when the group's files are the ones it was made of: an
 * edit makes the keys of the groups it changed, not of every group of the series. The same
 * hunks array is the same parse of the file (syntax/hunkFunctions.ts hands an unchanged,
 * unmoved file out again), so its text, place and functions are the same.
 */
function keptKey(kept: WeakMap<readonly DiffHunk[], KeptKey>, group: FileGroup): FileKey {
  const { lp, diff, files } = group;
  const last = kept.get(files[0].hunks);
  const same =
    last !== undefined &&
    last.lpFile === lp.file &&
    last.patchFile === diff.file &&
    last.hunks.length === files.length &&
    files.every((f, i) => f.hunks === last.hunks[i] && f.object === last.objects[i] && f.objectReason === last.reasons[i]);
  if (same) return last.key;
  const key = groupKey(group);
  kept.set(files[0].hunks, { hunks: files.map((f) => f.hunks), objects: files.map((f) => f.object), reasons: files.map((f) => f.objectReason), lpFile: lp.file, patchFile: diff.file, key });
  return key;
}

/** Each file's text and, relative to the first file, place; the livepatch's file, each file's object and functions. */
function groupKey({ lp, diff, files }: FileGroup): FileKey {
  const keys = files.map((file) => ({ file, ...fileContentKey(diff.file, file) }));
  const base = keys[0].base;
  const text = keys.length === 1 ? keys[0].text : keys.map((k) => `${k.text.length}:${k.base - base}:${k.text}`).join('');
  const rest = JSON.stringify([lp.file, ...keys.map((k) => [k.file.object ?? null, k.file.objectReason ?? null, k.rest])]);
  return { text, rest, base };
}

/**
 * `compute(group)` for every file group of the series' diffs, in the order of fileGroups (livepatch by livepatch);
 * `id` names the cache (one per check and kind of value), `move` moves a value by lines.
 */
export function perFileGroup<T>(
  ctx: StaticContext,
  id: string,
  compute: (group: FileGroup) => T,
  move: (value: T, delta: number) => T,
): Array<{ group: FileGroup; value: T }> {
  const { cache, byLivepatch, byKey } = slotFor(ctx, id);
  const out: Array<{ group: FileGroup; value: T }> = [];
  // Once per call, not per group: this runs for every group of an edited livepatch, check by check.
  const valueOf = ({ group, key }: { group: FileGroup; key: FileKey }) => (byKey.has(key) ? byKey.get(key)!.value : compute(group));
  const moved = (v: unknown, delta: number) => move(v as T, delta);
  for (const keyed of groupsOf(ctx).perLivepatch) {
    let kept = byLivepatch.get(keyed);
    if (!kept) {
      const values = keyed.map((k) => cache.get(k.key, valueOf, moved, k));
      byLivepatch.set(keyed, (kept = { values, byKey: false }));
    } else if (!kept.byKey) {
      // Unchanged since the last reading: from now on its groups are found by key (the cache forgets them).
      keyed.forEach(({ key }, i) => byKey.set(key, { value: kept!.values[i] }));
      kept.byKey = true;
    }
    const values = kept.values as T[];
    keyed.forEach(({ group }, i) => out.push({ group, value: values[i] }));
  }
  return out;
}

/**
 * What `compute(f)` finds for every function the diffs change (with `withNew`, or add),
 * once per file path and name, in patch order of their first appearance; kept per group.
 */
export function perFunction<T>(
  ctx: StaticContext,
  id: string,
  withNew: boolean,
  compute: (f: DiffFunction) => T[],
  move: (value: T, delta: number) => T,
): T[] {
  const byGroup = perFileGroup(
    ctx,
    id,
    (group) => perGroupFunction(groupFunctions(group, withNew).map(compute)),
    ({ lists }, delta) => perGroupFunction(lists.map((list) => list.map((v) => move(v, delta)))),
  );
  // Loops rather than flat(): this runs at every edit, over the whole series.
  const out: T[] = [];
  // Each group's functions come together: its values in one list (most are none), not the functions one by one.
  if (groupsOf(ctx).together) for (const { value } of byGroup) for (const v of value.all) out.push(v);
  else for (const [group, index] of functionOrder(ctx, withNew)) out.push(...byGroup[group].value.lists[index]);
  return out;
}

/** A group's values per function, and all of them. */
function perGroupFunction<T>(lists: T[][]): { lists: T[][]; all: T[] } {
  return { lists, all: lists.flat() };
}

/**
 * Where each function the diffs change (with `withNew`, or add) is: its group, and its
 * place in groupFunctions of the group; in patch order of its first appearance.
 */
function functionOrder(ctx: StaticContext, withNew: boolean): Array<[group: number, index: number]> {
  const groups = groupsOf(ctx);
  let order = groups.order.get(withNew);
  if (order) return order;
  // For each function of a group, the group's file it first appears in: they come in that order.
  const firsts = perFileGroup(ctx, `functions:${withNew}`, (g) => groupFunctions(g, withNew).map((f) => g.files.indexOf(f.file)), (list) => [...list]);
  const groupAt = new Map(groups.keyed.flatMap(({ group }, g) => group.files.map((file) => [file, g] as const)));
  const filesSeen = groups.keyed.map(() => 0);
  const placed = groups.keyed.map(() => 0);
  order = [];
  for (const diff of new Set(groups.keyed.map(({ group }) => group.diff))) {
    for (const file of diff.files) {
      const g = groupAt.get(file)!;
      const ordinal = filesSeen[g]++;
      const list = firsts[g].value;
      while (placed[g] < list.length && list[placed[g]] === ordinal) order.push([g, placed[g]++]);
    }
  }
  groups.order.set(withNew, order);
  return order;
}

/**
 * The values of every group, each livepatch's in the order of the patch lines `line` gives
 * (stable: values on one line keep their order), the livepatches in order.
 */
export function inPatchOrder<T>(found: Array<{ group: FileGroup; value: readonly T[] }>, line: (value: T) => number): T[] {
  const out: T[] = [];
  for (let i = 0; i < found.length; ) {
    const lp = found[i].group.lp;
    const mine: T[] = [];
    for (; i < found.length && found[i].group.lp === lp; i++) mine.push(...found[i].value);
    out.push(...mine.sort((a, b) => line(a) - line(b)));
  }
  return out;
}

/** A copy of a problem located in the patch, `delta` lines further down (its related locations too). */
export function movedProblem<D>(p: Problem<D>, delta: number): Problem<D> {
  return {
    ...p,
    range: movedRange(p.range, delta),
    ...(p.related && { related: p.related.map((r) => ({ ...r, location: movedLocation(r.location, delta) })) }),
  };
}

/** The problems `compute` finds in each file group (kept and moved as perFileGroup() keeps values), in patch order. */
export function problemsPerFileGroup<D>(ctx: StaticContext, id: string, compute: (group: FileGroup) => Problem<D>[]): Problem<D>[] {
  const found = perFileGroup(ctx, id, compute, (list, delta) => list.map((p) => movedProblem(p, delta)));
  return inPatchOrder(found, (p) => p.range.start.line);
}
