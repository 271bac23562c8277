// The macros a C file defines (object-like with their texts, function-like by name), as far as
// the target compiles them.
import { preprocessorRegions, type Predefined, type Region } from './cConditions';
import type { Defines } from './cConstants';
import { walk } from './cNodes';
import type { SyntaxNode } from './treeSitter';

/** Object-like and function-like macros defined anywhere in the file (also inside #if branches). */
export interface MacroTable {
  objectLike: Defines;
  /** Names of function-like macros. */
  functionLike: Set<string>;
  /** With a target: the region of each line (0-based) its #if lines make (cConditions.ts preprocessorRegions()). */
  compiled?: (line: number) => Region;
}

interface Definition {
  name: string;
  /** An object-like macro's replacement text; none for a function-like one. */
  text?: string;
  node: SyntaxNode;
}

/**
 * The file's macros, also those under #if lines. With `predefined` (what the target defines
 * before the file's first line), a definition on a branch the target does not compile is left
 * out, and the table says which lines the target compiles.
 */
export function readMacros(root: SyntaxNode, predefined?: Predefined): MacroTable {
  const found: Definition[] = [];
  walk(root, new Set(['preproc_def', 'preproc_function_def', 'function_definition']), (node) => {
    const name = node.type === 'function_definition' ? undefined : node.childForFieldName('name')?.text;
    if (name) found.push({ name, node, ...(node.type === 'preproc_def' ? { text: node.childForFieldName('value')?.text ?? '' } : {}) });
    return false;
  });
  if (!predefined) return tableOf(found);
  const compiled = preprocessorRegions(root.text, predefined, tableOf(found).objectLike);
  return { ...tableOf(found.filter((d) => compiled(d.node.startPosition.row).truth !== false)), compiled };
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
