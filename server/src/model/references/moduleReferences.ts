// The identifiers a module's code uses that it does not define: calls and uses of kernel
// (or other modules') functions and variables. Each becomes a relocation in the .ko, which
// is what the export and klp-relocation checks reason about.
import type { SymbolReference } from '../livepatch';
import type { MacroTable } from '../../syntax/cMacros';
import type { FileScope } from '../../syntax/cGlobals';
import { declaratorName, declaredNames, namedChildren, nodeLocation, walk } from '../../syntax/cNodes';
import type { SyntaxNode } from '../../syntax/treeSitter';

/** Identifiers that stand for no symbol: compiler keywords and builtins tree-sitter reads as identifiers, and macros every module uses. */
const NOT_SYMBOLS = new Set([
  'typeof', '__typeof__', '__typeof', 'sizeof', '_Alignof', '__alignof__', 'offsetof', 'defined',
  '__func__', '__FUNCTION__', '__PRETTY_FUNCTION__', '__LINE__', '__FILE__',
  'NULL', 'true', 'false', 'THIS_MODULE', 'KBUILD_MODNAME',
]);

export function readReferences(file: string, root: SyntaxNode, scope: FileScope, macros: MacroTable): SymbolReference[] {
  const fileNames = new Set([...enumConstants(root), ...macros.objectLike.keys(), ...macros.functionLike, ...scope.own]);
  const seen = new Set<string>();
  const out: SymbolReference[] = [];
  const collect = (region: SyntaxNode, locals: Set<string>, inFunction?: string) => {
    for (const id of identifiersIn(region)) {
      const name = id.text;
      if (locals.has(name) || fileNames.has(name) || NOT_SYMBOLS.has(name) || name.startsWith('__builtin_')) continue;
      // Code on an #if branch the target does not compile references nothing there.
      if (macros.compiled?.(id.startPosition.row).truth === false) continue;
      const key = `${inFunction ?? ''}\0${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ name, location: nodeLocation(file, id), ...(inFunction ? { inFunction } : {}), ...(scope.declared.has(name) ? { declaredInFile: true } : {}) });
    }
  };
  for (const fn of scope.functions) {
    const name = declaratorName(fn.childForFieldName('declarator'))?.text;
    const body = fn.childForFieldName('body');
    if (body) collect(body, localNames(fn), name);
  }
  // File-scope initializers take addresses too (`.func = kernel_function`).
  for (const variable of scope.variables.values()) {
    if (variable.initializer) collect(variable.initializer, new Set());
  }
  return out.sort((a, b) => a.location.range.start.line - b.location.range.start.line || a.location.range.start.character - b.location.range.start.character);
}

/** Identifier nodes in expressions, leaving out preprocessor conditions (`#ifdef CONFIG_X`). */
function identifiersIn(region: SyntaxNode): SyntaxNode[] {
  // The condition met last: a condition holds no other, and the walk meets its identifiers next.
  let skip: SyntaxNode | null = null;
  const out: SyntaxNode[] = [];
  walk(region, IDENTIFIERS_AND_CONDITIONS, (node) => {
    if (node.type === 'preproc_if' || node.type === 'preproc_elif') {
      skip = node.childForFieldName('condition');
    } else if (node.type === 'preproc_ifdef' || node.type === 'preproc_elifdef') {
      skip = node.childForFieldName('name');
    } else if (!skip || node.startIndex < skip.startIndex || node.endIndex > skip.endIndex) {
      out.push(node);
    }
  });
  return out;
}

const DECLARATIONS: ReadonlySet<string> = new Set(['declaration', 'parameter_declaration']);
const IDENTIFIERS_AND_CONDITIONS: ReadonlySet<string> = new Set(['identifier', 'preproc_if', 'preproc_elif', 'preproc_ifdef', 'preproc_elifdef']);

/** Parameters and local variables (scopes are not told apart: a local shadows the name in the whole function). */
function localNames(fn: SyntaxNode): Set<string> {
  const names = new Set<string>();
  walk(fn, DECLARATIONS, (node) => {
    for (const name of declaredNames(node)) names.add(name.text);
  });
  return names;
}

function enumConstants(root: SyntaxNode): string[] {
  const names: string[] = [];
  walk(root, new Set(['enumerator']), (node) => {
    const name = node.childForFieldName('name') ?? namedChildren(node)[0];
    if (name) names.push(name.text);
    return false;
  });
  return names;
}
