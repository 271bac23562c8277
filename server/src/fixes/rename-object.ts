// unknown-object: write the module name the check suggests, or leave the name out (NULL, vmlinux)
// when the module is built into vmlinux.
import { moduleNameOf } from '../kernel/types';
import { fixOf, type FixInput } from './fixInput';
import { nullName } from './objectName';
import { isPresent, stringField } from './problemData';
import type { Fix } from './types';

export function renameObject({ problem, source }: FixInput): Fix[] {
  const object = stringField(problem, 'object');
  const suggestion = stringField(problem, 'suggestion');
  if (object === undefined || suggestion === undefined || source.slice(problem.range) !== JSON.stringify(object)) return [];
  if (suggestion === 'NULL') {
    // Beside a NULL-named object, its functions belong in that one (see remove-vmlinux-name).
    const change = isPresent(problem, 'hasNullObject') ? undefined : nullName(source, problem.range);
    if (!change) return [];
    const title = change.removed ? `Remove .name = "${object}" (built into vmlinux)` : `Replace "${object}" with NULL (built into vmlinux)`;
    return [fixOf(problem, title, change.edits, true)];
  }
  if (!/^[\w-]+$/.test(suggestion)) return [];
  // The name kbuild gives the file is certain; a name close to a typo is a guess.
  const certain = moduleNameOf(object) === suggestion;
  return [fixOf(problem, `Change the object name to "${suggestion}"`, [{ range: problem.range, newText: `"${suggestion}"` }], certain)];
}
