// String constants as livepatch modules write names: "x", "a" "b", a #define of a string,
// and __stringify(sym) (include/linux/stringify.h: the argument, macro-expanded, as text).
import { defineText } from './cConstants';
import type { MacroTable } from './cMacros';
import { calleeName, callArguments, namedChildren, stringLiteralValue, unescapeC } from './cNodes';
import type { SyntaxNode } from './treeSitter';

/** Parentheses deeper than this are no name a module writes. */
const MAX_NESTING = 32;

/** The string a node stands for, or undefined when it cannot be known from this file. */
export function stringConstant(node: SyntaxNode, macros: MacroTable, depth = 0): string | undefined {
  if (depth > MAX_NESTING) return undefined;
  switch (node.type) {
    case 'string_literal':
      return stringLiteralValue(node);
    case 'parenthesized_expression': {
      const inner = namedChildren(node);
      return inner.length === 1 ? stringConstant(inner[0], macros, depth + 1) : undefined;
    }
    case 'concatenated_string':
      return joined(namedChildren(node), macros, depth);
    case 'initializer_pair': {
      // A pair tree-sitter could not parse whole (cInitializers.ts structFields()): what follows
      // its `=`, read as adjacent pieces that the preprocessor makes one literal
      // (`.old_name = __stringify(FN_PREFIX) "sys_getpid"` parses as ERROR(call) string_literal).
      const children = node.children.filter((c): c is SyntaxNode => c !== null);
      const equals = children.findIndex((c) => c.type === '=');
      if (equals < 0) return undefined;
      const pieces = children.slice(equals + 1).flatMap((c) => (c.type === 'ERROR' ? namedChildren(c) : c.isNamed ? [c] : []));
      return pieces.length ? joined(pieces, macros, depth) : undefined;
    }
    case 'identifier':
      return stringDefine(node.text, macros);
    case 'call_expression':
      return calleeName(node) === '__stringify' ? stringified(node, macros) : undefined;
    default:
      return undefined;
  }
}

function joined(parts: readonly SyntaxNode[], macros: MacroTable, depth: number): string | undefined {
  const values = parts.map((part) => stringConstant(part, macros, depth + 1));
  return values.every((v) => v !== undefined) ? values.join('') : undefined;
}

function stringDefine(name: string, macros: MacroTable): string | undefined {
  const text = defineText(macros.objectLike, name);
  const m = text !== undefined ? /^"((?:[^"\\]|\\.)*)"$/.exec(text) : null;
  return m ? unescapeC(m[1]) : undefined;
}

function stringified(call: SyntaxNode, macros: MacroTable): string | undefined {
  const args = callArguments(call);
  if (args.length !== 1 || args[0].type !== 'identifier') return undefined;
  const name = args[0].text;
  if (macros.functionLike.has(name)) return undefined;
  if (!macros.objectLike.has(name)) return name;
  const expansion = defineText(macros.objectLike, name);
  // One level of expansion of a plain token is enough for what modules write (e.g. FN_PREFIX).
  return expansion !== undefined && /^\w*$/.test(expansion) ? expansion : undefined;
}
