// The patch stack of every function the series patches, after the whole series: the
// simulator's func stack (kernel/livepatch/patch.c ops->func_stack, newest first) and,
// for each livepatch that names the function, its role there. The one reading of the
// simulator's results that every shell shows (hover, hints, tree, grid).
import type { Verdicts } from '../checks/check';
import { groupBy } from '../common/groupBy';
import type { Problem } from '../common/problem';
import { functionKey, shownSympos, type FunctionIdentity } from '../model/identity';
import { functionsOf, type Livepatch, type PatchedFunction } from '../model/livepatch';
import { functionStatus } from '../simulator/snapshot';
import type { Analysis } from './analyze';
import { firstLine, patchOutcomes, type FinalPatchState, type PatchOutcome } from './outcomes';

/**
 * What a livepatch's entry for a function is after the series:
 * - active: its version runs (top of the stack);
 * - shadowed: on the stack under the active one;
 * - waiting: its patch is enabled but the function is not patched, because its object
 *   (a module) is not loaded (kernel/livepatch/core.c __klp_enable_patch() skips objects that
 *   are not loaded; klp_module_coming() patches them when the module comes);
 * - never: its object matches no module that ever loads (a check says why), so it is never patched;
 * - refused: its patch was refused (by the kernel, or the build made no module of it), or the
 *   build leaves the function out of the module (a check says why);
 * - replaced, disabled, unloaded: its patch's own fate.
 */
export type FunctionRole = 'active' | 'shadowed' | 'waiting' | 'never' | 'replaced' | 'disabled' | 'unloaded' | 'refused';

export interface StackEntry {
  outcome: PatchOutcome;
  /** The patch's entry for the function: where it changes it. */
  func: PatchedFunction;
  role: FunctionRole;
  /** The check's problem that says why this entry never runs (a build refusal, an object that never matches). */
  why: Problem | null;
}

export interface PatchStack {
  object: string;
  name: string;
  /** As sysfs shows it (0 as 1). */
  sympos: number;
  /** Patch names on the func stack, newest first. */
  stack: string[];
  /** The patch whose version runs, or null when the original runs. */
  active: string | null;
  /** Every livepatch that names the function, newest first. */
  entries: StackEntry[];
  /**
   * The replace patch that left the function out, when that is why the original runs.
   * Its nop for the function (kernel/livepatch/core.c klp_add_nops()) let the original run
   * and was discarded when its transition completed (klp_discard_nops()), so no step shows it.
   */
  droppedBy: PatchOutcome | null;
  /** The kernel source file, when a patch diff names it. */
  sourceFile?: string;
}

/** One stack per function any livepatch names, in the order the series first names them (computed once per analysis). */
export function patchStacks(analysis: Analysis): PatchStack[] {
  return analysis.memo.get(buildStacks, analysis);
}

/** The stack of the function `f` names after the series (a hover needs one: it does not build them all). */
export function patchStackOf(analysis: Analysis, f: FunctionIdentity): PatchStack | undefined {
  return buildStacks(analysis, f)[0];
}

const stacksByKey = (analysis: Analysis) => new Map(patchStacks(analysis).map((s) => [functionKey(s), s]));

/** The stack of the function `f` names after the series, among all of them (patchStacks()). */
export function stackOf(analysis: Analysis, f: FunctionIdentity): PatchStack | undefined {
  return analysis.memo.get(stacksByKey, analysis).get(functionKey(f));
}

/** The stacks of every function, or of the one `only` names. */
function buildStacks(analysis: Analysis, only?: FunctionIdentity): PatchStack[] {
  const outcomes = patchOutcomes(analysis);
  const last = analysis.results.at(-1);
  // A hover asks for one function of thousands: its status alone, not the sorted list of all.
  const statuses = only ? undefined : new Map((last?.functions ?? []).map((f) => [functionKey(f), f]));
  // Names are compared before keys are built.
  const wanted = (f: FunctionIdentity) => !only || (f.name === only.name && functionKey(f) === functionKey(only));
  const statusOf = (key: string) => (statuses ? statuses.get(key) : last && functionStatus(last, key));
  const stacks = new Map<string, PatchStack>();
  for (const outcome of outcomes) {
    const funcs = only ? (analysis.memo.get(functionsByName, outcome.livepatch).get(only.name) ?? []) : functionsOf(outcome.livepatch);
    for (const func of funcs) {
      if (!wanted(func)) continue;
      const key = functionKey(func);
      let s = stacks.get(key);
      if (!s) {
        const status = statusOf(key);
        s = {
          object: func.object,
          name: func.name,
          sympos: shownSympos(func.sympos),
          stack: status?.stack ?? [],
          active: status?.active ?? null,
          entries: [],
          droppedBy: null,
        };
        stacks.set(key, s);
      }
      // A patch naming a function twice has one place on its stack: its first entry.
      if (s.entries.some((e) => e.outcome === outcome)) continue;
      s.entries.unshift(entryOf(analysis.verdicts, outcome, func, s));
      s.sourceFile ??= func.sourceFile;
    }
  }
  for (const s of stacks.values()) s.droppedBy = droppedBy(s, outcomes);
  return [...stacks.values()];
}

const functionsByName = (lp: Livepatch) => byName(functionsOf(lp));

/** Functions by name, each list in their order (a hover looks for one function among thousands). */
const byName = <F extends FunctionIdentity>(functions: readonly F[]): Map<string, F[]> => groupBy(functions, (f) => f.name);

/** `outcome`'s entry for its function `func`, whose stack after the series is `s`. */
function entryOf(verdicts: Verdicts, outcome: PatchOutcome, func: PatchedFunction, s: Pick<PatchStack, 'active' | 'stack'>): StackEntry {
  const verdict = outcome.state === 'refused' ? undefined : verdicts.functions.get(func);
  const role = verdict ? verdict.role : roleOf({ name: outcome.livepatch.name, state: outcome.state }, s);
  return { outcome, func, role, why: verdict?.problem ?? outcome.unbuilt };
}

/** The role of `outcome`'s entry for a function whose stack after the series is `s` (no check's verdict on it). */
export function roleOf(patch: { name: string; state: FinalPatchState }, s: { active: string | null; stack: readonly string[] }): FunctionRole {
  if (patch.state !== 'enabled') return patch.state;
  const name = patch.name;
  if (s.active === name) return 'active';
  return s.stack.includes(name) ? 'shadowed' : 'waiting';
}

function droppedBy(s: PatchStack, outcomes: PatchOutcome[]): PatchOutcome | null {
  if (s.active !== null) return null;
  const replacer = s.entries.find((e) => e.role === 'replaced')?.outcome.replacedBy;
  if (!replacer || s.entries.some((e) => e.outcome.livepatch.name === replacer)) return null;
  return [...outcomes].reverse().find((o) => o.livepatch.name === replacer && o.state !== 'refused') ?? null;
}

/** A function an earlier patch patched and a replace patch left out. */
export interface DroppedFunction extends FunctionIdentity {
  /** The earlier patch, replaced by this one, whose version of the function was dropped. */
  from: PatchOutcome;
}

/**
 * The functions the replace patch of `outcomes[index]` dropped: it replaced an earlier patch
 * without carrying them, so the livepatch core gave each a nop (kernel/livepatch/core.c
 * klp_add_nops()) and the original code runs again once the transition completes
 * (kernel/livepatch/transition.c klp_complete_transition()). Each with the first such patch.
 * A function the earlier patch never patched (a check's verdict) was not running: none is dropped.
 */
export function droppedFunctions(outcomes: readonly PatchOutcome[], index: number, verdicts: Verdicts): DroppedFunction[] {
  const replacer = outcomes[index]?.livepatch;
  if (!replacer?.replace) return [];
  const carried = new Set(functionsOf(replacer).map(functionKey));
  const dropped = new Map<string, DroppedFunction>();
  for (const earlier of outcomes.slice(0, index)) {
    if (earlier.replacedBy !== replacer.name) continue;
    for (const f of functionsOf(earlier.livepatch)) {
      const key = functionKey(f);
      if (!carried.has(key) && !dropped.has(key) && !verdicts.functions.get(f)) dropped.set(key, { object: f.object, name: f.name, sympos: shownSympos(f.sympos), from: earlier });
    }
  }
  return [...dropped.values()];
}

/** What became of one patch's entry, in a few words: "active", "shadowed by lpb", "replaced by lpc", "never patched", ... */
export function roleText(entry: StackEntry, s: Pick<PatchStack, 'active' | 'stack' | 'object'>): string {
  switch (entry.role) {
    case 'shadowed':
      return `shadowed by ${s.active ?? s.stack[0]}`;
    case 'waiting':
      return `waits for ${s.object} to load`;
    case 'never':
      return 'never patched';
    case 'replaced':
      return `replaced by ${entry.outcome.replacedBy}`;
    case 'refused':
      return entry.why ? 'refused by the build' : 'refused';
    default:
      return entry.role;
  }
}

/** A check's problem as the reason a shell shows: its words and its code. */
export function checkReason(p: Pick<Problem, 'code' | 'message'>): string {
  return `${p.message} (${p.code})`;
}

/**
 * Why the entry never runs, in full: the words of the check that says so (with its code), or
 * the kernel's first line when the kernel refused the patch; null when nothing refuses it.
 */
export function roleReason(entry: StackEntry): string | null {
  if (entry.why) return checkReason(entry.why);
  return entry.role === 'refused' && entry.outcome.error ? firstLine(entry.outcome.error) : null;
}
