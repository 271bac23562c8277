// Reads Makefile text into the statements kbuild's lists are made of, as GNU make's
// reader does (make's read.c eval()): a backslash-newline joins two lines into one with a
// single space, '#' starts a comment (`\#` is a literal '#'), lines starting with a TAB
// after a rule are its recipe, `define ... endef` bodies are not makefile text.
// `include` (another makefile read in its place) and `export` (the variables a sub-make such as
// scripts/Makefile.build sees) are kept; rules, recipes and other directives carry no kbuild
// list and are dropped.

export type AssignOp = '=' | ':=' | '::=' | ':::=' | '+=' | '?=' | '!=';
export type CondDirective = 'ifdef' | 'ifndef' | 'ifeq' | 'ifneq';

export interface Condition {
  directive: CondDirective;
  /** What follows the directive, e.g. `($(CONFIG_BLOCK),y)` or `CONFIG_X`. */
  args: string;
}

/** `line` is the 0-based line of the first physical line of the statement. */
export type Statement =
  | { kind: 'assign'; line: number; name: string; op: AssignOp; value: string; exported?: true }
  | { kind: 'if'; line: number; cond: Condition; text: string }
  | { kind: 'else'; line: number; cond?: Condition; text: string }
  | { kind: 'endif'; line: number }
  /** `include`, `-include`/`sinclude` (optional: a missing file is no error): the file names, unexpanded. */
  | { kind: 'include'; line: number; files: string; optional: boolean }
  /** `export A B` (names, unexpanded); `export A := v` is an assignment with `exported`. */
  | { kind: 'export'; line: number; names: string };

type Assignment = Extract<Statement, { kind: 'assign' }>;

interface LogicalLine {
  line: number;
  text: string;
  startsWithTab: boolean;
}

const COND = /^(ifdef|ifndef|ifeq|ifneq)(?=[\s(]|$)\s*(.*)$/;
const ASSIGN_PREFIX = /^(?:(?:export|override|private)\s+)+/;

export function parseMakefile(text: string): Statement[] {
  const statements: Statement[] = [];
  let inRule = false;
  let defineDepth = 0;
  for (const logical of logicalLines(text)) {
    const body = stripComment(logical.text).trim();
    if (defineDepth > 0) {
      if (/^define(\s|$)/.test(body)) defineDepth++;
      else if (/^endef(\s|$)/.test(body)) defineDepth--;
      continue;
    }
    if (body === '') continue;
    const directive = conditionalOf(body, logical.line);
    if (directive) {
      statements.push(directive);
      continue;
    }
    // A TAB line inside a rule is recipe text, for the shell, not for make.
    if (logical.startsWithTab && inRule) continue;
    if (/^(?:(?:export|override)\s+)*define(\s|$)/.test(body)) {
      defineDepth = 1;
      continue;
    }
    const other = includeOrExport(body, logical.line);
    if (other !== undefined || /^(vpath|unexport)(\s|$)/.test(body)) {
      inRule = false;
      if (other) statements.push(other);
      continue;
    }
    const assignment = assignmentOf(body.replace(ASSIGN_PREFIX, ''), logical.line);
    inRule = assignment === 'rule';
    if (assignment && assignment !== 'rule') statements.push(/^export\s/.test(body) ? { ...assignment, exported: true } : assignment);
  }
  return statements;
}

/** make's read.c: `include`/`-include`/`sinclude` lines, and `export` of names without an assignment; null for one of them that names nothing, undefined for another line. */
function includeOrExport(body: string, line: number): Statement | null | undefined {
  const include = /^(-include|sinclude|include)(?:\s+(.*))?$/.exec(body);
  if (include) return include[2] ? { kind: 'include', line, files: include[2].trim(), optional: include[1] !== 'include' } : null;
  const exported = /^export(?:\s+(.*))?$/.exec(body);
  if (exported && assignmentOf(body, line) === undefined) return exported[1] ? { kind: 'export', line, names: exported[1].trim() } : null;
  return undefined;
}

function logicalLines(text: string): LogicalLine[] {
  const physical = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const out: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    const pieces: string[] = [];
    let current = physical[i];
    while (endsWithContinuation(current)) {
      pieces.push(current.slice(0, -1).trimEnd());
      if (i + 1 >= physical.length) {
        current = '';
        break;
      }
      current = physical[++i].trimStart();
    }
    pieces.push(current);
    out.push({ line: start, text: pieces.join(' '), startsWithTab: physical[start].startsWith('\t') });
  }
  return out;
}

/** An odd number of trailing backslashes escapes the newline. */
function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function stripComment(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '#') {
      out += '#';
      i++;
    } else if (c === '#') {
      break;
    } else {
      out += c;
    }
  }
  return out;
}

function conditionalOf(body: string, line: number): Statement | undefined {
  if (body === 'endif' || /^endif\s/.test(body)) return { kind: 'endif', line };
  if (body === 'else' || /^else\s/.test(body)) {
    const rest = body.slice(4).trim();
    const m = COND.exec(rest);
    return m ? { kind: 'else', line, cond: { directive: m[1] as CondDirective, args: m[2].trim() }, text: body } : { kind: 'else', line, text: body };
  }
  const m = COND.exec(body);
  return m ? { kind: 'if', line, cond: { directive: m[1] as CondDirective, args: m[2].trim() }, text: body } : undefined;
}

/**
 * An assignment is `NAME op value` where op is the first top-level '=' or ':=' family
 * operator; a first top-level ':' that is not part of one makes the line a rule
 * (make's read.c: parse_var_assignment() is tried before a rule is recognised).
 */
function assignmentOf(body: string, line: number): Assignment | 'rule' | undefined {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '$' && (body[i + 1] === '(' || body[i + 1] === '{')) {
      depth++;
      i++;
      continue;
    }
    if (depth > 0) {
      if (c === '(' || c === '{') depth++;
      else if (c === ')' || c === '}') depth--;
      continue;
    }
    if (c === ':') {
      const op = [':::=', '::=', ':='].find((o) => body.startsWith(o, i)) as AssignOp | undefined;
      if (!op) return 'rule';
      return assign(body, i, op, line);
    }
    if (c === '=') {
      const prev = body[i - 1];
      if (i > 0 && (prev === '+' || prev === '?' || prev === '!')) return assign(body, i - 1, `${prev}=` as AssignOp, line);
      return assign(body, i, '=', line);
    }
  }
  return undefined;
}

function assign(body: string, at: number, op: AssignOp, line: number): Assignment | undefined {
  const name = body.slice(0, at).trim();
  if (name === '') return undefined;
  return { kind: 'assign', line, name, op, value: body.slice(at + op.length).trim() };
}
