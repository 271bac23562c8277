// Go to definition from a patched function in a livepatch (old_name, a klp_func entry, a
// csv row, a hunk's function) to its definition in the kernel source tree; see
// sourceDefinition.ts for which files are searched. Empty when the tree or the file is not known.
import type { LocationLink } from 'vscode-languageserver-protocol';
import type { Position } from '../../common/range';
import type { AnalysisView } from '../view';
import { functionsAt } from './livepatchTargets';
import { patchStackOf } from '../../analysis/roles';
import { findDefinition } from './sourceDefinition';

export function definition(view: AnalysisView, file: string, position: Position): LocationLink[] {
  const targets = functionsAt(view.analysis, file, position);
  if (targets.length === 0) return [];
  return targets.flatMap((t) => {
    // The stack knows the source file any diff of the series gives the function.
    const found = findDefinition(view, patchStackOf(view.analysis, t.func) ?? t.func);
    if (!found) return [];
    return [
      {
        ...(t.range && { originSelectionRange: t.range }),
        targetUri: view.toUri(found.file),
        targetRange: found.range,
        targetSelectionRange: found.nameRange,
      },
    ];
  });
}
