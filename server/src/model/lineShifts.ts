// The functions a hunk that adds or removes lines shifts: every function defined after it
// whose code expands __LINE__ (WARN*(), BUG*(), might_sleep() and the lockdep assertions
// through WARN_ON()) compiles with other numbers and changes, though its
// source did not. kpatch-build then finds them changed (create-diff-object.c recognises only
// some line-only changes, kpatch_line_macro_change_only()); klp-build avoids it with a `#line`
// directive after each change (scripts/livepatch/fix-patch-lines), which the quick fix adds.
import type { Location } from '../common/range';
import type { CallGraph } from '../syntax/callGraph';
import type { DiffFile } from '../syntax/diffTypes';

export interface LineShift {
  /** The hunk's @@ line. */
  location: Location;
  /** Lines the hunk adds (positive) or removes (negative). */
  delta: number;
  /** The functions after the hunk whose __LINE__ expansions move, in file order. */
  functions: string[];
}

/** Macros whose expansion embeds the line it is written on (include/asm-generic/bug.h, include/linux/kernel.h, lockdep.h). */
const LINE_MACROS = [
  'WARN', 'WARN_ON', 'WARN_ONCE', 'WARN_ON_ONCE', 'WARN_TAINT', 'WARN_TAINT_ONCE', 'BUG', 'BUG_ON',
  'might_sleep', 'might_sleep_if', 'might_resched', 'cant_sleep', 'cant_migrate', 'might_fault',
  'lockdep_assert', 'lockdep_assert_held', 'lockdep_assert_held_write', 'lockdep_assert_held_read', 'lockdep_assert_not_held',
  'lockdep_assert_irqs_enabled', 'lockdep_assert_irqs_disabled', 'lockdep_assert_none_held_once', 'rcu_lockdep_assert',
  'RCU_LOCKDEP_WARN', 'WARN_RATELIMIT', 'WARN_ON_RATELIMIT',
];

export function lineShifts(file: DiffFile, graph: CallGraph): LineShift[] {
  const users = lineUsers(graph);
  const shifts: LineShift[] = [];
  for (const hunk of file.hunks) {
    const delta = hunk.newLines - hunk.oldLines;
    // A hunk that writes its own `#line` directive keeps the numbers after it.
    if (delta === 0 || hunk.lines.some((l) => l.kind === 'add' && /^\s*#\s*line\b/.test(l.text))) continue;
    const end = hunk.oldStart + hunk.oldLines;
    const changed = new Set(file.hunks.flatMap((h) => h.functions.filter((f) => f.changed).map((f) => f.name)));
    const functions = graph.definitions.filter((d) => d.line >= end && users.has(d.name) && !changed.has(d.name)).map((d) => d.name);
    if (functions.length > 0) shifts.push({ location: hunk.location, delta, functions });
  }
  return shifts;
}

/** The functions whose code expands a line macro, directly or through the file's own macros (not through functions: a call embeds no line). */
function lineUsers(graph: CallGraph): Set<string> {
  const functions = new Set(graph.definitions.map((d) => d.name));
  const found = new Set<string>();
  const queue = [...LINE_MACROS];
  const seen = new Set(queue);
  while (queue.length > 0) {
    for (const caller of graph.callersOf(queue.shift()!)) {
      if (functions.has(caller)) found.add(caller);
      else if (!seen.has(caller)) {
        seen.add(caller);
        queue.push(caller);
      }
    }
  }
  return found;
}
