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
  /** The functions (and macros) of the file that access a member of that name (`->name`, `.name`), in file order. */
  accessorsOf(member: string): readonly string[];
  /** The members of `struct tag` as the file defines it (`struct tag {` at column 0), with their 1-based lines. */
  membersOf(tag: string): readonly StructMember[];
  /** The functions the file defines, in file order, with their first 1-based line. */
  readonly definitions: readonly { name: string; line: number }[];
  /**
   * The names a function named through a macro gets (`FNAME(walk_addr)` → `paging64_walk_addr`,
   * `paging32_walk_addr`, `ept_walk_addr`: each `#define FNAME(name) paging##64_##name` of the
   * file); the name itself for any other.
   */
  expansionsOf(name: string): readonly string[];
}

export interface StructMember {
  name: string;
  line: number;
}

const NONE: readonly string[] = Object.freeze([]);

/** The call graph of `text`; undefined when the parser fails. */
export function callGraph(parser: CParser, text: string): CallGraph | undefined {
  const definitions = sourceFunctions(parser, text);
  if (!definitions) return undefined;
  const lines = text.split('\n');
  const callers = new Map<string, string[]>();
  const accessors = new Map<string, string[]>();
  const note = (index: Map<string, string[]>, key: string, name: string) => {
    const list = index.get(key);
    if (!list) index.set(key, [name]);
    else if (!list.includes(name)) list.push(name);
  };
  // A macro that calls a function passes the call on to the functions that use the macro.
  for (const def of [...definitions, ...macroDefinitions(lines)]) {
    const state = newLexState();
    for (let i = def.startLine; i <= def.endLine && i < lines.length; i++) {
      const tokens = lexLine(lines[i], state);
      tokens.forEach((t, k) => {
        if (t.kind !== 'ident' || t.text === def.name) return;
        // A call of a function named through a macro: `FNAME(walk_addr)(...)`.
        if (tokens[k + 1]?.text === '(' && tokens[k + 2]?.kind === 'ident' && tokens[k + 3]?.text === ')' && tokens[k + 4]?.text === '(') {
          const callee = `${t.text}(${tokens[k + 2].text})`;
          if (callee !== def.name) note(callers, callee, def.name);
        } else if (tokens[k + 1]?.text === '(') note(callers, t.text, def.name);
        const before = tokens[k - 1]?.text;
        if (before === '->' || before === '.') note(accessors, t.text, def.name);
      });
    }
  }
  // A macro that defines functions by pasting tokens (`#define ATTR(name) ... name##_show(...) {`)
  // defines them where the file invokes it: they are the macro's callers.
  for (const { macro, name } of pastedDefinitions(lines)) note(callers, macro, name);
  return {
    callersOf: (name) => callers.get(name) ?? NONE,
    accessorsOf: (member) => accessors.get(member) ?? NONE,
    membersOf: (tag) => structMembers(lines, tag),
    definitions: definitions.map((d) => ({ name: d.name, line: d.startLine + 1 })),
    expansionsOf: (name) => expansions(lines, name),
  };
}

/** The members of the kernel-style definition `struct tag {` ... `};` (both at column 0): each line's declared name. */
function structMembers(lines: readonly string[], tag: string): StructMember[] {
  const head = new RegExp(`^struct\\s+${tag}\\s*\\{`);
  const start = lines.findIndex((l) => head.test(l));
  if (start < 0) return [];
  const members: StructMember[] = [];
  const state = newLexState();
  for (let i = start + 1; i < lines.length && !/^\}/.test(lines[i]); i++) {
    const tokens = lexLine(lines[i], state).map((t) => t.text);
    const name = declaredName(tokens);
    if (name) members.push({ name, line: i + 1 });
  }
  return members;
}

/** The name a member declaration line declares: `int (*fn)(...)`'s fn, else the last name before `[`, `:`, `=` or `;`. */
function declaredName(tokens: readonly string[]): string | undefined {
  const pointer = tokens.findIndex((t, i) => t === '(' && tokens[i + 1] === '*' && tokens[i + 3] === ')');
  if (pointer >= 0) return tokens[pointer + 2];
  const end = tokens.findIndex((t) => t === '[' || t === ':' || t === '=' || t === ';');
  if (end <= 0) return undefined;
  const name = tokens[end - 1];
  return /^[A-Za-z_]\w*$/.test(name) ? name : undefined;
}

/**
 * The functions a token-pasting macro defines at each of its file-scope invocations: for
 * `#define ATTR(name) static ssize_t name##_show(...)` and a line `ATTR(idles);`, `idles_show`.
 */
function pastedDefinitions(lines: readonly string[]): { macro: string; name: string }[] {
  const out: { macro: string; name: string }[] = [];
  for (const def of macroDefinitions(lines)) {
    const text = lines.slice(def.startLine, def.endLine + 1).join(' ').replace(/\\\s/g, ' ');
    const params = /^\s*#\s*define\s+\w+\(([^)]*)\)/.exec(text)?.[1].split(',').map((p) => p.trim());
    if (!params) continue;
    const templates = [...text.matchAll(/(\w+(?:\s*##\s*\w+)+)\s*\(/g)].map((m) => m[1].split(/\s*##\s*/));
    if (templates.length === 0) continue;
    const invocation = new RegExp(`^${def.name}\\s*\\(([^)]*)\\)`);
    for (const line of lines) {
      const args = invocation.exec(line)?.[1].split(',').map((a) => a.trim());
      if (!args) continue;
      for (const parts of templates) {
        const name = parts.map((p) => (params.includes(p) ? (args[params.indexOf(p)] ?? p) : p)).join('');
        if (/^[A-Za-z_]\w*$/.test(name)) out.push({ macro: def.name, name });
      }
    }
  }
  return out;
}

/** The names `M(arg)` gets from the file's `#define M(p) a##b##p` (one per definition, as #if branches give them). */
function expansions(lines: readonly string[], name: string): readonly string[] {
  const call = /^(\w+)\((\w+)\)$/.exec(name);
  if (!call) return [name];
  const define = new RegExp(`^\\s*#\\s*define\\s+${call[1]}\\((\\w+)\\)\\s+(\\w+(?:\\s*##\\s*\\w+)+)\\s*$`);
  const found = new Set<string>();
  for (const line of lines) {
    const m = define.exec(line);
    if (m) found.add(m[2].split(/\s*##\s*/).map((part) => (part === m[1] ? call[2] : part)).join(''));
  }
  return found.size > 0 ? [...found] : [name];
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
