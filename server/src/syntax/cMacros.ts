// The macros a C file defines (object-like with their texts, function-like by name), as far as
// the target compiles them.
import { preprocessorRegions, type Predefined } from './cConditions';
import type { Defines, MacroTable } from './cConstants';
import { walk } from './cNodes';
import type { SyntaxNode } from './treeSitter';

interface Definition {
  name: string;
  /** An object-like macro's replacement text; none for a function-like one. */
  text?: string;
  node: SyntaxNode;
}

/**
 * The file's macros, also those under #if lines. With `predefined` (what the target defines
 * before the file's first line), a definition on a branch the target does not compile is left out.
 */
export function readMacros(root: SyntaxNode, predefined?: Predefined): MacroTable {
  const found: Definition[] = [];
  walk(root, new Set(['preproc_def', 'preproc_function_def', 'function_definition']), (node) => {
    const name = node.type === 'function_definition' ? undefined : node.childForFieldName('name')?.text;
    if (name) found.push({ name, node, ...(node.type === 'preproc_def' ? { text: node.childForFieldName('value')?.text ?? '' } : {}) });
    return false;
  });
  if (!predefined) return tableOf(found);
  const region = preprocessorRegions(root.text, predefined, tableOf(found).objectLike);
  return tableOf(found.filter((d) => region(d.node.startPosition.row).truth !== false));
}

function tableOf(definitions: readonly Definition[]): MacroTable {
  const objectLike: Defines = new Map();
  const functionLike = new Set<string>();
  for (const d of definitions) {
    if (d.text === undefined) functionLike.add(d.name);
    else objectLike.set(d.name, [...(objectLike.get(d.name) ?? []), d.text]);
  }
  return { objectLike, functionLike };
}
