// Function definitions read line by line, the way kernel style writes them: the head
// starts at column 0 (its return type and specifiers may sit on the line before), the
// body opens with `{` and closes with `}` at column 0. Works on a hunk's text, where
// the code before and after the hunk is missing and a C parser has little to hold on to.
import { braceDelta, lexLine, newLexState, type CToken } from './cLine';
import { headOfTokens, type DefinitionHead } from './cDefinition';

export interface LineDefinition extends DefinitionHead {
  /** 0-based index of its first line (the specifier line before the name, if any) in the lines given. */
  start: number;
  /** Index of the line that holds the name. */
  nameLine: number;
  /** Index of the last line of the head (the one with the body's `{`, or the last line given). */
  headEnd: number;
  /** Known only from the hunk header's context (diff -p), not from the lines themselves. */
  fromContext: boolean;
}

/** How many lines a definition head may span before its `{`. */
const MAX_HEAD_LINES = 12;
/** How many lines of specifiers/return type before the name line are taken in. */
const MAX_LEAD_LINES = 2;

const LABEL = /^[A-Za-z_]\w*\s*:(?!:)/;

export interface LineDefinitions {
  /** For each line, the definition it belongs to (undefined at file scope or when unknown). */
  at: Array<LineDefinition | undefined>;
  /** The definition still open after the last line. */
  open?: LineDefinition;
}

/**
 * Reads `lines` from the top. `start` is the function the first line is known to be
 * in (from the hunk header's context): the lines stay inside it until they show they
 * are not (a `}` or a declaration at column 0). Lines the patch adds (`added[k]`) do not
 * count as such a sign: authors put debugging statements at column 0.
 */
export function lineDefinitions(lines: readonly string[], start?: LineDefinition, added: readonly boolean[] = []): LineDefinitions {
  const at: Array<LineDefinition | undefined> = new Array(lines.length).fill(undefined);
  let current = start;
  let depth = 0;
  let opened = false;
  const state = newLexState();
  for (let k = 0; k < lines.length; k++) {
    const text = lines[k];
    if (!current || current.fromContext) {
      const def = definitionAt(lines, k);
      if (def) {
        current = def;
        depth = 0;
        opened = false;
        for (let j = def.start; j < k; j++) at[j] = def;
      } else if (current && !added[k] && startsFileScope(text)) {
        if (text.startsWith('}')) at[k] = current;
        current = undefined;
        lexLine(text, state);
        continue;
      }
    }
    at[k] = current;
    const tokens = lexLine(text, state);
    if (current && !current.fromContext) {
      depth += braceDelta(tokens);
      opened ||= tokens.some((t) => t.text === '{');
      if (opened && (depth <= 0 || text.startsWith('}'))) current = undefined;
    }
  }
  return { at, ...(current ? { open: current } : {}) };
}

export function isLabel(text: string): boolean {
  return LABEL.test(text);
}

/** Column 0 shows file scope: a closing `}`, or a declaration (not a label, not a preprocessor line). */
function startsFileScope(text: string): boolean {
  return text.startsWith('}') || (/^[A-Za-z_$]/.test(text) && !isLabel(text));
}

/** The function named by a hunk header's context, when it reads as a definition head. */
export function contextDefinition(context: string): LineDefinition | undefined {
  if (!/^[A-Za-z_$]/.test(context) || isLabel(context)) return undefined;
  const tokens = lexLine(context);
  const brace = tokens.findIndex((t) => t.text === '{');
  const headTokens = brace >= 0 ? tokens.slice(0, brace) : tokens;
  if (headTokens.some((t) => t.text === ';') || headTokens[0]?.text === 'extern') return undefined;
  const head = headOfTokens(headTokens);
  return head && { ...head, start: -1, nameLine: -1, headEnd: -1, fromContext: true };
}

/** A definition whose name line is `lines[k]`, with up to two lines of specifiers before it. */
function definitionAt(lines: readonly string[], k: number): LineDefinition | undefined {
  if (!/^[A-Za-z_$]/.test(lines[k]) || isLabel(lines[k])) return undefined;
  const head: CToken[] = [];
  const state = newLexState();
  let complete = false;
  let headEnd = k;
  for (let j = k; j < lines.length && j < k + MAX_HEAD_LINES; j++) {
    headEnd = j;
    const tokens = lexLine(lines[j], state);
    const stop = tokens.findIndex((t) => t.text === '{' || t.text === ';' || t.text === '}');
    if (stop < 0) {
      head.push(...tokens);
      continue;
    }
    if (tokens[stop].text !== '{') return undefined;
    head.push(...tokens.slice(0, stop));
    complete = true;
    break;
  }
  // The lines may end inside the head: take it when its parameter list is closed.
  if (!complete && head.at(-1)?.text !== ')') return undefined;
  let start = k;
  const lead: CToken[] = [];
  while (start > 0 && k - start < MAX_LEAD_LINES) {
    const tokens = lexLine(lines[start - 1]);
    const onlyTypeWords = /^[A-Za-z_]/.test(lines[start - 1]) && tokens.length > 0 && tokens.every((t) => t.kind === 'ident' || t.text === '*');
    if (!onlyTypeWords) break;
    lead.unshift(...tokens);
    start--;
  }
  const parsed = headOfTokens([...lead, ...head]);
  return parsed && { ...parsed, start, nameLine: k, headEnd, fromContext: false };
}
