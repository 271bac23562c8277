// Whether the two sides of a hunk hold the same code for the compiler: the same C tokens and
// literals (comments and white space aside), and, for the prediction of what GCC changes, the
// same once the annotations that compile to nothing are read away.
import type { Memo } from '../common/memo';
import type { CToken } from './cLine';
import type { ParsedHunk } from './diffTypes';
import { sideLines, sideLinesWithLiterals } from './hunkLines';

/** The two sides hold the same C tokens and literals. */
export function sameCode(memo: Memo, hunk: ParsedHunk, normalize: (texts: string[]) => string[] = (t) => t): boolean {
  const texts = (lines: readonly { tokens: readonly CToken[] }[]) => normalize(lines.flatMap((l) => l.tokens.map((t) => t.text)));
  // The tokens the other checks read first (kept in the session's memo): most hunks differ there.
  if (!sameTexts(texts(sideLines(memo, hunk, 'old')), texts(sideLines(memo, hunk, 'new')))) return false;
  return sameTexts(normalize(codeWithLiterals(hunk, 'old')), normalize(codeWithLiterals(hunk, 'new')));
}

/**
 * The two sides compile the same, as far as the tokens tell: besides comments and white space,
 * a plain access written as READ_ONCE()/WRITE_ONCE()/rcu_dereference*()/rcu_access_pointer()/
 * data_race() (include/asm-generic/rwonce.h, include/linux/rcupdate.h: a volatile access of the
 * same location, which GCC compiles as the plain one where nothing else could change it),
 * sparse's annotations (__rcu, __user, __iomem, __force: empty outside sparse,
 * include/linux/compiler_types.h), and raw_smp_processor_id() for smp_processor_id() when the
 * kernel has no CONFIG_DEBUG_PREEMPT (include/linux/smp.h).
 */
export function sameCompiledCode(memo: Memo, hunk: ParsedHunk, config?: ReadonlyMap<string, string>): boolean {
  const debugPreempt = config?.has('CONFIG_DEBUG_PREEMPT') ?? false;
  return sameCode(memo, hunk, (texts) => withoutAnnotations(texts, debugPreempt));
}

const UNWRAPPED = new Set([
  'READ_ONCE', 'data_race', 'rcu_access_pointer', 'rcu_dereference', 'rcu_dereference_raw', 'rcu_dereference_bh',
  'rcu_dereference_sched', 'rcu_dereference_check', 'rcu_dereference_protected', 'rcu_dereference_bh_check',
  'rcu_dereference_sched_check', 'rcu_dereference_raw_check', 'srcu_dereference', 'srcu_dereference_check',
]);
const SPARSE_ONLY = new Set(['__rcu', '__user', '__iomem', '__force', '__kernel', '__percpu', '__must_hold', '__acquires', '__releases']);

function withoutAnnotations(texts: readonly string[], debugPreempt: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i];
    if (SPARSE_ONLY.has(t)) continue;
    if (t === 'raw_smp_processor_id' && !debugPreempt) {
      out.push('smp_processor_id');
      continue;
    }
    const args = (UNWRAPPED.has(t) || t === 'WRITE_ONCE') && texts[i + 1] === '(' ? argumentsAt(texts, i + 1) : undefined;
    if (!args) {
      out.push(t);
      continue;
    }
    // READ_ONCE(x) reads x; WRITE_ONCE(x, v) is x = v; rcu_dereference_check(p, c) reads p (c only under lockdep).
    const [first, second] = args.list.map((a) => withoutAnnotations(a, debugPreempt));
    out.push(...first, ...(t === 'WRITE_ONCE' && second ? ['=', ...second] : []));
    i = args.end;
  }
  return out;
}

/** The comma-separated arguments of the call whose `(` is at `open`, and the index of its `)`. */
function argumentsAt(texts: readonly string[], open: number): { list: string[][]; end: number } | undefined {
  const list: string[][] = [[]];
  let depth = 0;
  for (let i = open; i < texts.length; i++) {
    const t = texts[i];
    if (t === '(' || t === '[' || t === '{') depth++;
    if (t === ')' || t === ']' || t === '}') depth--;
    if (depth === 0) return { list, end: i };
    if (i === open) continue;
    if (t === ',' && depth === 1) list.push([]);
    else list[list.length - 1].push(t);
  }
  return undefined;
}

/** One side's tokens and string/character literals, in order. */
function codeWithLiterals(hunk: ParsedHunk, side: 'old' | 'new'): string[] {
  return sideLinesWithLiterals(hunk, side).flatMap(({ tokens, literals = [] }) =>
    [...tokens, ...literals].sort((a, b) => a.start - b.start).map((t) => t.text),
  );
}

function sameTexts(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
