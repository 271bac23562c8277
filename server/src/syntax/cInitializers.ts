// Reading C initializer lists: designated (`.old_name = "x"`), positional (`{ "x", fn, 2 }`)
// and nested (`.callbacks = { ... }` or `.callbacks.pre_patch = fn`) struct initializers,
// and array initializers (`{ {...}, {...}, { } }`, also `[0] = {...}`).
import { evaluateConstant, type Defines } from './cConstants';
import { isNoise, namedChildren, unwrapExpression } from './cNodes';
import type { SyntaxNode } from './treeSitter';

export interface FieldInit {
  /** The initializer_pair `.x = v`, or the value itself when it is positional. */
  node: SyntaxNode;
  value: SyntaxNode;
}

/** The elements of an initializer list that are not comments, preprocessor lines or ERROR nodes. */
function listEntries(list: SyntaxNode): SyntaxNode[] {
  return namedChildren(list).filter((c) => !isNoise(c));
}

/**
 * The fields an initializer list sets, by name (`callbacks.pre_patch` for a nested designator).
 * A positional value takes the field after the previous one, as in C.
 */
export function structFields(list: SyntaxNode, order: readonly string[]): Map<string, FieldInit> {
  const fields = new Map<string, FieldInit>();
  let next = 0;
  for (const entry of listEntries(list)) {
    if (entry.type === 'initializer_pair') {
      const path = entry
        .childrenForFieldName('designator')
        .map((d) => (d?.type === 'field_designator' ? namedChildren(d)[0]?.text : undefined));
      const value = entry.childForFieldName('value');
      if (!value || path.length === 0 || path.some((p) => p === undefined)) continue;
      // With an ERROR inside (`.old_name = __stringify(X) "y"`), tree-sitter's value is only a
      // piece of what is written: the whole pair then stands as the value, which no reader accepts.
      const broken = namedChildren(entry).some((c) => c.type === 'ERROR');
      fields.set(path.join('.'), { node: entry, value: broken ? entry : value });
      const index = order.indexOf(path[0]!);
      next = index < 0 ? -1 : index + 1;
      continue;
    }
    if (next < 0) continue; // after a designator of a field we do not know, positions are unknown
    const name = order[next++];
    if (name !== undefined) fields.set(name, { node: entry, value: entry });
  }
  return fields;
}

export interface ArrayElement {
  /** The element as written (`[1] = {...}` included). */
  node: SyntaxNode;
  /** Its initializer. */
  value: SyntaxNode;
}

export function arrayElements(list: SyntaxNode): ArrayElement[] {
  return listEntries(list).map((entry) => {
    if (entry.type === 'initializer_pair') {
      const value = entry.childForFieldName('value');
      if (value) return { node: entry, value };
    }
    return { node: entry, value: entry };
  });
}

/** Nesting beyond this is not a livepatch structure: read as non-zero (unknown) rather than recursing on. */
const MAX_NESTING = 32;

/** A value that is zero, NULL, false or an all-zero initializer list; absent fields are zero too. */
export function isZeroValue(value: SyntaxNode | undefined, defines: Defines, depth = 0): boolean {
  if (!value) return true;
  if (value.type === 'initializer_list') {
    if (depth > MAX_NESTING) return false;
    return listEntries(value).every((e) => isZeroValue(e.type === 'initializer_pair' ? (e.childForFieldName('value') ?? undefined) : e, defines, depth + 1));
  }
  const inner = unwrapExpression(value);
  if (inner.type === 'null' || inner.type === 'false') return true;
  return evaluateConstant(inner.text, defines) === 0;
}
