// Who calls whom in one C source file: for each function the file defines, the names it
// calls (`name(` in its body, read with the C lexer). What a changed function that GCC
// inlined everywhere turns into: kpatch-build and klp-build compare the compiled objects,
// so the callers it was inlined into are the changed functions (build-truth.md).
import { lexLine, newLexState } from './cLine';
import { sourceFunctions } from './sourceFunctions';
import type { CParser } from './treeSitter';

export interface CallGraph {
  /** The functions of the file that call `name`, in file order. */
  callersOf(name: string): readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

/** The call graph of `text`; undefined when the parser fails. */
export function callGraph(parser: CParser, text: string): CallGraph | undefined {
  const definitions = sourceFunctions(parser, text);
  if (!definitions) return undefined;
  const lines = text.split('\n');
  const callers = new Map<string, string[]>();
  // A macro that calls a function passes the call on to the functions that use the macro.
  for (const def of [...definitions, ...macroDefinitions(lines)]) {
    const state = newLexState();
    for (let i = def.startLine; i <= def.endLine && i < lines.length; i++) {
      const tokens = lexLine(lines[i], state);
      tokens.forEach((t, k) => {
        if (t.kind !== 'ident' || t.text === def.name || tokens[k + 1]?.text !== '(') return;
        const list = callers.get(t.text);
        if (!list) callers.set(t.text, [def.name]);
        else if (list[list.length - 1] !== def.name && !list.includes(def.name)) list.push(def.name);
      });
    }
  }
  return { callersOf: (name) => callers.get(name) ?? NONE };
}

/** `#define NAME...` and its continuation lines, as definitions named NAME. */
function macroDefinitions(lines: readonly string[]): { name: string; startLine: number; endLine: number }[] {
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*#\s*define\s+(\w+)/.exec(lines[i]);
    if (!m) continue;
    let end = i;
    while (end + 1 < lines.length && lines[end].trimEnd().endsWith('\\')) end++;
    out.push({ name: m[1], startLine: i, endLine: end });
    i = end;
  }
  return out;
}
