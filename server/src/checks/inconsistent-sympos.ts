// The same function written with old_sympos 0 in one livepatch and 1 in another. Its fix
// writes the position the other livepatch writes.
import { groupBy } from '../common/groupBy';
import { problem, type Problem, type Severity } from '../common/problem';
import type { Fix } from '../edits/fix';
import { setSympos, type SymposPlace } from '../edits/oldSympos';
import type { SourceText } from '../edits/sourceText';
import type { Capability } from '../kernel/capabilities';
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
    '(kernel/livepatch/core.c klp_find_func()), and only newer kernels treat 0 and 1 as equal there ' +
    '(6.19, "livepatch: Match old_sympos 0 and 1 in klp_find_func()", and its stable backports: see Kernel ' +
    'versions). On a kernel that compares them exactly, the replace patch gets a nop for the older entry ' +
    'next to its own: both are shown as `<func>,1` in sysfs, kobject_add() fails and the replace patch does ' +
    'not load. On such a target, an error when the later patch replaces an earlier one that is still ' +
    'enabled; on a target that takes them as one, information (other kernels still refuse it); with the ' +
    'version unknown, a warning for a replacement, information otherwise. Write the same `old_sympos` everywhere.',
  run(ctx) {
    if (ctx.livepatches.length < 2) return [];
    const replacedBy = replacements(ctx);
    const keys = ctx.livepatches.map((lp) => ctx.memo.get(symposKeys, lp));
    // Only a function written with old_sympos 1 meets one written with 0: the few written with 1 are
    // looked up in the other livepatches' keys, each kept per livepatch (an edit changes one), not
    // every function of the series (a series of thousands of patches, and every edit).
    const pairs = ctx.livepatches.map(() => [] as Array<{ at: number; fa: PatchedFunction; fb: PatchedFunction; k: number }>);
    keys.forEach(({ ones }, i) => {
      for (const one of ones) {
        // Written with 1 here: later functions written with 0; written with 1 later: earlier ones written with 0.
        const fa = keys[i].writes.get(`${one}1`)!.f;
        for (let later = i + 1; later < keys.length; later++) for (const { f: fb, k } of keys[later].asks.get(`${one}1`) ?? []) pairs[later].push({ at: i, fa, fb, k });
        for (let earlier = 0; earlier < i; earlier++) {
          const written = keys[earlier].writes.get(`${one}0`);
          if (written) for (const { f: fb, k } of keys[i].asks.get(`${one}0`) ?? []) pairs[i].push({ at: earlier, fa: written.f, fb, k });
        }
      }
    });
    return pairs.flatMap((found, i) => {
      const later = ctx.livepatches[i];
      // In the order of the earlier livepatches, then of the later one's functions.
      found.sort((a, b) => a.at - b.at || a.k - b.k);
      return found.map(({ at, fa, fb }) => {
        const earlier = ctx.livepatches[at];
        return report(later, fb, earlier, fa, replacedBy.has(`${earlier.name}\0${later.name}`), ctx.kernel.capabilities['sympos-zero-is-one']);
      });
    });
  },
  fix: setSymposAsOther,
};

function writtenKey(f: PatchedFunction, sympos: number): string {
  return `${f.object}\0${f.name}\0${sympos}`;
}

/** A klp_func written with old_sympos 0 or 1 (only those can meet), and its place among the livepatch's. */
interface Keyed {
  f: PatchedFunction;
  k: number;
}

/**
 * A livepatch's klp_funcs with old_sympos 0 or 1 by writtenKey, once per livepatch: `asks` by
 * the other position, `writes` (the first of each function) by their own; `ones`, each function
 * written with 1 (its key without the position).
 */
function symposKeys(lp: Livepatch): { asks: Map<string, Keyed[]>; writes: Map<string, Keyed>; ones: string[] } {
  const keyed = functionsOf(lp).flatMap((f, k) => (f.sympos === 0 || f.sympos === 1 ? [{ f, k, ask: writtenKey(f, 1 - f.sympos), key: writtenKey(f, f.sympos) }] : []));
  const writes = new Map<string, Keyed>();
  for (const e of keyed) if (!writes.has(e.key)) writes.set(e.key, e);
  const ones = new Set(keyed.filter((e) => e.f.sympos === 1).map((e) => e.key.slice(0, -1)));
  return { asks: groupBy(keyed, (e) => e.ask), writes, ones: [...ones] };
}

/** "earlier\0later" for each replace patch and each patch still enabled when it loads. */
function replacements(ctx: CheckContext): Set<string> {
  return new Set(
    loadPoints(ctx)
      .filter((p) => p.livepatch.replace)
      .flatMap((p) => p.installed.map((i) => `${i.livepatch.name}\0${p.livepatch.name}`)),
  );
}

function report(later: Livepatch, fb: PatchedFunction, earlier: Livepatch, fa: PatchedFunction, replaces: boolean, rule: Capability): Problem<InconsistentSymposData> {
  const written = `\`${fb.name}\` in ${fb.object} has old_sympos ${fb.sympos} here and ${fa.sympos} in ${earlier.name}: the same function`;
  const refused = `${later.name}, replacing ${earlier.name}, gets a nop for ${earlier.name}'s entry next to its own, both named \`${fb.name},1\` in sysfs, and kobject_add() refuses ${later.name}`;
  const wouldFail = 'a replace patch of one over the other would get a nop next to its own entry with the same sysfs name and fail to load';
  let severity: Severity;
  let message: string;
  if (rule.decidedBy === 'assumed') {
    severity = replaces ? check.severity : 'information';
    message = `${written}, but kernels whose klp_find_func() (kernel/livepatch/core.c) compares old_sympos exactly see two different ones; ${replaces ? `there ${refused}` : wouldFail}`;
  } else if (!rule.has) {
    severity = replaces ? 'error' : 'information';
    message = `${written}, but the target's klp_find_func() (kernel/livepatch/core.c) compares old_sympos exactly (${rule.because}), so it sees two different ones; ${replaces ? refused : `${wouldFail} on it`}`;
  } else {
    severity = 'information';
    message = `${written}, and the target's klp_find_func() takes 0 and 1 as one (${rule.because}); on kernels that compare old_sympos exactly ${replaces ? refused : wouldFail}`;
  }
  return problem(check.id, severity, fb.symposLocation ?? anchorOf(fb), `${message}. Write old_sympos ${fa.sympos} in both`, {
    related: [{ location: fa.symposLocation ?? anchorOf(fa), message: `${earlier.name} writes old_sympos ${fa.sympos}` }],
    data: {
      sympos: fa.sympos,
      name: fb.name,
      other: earlier.name,
      ...(fb.symposLocation ? { oldSympos: { range: fb.symposLocation.range, value: fb.sympos } } : {}),
    },
  });
}

/** The position the other livepatch writes. */
function setSymposAsOther(problem: Problem<InconsistentSymposData>, source: SourceText): Fix[] {
  if (!problem.data) return [];
  const { sympos, other } = problem.data;
  return setSympos(problem, source, problem.data, [{ sympos, ...(other ? { note: `as ${other} writes it` } : {}) }]);
}
