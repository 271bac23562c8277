// object-named-vmlinux: leave `.name = "vmlinux"` out; only a NULL name means vmlinux.
import { fixOf, type FixInput } from './fixInput';
import { nullName } from './objectName';
import { isPresent } from './problemData';
import type { Fix } from './types';

export function removeVmlinuxName({ problem, source }: FixInput): Fix[] {
  // With a NULL-named object beside it, a second NULL one still clashes in sysfs (`vmlinux`
  // twice, kobject_add() fails): its functions belong in that object, a move left to the author.
  if (source.slice(problem.range) !== '"vmlinux"' || isPresent(problem, 'hasNullObject')) return [];
  const change = nullName(source, problem.range);
  if (!change) return [];
  const title = change.removed ? 'Remove .name = "vmlinux" (NULL means vmlinux)' : 'Replace "vmlinux" with NULL (NULL means vmlinux)';
  return [fixOf(problem, title, change.edits, true)];
}
