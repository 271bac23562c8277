// The pieces a makefile's text expands to, and reading make's syntax in them: words, a
// function's arguments, the two sides of ifeq (GNU make's expand.c and function.c as
// makefileEval.ts uses them).

/** Text (with the doubt it carries), or a reference klp-lens does not evaluate (and the CONFIG_ option it reads, if any). */
export type Part = { text: string; doubt?: string } | { unknown: string; config?: string };

// Wildcards kept in one pattern word; more would make matching it slow (backtracking).
const MAX_WILDCARDS = 3;

export function short(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Appends `more` to `parts`, joining text that shares its doubt (no spread: `more` may be long). */
export function append(parts: Part[], more: Part[]): void {
  for (const p of more) {
    const last = parts[parts.length - 1];
    if (last && 'text' in last && 'text' in p && last.doubt === p.doubt) parts[parts.length - 1] = { text: last.text + p.text, doubt: p.doubt };
    else parts.push(p);
  }
}

export function firstUnknown(parts: Part[]): Extract<Part, { unknown: string }> | undefined {
  return parts.find((p): p is Extract<Part, { unknown: string }> => 'unknown' in p);
}

export function firstDoubt(parts: Part[]): string | undefined {
  for (const p of parts) if ('text' in p && p.doubt) return p.doubt;
  return undefined;
}

export function joinText(parts: Part[]): string {
  return parts.map((p) => ('text' in p ? p.text : '')).join('');
}

/** Every name a name with unknown CONFIG_ values could evaluate to (y, m or unset). */
export function nameCandidates(parts: Part[]): string[] {
  let names = [''];
  for (const p of parts) {
    const values = 'text' in p ? [p.text] : ['y', 'm', ''];
    names = names.flatMap((n) => values.map((v) => n + v));
  }
  return [...new Set(names.map((n) => n.trim()))].filter(Boolean);
}

export interface SplitWord {
  text: string;
  doubt?: string;
  unknown?: Extract<Part, { unknown: string }>;
  pattern?: RegExp;
}

export function splitWords(parts: Part[]): SplitWord[] {
  const words: SplitWord[] = [];
  let text = '';
  let regex: string[] = [];
  let doubt: string | undefined;
  let unknown: Extract<Part, { unknown: string }> | undefined;
  const end = () => {
    if (text) words.push({ text, doubt, unknown, pattern: unknown ? wordPattern(regex) : undefined });
    text = '';
    regex = [];
    doubt = unknown = undefined;
  };
  for (const p of parts) {
    if ('unknown' in p) {
      text += p.unknown;
      if (regex[regex.length - 1] !== '.*') regex.push('.*');
      unknown ??= p;
      continue;
    }
    const pieces = p.text.split(/[ \t\n]+/);
    pieces.forEach((piece, index) => {
      if (index > 0) end();
      if (piece) {
        text += piece;
        regex.push(piece.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
        doubt ??= p.doubt;
      }
    });
  }
  end();
  return words;
}

/** The words a word with unevaluated parts could be: its literal pieces with anything between. */
function wordPattern(pieces: string[]): RegExp {
  const wildcards = pieces.filter((p) => p === '.*').length;
  if (wildcards <= MAX_WILDCARDS) return new RegExp(`^${pieces.join('')}$`);
  const first = pieces.indexOf('.*');
  return new RegExp(`^${pieces.slice(0, first).join('')}.*$`);
}

/** Index of the ')' or '}' closing the '(' or '{' at `open`, counting nested pairs. */
export function matchingClose(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The first `count - 1` top-level commas separate the arguments of a make function. */
export function splitArgs(text: string, count: number): string[] | undefined {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length && args.length < count - 1; i++) {
    const c = text[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  args.push(text.slice(start));
  return args.length === count ? args : undefined;
}

/** `(a,b)`, `"a" "b"`, `'a' 'b'` (and mixed quotes): the two sides of ifeq/ifneq. */
export function comparedArgs(args: string): [string, string] | undefined {
  if (args.startsWith('(')) {
    const close = matchingClose(args, 0);
    if (close < 0) return undefined;
    const inner = splitArgs(args.slice(1, close), 2);
    return inner ? [inner[0], inner[1]] : undefined;
  }
  const first = quoted(args, 0);
  if (!first) return undefined;
  const gap = args.slice(first.end).search(/\S/);
  const second = gap > 0 ? quoted(args, first.end + gap) : undefined;
  if (!second || args.slice(second.end).trim() !== '') return undefined;
  return [first.text, second.text];
}

/** The string quoted by '"' or "'" at `start`, and the index after its closing quote. */
function quoted(text: string, start: number): { text: string; end: number } | undefined {
  const q = text[start];
  if (q !== '"' && q !== "'") return undefined;
  const close = text.indexOf(q, start + 1);
  return close < 0 ? undefined : { text: text.slice(start + 1, close), end: close + 1 };
}
