// String constants as livepatch modules write names: "x", "a" "b", a #define of a string,
// and __stringify(sym) (include/linux/stringify.h: the argument, macro-expanded, as text).
import { defineText, type MacroTable } from './cConstants';
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
    case 'concatenated_string': {
      const parts = namedChildren(node).map((part) => stringConstant(part, macros, depth + 1));
      return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
    }
    case 'identifier':
      return stringDefine(node.text, macros);
    case 'call_expression':
      return calleeName(node) === '__stringify' ? stringified(node, macros) : undefined;
    default:
      return undefined;
  }
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
