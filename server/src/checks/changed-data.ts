// A patch diff that changes the definition of a global or static variable that exists already.
//
// The build tools patch functions, never data that the running kernel already holds: kpatch-build
// refuses a changed data section (create-diff-object.c kpatch_verify_patchability(): "changed
// section ... not selected for inclusion", "data section ... selected for inclusion", "unsupported
// section change(s)"), and klp-build refuses "changed data" (tools/objtool/klp-diff.c). A new
// variable is new data, which both accept.
import type { Memo } from '../common/memo';
import { problem, type Problem } from '../common/problem';
import { lexLine, type CToken } from '../syntax/cLine';
import type { DiffLine, ParsedHunk } from '../syntax/diffTypes';
import { lineLocation, sideLines } from '../syntax/hunkLines';
import { refusesThePatch, type StaticCheck } from './check';
import { problemsPerFileGroup } from './diffFileResults';
import type { FileGroup } from './diffFunctions';

export interface ChangedDataData {
  variable: string;
}

export const check: StaticCheck<ChangedDataData> = {
  id: 'changed-data',
  severity: 'error',
  title: 'The patch diff changes the definition of an existing global or static variable',
  doc:
    'A livepatch replaces functions; the variables the running kernel holds keep their values. A patch ' +
    'that changes the initializer of an existing global or static variable (a value, a table entry, a ' +
    'member of a `struct file_operations`) is refused: kpatch-build stops with "unsupported section ' +
    'change(s)" (a changed `.data`/`.rodata` section it cannot include), klp-build with "changed data". ' +
    'Change the code that reads the variable instead, keep new state in a shadow variable ' +
    '(klp_shadow_alloc(), kernel/livepatch/shadow.c), or set the value from a callback (pre_patch / ' +
    'post_patch). A new variable is fine. Read in kernel style: definitions start at column 0.',
  run(ctx) {
    return problemsPerFileGroup(ctx, check.id, (g) => problemsOf(ctx.memo, g));
  },
  // kpatch-build and klp-build make no module of the patch.
  verdict: refusesThePatch,
};

function problemsOf(memo: Memo, { lp, files }: FileGroup): Problem<ChangedDataData>[] {
  return files.flatMap((file) =>
    file.hunks.flatMap((hunk) =>
      changedVariables(memo, hunk).map(({ name, line, token }) =>
        problem(
          check.id,
          check.severity,
          lineLocation(lp.file, line, token),
          `the patch changes the definition of \`${name}\`, a variable the running kernel already holds: a livepatch ` +
            'replaces functions, not data, so kpatch-build refuses it ("unsupported section change") and klp-build too ' +
            '("changed data"); change the code that uses it, or use a shadow variable or a callback',
          { data: { variable: name } },
        ),
      ),
    ),
  );
}

interface Touch {
  name: string;
  /** The changed line, and the variable's name on it when it is the definition's first line. */
  line: DiffLine;
  token?: CToken;
}

/**
 * The variables whose existing definition the hunk changes, at the first changed line of each:
 * a line removed from a definition that the new side still has, or a line added to a
 * definition whose first line is unchanged context.
 */
function changedVariables(memo: Memo, hunk: ParsedHunk): Touch[] {
  const old = sideTouches(memo, hunk, 'old');
  const now = sideTouches(memo, hunk, 'new');
  const stillDefined = (name: string) => now.existing.has(name) || now.touched.some((t) => t.name === name);
  const changed = [...old.touched.filter((t) => stillDefined(t.name)), ...now.touched.filter((t) => old.existing.has(t.name))];
  const first = new Map<string, Touch>();
  for (const t of changed.sort((a, b) => a.line.patchLine - b.line.patchLine)) if (!first.has(t.name)) first.set(t.name, t);
  return [...first.values()];
}

interface SideTouches {
  /** Changed lines inside a variable's definition. */
  touched: Touch[];
  /** Variables whose definition starts on a context line (or before the hunk). */
  existing: Set<string>;
}

/** One side of the hunk: the changed lines (removed for 'old', added for 'new') within a variable's definition. */
function sideTouches(memo: Memo, hunk: ParsedHunk, side: 'old' | 'new'): SideTouches {
  const changed: DiffLine['kind'] = side === 'old' ? 'remove' : 'add';
  const touched: Touch[] = [];
  const existing = new Set<string>();
  // diff -p names the last line at column 0 before the hunk: the head of an initializer the hunk starts in.
  const fromContext = definitionHead(lexLine(hunk.context));
  let current = fromContext?.opens ? { name: fromContext.name, depth: undefined as number | undefined } : undefined;
  if (current) existing.add(current.name);
  for (const { line, tokens, preprocessor } of sideLines(memo, hunk, side)) {
    if (preprocessor || tokens.length === 0) continue;
    const atColumn0 = /^[A-Za-z_}]/.test(line.text);
    if (current && current.depth === undefined && atColumn0 && !line.text.startsWith('}')) current = undefined; // it ended before the hunk
    if (!current && atColumn0) {
      const head = definitionHead(tokens);
      if (head) {
        if (line.kind === changed) touched.push({ name: head.name, line, token: head.token });
        else existing.add(head.name);
        if (head.opens) current = { name: head.name, depth: braces(tokens) };
        continue;
      }
    }
    if (!current) continue;
    if (line.kind === changed) touched.push({ name: current.name, line });
    if (current.depth !== undefined) current.depth += braces(tokens);
    if (line.text.startsWith('}') || (current.depth !== undefined && current.depth <= 0)) current = undefined;
  }
  return { touched, existing };
}

const NOT_A_DEFINITION = /^(typedef|extern|return|goto|case|default)$/;

/**
 * A variable definition's first line at file scope: `[static] type name[...] [__attr] = value;`
 * or `... = {` (an initializer that goes on). Not a function (a `(` before the `=`), a type or an
 * extern declaration.
 */
function definitionHead(tokens: readonly CToken[]): { name: string; token: CToken; opens: boolean } | undefined {
  const eq = tokens.findIndex((t) => t.text === '=');
  if (eq <= 0 || NOT_A_DEFINITION.test(tokens[0].text)) return undefined;
  if (tokens.slice(0, eq).some((t) => t.text === '(' || t.text === ')' || t.text === '{')) return undefined;
  let end = eq;
  // `name[N]`, `name[]`: the name is before the brackets; `__read_mostly`-like annotations after it.
  while (end > 0 && (tokens[end - 1].text === ']' || /^__\w+$/.test(tokens[end - 1].text))) {
    if (tokens[end - 1].text === ']') while (end > 0 && tokens[end - 1].text !== '[') end--;
    end--;
  }
  const token = tokens[end - 1];
  if (!token || token.kind !== 'ident' || end - 1 === 0) return undefined;
  return { name: token.text, token, opens: tokens.at(-1)?.text !== ';' };
}

function braces(tokens: readonly CToken[]): number {
  return tokens.reduce((d, t) => d + (t.text === '{' ? 1 : t.text === '}' ? -1 : 0), 0);
}
