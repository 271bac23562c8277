// Variables of the livepatch structure types (include/linux/livepatch.h): `struct klp_func
// funcs[] = {...}`, `struct klp_object objs[2] = {...}`, `struct klp_patch patch = {...}`.
import { evaluateConstant, type Defines } from './cConstants';
import { declaratorName, walk } from './cNodes';
import type { SyntaxNode } from './treeSitter';

export const KLP_STRUCTS = ['klp_func', 'klp_object', 'klp_state', 'klp_patch'] as const;
export type KlpStruct = (typeof KLP_STRUCTS)[number];

export interface KlpVariable {
  struct: KlpStruct;
  name: string;
  declaration: SyntaxNode;
  isArray: boolean;
  isPointer: boolean;
  /** The declared number of elements, when written as a constant. */
  size?: number;
  /** The initializer list, when written. */
  initializer?: SyntaxNode;
}

/** The klp structure a type names (`struct klp_func`), if any; a struct definition is not a use. */
export function klpStructOf(type: SyntaxNode | null): KlpStruct | undefined {
  if (type?.type !== 'struct_specifier' || type.childForFieldName('body')) return undefined;
  const name = type.childForFieldName('name')?.text;
  return KLP_STRUCTS.find((s) => s === name);
}

export function findKlpVariables(root: SyntaxNode, defines: Defines): KlpVariable[] {
  const found: KlpVariable[] = [];
  walk(root, new Set(['declaration']), (node) => {
    const struct = klpStructOf(node.childForFieldName('type'));
    if (!struct) return;
    for (const declarator of node.childrenForFieldName('declarator')) {
      const variable = declarator && readDeclarator(struct, node, declarator, defines);
      if (variable) found.push(variable);
    }
  });
  return found;
}

function readDeclarator(struct: KlpStruct, declaration: SyntaxNode, declarator: SyntaxNode, defines: Defines): KlpVariable | undefined {
  const isInit = declarator.type === 'init_declarator';
  const inner = isInit ? declarator.childForFieldName('declarator') : declarator;
  const name = declaratorName(inner);
  if (!inner || !name) return undefined;
  const value = isInit ? declarator.childForFieldName('value') : null;
  const variable: KlpVariable = {
    struct,
    name: name.text,
    declaration,
    isArray: inner.type === 'array_declarator',
    isPointer: inner.type === 'pointer_declarator',
    initializer: value?.type === 'initializer_list' ? value : undefined,
  };
  if (inner.type === 'function_declarator') return undefined;
  const size = inner.type === 'array_declarator' ? inner.childForFieldName('size') : null;
  if (size) variable.size = evaluateConstant(size.text, defines);
  return variable;
}

/** The variables by name; a definition with an initializer wins over a tentative declaration. */
export function variablesByName(variables: KlpVariable[]): Map<string, KlpVariable> {
  const byName = new Map<string, KlpVariable>();
  for (const v of variables) {
    const known = byName.get(v.name);
    if (!known || (!known.initializer && v.initializer)) byName.set(v.name, v);
  }
  return byName;
}
