// Members added, removed or changed in a struct the running kernel already uses
// (kpatch doc/patch-author-guide.md, "Data structure changes").
import type { Memo } from '../common/memo';
import { problem, type Problem } from '../common/problem';
import { lineLocation } from '../syntax/hunkLines';
import { structMemberChanges, type MemberChange } from '../syntax/structMembers';
import type { Check } from './check';
import { inPatchOrder, movedProblem, perFileGroup } from './diffFileResults';
import type { FileGroup } from './diffFunctions';

export interface StructLayoutChangeData {
  struct: string;
  /** The members added or removed (null: one whose name is not read). */
  members: Array<{ kind: MemberChange['kind']; member: string | null }>;
}

/** A struct's finding, and the patch line of the struct's first change (the findings go in that order). */
interface Found {
  firstLine: number;
  problem: Problem<StructLayoutChangeData>;
}

export const check: Check<StructLayoutChangeData> = {
  id: 'struct-layout-change',
  severity: 'warning',
  title: 'The patch changes the layout of a struct',
  doc:
    'A livepatch replaces functions, not data: the objects of a struct that exist when it loads keep the ' +
    'old layout, and unpatched code (and patched code, until the transition ends) keeps using the old ' +
    'offsets. Adding, removing, resizing or retyping a member therefore makes the patched functions read ' +
    'and write the wrong bytes. The build tools do not see it (they compare functions), so the patch ' +
    'builds and misbehaves at run time. Keep the struct as it is and attach the new data with shadow ' +
    'variables (klp_shadow_alloc()/klp_shadow_get(), kernel/livepatch/shadow.c), or use existing padding ' +
    'or a spare field only when no old code can read it. Reordered members that keep the same text are ' +
    'not detected.',
  run(ctx) {
    const found = perFileGroup(ctx, check.id, (g) => structProblems(ctx.memo, g), (list, delta) =>
      list.map((f) => ({ firstLine: f.firstLine + delta, problem: movedProblem(f.problem, delta) })),
    );
    return inPatchOrder(found, (f) => f.firstLine).map((f) => f.problem);
  },
};

/** The findings of each struct of one file (the changes over all the hunks of the file's group). */
function structProblems(memo: Memo, { lp, files }: FileGroup): Found[] {
  const byStruct = new Map<string, MemberChange[]>();
  for (const hunk of files.flatMap((f) => f.hunks)) {
    for (const change of structMemberChanges(memo, hunk)) {
      const changes = byStruct.get(change.struct) ?? [];
      changes.push(change);
      byStruct.set(change.struct, changes);
    }
  }
  return [...byStruct.values()].flatMap((changes) => {
    const effective = withoutUnchanged(changes);
    if (effective.length === 0) return [];
    const struct = effective[0].struct;
    const what = describe(effective);
    const at = (c: MemberChange) => lineLocation(lp.file, c.line, c.token);
    const found = problem(
      check.id,
      check.severity,
      at(effective[0]),
      `the patch changes the layout of \`${struct}\` (${what}): objects that already exist keep the old layout and ` +
        'unpatched code keeps the old offsets; keep the struct unchanged and use a shadow variable (klp_shadow_get_or_alloc()) for new data',
      {
        related: effective.slice(1).map((c) => ({ location: at(c), message: `member ${c.kind === 'add' ? 'added' : 'removed'} here` })),
        data: { struct, members: effective.map((c) => ({ kind: c.kind, member: c.member ?? null })) },
      },
    );
    return [{ firstLine: changes[0].line.patchLine, problem: found }];
  });
}

/** A member removed and added back with the same text (moved lines, whitespace, comments) is no change. */
function withoutUnchanged(changes: MemberChange[]): MemberChange[] {
  const count = (kind: MemberChange['kind']) => {
    const m = new Map<string, number>();
    for (const c of changes) if (c.kind === kind) m.set(c.text, (m.get(c.text) ?? 0) + 1);
    return m;
  };
  const removed = count('remove');
  const drop = new Map<string, number>();
  for (const [text, n] of count('add')) {
    const pairs = Math.min(n, removed.get(text) ?? 0);
    if (pairs > 0) {
      drop.set(`add\0${text}`, pairs);
      drop.set(`remove\0${text}`, pairs);
    }
  }
  return changes.filter((c) => {
    const key = `${c.kind}\0${c.text}`;
    const n = drop.get(key) ?? 0;
    if (n > 0) drop.set(key, n - 1);
    return n === 0;
  });
}

/** `member \`a\` added, member \`b\` removed, member \`c\` changed (type or size)`. */
function describe(changes: MemberChange[]): string {
  const added = new Set(changes.filter((c) => c.kind === 'add').map((c) => c.member));
  const removed = new Set(changes.filter((c) => c.kind === 'remove').map((c) => c.member));
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const c of changes) {
    const name = c.member ?? c.text;
    if (seen.has(name)) continue;
    seen.add(name);
    if (c.member !== undefined && added.has(c.member) && removed.has(c.member)) parts.push(`member \`${name}\` changed (type or size)`);
    else parts.push(`member \`${name}\` ${c.kind === 'add' ? 'added' : 'removed'}`);
  }
  return parts.join(', ');
}
