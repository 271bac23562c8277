// The file-scope names a C file defines itself: its functions and its variables
// (not `extern` declarations, which name symbols of the kernel or of other modules).
import { declaratorName, storageClasses, walk } from './cNodes';
import type { SyntaxNode } from './treeSitter';

export interface FileVariable {
  name: string;
  declaration: SyntaxNode;
  /** The initializer, when written (a file-scope variable without one is zero). */
  initializer?: SyntaxNode;
}

export interface FileScope {
  /** Every function definition, also those inside #if branches or ERROR nodes. */
  functions: SyntaxNode[];
  /** Names of the functions and variables the file defines (including static prototypes). */
  own: Set<string>;
  /** Names the file declares and does not define: extern declarations and non-static prototypes. */
  declared: Set<string>;
  variables: Map<string, FileVariable>;
}

export function readFileScope(root: SyntaxNode): FileScope {
  const scope: FileScope = { functions: [], own: new Set(), declared: new Set(), variables: new Map() };
  walk(root, new Set(['function_definition', 'declaration']), (node) => {
    if (node.type === 'function_definition') {
      scope.functions.push(node);
      const name = declaratorName(node.childForFieldName('declarator'));
      if (name) scope.own.add(name.text);
    } else {
      addDeclaration(scope, node);
    }
    return false;
  });
  return scope;
}

function addDeclaration(scope: FileScope, declaration: SyntaxNode): void {
  const storage = storageClasses(declaration);
  for (const declarator of declaration.childrenForFieldName('declarator')) {
    if (!declarator) continue;
    const inner = declarator.type === 'init_declarator' ? declarator.childForFieldName('declarator') : declarator;
    const name = declaratorName(inner);
    if (!name) continue;
    if (storage.includes('extern')) {
      scope.declared.add(name.text);
      continue;
    }
    if (declaresFunction(inner)) {
      // A prototype: static ones are the file's own; others may name kernel functions.
      if (storage.includes('static')) scope.own.add(name.text);
      else scope.declared.add(name.text);
      continue;
    }
    scope.own.add(name.text);
    const initializer = declarator.type === 'init_declarator' ? (declarator.childForFieldName('value') ?? undefined) : undefined;
    const known = scope.variables.get(name.text);
    if (!known || (!known.initializer && initializer)) scope.variables.set(name.text, { name: name.text, declaration, initializer });
  }
}

/** `foo(int)` or `*foo(void)` (a function), not `(*foo)(void)` (a pointer variable). */
function declaresFunction(declarator: SyntaxNode | null): boolean {
  let current = declarator;
  for (let depth = 0; current && depth < 64; depth++) {
    if (current.type === 'function_declarator') return current.childForFieldName('declarator')?.type === 'identifier';
    if (current.type === 'identifier' || current.type === 'parenthesized_declarator') return false;
    current = current.childForFieldName('declarator');
  }
  return false;
}
