// Small helpers over tree-sitter C nodes: positions, iterative walks (kernel files
// can nest deeply, and a recursive walk could overflow the stack), string literals.
import { makeRange, type Location, type Range } from '../common/range';
import type { SyntaxNode } from './treeSitter';

function nodeRange(node: SyntaxNode): Range {
  const { startPosition: s, endPosition: e } = node;
  return makeRange(s.row, s.column, e.row, e.column);
}

export function nodeLocation(file: string, node: SyntaxNode): Location {
  return { file, range: nodeRange(node) };
}

/** A zero-width location just after `node`. */
export function endLocation(file: string, node: SyntaxNode): Location {
  const e = node.endPosition;
  return { file, range: makeRange(e.row, e.column, e.row, e.column) };
}

export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null);
}

/** Comments, ERROR nodes and preprocessor lines met where an expression or element is expected. */
export function isNoise(node: SyntaxNode): boolean {
  return node.type === 'comment' || node.type === 'ERROR' || node.type.startsWith('preproc_');
}

/**
 * Visits the named nodes of `types` among `root` and its named descendants, in document order,
 * with the type of each one's named parent (tree-sitter's own `parent` walks down from the root:
 * quadratic on deep trees). `visit` returns false to skip a node's descendants. A tree cursor
 * reads the type of every node, and only the nodes visited are made into objects: a node's
 * `type` and `namedChildren` are calls into WebAssembly, and a 20 MB module has millions of nodes.
 */
export function walk(
  root: SyntaxNode,
  types: ReadonlySet<string>,
  visit: (node: SyntaxNode, parentType: string | undefined) => boolean | void,
): void {
  const cursor = root.walk();
  const language = root.tree.language;
  const parents: string[] = [];
  try {
    for (;;) {
      // One call for the type id; the language's own table names it (cursor.nodeType reads the id again).
      const id = cursor.nodeTypeId;
      if (language.nodeTypeIsNamed(id)) {
        const type = language.types[id] ?? 'ERROR';
        const descend = !types.has(type) || visit(cursor.currentNode, parents[parents.length - 1]) !== false;
        if (descend && cursor.gotoFirstChild()) {
          parents.push(type);
          continue;
        }
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
        parents.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

/** More nested parentheses and casts than any module writes; bounds the work on adversarial input. */
const MAX_UNWRAP = 64;

/** Strips parentheses and casts: `((void *)fn)` -> `fn`. */
export function unwrapExpression(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (let step = 0; step < MAX_UNWRAP; step++) {
    if (current.type === 'parenthesized_expression') {
      const inner = namedChildren(current).find((c) => !isNoise(c));
      if (!inner) return current;
      current = inner;
    } else if (current.type === 'cast_expression') {
      const value = current.childForFieldName('value');
      if (!value) return current;
      current = value;
    } else {
      return current;
    }
  }
  return current;
}

/** The function called by a call_expression, when it is a plain identifier. */
export function calleeName(call: SyntaxNode): string | undefined {
  const fn = call.childForFieldName('function');
  return fn?.type === 'identifier' ? fn.text : undefined;
}

/** The arguments of a call_expression, without commas, comments or ERROR nodes. */
export function callArguments(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  return args ? namedChildren(args).filter((a) => !isNoise(a)) : [];
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** The characters a C string body stands for (`a\tb` -> a, tab, b). */
export function unescapeC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,8}|[0-7]{1,3}|[\s\S])/g, (_, esc: string) => {
    if (esc[0] === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16) & 0xffff);
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return SIMPLE_ESCAPES[esc] ?? esc;
  });
}

/** The value of one C string literal (`"a\tb"`, `L"x"`); undefined when it is not one. */
export function stringLiteralValue(node: SyntaxNode): string | undefined {
  if (node.type !== 'string_literal') return undefined;
  const text = node.text;
  const open = text.indexOf('"');
  const close = text.lastIndexOf('"');
  return open >= 0 && close > open ? unescapeC(text.slice(open + 1, close)) : undefined;
}

/** The identifier a declarator declares: `*name`, `name[4]`, `(*name)(void)`, `name(int a)` -> `name`. */
export function declaratorName(declarator: SyntaxNode | null): SyntaxNode | undefined {
  let current = declarator;
  for (let depth = 0; current && depth < 64; depth++) {
    if (current.type === 'identifier') return current;
    if (current.type === 'parenthesized_declarator') {
      current = namedChildren(current).find((c) => !isNoise(c)) ?? null;
      continue;
    }
    current = current.childForFieldName('declarator');
  }
  return undefined;
}

/** The names a declaration (or parameter declaration) declares. */
export function declaredNames(declaration: SyntaxNode): SyntaxNode[] {
  return declaration
    .childrenForFieldName('declarator')
    .map((d) => declaratorName(d))
    .filter((n): n is SyntaxNode => n !== undefined);
}

/** `static`, `extern`, ... on a declaration. */
export function storageClasses(declaration: SyntaxNode): string[] {
  return namedChildren(declaration)
    .filter((c) => c.type === 'storage_class_specifier')
    .map((c) => c.text);
}
