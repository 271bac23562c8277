// Kernel macros (MODULE_INFO, EXPORT_SYMBOL, KLP_RELOC_SYMBOL, ...) read from the text after
// their name. tree-sitter finds the name (so never in a comment, a string or a #define body),
// but gives such macros shapes that depend on what surrounds them (a call, a declarator, ERROR),
// so their arguments are read from the text, which does not change.
import { walk } from './cNodes';
import type { SyntaxNode } from './treeSitter';

export interface MacroArgument {
  text: string;
  start: number;
  end: number;
}

export interface MacroCall {
  name: string;
  /** The macro's name in the tree. */
  node: SyntaxNode;
  /** Offset of the macro's name. */
  start: number;
  /** Offset just after the closing parenthesis, and after a `;` that follows it directly. */
  end: number;
  args: MacroArgument[];
}

/** The macros read here take a few names; their arguments never come near this length. */
const MAX_ARGUMENTS_LENGTH = 1024;

/** Uses of the macros named `names` (identifiers in the tree followed by an argument list). */
export function findMacroCalls(root: SyntaxNode, text: string, names: (name: string) => boolean): MacroCall[] {
  const calls: MacroCall[] = [];
  walk(root, new Set(['identifier', 'type_identifier']), (node, parentType) => {
    // A name under a preprocessor node is a #define's own name or an #if condition, not a use.
    if (names(node.text) && !parentType?.startsWith('preproc_')) {
      const call = readArguments(text, node.startIndex, node.endIndex);
      if (call) calls.push({ name: node.text, node, ...call });
    }
  });
  return calls;
}

function readArguments(text: string, start: number, nameEnd: number): Omit<MacroCall, 'name' | 'node'> | undefined {
  let i = nameEnd;
  while (i < text.length && /\s|\\/.test(text[i])) i++;
  if (text[i] !== '(') return undefined;
  const args: MacroArgument[] = [];
  let depth = 0;
  let argStart = i + 1;
  const limit = Math.min(text.length, i + MAX_ARGUMENTS_LENGTH);
  for (let j = i; j < limit; j++) {
    const c = text[j];
    if (c === '"' || c === "'") {
      j = skipQuoted(text, j, limit);
      continue;
    }
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        args.push(argument(text, argStart, j));
        let end = j + 1;
        while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
        end = text[end] === ';' ? end + 1 : j + 1;
        return { start, end, args: args.length === 1 && args[0].text === '' ? [] : args };
      }
    } else if (c === ',' && depth === 1) {
      args.push(argument(text, argStart, j));
      argStart = j + 1;
    }
  }
  return undefined;
}

function skipQuoted(text: string, open: number, limit: number): number {
  for (let j = open + 1; j < limit; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === text[open] || text[j] === '\n') return j;
  }
  return limit;
}

function argument(text: string, start: number, end: number): MacroArgument {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  return { text: trimmed.replace(/\\\n/g, ' ').replace(/\s+/g, ' '), start: start + lead, end: start + lead + trimmed.length };
}
