// The function definitions of a whole C source file, found with tree-sitter. Kernel
// files are full of macros the grammar does not know: `static int __init foo(void)`
// still parses as a function_definition (with an odd declarator), and a definition
// through a macro (`SYSCALL_DEFINE3(name, ...) { ... }`) parses as a call statement
// followed by a bare block at file scope, which is read as a definition too.
import { definitionHead, type DefinitionHead } from './cDefinition';
import { walk } from './cNodes';
import type { CParser, SyntaxNode } from './treeSitter';

export interface SourceDefinition extends DefinitionHead {
  /** 0-based first and last lines of the definition in the file. */
  startLine: number;
  endLine: number;
}

/** Node types that hold file-scope items (the file itself, #if branches, error recovery). */
const FILE_SCOPE = new Set(['translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'ERROR']);

/** What the grammar makes of a definition head it cannot read (a declaration or a call missing its `;`). */
const UNFINISHED = new Set(['declaration', 'expression_statement', 'ERROR']);

/** Every definition of `text`, sorted by line; undefined when the parser fails. */
export function sourceFunctions(parser: CParser, text: string): SourceDefinition[] | undefined {
  return parser.withTree(text, (tree) => {
    const out: SourceDefinition[] = [];
    walk(tree.rootNode, new Set(['function_definition', 'compound_statement']), (node, parentType) => {
      if (node.type === 'function_definition') {
        const def = fromFunctionDefinition(node);
        if (def) out.push(def);
        return false;
      }
      if (parentType && FILE_SCOPE.has(parentType)) {
        const def = fromMacroDefinition(node);
        if (def) out.push(def);
        return false;
      }
      return true;
    });
    return out.sort((a, b) => a.startLine - b.startLine);
  });
}

function fromFunctionDefinition(node: SyntaxNode): SourceDefinition | undefined {
  const body = node.childForFieldName('body');
  const own = node.children
    .filter((c): c is SyntaxNode => c !== null && c.id !== body?.id)
    .map((c) => c.text)
    .join(' ');
  // `static int __init foo(void)` parses as a declaration `static int __init` (missing its `;`) and a definition `foo(void) {...}`.
  const prefix = unfinishedBefore(node);
  const parsed = definitionHead(prefix ? `${prefix.text}\n${own}` : own);
  return parsed && { ...parsed, startLine: (prefix ?? node).startPosition.row, endLine: node.endPosition.row };
}

/** `MACRO(name, ...)` right before a block at file scope: the macro defines a function. */
function fromMacroDefinition(block: SyntaxNode): SourceDefinition | undefined {
  const before = unfinishedBefore(block);
  const parsed = before && definitionHead(before.text);
  return parsed && { ...parsed, startLine: before.startPosition.row, endLine: block.endPosition.row };
}

/** The file-scope item right before `node` (on its line or the one before) when it does not end like a complete item. */
function unfinishedBefore(node: SyntaxNode): SyntaxNode | undefined {
  const before = node.previousNamedSibling;
  if (!before || !UNFINISHED.has(before.type)) return undefined;
  if (before.endPosition.row < node.startPosition.row - 1 || /[;}]\s*$/.test(before.text)) return undefined;
  return before;
}
