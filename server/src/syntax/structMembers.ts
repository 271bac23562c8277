// Members added to or removed from the struct and union definitions a hunk shows,
// read line by line in kernel style: `struct name {` at column 0 (or the hunk header's
// context, which diff -p takes from such a line) up to the `}` that closes it.
import type { Memo } from '../common/memo';
import type { CToken } from './cLine';
import type { DiffLine, ParsedHunk } from './diffTypes';
import { sideLines, type TokenizedLine } from './hunkLines';

export interface MemberChange {
  /** `struct name` or `union name` (`struct <anonymous>` for a typedef'd anonymous one). */
  struct: string;
  kind: 'add' | 'remove';
  /** The member's name, when one can be read. */
  member?: string;
  /** The member's declaration, tokens joined by blanks (comments and spacing dropped). */
  text: string;
  line: DiffLine;
  token?: CToken;
}

const HEAD = /^(typedef\s+)?(struct|union)\b/;

/**
 * Member lines the hunk adds or removes inside struct/union definitions that existed before
 * the patch and still exist (`memo`: see hunkLines.ts sideLines).
 */
export function structMemberChanges(memo: Memo, hunk: ParsedHunk): MemberChange[] {
  return [...sideChanges(memo, hunk, 'old'), ...sideChanges(memo, hunk, 'new')].sort((a, b) => a.line.patchLine - b.line.patchLine);
}

function sideChanges(memo: Memo, hunk: ParsedHunk, side: 'old' | 'new'): MemberChange[] {
  const changed: DiffLine['kind'] = side === 'old' ? 'remove' : 'add';
  const out: MemberChange[] = [];
  let current = contextStruct(hunk.context);
  let depth = 0;
  for (const tl of sideLines(memo, hunk, side)) {
    const { line, tokens } = tl;
    if (!current) {
      const head = structHead(tl);
      if (head) {
        // A struct the patch adds or deletes whole is no layout change of existing data.
        current = { name: head, own: line.kind === changed, counted: true };
        depth = braceCount(tokens);
      }
      continue;
    }
    const closes = line.text.startsWith('}');
    if (!current.counted && !closes && line.kind === 'context' && /^[A-Za-z_]/.test(line.text)) {
      current = undefined; // a declaration at column 0: the context's struct had ended before the hunk
      continue;
    }
    if (current.counted) depth += braceCount(tokens);
    const ends = closes || (current.counted && depth <= 0);
    if (!ends && line.kind === changed && !current.own && !tl.preprocessor && tokens.length > 0) {
      const member = memberName(tokens);
      out.push({
        struct: current.name,
        kind: line.kind,
        text: tokens.map((t) => t.text).join(' '),
        line,
        ...(member ? { member: member.text, token: member } : {}),
      });
    }
    if (ends) current = undefined;
  }
  return out;
}

/** `struct name {` from the hunk header's context: the hunk starts inside it (depth not known). */
function contextStruct(context: string): { name: string; own: boolean; counted: boolean } | undefined {
  const m = /^(typedef\s+)?(struct|union)\s+(\w+)?[^=;()]*\{\s*$/.exec(context);
  return m ? { name: `${m[2]} ${m[3] ?? '<anonymous>'}`, own: false, counted: false } : undefined;
}

/** A struct/union definition head at column 0: `struct x {`, `typedef struct {`, `union y` (with `{` to come). */
function structHead({ line, tokens, preprocessor }: TokenizedLine): string | undefined {
  if (preprocessor || !HEAD.test(line.text)) return undefined;
  const words = tokens.map((t) => t.text);
  if (words.includes('=') || words.includes('(') || words.includes(';')) return undefined;
  const at = words.findIndex((w) => w === 'struct' || w === 'union');
  const name = tokens[at + 1]?.kind === 'ident' ? tokens[at + 1].text : '<anonymous>';
  const opens = words.includes('{');
  // `struct foo` alone on a line: a definition only when `{` follows on its own line; the
  // caller sees the `{` line next and counts it.
  return opens || words.length === at + 2 ? `${words[at]} ${name}` : undefined;
}

function braceCount(tokens: readonly CToken[]): number {
  return tokens.reduce((d, t) => d + (t.text === '{' ? 1 : t.text === '}' ? -1 : 0), 0);
}

/** Annotations written after a member's name (`____cacheline_aligned`, `__packed`, `__randomize_layout`). */
const TRAILING_ANNOTATION = /^_{2,}\w*(aligned|packed|layout)\w*$/;

/**
 * The declared name of a member line: the pointer's name in `int (*fn)(...)`, the first
 * argument of a declaring macro (`DECLARE_BITMAP(name, n)`), else the last identifier
 * before `;`, `,`, `[` or a bitfield's `:` (annotations and `__aligned(8)`-like macros skipped).
 */
function memberName(tokens: readonly CToken[]): CToken | undefined {
  const pointer = tokens.findIndex((t, i) => t.text === '(' && tokens[i + 1]?.text === '*');
  if (pointer >= 0) return tokens.slice(pointer + 2).find((t) => t.kind === 'ident');
  if (/^[A-Z][A-Z0-9_]*$/.test(tokens[0].text) && tokens[1]?.text === '(' && tokens[2]?.kind === 'ident') return tokens[2];
  let last: CToken | undefined;
  let depth = 0;
  for (const [i, t] of tokens.entries()) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && [';', ',', '[', ':', '='].includes(t.text)) return last;
    else if (depth === 0 && t.kind === 'ident' && tokens[i + 1]?.text !== '(' && !TRAILING_ANNOTATION.test(t.text)) last = t;
  }
  return last;
}
