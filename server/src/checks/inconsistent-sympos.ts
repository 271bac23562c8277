// The same function written with old_sympos 0 in one livepatch and 1 in another. Its fix
// writes the position the other livepatch writes.
import { problem, type Problem } from '../common/problem';
import type { Fix } from '../edits/fix';
import { setSympos, type SymposPlace } from '../edits/oldSympos';
import type { SourceText } from '../edits/sourceText';
import { anchorOf, functionsOf, type Livepatch, type PatchedFunction } from '../model/livepatch';
import type { Check, CheckContext } from './check';
import { loadPoints } from './seriesWalk';

export interface InconsistentSymposData extends SymposPlace {
  /** The old_sympos the other livepatch writes. */
  sympos: number;
  /** The other livepatch's name. */
  other: string;
}

export const check: Check<InconsistentSymposData> = {
  id: 'inconsistent-sympos',
  severity: 'warning',
  title: 'old_sympos 0 in one livepatch and 1 in another for the same function',
  doc:
    'For a unique symbol, `old_sympos` 0 and 1 resolve to the same function. But a replace patch ' +
    'matches the functions of the patches it replaces by object, name and `old_sympos` ' +
    '(kernel/livepatch/core.c klp_find_func()), and only newer kernels (such as the 6.1 sources this ' +
    'tool follows) treat 0 and 1 as equal there. On a kernel that compares them exactly, the replace ' +
    'patch gets a nop for the older entry next to its own: both are shown as `<func>,1` in sysfs, ' +
    'kobject_add() fails and the replace patch does not load. A warning when the later patch replaces ' +
    'an earlier one that is still enabled, information otherwise. Write the same `old_sympos` everywhere.',
  run(ctx) {
    const out: Problem<InconsistentSymposData>[] = [];
    const replacedBy = replacements(ctx);
    // Each earlier livepatch's first klp_func of each function written with old_sympos 0 or 1,
    // looked up rather than searched for (a series of thousands of patches made it quadratic).
    const written = new Map<string, Array<{ earlier: Livepatch; at: number; fa: PatchedFunction }>>();
    const last = ctx.livepatches.length - 1;
    ctx.livepatches.forEach((later, at) => {
      // Nothing is written before the first livepatch, and the last writes for none: an edited
      // livepatch alone is not read, and each other's keys are kept (symposKeys).
      if (written.size > 0) {
        const pairs: Array<{ earlier: Livepatch; at: number; fa: PatchedFunction; fb: PatchedFunction; k: number }> = [];
        for (const { key, f: fb, k } of ctx.memo.get(symposKeys, later).asks) for (const e of written.get(key) ?? []) pairs.push({ ...e, fb, k });
        // In the order of the earlier livepatches, then of the later one's functions.
        pairs.sort((a, b) => a.at - b.at || a.k - b.k);
        for (const { earlier, fa, fb } of pairs) out.push(report(later, fb, earlier, fa, replacedBy.has(`${earlier.name}\0${later.name}`)));
      }
      if (at === last) return;
      for (const { key, f: fa } of ctx.memo.get(symposKeys, later).writes) {
        if (!written.has(key)) written.set(key, []);
        const entries = written.get(key)!;
        if (entries.at(-1)?.earlier !== later) entries.push({ earlier: later, at, fa });
      }
    });
    return out;
  },
  fix: setSymposAsOther,
};

function writtenKey(f: PatchedFunction, sympos: number): string {
  return `${f.object}\0${f.name}\0${sympos}`;
}

/** A klp_func written with old_sympos 0 or 1 (only those can meet), its place among the livepatch's, and a key. */
interface Keyed {
  key: string;
  f: PatchedFunction;
  k: number;
}

/**
 * A livepatch's klp_funcs with old_sympos 0 or 1, once per livepatch (an edit changes one):
 * `asks` keyed by the other position, `writes` (the first of each function) by their own.
 */
function symposKeys(lp: Livepatch): { asks: Keyed[]; writes: Keyed[] } {
  const asks: Keyed[] = [];
  const writes = new Map<string, Keyed>();
  functionsOf(lp).forEach((f, k) => {
    if (f.sympos !== 0 && f.sympos !== 1) return;
    asks.push({ key: writtenKey(f, 1 - f.sympos), f, k });
    const key = writtenKey(f, f.sympos);
    if (!writes.has(key)) writes.set(key, { key, f, k });
  });
  return { asks, writes: [...writes.values()] };
}

/** "earlier\0later" for each replace patch and each patch still enabled when it loads. */
function replacements(ctx: CheckContext): Set<string> {
  return new Set(
    loadPoints(ctx)
      .filter((p) => p.livepatch.replace)
      .flatMap((p) => p.installed.map((i) => `${i.livepatch.name}\0${p.livepatch.name}`)),
  );
}

function report(later: Livepatch, fb: PatchedFunction, earlier: Livepatch, fa: PatchedFunction, replaces: boolean): Problem<InconsistentSymposData> {
  const same =
    `\`${fb.name}\` in ${fb.object} has old_sympos ${fb.sympos} here and ${fa.sympos} in ${earlier.name}: ` +
    `the same function, but kernels whose klp_find_func() (kernel/livepatch/core.c) compares old_sympos exactly ` +
    `see two different ones`;
  const effect = replaces
    ? `; there ${later.name}, replacing ${earlier.name}, gets a nop for ${earlier.name}'s entry next to its own, both named ` +
      `\`${fb.name},1\` in sysfs, and kobject_add() refuses ${later.name}`
    : `; a replace patch of one over the other would get a nop next to its own entry with the same sysfs name and fail to load`;
  return problem(
    check.id,
    replaces ? check.severity : 'information',
    fb.symposLocation ?? anchorOf(fb),
    `${same}${effect}. Write old_sympos ${fa.sympos} in both`,
    {
      related: [{ location: fa.symposLocation ?? anchorOf(fa), message: `${earlier.name} writes old_sympos ${fa.sympos}` }],
      data: {
        sympos: fa.sympos,
        name: fb.name,
        other: earlier.name,
        ...(fb.symposLocation ? { oldSympos: { range: fb.symposLocation.range, value: fb.sympos } } : {}),
      },
    },
  );
}

/** The position the other livepatch writes. */
function setSymposAsOther(problem: Problem<InconsistentSymposData>, source: SourceText): Fix[] {
  if (!problem.data) return [];
  const { sympos, other } = problem.data;
  return setSympos(problem, source, problem.data, [{ sympos, ...(other ? { note: `as ${other} writes it` } : {}) }]);
}
